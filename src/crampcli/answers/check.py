"""The symptom checker's engine: answers -> answer tokens -> red flags, care level, causes.

No medical rule lives here. Every rule is read from the knowledge base's ``check`` fields
(docs/knowledge-base.md, "Check rules"); this module only knows the token grammar:
``topic:value`` tokens for the answers given, and ``name>=N`` comparisons for the numbers.
Pure: no printing, no terminal, no Typer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from crampcli.knowledge.model import CARE_LEVELS, Entry, KnowledgeBase, Note
from crampcli.knowledge.vocabulary import COMPARISON
from crampcli.knowledge.vocabulary import LABELS as LABELS  # re-exported: the CLI's choices
from crampcli.knowledge.vocabulary import NUMBER_WORDS as NUMBER_WORDS
from crampcli.knowledge.vocabulary import TOPICS as TOPICS
from crampcli.knowledge.vocabulary import values as values

# --- the answers a person can give ----------------------------------------------------------

# The vocabulary (LABELS, TOPICS, NUMBER_WORDS, values) lives with the knowledge base: its
# validator needs it. The CLI's option choices and the questionnaire's menus are its values.

_FIELDS = {
    "lasts-min": "lasts_min",
    "per-week": "per_week",
    "woke-per-week": "woke_per_week",
    "medicine": "medicines",
}  # token topic -> Answers field, where the names differ


@dataclass(frozen=True)
class Answers:
    """What a person said; ``None`` / empty means not answered. Values as in ``values(topic)``."""

    where: str | None = None
    when: str | None = None
    legs: str | None = None  # one or both
    lasts_min: float | None = None
    per_week: float | None = None
    woke_per_week: float | None = None  # times a week a cramp woke them (from the diary)
    age: float | None = None
    pregnant: bool = False
    breastfeeding: bool = False
    sport: bool = False
    recent: tuple[str, ...] = ()
    sign: tuple[str, ...] = ()
    condition: tuple[str, ...] = ()
    medicines: tuple[str, ...] = ()  # ids of medicine entries (answers.medicines matches names)
    from_diary: frozenset[str] = frozenset()  # the fields above `check --from-diary` filled in

    def __post_init__(self) -> None:
        for topic in TOPICS:
            given = getattr(self, topic)
            for value in (given,) if isinstance(given, str) else given or ():
                if value not in values(topic):
                    raise ValueError(
                        f"unknown {topic} {value!r}; one of: {', '.join(values(topic))}"
                    )

    def is_empty(self) -> bool:
        return self == Answers()

    def told_by_diary(self, token: str) -> bool:
        """Whether the answer behind ``token`` came from the diary, not from the person."""
        topic = re.split(r"[<>=:]", token, maxsplit=1)[0]
        return _FIELDS.get(topic, topic) in self.from_diary

    def tokens(self) -> frozenset[str]:
        """The ``topic:value`` answer tokens (numbers are compared, not listed)."""
        out: set[str] = set()
        if self.where is not None:
            out.add(f"where:{self.where}")
        if self.when is not None:
            out.add(f"when:{self.when}")
        if self.legs is not None:
            out.add(f"legs:{self.legs}")
        if self.pregnant:
            out.add("who:pregnant")
        if self.breastfeeding:
            out.add("who:breastfeeding")
        if self.sport:
            out.add("who:sport")
        out.update(f"recent:{r}" for r in self.recent)
        out.update(f"sign:{s}" for s in self.sign)
        out.update(f"condition:{c}" for c in self.condition)
        out.update(f"medicine:{m}" for m in self.medicines)
        return frozenset(out)

    def numbers(self) -> dict[str, float]:
        given = {
            "age": self.age,
            "lasts-min": self.lasts_min,
            "per-week": self.per_week,
            "woke-per-week": self.woke_per_week,
        }
        return {k: v for k, v in given.items() if v is not None}


def matches(token: str, given: frozenset[str], numbers: dict[str, float]) -> bool:
    """Whether one rule token holds for these answers. Unknown tokens never hold."""
    comparison = COMPARISON.match(token)
    if comparison:
        name, op, threshold = comparison.groups()
        value = numbers.get(name)
        if value is None:
            return False
        return value >= float(threshold) if op == ">=" else value < float(threshold)
    return token in given


def describe(token: str, answers: Answers) -> str:
    """A token as the person said it: ``age>=60`` -> ``67 years old (60 or over)``."""
    comparison = COMPARISON.match(token)
    if comparison:
        name, op, threshold = comparison.groups()
        value = answers.numbers().get(name)
        shown = f"{value:g}" if value is not None else "?"
        n = f"{float(threshold):g}"
        bound = f"under {n}" if op == "<" else f"{n} or over" if name == "age" else f"{n} or more"
        return NUMBER_WORDS[name].format(v=shown, n=bound)
    if token.startswith("medicine:"):
        return f"taking {token.split(':', 1)[1].replace('-', ' ')}"
    return LABELS.get(token, token)


# --- the result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RaisedFlag:
    entry: Entry
    care: str  # the flag's own care level, or its escalation
    because: tuple[str, ...]  # the answer tokens that raised it
    escalated_by: tuple[str, ...] = ()  # the answer tokens that raised its care level


@dataclass(frozen=True)
class RankedCause:
    entry: Entry
    score: float
    because: tuple[str, ...]  # the answer tokens whose rules added to the score


@dataclass(frozen=True)
class Help:
    """Something that may help this person, with the caution that concerns them, if any."""

    entry: Entry
    caution: str | None = None


@dataclass(frozen=True)
class LeftOut:
    """Something that would have been offered, left out because it can hurt this person."""

    entry: Entry
    reason: str


@dataclass(frozen=True)
class CheckResult:
    answers: Answers
    care: str  # emergency, urgent, doctor or self-care: the highest of everything raised
    red_flags: tuple[RaisedFlag, ...]  # most serious first
    medicines: tuple[RaisedFlag, ...]  # medicine entries the person named, most serious first
    look_alikes: tuple[RankedCause, ...]  # it may not be a cramp: highest score first
    causes: tuple[RankedCause, ...]  # highest score first, then by id
    helps: tuple[Help, ...]  # what helps with those causes, graded better than "not supported"
    left_out: tuple[LeftOut, ...]
    relief: tuple[Entry, ...]  # the quickest steps (``now_rank``), first step first
    notes: tuple[Note, ...] = ()  # answers given that raised nothing: why, and what would

    @property
    def emergency(self) -> bool:
        """An emergency stops everything else: nothing but the emergency is shown."""
        return self.care == "emergency"


def check(kb: KnowledgeBase, answers: Answers) -> CheckResult:
    given, numbers = answers.tokens(), answers.numbers()
    flags = _by_care(f for e in kb.of_kind("red-flag") if (f := _flag(e, given, numbers)))
    named = set(answers.medicines)
    named_entries = (
        _raised(e, e.care or "doctor", (f"medicine:{e.id}",), given, numbers)
        for e in kb.of_kind("medicine")
        if e.id in named
    )
    # One known and not linked to cramps (a blood thinner) raises nothing and is not listed:
    # its token still reaches the cautions (painkillers).
    medicines = _by_care(m for m in named_entries if m.care != "self-care")
    if any(f.care == "emergency" for f in (*flags, *medicines)):
        return CheckResult(answers, "emergency", flags, medicines, (), (), (), (), _relief(kb))
    causes = _ranked(kb, "cause", given, numbers)
    look_alikes = tuple(c for c in _ranked(kb, "look-alike", given, numbers) if c.because)
    # Only causes an answer points to; with none (and nothing it may be instead), the cause
    # the data finds likeliest before any answer ("no clear cause"), unless an answer ruled it
    # out (a child's cramps are not an adult's idiopathic cramps).
    raised = [c for c in causes if c.because]
    if not raised and not look_alikes:
        top = max((e.cause_check.prior for e in kb.of_kind("cause") if e.cause_check), default=0)
        raised = [c for c in causes if c.entry.cause_check and c.entry.cause_check.prior == top]
    withheld = {i: f for f in flags for i in f.entry.leave_out}
    helps, left_out = _helps(kb, [*look_alikes, *raised], given, numbers, withheld)
    levels = [f.care for f in (*flags, *medicines)] + [
        c.entry.care or "self-care" for c in look_alikes
    ]
    care = min(levels, key=_severity, default="self-care")
    notes = _notes(kb, given, (*flags, *medicines, *look_alikes, *raised))
    relief = tuple(e for e in _relief(kb) if e.id not in withheld)
    return CheckResult(
        answers, care, flags, medicines, look_alikes, tuple(raised), helps, left_out, relief, notes
    )


def _notes(
    kb: KnowledgeBase, given: frozenset[str], raised: tuple[RaisedFlag | RankedCause, ...]
) -> tuple[Note, ...]:
    """The data's one-line notes on answers that were given but raised nothing on their own."""
    used = {t for r in raised for t in (*r.because, *getattr(r, "escalated_by", ()))}
    notes = (n for e in kb.entries for n in e.notes)
    return tuple({n.when: n for n in notes if n.when in given and n.when not in used}.values())


