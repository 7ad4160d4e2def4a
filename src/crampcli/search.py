"""Ranked, typo-tolerant search over a knowledge base. Returns dataclasses; never prints.

Scoring is BM25 over field-weighted term counts (title and aliases count more than the
body), with each query word matched exactly, by prefix, or within a typo budget that grows
with its length. ``explain`` keeps every contribution so a person can see why a hit ranked.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from crampcli.model import Entry, KnowledgeBase
from crampcli.text import meaningful, spans, stem, terms, words

FIELD_WEIGHTS = {"title": 3.0, "aliases": 3.0, "summary": 1.5, "body": 1.0}
KIND_WEIGHTS = {"article": 0.7}  # articles are sources; the entries drawn from them answer better
K1, B = 1.2, 0.5
PREFIX_SIMILARITY = 0.8
TYPO_PENALTY = 0.2  # similarity lost per edit
GOOD_SCORE = 20.0  # below this a result is noise, not an answer
RELATIVE_FLOOR = 0.25  # drop hits scoring under this share of the best one
SNIPPET_CHARS = 160
MAX_SUGGESTION_WORDS = 4
MAX_QUERY_WORDS = 32  # distinct words of a query that are looked up; the rest is ignored


def typo_budget(word: str) -> int:
    """Edits allowed for a query word: none up to 4 letters, one for 5-8, two beyond."""
    return 0 if len(word) <= 4 else 1 if len(word) <= 8 else 2


@dataclass(frozen=True)
class Contribution:
    query_word: str
    matched: str
    how: str  # "exact", "prefix" or "typo:N"
    idf: float
    weight: float  # field-weighted count of the term in this entry
    points: float


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float  # 0-100
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    explain: tuple[Contribution, ...]
    coverage: float


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    suggestions: tuple[str, ...]


@dataclass
class Index:
    """Inverted index: term -> [(entry position, field-weighted count)]."""

    ids: list[str]
    lengths: list[float]
    postings: dict[str, list[tuple[int, float]]]
    vocabulary: list[str]  # sorted, for prefix look-ups
    phrases: list[str]  # folded titles and aliases, for "did you mean"

    @property
    def avg_length(self) -> float:
        return sum(self.lengths) / len(self.lengths) if self.lengths else 1.0

    def idf(self, term: str) -> float:
        df = len(self.postings.get(term, ()))
        n = len(self.ids)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _fields(entry: Entry) -> Iterable[tuple[str, str]]:
    yield "title", entry.title
    yield "title", entry.id.replace("-", " ")
    for alias in entry.aliases:
        yield "aliases", alias
    yield "summary", entry.summary
    for paragraph in entry.body:
        yield "body", paragraph


def build_index(entries: Iterable[Entry]) -> Index:
    ids: list[str] = []
    lengths: list[float] = []
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    phrase_set: set[str] = set()
    for pos, entry in enumerate(entries):
        ids.append(entry.id)
        weights: dict[str, float] = defaultdict(float)
        for field, text in _fields(entry):
            for term in terms(text):
                weights[term] += FIELD_WEIGHTS[field]
        for term, weight in weights.items():
            postings[term].append((pos, weight))
        lengths.append(sum(weights.values()))
        phrase_set.update(" ".join(words(t)) for t in (entry.title, *entry.aliases))
    # Suggestions are terms a person could type next, not whole article titles.
    phrases = sorted(p for p in phrase_set if p and p.count(" ") < MAX_SUGGESTION_WORDS)
    return Index(ids, lengths, dict(postings), sorted(postings), phrases)


def _candidates(index: Index, word: str) -> list[tuple[str, float, str]]:
    """Index terms a query word may stand for: (term, similarity, how)."""
    term = stem(word)
    found: list[tuple[str, float, str]] = []
    if term in index.postings:
        found.append((term, 1.0, "exact"))
    if len(term) >= 4:
        start = bisect_left(index.vocabulary, term)
        for other in index.vocabulary[start : start + 50]:
            if not other.startswith(term):
                break
            if other != term:
                found.append((other, PREFIX_SIMILARITY, "prefix"))
    budget = typo_budget(word)
    if not any(how == "exact" for _, _, how in found) and budget:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        for other, dist, _ in process.extract(
            term, index.vocabulary, scorer=Levenshtein.distance, score_cutoff=budget, limit=10
        ):
            if dist and abs(len(other) - len(term)) <= budget:
                found.append((other, 1.0 - TYPO_PENALTY * dist, f"typo:{dist}"))
    return found


def query_words(query: str) -> list[str]:
    """Distinct meaningful words of a query, in order: the first MAX_QUERY_WORDS of them (a
    pasted page must not cost a typo look-up per word: 1 MB of text took ~9 s uncapped)."""
    seen: dict[str, None] = {}
    for w in words(query):
        if meaningful(w):
            seen.setdefault(w)
            if len(seen) >= MAX_QUERY_WORDS:
                break
    return list(seen)


def search(index: Index, kb: KnowledgeBase, query: str, limit: int = 10) -> SearchResult:
    """The best entries for ``query``, best first; empty hits plus suggestions when none fit."""
    qwords = query_words(query)
    if not qwords:
        return SearchResult(query, (), ())
    avg = index.avg_length
    best: dict[int, dict[str, Contribution]] = defaultdict(dict)
    ideal = 0.0
    known = 0  # words the index knows at all; unknown ones ("much", "hospital") carry no signal
    for word in qwords:
        cands = _candidates(index, word)
        if cands:
            known += 1
            ideal += max(index.idf(t) * s for t, s, _ in cands) * (K1 + 1)
        for term, sim, how in cands:
            idf = index.idf(term)
            for pos, weight in index.postings[term]:
                norm = 1 - B + B * index.lengths[pos] / avg
                points = sim * idf * weight * (K1 + 1) / (weight + K1 * norm)
                held = best[pos].get(word)
                if held is None or points > held.points:
                    best[pos][word] = Contribution(word, term, how, idf, weight, points)
    if not best:
        return SearchResult(query, (), tuple(suggest(index, query)))
    phrase = " ".join(terms(query))
    scored = []
    for pos, contribs in best.items():
        entry = kb.entries[pos]  # the index is built from kb.entries, in order
        coverage = len(contribs) / known
        # Missing words cost, but a doc matching the rare, telling word still ranks.
        raw = sum(c.points for c in contribs.values()) * (0.5 + 0.5 * coverage)
        raw *= KIND_WEIGHTS.get(entry.kind, 1.0)
        if len(qwords) > 1 and _has_phrase(entry, phrase):
            raw *= 1.25
        score = min(100.0, 100.0 * raw / ideal) if ideal else 0.0
        scored.append((score, entry.id, entry, contribs, coverage))
    scored.sort(key=lambda s: (-s[0], s[1]))
    top = scored[0][0]
    if top < GOOD_SCORE:
        return SearchResult(query, (), tuple(suggest(index, query)))
    hits = []
    for score, _, entry, contribs, coverage in scored[:limit]:
        if score < max(GOOD_SCORE / 2, top * RELATIVE_FLOOR):
            break
        matched = {c.matched for c in contribs.values()}
        snippet, marks = make_snippet(entry, matched)
        hits.append(Hit(entry, round(score, 1), snippet, marks, tuple(contribs.values()), coverage))
    return SearchResult(query, tuple(hits), ())


def _has_phrase(entry: Entry, phrase: str) -> bool:
    return any(phrase in " ".join(terms(text)) for text in (entry.title, *entry.aliases))


def _sentences(entry: Entry, matched: set[str]) -> Iterable[str]:
    yield entry.summary
    for paragraph in entry.body:
        yield from (s for s in re.split(r"(?<=[.!?])\s+", paragraph) if s)
    aliases = [a for a in entry.aliases if matched.intersection(terms(a))]
    if aliases:
        yield "Also known as: " + ", ".join(aliases)


def make_snippet(entry: Entry, matched: set[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The sentence that best shows why ``entry`` matched, with the matching words marked."""
    best_text, best_count = entry.summary, -1
    best_marks: tuple[tuple[int, int], ...] = ()
    for text in _sentences(entry, matched):
        marks = tuple((s, e) for s, e, term in spans(text) if term in matched)
        count = len({text[s:e].lower() for s, e in marks})
        if count > best_count:
            best_text, best_marks, best_count = text, marks, count
    return _clip(best_text, best_marks)


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


def suggest(index: Index, query: str, limit: int = 5) -> list[str]:
    """Vocabulary phrases closest to what was typed, for "did you mean"."""
    from rapidfuzz import fuzz, process

    folded = " ".join(words(query))
    if not folded:
        return []
    found = process.extract(folded, index.phrases, scorer=fuzz.WRatio, score_cutoff=70, limit=limit)
    return [phrase for phrase, _, _ in found]
