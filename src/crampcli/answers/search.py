"""Ranked, typo-tolerant search over a knowledge base. Returns dataclasses; never prints.

The question is first read by ``query.understand`` (concepts, ages, wanted kinds). Scoring is
BM25 over field-weighted term counts (title and aliases count more than the body); each word
matches its exact stem, and only when that is missing a longer word it begins, a sound-alike
or a typo within a budget that grows with its length. Kinds asked for and audiences named
lift entries; then warning signs are kept near the top and unsupported advice below supported
advice. ``explain`` keeps every contribution so a person can see why a hit ranked. See
docs/search.md.
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import repeat
from operator import add, mul, truediv

from crampcli.answers.query import Concept, Understood, understand
from crampcli.answers.text import STOP_WORDS, meaningful, spans, stem, terms, words
from crampcli.knowledge.model import CARE_LEVELS, EVIDENCE_GRADES, Entry, KnowledgeBase

# Articles are sources, and remedies are what people ask about: the entries drawn from the
# sources answer better when both match as well.
KIND_WEIGHTS = {"article": 0.4, "remedy": 0.85}
# A medicine known but not linked to cramps (quinine, a blood thinner) is listed for what to
# watch for while taking it; advice that names it answers a search for it better.
NOT_LINKED, NOT_LINKED_WEIGHT = "none", 0.9
K1, B = 1.2, 0.5
PREFIX_SIMILARITY = 0.8
TYPO_PENALTY = 0.2  # similarity lost per edit
RELATIVE_FLOOR = 0.25  # drop hits scoring under this share of the best one
SNIPPET_CHARS = 160
CAUTION_LABEL = "Caution: "
MAX_SEE = 3  # entries a disputed article's snippet names
PHRASE_BONUS = 1.25  # the query's words in a title or alias, or a title or alias in the query
TITLE_BONUS = 1.2  # and more when it is the title: an alias may be shared, a title is the entry's
MAX_PHRASE_CHECKS = 200
# Hits ranked before the list is cut to --limit: the order of the first hits must not depend
# on how many are shown (supported advice below the cut still outranks unsupported advice).
RANKING_POOL = 10
MAX_PREFIX_TERMS = 20
SOUND_ALIKE_SIMILARITY = 0.9
# Spelled as said: "nite" -> "night", "tite" -> "tight"; a dropped g, "growin" -> "growing".
SOUND_ALIKES = (("ite", "ight"), ("in", "ing"))
MIN_SUGGESTION = 3  # "did you mean" never offers "no" or "pe"
POSITION_BYTES = 4  # array "I"
INTENT_BOOST = 1.5  # an entry of the kind the question asks for ("right now": relief)
INTENT_BOOST_ALSO = 1.3  # an entry of a kind it asks for less
AUDIENCE_BOOST = 1.15  # an entry for the people the question names ("my 85 year old mum")
NEAR_TOP = 3  # a warning sign that matches every part of a question ranks no lower
ADVICE_KINDS = frozenset({"relief", "prevention", "remedy"})
UNSUPPORTED, SUPPORTED = "not supported", "supported"
SAME_NEED = 0.6  # supported advice scoring this share of an unsupported one answers the same need
INTENT_ONLY_SCORE = 50.0  # a hit chosen by the kind asked for alone, not by any word
MIN_SPLIT_HEAD, MIN_SPLIT_TAIL = 3, 2  # "warmup" -> "warm" + "up"; never "a" + "...".


def typo_budget(word: str) -> int:
    """Edits allowed for a query word: none up to 3 letters, one for 4-8, two beyond."""
    return 0 if len(word) <= 3 else 1 if len(word) <= 8 else 2


def suggest_budget(word: str) -> int:
    """Edits "did you mean" may be away from a word: none under 4 letters, one up to 6, two
    beyond: a suggestion is a word the person could have meant, not one that shares letters."""
    return 0 if len(word) < 4 else 1 if len(word) <= 6 else 2


# Read-only by convention, not frozen: a frozen dataclass costs ~0.5 ms more at import,
# and these are created on every run.
@dataclass
class Contribution:
    query_word: str
    matched: str
    how: str  # "exact", "prefix" or "typo:N"
    idf: float
    impact: float  # the term's saturated, length-normalised weight in this entry
    points: float


@dataclass
class Hit:
    entry: Entry
    score: float  # 0-100
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    explain: tuple[Contribution, ...]
    coverage: float


@dataclass
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    suggestions: tuple[str, ...]


@dataclass
class Index:
    """Inverted index. Each term's postings are two packed arrays (entry positions, ascending,
    and BM25 impacts: the saturated, length-normalised field-weighted count), so an index of
    100,000 entries stays compact in memory and is cheap to cache with ``marshal``."""

    ids: list[str]
    postings: dict[str, tuple[bytes, bytes]]  # term -> (array "I" positions, array "f" impacts)
    vocabulary: list[str]  # sorted, for prefix look-ups
    surface: dict[str, str]  # term -> a word as people write it, for "did you mean"
    boosts: dict[int, float]  # entry position -> its kind's weight, where that is not 1
    _decoded: dict[str, tuple[array[int], array[float]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def postings_of(self, term: str) -> tuple[array[int], array[float]]:
        got = self._decoded.get(term)
        if got is None:
            positions, impacts = array("I"), array("f")
            raw_positions, raw_impacts = self.postings[term]
            positions.frombytes(raw_positions)
            impacts.frombytes(raw_impacts)
            got = self._decoded[term] = (positions, impacts)
        return got

    def df(self, term: str) -> int:
        """How many entries hold ``term``."""
        return len(self.postings[term][0]) // POSITION_BYTES if term in self.postings else 0

    def idf(self, term: str) -> float:
        df = self.df(term)
        n = len(self.ids)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))


# Field weights in half-units: a field's words are counted this many times, so all counting
# happens in C (``Counter`` over repeated lists) rather than one Python step per word.
FIELD_REPEATS = {"title": 6, "aliases": 6, "summary": 3, "body": 2}
WEIGHT_UNIT = 0.5  # what one repeat is worth: title and aliases 3, summary 1.5, body 1


def _fields(entry: Entry) -> Iterable[tuple[int, str]]:
    yield FIELD_REPEATS["title"], f"{entry.title}\n{entry.id.replace('-', ' ')}"
    # A medicine's generic and brand names are words people type for it: alias weight.
    # A name given as an alias and again as a brand is one name: counting it twice would make
    # a medicine outrank the advice about it on its own name ("quinine", "tonic water").
    seen = {n.casefold() for n in (entry.title, *entry.aliases)}
    names = [n for m in entry.medicines for n in (m.name, *m.brands) if n.casefold() not in seen]
    yield FIELD_REPEATS["aliases"], "\n".join([*entry.aliases, *dict.fromkeys(names)])
    yield FIELD_REPEATS["summary"], entry.summary
    # Who must not use it is part of what an entry says: "magnesium with kidney disease".
    yield FIELD_REPEATS["body"], "\n".join([*entry.body, *(c.text for c in entry.cautions)])


class _TermOf(dict[str, str]):
    """word -> its index term ("" for a word not indexed), worked out the first time it is seen;
    ``surface`` keeps the first word seen for each term."""

    def __init__(self) -> None:
        super().__init__()
        self.surface: dict[str, str] = {}

    def __missing__(self, word: str) -> str:
        term = self[word] = stem(word) if meaningful(word) else ""
        if term:
            self.surface.setdefault(term, word)
        return term


def build_index(entries: Iterable[Entry]) -> Index:
    """The index of ``entries``. Per word and per posting the work runs in C (bytes
    translation, dict look-ups, ``Counter``, ``map`` over bound methods); each term's postings
    grow in one array of (position, weight) pairs, so that adding one touches one object."""
    ids: list[str] = []
    lengths: list[int] = []  # in half-units
    pairs: defaultdict[str, array[int]] = defaultdict(partial(array, "I"))
    term_of = _TermOf()
    boosts: dict[int, float] = {}
    drain = deque[None](maxlen=0).extend  # runs an iterator to its end, keeping nothing
    for pos, entry in enumerate(entries):
        ids.append(entry.id)
        weight = KIND_WEIGHTS.get(entry.kind, 1.0)
        if entry.medicines and all(m.link == NOT_LINKED for m in entry.medicines):
            weight *= NOT_LINKED_WEIGHT
        if weight != 1.0:
            boosts[pos] = weight
        tokens: list[str] = []
        for repeats, text in _fields(entry):
            tokens += list(map(term_of.__getitem__, words(text))) * repeats
        counts = Counter(tokens)
        counts.pop("", None)  # stop words
        drain(map(array.extend, map(pairs.__getitem__, counts), zip(repeat(pos), counts.values())))
        lengths.append(sum(counts.values()))
    avg = sum(lengths) / len(lengths) if lengths else 1.0
    # BM25, in half-units: a count saturates (K1), and counts in long entries weigh less (B).
    damping = [K1 * (1 - B + B * length / avg) / WEIGHT_UNIT for length in lengths]
    postings = {}
    for term, both in pairs.items():
        where, w = both[::2], both[1::2]
        # impact = w * (K1 + 1) / (w + damping of its entry), for each posting, in C
        top = map(mul, w, repeat(K1 + 1))
        impacts = array("f", map(truediv, top, map(add, w, map(damping.__getitem__, where))))
        postings[term] = (where.tobytes(), impacts.tobytes())
    return Index(ids, postings, sorted(postings), term_of.surface, boosts)


def _candidates(index: Index, word: str, exact: bool = False) -> list[tuple[str, float, str]]:
    """Index terms a query word may stand for: (term, similarity, how); only the word itself
    when ``exact``."""
    term = stem(word)
    found: list[tuple[str, float, str]] = []
    if term in index.postings:
        found.append((term, 1.0, "exact"))
    if exact:
        return found
    if len(term) >= 4 and not found:  # "pain" is not a typo of "painkiller"
        start = bisect_left(index.vocabulary, term)
        for other in index.vocabulary[start : start + MAX_PREFIX_TERMS + 1]:
            if not other.startswith(term):
                break
            if other != term:
                found.append((other, PREFIX_SIMILARITY, "prefix"))
    if not found:
        for said, written in SOUND_ALIKES:
            other = stem(word[: -len(said)] + written)
            if word.endswith(said) and len(word) > len(said) + 2 and other in index.postings:
                found.append((other, SOUND_ALIKE_SIMILARITY, "sound-alike"))
    budget = typo_budget(term)  # of the stem: "during" -> "dur" must not match "dour"
    if budget and not any(how in ("exact", "sound-alike") for _, _, how in found):
        from rapidfuzz import process
        from rapidfuzz.distance import OSA  # Levenshtein plus swapped neighbours as one edit

        for other, dist, _ in process.extract(
            term, index.vocabulary, scorer=OSA.distance, score_cutoff=budget, limit=10
        ):
            # Both words must be long enough for the edits: "hurt" is not a typo of "hrt".
            if dist and dist <= typo_budget(other) and abs(len(other) - len(term)) <= budget:
                found.append((other, 1.0 - TYPO_PENALTY * dist, f"typo:{dist}"))
    return found


def split_compounds(index: Index, qwords: list[str]) -> list[str]:
    """Query words run together ("warmup", "legcramps") as the two indexed words they are
    made of; a word the index knows as it is stays whole."""
    out: list[str] = []
    for word in qwords:
        out.extend(_split(index, word) or (word,))
    return list(dict.fromkeys(out))


def _split_concepts(index: Index, concepts: tuple[Concept, ...]) -> list[Concept]:
    """Each one-word concept the index does not know, split where it is two known words."""
    out: list[Concept] = []
    for c in concepts:
        if len(c.alternatives) == 1 and len(c.alternatives[0]) == 1:
            parts = split_compounds(index, list(c.alternatives[0]))
            if len(parts) > 1:
                out.extend(Concept(p, ((p,),)) for p in parts)
                continue
        out.append(c)
    return out


def _split(index: Index, word: str) -> tuple[str, str] | None:
    """The most even split of an unknown ``word`` into two indexed words, if there is one."""
    if stem(word) in index.postings:
        return None
    splits = [
        (word[:i], word[i:])
        for i in range(MIN_SPLIT_HEAD, len(word) - MIN_SPLIT_TAIL + 1)
        if meaningful(word[i:])
        and stem(word[:i]) in index.postings
        and stem(word[i:]) in index.postings
    ]
    return max(splits, key=lambda parts: min(map(len, parts)), default=None)


def search(
    index: Index,
    kb: KnowledgeBase,
    query: str,
    limit: int = 10,
    keep: Callable[[Entry], bool] | None = None,
) -> SearchResult:
    """The best entries for ``query``, best first; empty hits plus suggestions when no word
    of it matches anything. ``keep``: only entries it accepts may be hits (``--who``)."""
    asked = understand(query, kb.vocabulary)
    concepts = _split_concepts(index, asked.concepts)
    typed = [w for c in concepts for w in c.alternatives[-1]]
    found = _Found(index)
    best: list[dict[int, float]] = []  # per matched concept: entry position -> its points
    ideal = 0.0
    for concept in concepts:
        points, top = found.concept(concept)
        if points:
            best.append(points)
            ideal += top
    # "What do I do right now?", or "how to stop leg cramps coming back": when the question
    # names nothing but the subject every entry shares, the kind it asks for is the answer.
    if asked.prefer and all(_is_topic(index, found, c) for c in concepts):
        return SearchResult(query, tuple(_of_kinds(kb, asked.prefer, limit, keep)), ())
    if not best:
        return SearchResult(query, (), tuple(suggest(index, typed)) if typed else ())
    raw = _combine(best, index)
    _prefer(raw, kb, asked)
    if keep is not None:
        raw = {pos: points for pos, points in raw.items() if keep(kb.entries[pos])}
        if not raw:
            return SearchResult(query, (), ())
    # The phrase bonus needs each entry's text, so only entries it could lift into the
    # results are looked at: those within 1/PHRASE_BONUS of the pool-th best.
    pool = max(limit, RANKING_POOL)
    cut = heapq.nlargest(pool, raw.values())[-1] / (PHRASE_BONUS * TITLE_BONUS)
    # The question's known words in order ("night cramps in my 50s": "night cramp").
    phrase = " ".join(found.term(w) for c in concepts for w in _as_found(c, found))
    several = " " in phrase  # a phrase of two words or more, in one concept or several
    near = heapq.nlargest(MAX_PHRASE_CHECKS, (p for p in raw if raw[p] >= cut), key=raw.__getitem__)
    for pos in near:
        entry = kb.entries[pos]
        # A question that holds the entry's title of two words or more, or is its title of one.
        if (
            _named(entry, phrase, min_words=2, names=(entry.title,))
            if several
            else _one_word_title(entry) == phrase
        ):
            raw[pos] *= PHRASE_BONUS * TITLE_BONUS
        elif several and (_has_phrase(entry, phrase) or _named(entry, phrase, min_words=2)):
            raw[pos] *= PHRASE_BONUS
    top_positions = heapq.nlargest(pool, raw, key=raw.__getitem__)  # stable: ties in order
    scored = [(min(100.0, 100.0 * raw[p] / ideal), p) for p in top_positions]
    scored.sort(key=lambda s: (-raw[s[1]], kb.entries[s[1]].id))  # not by the capped score
    top = scored[0][0]
    hits = []
    for score, pos in scored:
        if score < top * RELATIVE_FLOOR:
            continue
        entry = kb.entries[pos]  # the index is built from kb.entries, in order
        contribs = _explain(index, found, pos)
        snippet, marks = make_snippet(kb, entry, {c.matched for c in contribs})
        coverage = sum(pos in points for points in best) / len(best)
        hits.append(Hit(entry, round(score, 1), snippet, marks, contribs, coverage))
    hits = _warnings_near_top(_supported_first(hits, phrase))
    return SearchResult(query, tuple(hits[:limit]), ())


def _as_found(concept: Concept, found: _Found) -> tuple[str, ...]:
    """A concept's words for phrases: as typed where the index knows them all, else its
    meaning ("nite" is written "night")."""
    for words_ in (concept.alternatives[-1], *concept.alternatives):
        if words_ and all(w in found for w in words_):
            return words_
    return tuple(w for w in concept.alternatives[-1] if w in found)


def _is_topic(index: Index, found: _Found, concept: Concept) -> bool:
    """Whether a concept only names the subject: it means words found in at least half of
    the entries ("leg", "cramp"; "charley horse" means cramp), so it tells none apart."""
    half = len(index.ids) / 2
    return any(
        words_
        and all(
            w in found and all(index.df(t) >= half for t, _, _ in found.looked_up[w])
            for w in words_
        )
        for words_ in concept.alternatives
    )


def _of_kinds(
    kb: KnowledgeBase, kinds: tuple[str, ...], limit: int, keep: Callable[[Entry], bool] | None
) -> list[Hit]:
    """The entries of the kinds a question asks for when it names nothing else: by kind as
    asked, then the most serious warning first, then best evidence first, then relief in the
    order of what to do first."""
    grades = {g: i for i, g in enumerate(EVIDENCE_GRADES)}
    cares = {c: i for i, c in enumerate(CARE_LEVELS)}
    chosen = [e for e in kb.entries if e.kind in kinds and (keep is None or keep(e))]
    chosen.sort(
        key=lambda e: (
            kinds.index(e.kind),
            cares.get(e.care or "", len(cares)),  # warning signs: the most serious first
            e.advised_against,  # "quinine is not recommended" is no tip: last, as in `prevent`
            grades.get(e.evidence.grade if e.evidence else "", len(grades)),
            e.now_rank is None,
            e.now_rank or 0,
        )
    )
    return [Hit(e, INTENT_ONLY_SCORE, e.summary, (), (), 0.0) for e in chosen[:limit]]


class _Found:
    """Each query word's candidate terms and points per entry, worked out once per query."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.looked_up: dict[str, list[tuple[str, float, str]]] = {}  # word -> its terms
        self.said: dict[str, str] = {}  # a word looked up for what was typed: "kidney" for "ckd"
        self._points: dict[tuple[str, bool], tuple[dict[int, float], float]] = {}

    def word(self, word: str, exact: bool = False) -> tuple[dict[int, float], float]:
        """Entry position -> the word's points there, and the most it can score."""
        held = self._points.get((word, exact))
        if held is not None:
            return held
        index = self.index
        cands = _candidates(index, word, exact)
        points: dict[int, float] = {}
        get = points.get
        for term, sim, _ in cands:
            factor = sim * index.idf(term)
            positions, impacts = index.postings_of(term)
            for pos, impact in zip(positions, impacts, strict=True):
                p = factor * impact
                if p > get(pos, 0.0):
                    points[pos] = p
        if cands:
            self.looked_up[word] = cands
        top = max((index.idf(t) * s for t, s, _ in cands), default=0.0) * (K1 + 1)
        held = self._points[word, exact] = (points, top)
        return held

    def __contains__(self, word: str) -> bool:
        return word in self.looked_up

    def term(self, word: str) -> str:
        """The index term ``word`` most likely stands for ("nite" -> "night"), for phrases."""
        return max(self.looked_up[word], key=lambda c: c[1])[0]

    def concept(self, concept: Concept) -> tuple[dict[int, float], float]:
        """A concept's points per entry: the best of its alternatives, each the mean of its
        words' points (a three-word term weighs as much as a one-word one)."""
        typed = concept.alternatives[-1]
        if len(concept.alternatives) == 1 and len(typed) == 1:  # one word: its points as they are
            if concept.said != typed[0]:
                self.said.setdefault(typed[0], concept.said)  # an age: explain shows what was typed
            return self.word(typed[0])
        merged: dict[int, float] = {}
        top = 0.0
        for words_ in concept.alternatives:
            if not words_:
                continue
            if words_ != concept.alternatives[-1] or concept.said not in words_:
                for w in words_:  # a meaning, or an age: explain shows what was typed
                    self.said.setdefault(w, concept.said)
            share = 1.0 / len(words_)
            alt: dict[int, float] = {}
            alt_top = 0.0
            # A lay word read as a term is not a typo: as typed it counts only where it is
            # written, never as the start of a longer word or as a near spelling.
            exact = len(concept.alternatives) > 1 and words_ is typed
            for w in words_:
                points, most = self.word(w, exact)
                alt_top += most * share
                get = alt.get
                for pos, p in points.items():
                    alt[pos] = get(pos, 0.0) + p * share
            top = max(top, alt_top)
            get = merged.get
            for pos, p in alt.items():
                if p > get(pos, 0.0):
                    merged[pos] = p
        return merged, top