def _relief(kb: KnowledgeBase) -> tuple[Entry, ...]:
    return tuple(sorted((e for e in kb.of_kind("relief") if e.now_rank), key=_now_rank))


def _now_rank(entry: Entry) -> int:
    return entry.now_rank or 0


def _by_care(flags: Iterable[RaisedFlag | None]) -> tuple[RaisedFlag, ...]:
    # stable: data order within a level
    return tuple(sorted((f for f in flags if f), key=lambda f: _severity(f.care)))


def _ranked(
    kb: KnowledgeBase, kind: str, given: frozenset[str], numbers: dict[str, float]
) -> list[RankedCause]:
    """Entries of ``kind`` scored by their rules, best first. An entry the knowledge base
    itself grades "not supported" is never scored up: no answer makes it likelier."""
    ranked = [
        c
        for e in kb.of_kind(kind)
        if not _unsupported(e) and (c := _cause(e, given, numbers)) is not None
    ]
    ranked.sort(key=lambda c: (-c.score, c.entry.id))
    return ranked


def _unsupported(entry: Entry) -> bool:
    """Never offered: graded "not supported", or advised against by the references (quinine)."""
    return entry.advised_against or (
        entry.evidence is not None and entry.evidence.grade == "not supported"
    )


def _helps(
    kb: KnowledgeBase,
    raised: list[RankedCause],
    given: frozenset[str],
    numbers: dict[str, float],
    withheld: dict[str, RaisedFlag],
) -> tuple[tuple[Help, ...], tuple[LeftOut, ...]]:
    """What helps with the raised causes, in their order: never an unsupported entry, never
    one that can hurt this person (left out, with why: a caution, or a raised red flag whose
    first aid forbids it), the others with their caution. The quickest steps are listed once,
    as ``relief``."""
    helps: list[Help] = []
    left_out: list[LeftOut] = []
    ids = dict.fromkeys(i for c in raised for i in c.entry.helps)
    entries = (kb.get(i) for i in ids)
    for entry in (e for e in entries if e and not e.now_rank and not _unsupported(e)):
        cautions = entry.cautions_for(lambda t: matches(t, given, numbers))
        avoid = next((c.text for c in cautions if c.avoid), None)
        if entry.id in withheld:  # a raised red flag's first aid forbids it
            avoid = _withheld_reason(withheld[entry.id].entry)
        if avoid is not None:
            left_out.append(LeftOut(entry, avoid))
        else:
            helps.append(Help(entry, " ".join(c.text for c in cautions) or None))
    return tuple(helps), tuple(left_out)


