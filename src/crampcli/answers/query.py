"""What a typed question asks, before any ranking: the words worth looking up, the lay words
read as the knowledge base's terms, an age or a person read as an audience, and the kind of
answer wanted. The vocabulary (filler words, lay words, ages, intents) is data, in the
knowledge base; only the shapes of an age ("72 year old", "im 72") are grammar, here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from crampcli.answers.text import MAX_WORD_CHARS, meaningful, stem, words
from crampcli.knowledge.model import Vocabulary

MAX_CONCEPTS = 32  # a pasted page must not cost a typo look-up per word
MAX_TOKENS = 256  # words of a query read at all
MAX_GAP = 5  # words a "*" of an intent phrase may stand for
MAX_AGE = 120
AGE_UNITS = frozenset({"year", "years", "yr", "yrs", "yo", "y"})  # "72 years old", "6yo"
# "im 72", "i am 72", "i'm 72", "she's 92", "mum is 92", "dad turned 70"
AGE_LEADS = frozenset({"im", "am", "aged", "age", "m", "s", "is", "turned", "turning"})
# "34 weeks" counts a pregnancy unless these lead it: "for 3 weeks", "every 2 weeks".
WEEKS = frozenset({"weeks", "week", "wks", "wk", "weeker"})
SPAN_LEADS = frozenset(
    {"for", "past", "last", "few", "over", "every", "in", "within", "about", "around", "nearly"}
)
GESTATION = "weeks pregnant"  # the vocabulary phrase a pregnancy counted in weeks reads as
# A number before these is a count, not an age: "it is 10 minutes", "is 2 times a week".
NOT_AGES = frozenset(
    "minute minutes mins min hour hours hrs hr second seconds secs sec day days week weeks "  # noqa: SIM905
    "month months time times mg ml mile miles km k percent out am pm x".split()
)


# Plain classes, not dataclasses: three dataclasses cost a search ~1.4 ms at start-up.
class Concept:
    """One thing the question names: ``said`` as typed, and the word lists that may stand
    for it (the typed words, and for a lay word the knowledge base's term); an entry
    scores by the best of them."""

    __slots__ = ("alternatives", "said")

    def __init__(self, said: str, alternatives: tuple[tuple[str, ...], ...]) -> None:
        self.said, self.alternatives = said, alternatives

    def __repr__(self) -> str:
        return f"Concept({self.said!r}, {self.alternatives!r})"


class Understood:
    __slots__ = ("audiences", "concepts", "prefer")

    def __init__(
        self, concepts: tuple[Concept, ...], prefer: tuple[str, ...], audiences: frozenset[str]
    ) -> None:
        self.concepts = concepts
        self.prefer = prefer  # kinds of entry the question asks for, most wanted first
        self.audiences = audiences


class _Compiled:
    """The vocabulary's phrases by the first two letters of their first word (a stem keeps
    them), stemmed only when a question holds a word that starts so: stemming all ~1,700
    words up front would cost every search ~2 ms."""

    __slots__ = ("_intents", "_stemmed", "_terms", "age_meanings", "age_words", "ages", "ignore")

    def __init__(self, vocabulary: Vocabulary) -> None:
        ignore, terms, ages, intents = vocabulary
        self.ignore = frozenset(ignore)
        self.ages = ages  # (from, below, means, audience, say)
        # Words that state an age ("teenage"), longest first, with their band.
        self.age_words = sorted(
            ((_stems(p), band) for band in ages for p in band[4]), key=lambda w: -len(w[0])
        )
        # What an age reads as ("children", "older"): a lay word meaning the same ("son",
        # "grandma") says less than an age typed beside it ("my 40 year old son").
        self.age_meanings = frozenset(band[2] for band in ages if band[2])
        self._terms: dict[str, list[tuple[str, str, str | None]]] = {}
        for say, means, audience in terms:
            for phrase in say:
                self._terms.setdefault(_start(phrase), []).append((phrase, means, audience))
        self._intents: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
        for order, (phrase, prefer) in enumerate((p, k) for say, k in intents for p in say):
            self._intents.setdefault(_start(phrase), []).append((order, phrase, prefer))
        self._stemmed: dict[tuple[str, str], list[Any]] = {}

    def terms_at(self, word: str) -> list[tuple[tuple[str, ...], str, str | None]]:
        """(stems, means, audience) of the lay phrases ``word`` may begin, longest first."""
        key = ("term", word[:2])
        got = self._stemmed.get(key)
        if got is None:
            got = [(_stems(p), m, a) for p, m, a in self._terms.get(word[:2], ())]
            got.sort(key=lambda t: -len(t[0]))
            self._stemmed[key] = got
        return got

    def intents_for(self, words_: list[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """(stems, kinds) of the intent phrases these words may hold: the longest phrase
        first (it claims its words first), then in data order."""
        found = []
        for start in {w[:2] for w in words_} | {"*"}:
            key = ("intent", start)
            got = self._stemmed.get(key)
            if got is None:
                got = [(o, _stems(p), k) for o, p, k in self._intents.get(start, ())]
                self._stemmed[key] = got
            found.extend(got)
        found.sort(key=lambda i: (-len(i[1]), i[0]))
        return [(pattern, kinds) for _, pattern, kinds in found if pattern]


def _start(phrase: str) -> str:
    first = phrase.split(" ", 1)[0]
    return "*" if first == "*" else first[:2]


_COMPILED: dict[int, tuple[Vocabulary, _Compiled]] = {}


def _compiled(vocabulary: Vocabulary) -> _Compiled:
    """The vocabulary as look-up tables, made once per knowledge base."""
    held = _COMPILED.get(id(vocabulary))
    if held is not None and held[0] is vocabulary:
        return held[1]
    made = _Compiled(vocabulary)
    _COMPILED[id(vocabulary)] = (vocabulary, made)
    return made


def _stems(phrase: str) -> tuple[str, ...]:
    return tuple(w if w == "*" else stem(w) for w in phrase.split())


def understand(query: str, vocabulary: Vocabulary) -> Understood:
    """The concepts, wanted kinds and audiences of ``query``."""
    v = _compiled(vocabulary)
    tokens = [w for w in words(query)[:MAX_TOKENS] if len(w) <= MAX_WORD_CHARS]
    stems = [stem(w) for w in tokens]
    used = [False] * len(tokens)
    audiences: set[str] = set()
    concepts: list[Concept] = []
    stated = [
        (
            start,
            end,
            next((b for b in v.ages if b[0] <= age and (b[1] is None or age < b[1])), None),
        )
        for start, end, age in _ages(tokens)
    ]
    stated += _age_words(v, stems)
    for start, end in _weeks_pregnant(tokens):  # read as the vocabulary's "weeks pregnant"
        gestation = _lay_term(v, [stem(w) for w in GESTATION.split()], [False, False], 0)
        used[start:end] = [True] * (end - start)
        if gestation is not None:
            _, meaning, audience = gestation
            concepts.append(Concept(" ".join(tokens[start:end]), (_meaningful(meaning),)))
            audiences.update([audience] if audience else [])
    for start, end, band in stated:
        used[start:end] = [True] * (end - start)
        if band is not None and band[2]:
            concepts.append(Concept(" ".join(tokens[start:end]), (_meaningful(band[2]),)))
            audiences.update([band[3]] if band[3] else [])
    votes: Counter[str] = Counter()  # a kind more phrases ask for comes first
    where: dict[str, list[int]] = {}  # stem -> its positions: a phrase is tried where it starts
    for i, word in enumerate(stems):
        where.setdefault(word, []).append(i)
    for pattern, kinds in v.intents_for(tokens):
        claimed = _find(pattern, stems, used, where.get(pattern[0], ()))
        if claimed is not None:
            for i in claimed:
                used[i] = True
            votes.update(kinds)
    i = 0
    while i < len(tokens):
        found = None if used[i] else _lay_term(v, stems, used, i)
        if found is None:
            if not used[i] and meaningful(tokens[i]) and tokens[i] not in v.ignore:
                concepts.append(Concept(tokens[i], ((tokens[i],),)))
            i += 1
            continue
        n, meaning, audience = found
        if stated and meaning in v.age_meanings:  # the age typed says who, and how old
            i += n
            continue
        typed = tuple(w for w in tokens[i : i + n] if meaningful(w))
        means = _meaningful(meaning)
        alternatives = (means, typed) if typed and typed != means else (means,)
        concepts.append(Concept(" ".join(tokens[i : i + n]), alternatives))
        audiences.update([audience] if audience else [])
        i += n
    unique = {_key(c): c for c in concepts}  # "cramp cramps" is one concept
    prefer = tuple(kind for kind, _ in votes.most_common())
    return Understood(tuple(unique.values())[:MAX_CONCEPTS], prefer, frozenset(audiences))


def _age_words(v: _Compiled, stems: list[str]) -> list[tuple[int, int, Any]]:
    """(start, end, band) of each phrase that states an age in words ("teenage")."""
    found = []
    taken = [False] * len(stems)
    for phrase, band in v.age_words:
        n = len(phrase)
        for i in range(len(stems) - n + 1):
            if tuple(stems[i : i + n]) == phrase and not any(taken[i : i + n]):
                taken[i : i + n] = [True] * n
                found.append((i, i + n, band))
    return found


def _meaningful(text: str) -> tuple[str, ...]:
    return tuple(w for w in words(text) if meaningful(w))


def _key(concept: Concept) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(map(stem, words_)) for words_ in concept.alternatives)


def _lay_term(
    v: _Compiled, stems: list[str], used: list[bool], i: int
) -> tuple[int, str, str | None] | None:
    """The longest lay phrase starting at word ``i``: its length, meaning and audience."""
    for phrase, means, audience in v.terms_at(stems[i]):
        n = len(phrase)
        if tuple(stems[i : i + n]) == phrase and not any(used[i : i + n]):
            return n, means, audience
    return None


def _find(
    pattern: tuple[str, ...], stems: list[str], used: list[bool], starts: Iterable[int]
) -> list[int] | None:
    """Positions of the words ``pattern`` claims, if it occurs among the unused words from one
    of ``starts``; a ``*`` matches 1 to MAX_GAP words, which it leaves unclaimed (they are
    the subject)."""
    for start in starts:
        got = _match(pattern, 0, stems, used, start)
        if got is not None:
            return got
    return None


def _match(
    pattern: tuple[str, ...], p: int, stems: list[str], used: list[bool], at: int
) -> list[int] | None:
    if p == len(pattern):
        return []
    if pattern[p] == "*":
        for gap in range(1, MAX_GAP + 1):
            if at + gap > len(stems) or used[at + gap - 1]:
                return None
            rest = _match(pattern, p + 1, stems, used, at + gap)
            if rest is not None:
                return rest
        return None
    if at < len(stems) and not used[at] and stems[at] == pattern[p]:
        rest = _match(pattern, p + 1, stems, used, at + 1)
        return None if rest is None else [at, *rest]
    return None


def _weeks_pregnant(tokens: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each "34 weeks" that counts a pregnancy: 4 to 42 weeks, not a span of
    time ("for 3 weeks", "every 2 weeks", "6 weeks ago")."""
    found = []
    for i, token in enumerate(tokens[:-1]):
        if not token.isdigit() or not 4 <= int(token) <= 42 or tokens[i + 1] not in WEEKS:
            continue
        end = i + 2
        if (end < len(tokens) and tokens[end] == "ago") or (i and tokens[i - 1] in SPAN_LEADS):
            continue
        if end < len(tokens) and tokens[end] in ("pregnant", "pg"):
            end += 1
        found.append((i, end))
    return found


