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

from crampcli.knowledge.model import CARE_LEVELS, Entry, KnowledgeBase

# --- the answers a person can give ----------------------------------------------------------

# Every answer token a question can produce, and how it reads after "you said" (wording only,
# no rule). The CLI's option choices and the questionnaire's menus are these values.
LABELS: dict[str, str] = {
    "where:calf": "cramps in the calf",
    "where:foot": "cramps in the foot",
    "where:thigh": "cramps in the thigh",
    "when:night": "cramps at night or in bed",
    "when:exercise": "cramps during exercise",
    "when:after-exercise": "cramps after exercise",
    "when:rest": "cramps at rest in the day",
    "who:pregnant": "pregnant",
    "who:sport": "regular sport",
    "recent:sweating": "heavy sweating",
    "recent:heat": "heat or hot weather",
    "recent:hard-exercise": "hard or unusual exercise",
    "recent:cold": "cold legs or cold weather",
    "recent:one-position": "a long time in one position",
    "recent:new-medicine": "a new or changed medicine (e.g. a diuretic, a statin)",
    "recent:alcohol": "alcohol",
    "recent:dehydration": "not drinking enough",
    "recent:tired": "tiredness or a long day on your feet",
    "recent:vomiting-diarrhoea": "vomiting or diarrhoea",
    "condition:heart": "a heart condition",
    "condition:heart-failure": "heart failure",
    "condition:diabetes": "diabetes",
    "condition:kidney": "kidney disease",
    "condition:dialysis": "kidney dialysis",
    "condition:liver": "liver disease",
    "condition:thyroid": "a thyroid problem",
    "condition:circulation": "poor circulation in the legs",
    "condition:neuropathy": "nerve damage in the feet or legs (neuropathy)",
    "condition:high-cholesterol": "high cholesterol",
    "condition:low-calcium": "low calcium in a blood test",
    "condition:ulcer": "a stomach ulcer or bleeding in the past",
    "condition:asthma": "asthma",
    "sign:swelling": "a swollen calf",
    "sign:redness": "a red calf",
    "sign:warmth": "a warm calf",
    "sign:tenderness": "a tender calf",
    "sign:numbness": "numbness",
    "sign:tingling": "tingling",
    "sign:weakness": "weakness in the leg",
    "sign:back-pain": "pain in the back or down the leg",
    "sign:walking-pain": "leg pain when walking that eases with rest",
    "sign:breathlessness": "breathlessness",
    "sign:chest-pain": "chest pain",
    "sign:wound": "a dirty wound or cut",
    "sign:toxin": "contact with a poison or toxin",
    "sign:dark-urine": "dark (brown or red) urine",
    "sign:severe-pain": "severe muscle pain",
    "sign:confusion": "confusion",
    "sign:vomiting": "being sick (vomiting)",
    "sign:hot-skin": "hot skin",
    "sign:collapse": "fainting or collapsing",
    "sign:groin-numbness": "numbness around the groin, bottom or genitals",
    "sign:bladder-bowel-change": "new trouble controlling the bladder or bowel",
    "sign:cold-pale-leg": "a leg that has suddenly gone cold, pale and painful",
    "sign:twitching": "muscle twitching",
    "sign:urge-to-move": "an urge to move the legs that eases when you move",
}

TOPICS = ("where", "when", "recent", "sign", "condition")  # the multiple-choice questions


def values(topic: str) -> tuple[str, ...]:
    """The answers a question accepts, e.g. ``values("where")`` -> ``("calf", "foot", "thigh")``."""
    return tuple(t.split(":", 1)[1] for t in LABELS if t.startswith(f"{topic}:"))


NUMBER_WORDS = {  # the numeric answers a rule can compare, e.g. ``per-week>=3``
    "age": "{v} years old ({n} or over)",
    "lasts-min": "cramps lasting {v} minutes ({n} or more)",
    "per-week": "cramps {v} times a week ({n} or more)",
    "woke-per-week": "cramps waking you {v} times a week ({n} or more)",
}
_FIELDS = {
    "lasts-min": "lasts_min",
    "per-week": "per_week",
    "woke-per-week": "woke_per_week",
    "medicine": "medicines",
}  # token topic -> Answers field, where the names differ
_COMPARISON = re.compile(rf"^({'|'.join(NUMBER_WORDS)})>=(\d+(?:\.\d+)?)$")