def _prefer(raw: dict[int, float], kb: KnowledgeBase, asked: Understood) -> None:
    """Lift the kinds of answer the question asks for and the entries for the people it
    names."""
    # The kind most phrases ask for is lifted most ("how can I stop getting them": prevention
    # before relief); every kind asked for is lifted.
    wanted = {
        kind: INTENT_BOOST if i == 0 else INTENT_BOOST_ALSO for i, kind in enumerate(asked.prefer)
    }
    if not wanted and not asked.audiences:  # nothing to lift: skip a pass over every hit
        return
    for pos in raw:
        entry = kb.entries[pos]
        factor = wanted.get(entry.kind, 1.0)
        if asked.audiences and not asked.audiences.isdisjoint(entry.audiences):
            factor *= AUDIENCE_BOOST
        if factor != 1.0:
            raw[pos] *= factor


def _supported_first(hits: list[Hit], phrase: str) -> list[Hit]:
    """No advice whose evidence does not support it ranks above advice that is supported for
    the same need (scoring at least SAME_NEED of it), unless the question names it: then its
    entry is the answer ("does X help?" is about X). A moved hit goes just below the lowest
    such advice and takes its score, so that scores stay in order."""
    out = list(hits)
    for hit in hits:
        if hit.entry.kind not in ADVICE_KINDS or _grade(hit) != UNSUPPORTED:
            continue
        if _named(hit.entry, phrase):
            continue
        at = out.index(hit)
        rivals = [
            i
            for i, other in enumerate(out)
            if i > at
            and _same_need(hit.entry, other.entry)
            and _grade(other) == SUPPORTED
            and other.score >= hit.score * SAME_NEED
        ]
        if rivals:
            last = out[rivals[-1]]
            out.pop(at)
            out.insert(rivals[-1], replace(hit, score=min(hit.score, last.score)))
    return out