def _withheld_reason(flag: Entry) -> str:
    first = flag.first_aid[0] if flag.first_aid else ""
    return f"Not now: {flag.title[0].lower()}{flag.title[1:]}. {first}".strip()


def _severity(care: str) -> int:
    return CARE_LEVELS.index(care) if care in CARE_LEVELS else CARE_LEVELS.index("doctor")


def _flag(entry: Entry, given: frozenset[str], numbers: dict[str, float]) -> RaisedFlag | None:
    rule = entry.flag_check
    if rule is None or not (rule.any or rule.all):
        return None
    hits = [t for t in (*rule.any, *rule.also_any) if matches(t, given, numbers)]
    if (rule.any and not any(t in hits for t in rule.any)) or (
        rule.also_any and not any(t in hits for t in rule.also_any)
    ):
        return None
    if not all(matches(t, given, numbers) for t in rule.all):
        return None
    if any(matches(t, given, numbers) for t in rule.unless):
        return None
    because = tuple(dict.fromkeys([*hits, *rule.all]))
    return _raised(entry, entry.care or "doctor", because, given, numbers)


def _raised(
    entry: Entry,
    care: str,
    because: tuple[str, ...],
    given: frozenset[str],
    numbers: dict[str, float],
) -> RaisedFlag:
    """A raised flag or medicine, its care escalated by every escalation that holds."""
    rules = entry.flag_check.escalations if entry.flag_check else ()
    held = [(r.care, hits) for r in rules if (hits := _holding(r.any, given, numbers))]
    top = min((level for level, _ in held), key=_severity, default=care)
    if _severity(top) >= _severity(care):  # an escalation never lowers care
        return RaisedFlag(entry, care, because)
    escalators = (t for level, hits in held if level == top for t in hits)
    return RaisedFlag(entry, top, because, tuple(dict.fromkeys(escalators)))


def _holding(
    tokens: tuple[str, ...], given: frozenset[str], numbers: dict[str, float]
) -> list[str]:
    return [t for t in tokens if matches(t, given, numbers)]


def _cause(entry: Entry, given: frozenset[str], numbers: dict[str, float]) -> RankedCause | None:
    rule = entry.cause_check
    if rule is None:
        return None
    score, because = rule.prior, []
    for r in rule.raises:
        if matches(r.when, given, numbers):
            score += r.weight
            if r.weight > 0:
                because.append(r.when)
    score = round(score, 6)  # 0.1 + 0.2 ties with 0.3
    if score <= 0:
        return None
    return RankedCause(entry, score, tuple(dict.fromkeys(because)))