def _ages(tokens: list[str]) -> list[tuple[int, int, int]]:
    """(start, end, age) of each age typed as a number: "72 year old", "6yo", "im 72",
    "in my 70s"."""
    found = []
    for i, token in enumerate(tokens):
        number = _number(token)
        if number is None:
            continue
        age, unit = number
        end = i + 1
        if not unit and end < len(tokens) and tokens[end] in AGE_UNITS:
            end, unit = end + 1, True
        if unit and end < len(tokens) and tokens[end] == "old":
            end += 1
        lead = i > 0 and tokens[i - 1] in AGE_LEADS
        if not unit and end < len(tokens) and tokens[end] in NOT_AGES:
            continue
        if (unit or lead) and age <= MAX_AGE:  # a bare number is an age only in those shapes
            found.append((i - lead, end, age))
    return found


def _number(token: str) -> tuple[int, bool] | None:
    """A token that may be an age, and whether it says so itself: a unit run on ("6yo",
    "72yrs") or a decade ("50s": the middle of it, 55)."""
    digits = len(token) - len(token.lstrip("0123456789"))
    if not digits or digits > 3:
        return None
    if digits == len(token):
        return int(token), False
    if token[digits:] == "s" and token[digits - 1] == "0":
        return int(token[:digits]) + 5, True
    return (int(token[:digits]), True) if token[digits:] in AGE_UNITS else None