def _same_need(entry: Entry, other: Entry) -> bool:
    """Whether ``other`` is advice for the need ``entry`` serves: relief and prevention are
    different needs (warmth after a cramp does not answer "keep my calves warm" at night);
    a remedy people ask about may serve either."""
    kinds = {entry.kind, other.kind}
    return kinds <= ADVICE_KINDS and (len(kinds) == 1 or "remedy" in kinds)


def _warnings_near_top(hits: list[Hit]) -> list[Hit]:
    """A warning sign that matches every part of a question of several parts is moved up to
    NEAR_TOP if it ranked lower: what may need urgent help is never buried."""
    out = list(hits)
    for hit in hits[NEAR_TOP:]:
        if hit.entry.kind == "red-flag" and hit.coverage == 1.0 and len(hit.explain) > 1:
            out.pop(out.index(hit))
            below = out[NEAR_TOP - 1].score  # scores stay in order: it scores as the one it passes
            out.insert(NEAR_TOP - 1, replace(hit, score=max(hit.score, below)))
    return out


def _grade(hit: Hit) -> str | None:
    return hit.entry.evidence.grade if hit.entry.evidence else None


def _named(
    entry: Entry, phrase: str, min_words: int = 1, names: tuple[str, ...] | None = None
) -> bool:
    """Whether the query's words hold one of the entry's ``names`` (its title and aliases),
    of at least ``min_words`` words ("massage gun for calves" names "massage gun")."""
    said = f" {phrase} "
    for name in names or (entry.title, *entry.aliases):
        words_ = terms(name)
        if len(words_) >= min_words and f" {' '.join(words_)} " in said:
            return True
    return False


