"""The knowledge base as plain dataclasses: what every other module works with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

KINDS = (
    "cause",
    "look-alike",  # it may not be a cramp
    "medicine",  # a group of medicines linked to cramps
    "relief",
    "prevention",
    "red-flag",
    "guide",  # a how-to page, e.g. seeing-a-doctor
    "article",
    "remedy",  # a remedy people ask about, graded on its evidence; `check` never offers one
)
CARE_LEVELS = ("emergency", "urgent", "doctor", "self-care")  # most serious first
EVIDENCE_GRADES = ("supported", "mixed", "not supported")  # `prevent` lists in this order
HOW_COMMON = ("common", "less common", "rare")  # `causes` lists in this order
# How strongly a medicine is linked to cramps; "none": known and not linked (a blood thinner,
# listed so that its painkiller caution can reach the person).
LINKS = ("strong", "weak", "none")
AUDIENCES = ("women", "pregnant", "older", "athletes")
SITUATIONS = ("night", "exercise", "after-exercise", "rest", "cold", "heat")


# Read-only by convention, not frozen: a frozen dataclass costs ~0.5 ms more at import,
# and these are created on every run.
@dataclass
class Reference:
    id: str
    title: str
    url: str | None = None


@dataclass
class Evidence:
    grade: str
    note: str


@dataclass
class Raise:
    """A checker rule: when answer token ``when`` is given, add ``weight`` to the cause."""

    when: str
    weight: float


@dataclass
class CauseCheck:
    prior: float = 0.0
    raises: tuple[Raise, ...] = ()


@dataclass
class Escalation:
    """A risk factor rule: when any of ``any`` is among the answers, care rises to ``care``."""

    care: str
    any: tuple[str, ...]


@dataclass
class FlagCheck:
    """When a red flag is raised and when its care rises. Raised when one of ``any`` (if
    given), every one of ``all``, one of ``also_any`` (if given) and none of ``unless`` hold.
    A medicine entry has only escalations: it is raised by naming one of its medicines."""

    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    also_any: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    escalations: tuple[Escalation, ...] = ()


@dataclass
class Note:
    """Why answer ``when`` is not a warning sign on its own, and what would make it one."""

    when: str
    text: str


@dataclass
class Caution:
    """Advice that can hurt some people: for anyone for whom one of ``when`` holds (answer tokens,
    ``medicine:ID`` tokens for a group of medicines, or comparisons such as ``age>=65``)."""

    when: tuple[str, ...]
    text: str
    avoid: bool = False  # True: never offer the entry to them; False: offer it with the text


@dataclass
class Medicine:
    name: str  # the generic name, lower case
    brands: tuple[str, ...]
    link: str  # one of LINKS


@dataclass
class Section:
    heading: str
    items: tuple[str, ...]


@dataclass
class Correction:
    """What the references say differently from an article, and the entries that say it."""

    note: str
    see: tuple[str, ...]


@dataclass(slots=True)  # not frozen: 5x faster to build, which counts at 100,000 entries
class Entry:
    id: str
    kind: str
    title: str
    summary: str
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    evidence: Evidence | None = None
    audiences: tuple[str, ...] = ()
    situations: tuple[str, ...] = ()
    helps: tuple[str, ...] = ()
    now_rank: int | None = None
    care: str | None = None
    cause_check: CauseCheck | None = None
    flag_check: FlagCheck | None = None
    file: str | None = None
    paragraphs: tuple[str, ...] = ()
    cautions: tuple[Caution, ...] = ()
    related: tuple[str, ...] = ()
    how_common: str | None = None
    medicines: tuple[Medicine, ...] = ()
    sections: tuple[Section, ...] = ()
    corrections: Correction | None = None
    first_aid: tuple[str, ...] = ()  # red flag: what to do while getting help
    leave_out: tuple[str, ...] = ()  # red flag: ids of steps that can hurt while it is raised
    notes: tuple[Note, ...] = ()
    what_to_do: str | None = None  # medicine: the line about stopping or changing it
    advised_against: bool = False  # the references advise against it: never a tip (quinine)

    def cautions_for(self, holds: Callable[[str], bool]) -> tuple[Caution, ...]:
        """The cautions that concern someone for whom ``holds(token)`` is true of one of their
        tokens (the checker's token grammar: the model does not know it)."""
        return tuple(c for c in self.cautions if any(map(holds, c.when)))

    @property
    def body(self) -> tuple[str, ...]:
        """The long text: an article's paragraphs, or an entry's details."""
        return self.paragraphs if self.kind == "article" else self.details


# Search's vocabulary (docs/knowledge-base.md, answers/query.py), kept as the plain tuples the
# document holds: four classes more would cost every command ~2 ms at start-up.
# (ignore words, terms (say, means, audience), ages (from, below, means, audience, say),
#  intents (say, prefer))
Vocabulary = tuple[
    tuple[str, ...],
    tuple[tuple[tuple[str, ...], str, str | None], ...],
    tuple[tuple[int, int | None, str, str | None, tuple[str, ...]], ...],
    tuple[tuple[tuple[str, ...], tuple[str, ...]], ...],
]
NO_VOCABULARY: Vocabulary = ((), (), (), ())


@dataclass
class Trigger:
    """A word a diary counts what set a cramp off by, and the ways people write it."""

    id: str
    words: tuple[str, ...] = ()


@dataclass
class KnowledgeBase:
    name: str
    version: str
    reviewed: str
    language: str
    path: str
    references: tuple[Reference, ...]
    entries: tuple[Entry, ...]
    triggers: tuple[Trigger, ...] = ()  # the diary's vocabulary of triggers
    size: int = 0  # bytes of the file it was read from
    digest: str = ""  # checksum of those bytes: keys the index cache (see cache)
    vocabulary: Vocabulary = NO_VOCABULARY
    _by_id: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update((e.id, e) for e in self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

    def reference(self, ref_id: str) -> Reference | None:
        return next((r for r in self.references if r.id == ref_id), None)

    def source_label(self, source_id: str) -> str:
        """How a source id reads to a person: an article by its title (never its file name),
        or a public reference by its website and title."""
        entry = self.get(source_id)
        if entry is not None and entry.kind == "article":
            return f'"{entry.title}" (an article from a health website)'
        ref = self.reference(source_id)
        if ref is not None:
            return f"{ref.title} <{ref.url}>" if ref.url else ref.title
        return source_id