@dataclass(frozen=True)
class Answers:
    """What a person said; ``None`` / empty means not answered. Values as in ``values(topic)``."""

    where: str | None = None
    when: str | None = None
    lasts_min: float | None = None
    per_week: float | None = None
    woke_per_week: float | None = None  # times a week a cramp woke them (from the diary)
    age: float | None = None
    pregnant: bool = False
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
        topic = token.split(">=")[0].split(":")[0]
        return _FIELDS.get(topic, topic) in self.from_diary

    def tokens(self) -> frozenset[str]:
        """The ``topic:value`` answer tokens (numbers are compared, not listed)."""
        out: set[str] = set()
        if self.where is not None:
            out.add(f"where:{self.where}")
        if self.when is not None:
            out.add(f"when:{self.when}")
        if self.pregnant:
            out.add("who:pregnant")
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
    comparison = _COMPARISON.match(token)
    if comparison:
        value = numbers.get(comparison.group(1))
        return value is not None and value >= float(comparison.group(2))
    return token in given


def describe(token: str, answers: Answers) -> str:
    """A token as the person said it: ``age>=60`` -> ``67 years old (60 or over)``."""
    comparison = _COMPARISON.match(token)
    if comparison:
        name, threshold = comparison.groups()
        value = answers.numbers().get(name)
        shown = f"{value:g}" if value is not None else "?"
        return NUMBER_WORDS[name].format(v=shown, n=f"{float(threshold):g}")
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
    care: str  # emergency, urgent, doctor or self-care
    red_flags: tuple[RaisedFlag, ...]  # most serious first
    medicines: tuple[RaisedFlag, ...]  # medicine entries the person named, most serious first
    look_alikes: tuple[RankedCause, ...]  # it may not be a cramp: highest score first
    causes: tuple[RankedCause, ...]  # highest score first, then by id
    helps: tuple[Help, ...]  # what helps with those causes, graded better than "not supported"
    left_out: tuple[LeftOut, ...]
    relief: tuple[Entry, ...]  # the quickest steps (``now_rank``), first step first

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
    care = min((f.care for f in (*flags, *medicines)), key=_severity, default="self-care")
    if care == "emergency":
        return CheckResult(answers, care, flags, medicines, (), (), (), (), _relief(kb))
    causes = _ranked(kb, "cause", given, numbers)
    # Only causes an answer points to; with none, the likeliest by prior ("no clear cause").
    raised = [c for c in causes if c.because]
    if causes and not raised:
        raised = [c for c in causes if c.score == causes[0].score]
    look_alikes = tuple(c for c in _ranked(kb, "look-alike", given, numbers) if c.because)
    helps, left_out = _helps(kb, [*look_alikes, *raised], given, numbers)
    return CheckResult(
        answers, care, flags, medicines, look_alikes, tuple(raised), helps, left_out, _relief(kb)
    )


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
    kb: KnowledgeBase, raised: list[RankedCause], given: frozenset[str], numbers: dict[str, float]
) -> tuple[tuple[Help, ...], tuple[LeftOut, ...]]:
    """What helps with the raised causes, in their order: never an unsupported entry, never
    one that can hurt this person (left out, with why), the others with their caution. The
    quickest steps are listed once, as ``relief``."""
    helps: list[Help] = []
    left_out: list[LeftOut] = []
    ids = dict.fromkeys(i for c in raised for i in c.entry.helps)
    entries = (kb.get(i) for i in ids)
    for entry in (e for e in entries if e and not e.now_rank and not _unsupported(e)):
        cautions = entry.cautions_for(lambda t: matches(t, given, numbers))
        avoid = next((c for c in cautions if c.avoid), None)
        if avoid is not None:
            left_out.append(LeftOut(entry, avoid.text))
        else:
            helps.append(Help(entry, " ".join(c.text for c in cautions) or None))
    return tuple(helps), tuple(left_out)


def _severity(care: str) -> int:
    return CARE_LEVELS.index(care) if care in CARE_LEVELS else CARE_LEVELS.index("doctor")


def _flag(entry: Entry, given: frozenset[str], numbers: dict[str, float]) -> RaisedFlag | None:
    rule = entry.flag_check
    if rule is None or not (rule.any or rule.all):
        return None
    any_hits = [t for t in rule.any if matches(t, given, numbers)]
    if (rule.any and not any_hits) or not all(matches(t, given, numbers) for t in rule.all):
        return None
    because = tuple(dict.fromkeys([*any_hits, *rule.all]))
    return _raised(entry, entry.care or "doctor", because, given, numbers)


def _raised(
    entry: Entry,
    care: str,
    because: tuple[str, ...],
    given: frozenset[str],
    numbers: dict[str, float],
) -> RaisedFlag:
    """A raised flag or medicine, its care escalated when the entry's escalation holds."""
    rule = entry.flag_check
    escalators = tuple(t for t in (rule.escalate_any if rule else ()) if matches(t, given, numbers))
    if not (rule and rule.escalate_care and escalators):
        return RaisedFlag(entry, care, because)
    care = min(care, rule.escalate_care, key=_severity)  # escalation never lowers care
    return RaisedFlag(entry, care, because, escalators)


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