def _combine(best: list[dict[int, float]], index: Index) -> dict[int, float]:
    """Each entry's raw score: its words' points, less for missing words, by kind."""
    raw = dict(best[0])
    if len(best) > 1:
        matched = Counter(raw.keys())
        for points in best[1:]:
            matched.update(points.keys())
            get = raw.get
            for pos, p in points.items():
                raw[pos] = get(pos, 0.0) + p
        # Missing words cost, but an entry matching the rare, telling word still ranks.
        factor = [0.5 + 0.5 * n / len(best) for n in range(len(best) + 1)]
        raw = {pos: total * factor[matched[pos]] for pos, total in raw.items()}
    for pos, weight in index.boosts.items():
        if pos in raw:
            raw[pos] *= weight
    return raw


def _explain(index: Index, found: _Found, pos: int) -> tuple[Contribution, ...]:
    """What each query word added to the entry at ``pos``: its best-matching term."""
    out = []
    for word, cands in found.looked_up.items():
        shown = f"{found.said[word]} (as {word})" if word in found.said else word
        held: Contribution | None = None
        for term, sim, how in cands:
            positions, impacts = index.postings_of(term)
            i = bisect_left(positions, pos)
            if i < len(positions) and positions[i] == pos:
                idf = index.idf(term)
                points = sim * idf * impacts[i]
                if held is None or points > held.points:
                    held = Contribution(shown, term, how, idf, impacts[i], points)
        if held is not None:
            out.append(held)
    return tuple(out)


def _one_word_title(entry: Entry) -> str | None:
    """The term of a title of one word ("Medicines"); None for longer titles, or for one with
    a one-letter word, which a query drops ("Vitamin E")."""
    said = [w for w in words(entry.title) if w not in STOP_WORDS]
    return stem(said[0]) if len(said) == 1 and meaningful(said[0]) else None


def _has_phrase(entry: Entry, phrase: str) -> bool:
    return any(phrase in " ".join(terms(text)) for text in (entry.title, *entry.aliases))


def _sentences(entry: Entry) -> Iterable[str]:
    """The summary, then each sentence of the body; never the alias list (words people type,
    not an answer)."""
    yield entry.summary
    for paragraph in entry.body:
        yield from (s for s in re.split(r"(?<=[.!?])\s+", paragraph) if s)


def make_snippet(
    kb: KnowledgeBase, entry: Entry, matched: set[str]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The sentence that best shows why ``entry`` matched, with the matching words marked;
    for an article the references contradict, a pointer to the entries that say it right."""
    warning = _caution_matched(entry, matched)
    if warning is not None:
        return warning
    best_text, best_count = entry.summary, -1
    best_marks: tuple[tuple[int, int], ...] = ()
    for text in _sentences(entry):
        marks = tuple((s, e) for s, e, term in spans(text) if term in matched)
        count = len({text[s:e].lower() for s, e in marks})
        if count > best_count:
            best_text, best_marks, best_count = text, marks, count
    snippet, marks = _clip(best_text, best_marks)
    if entry.corrections:
        titles = [e.title if (e := kb.get(i)) else i for i in entry.corrections.see]
        more = f" and {len(titles) - MAX_SEE} more" if len(titles) > MAX_SEE else ""
        snippet += f" [The references disagree: read {', '.join(titles[:MAX_SEE])}{more}.]"
    return snippet, marks


def _caution_matched(
    entry: Entry, matched: set[str]
) -> tuple[str, tuple[tuple[int, int], ...]] | None:
    """The caution to show when the question names who it is for and the rest of the entry
    does not ("cirrhosis" finds salt advice only through "with cirrhosis ... do not"): advice
    that can hurt this person is shown with its caution, not its promise."""
    if not entry.cautions:
        return None
    said = {term for text in (entry.title, entry.summary, *entry.body) for *_, term in spans(text)}
    for caution in entry.cautions:
        found = [(s, e, term) for s, e, term in spans(caution.text) if term in matched]
        if any(term not in said for *_, term in found):
            shift = len(CAUTION_LABEL)  # whole, never clipped: its last words say what to do
            return CAUTION_LABEL + caution.text, tuple((s + shift, e + shift) for s, e, _ in found)
    return None


def _clip(text: str, marks: tuple[tuple[int, int], ...]) -> tuple[str, tuple[tuple[int, int], ...]]:
    if len(text) <= SNIPPET_CHARS:
        return text, marks
    first = marks[0][0] if marks else 0
    start = max(0, min(first - 40, len(text) - SNIPPET_CHARS))
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = start + SNIPPET_CHARS
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + SNIPPET_CHARS // 2)
    prefix = "..." if start else ""
    suffix = "..." if end < len(text) else ""
    clipped = prefix + text[start:end].rstrip() + suffix
    shift = len(prefix) - start
    kept = tuple((s + shift, e + shift) for s, e in marks if s >= start and e <= end)
    return clipped, kept


def suggest(index: Index, qwords: list[str], limit: int = 5) -> list[str]:
    """Real words of the index a typo or two away from what was typed, closest and most
    common first, for "did you mean"; none when no word is that close."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    words_df = {
        word: len(index.postings[term][0])
        for term, word in index.surface.items()
        if len(word) >= MIN_SUGGESTION and not word.isdigit()
    }
    choices = list(words_df)
    found: dict[str, int] = {}
    for word in qwords:
        if len(word) >= MIN_SUGGESTION:  # a word begun counts as one edit
            found.update((c, 1) for c in choices if c.startswith(word) and c != word)
        budget = suggest_budget(word)
        if not budget:
            continue
        for choice, dist, _ in process.extract(
            word, choices, scorer=OSA.distance, score_cutoff=budget, limit=limit
        ):
            if dist:
                found[choice] = min(dist, found.get(choice, budget))
    return sorted(found, key=lambda c: (found[c], -words_df[c], c))[:limit]
