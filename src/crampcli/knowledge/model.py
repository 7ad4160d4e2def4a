"""The knowledge base as plain dataclasses: what every other module works with."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("cause", "relief", "prevention", "red-flag", "article")
CARE_LEVELS = ("emergency", "urgent", "doctor", "self-care")  # most serious first
EVIDENCE_GRADES = ("supported", "mixed", "not supported")
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
class FlagCheck:
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    escalate_care: str | None = None
    escalate_any: tuple[str, ...] = ()


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

    @property
    def body(self) -> tuple[str, ...]:
        """The long text: an article's paragraphs, or an entry's details."""
        return self.paragraphs if self.kind == "article" else self.details


@dataclass
class KnowledgeBase:
    name: str
    version: str
    reviewed: str
    language: str
    path: str
    references: tuple[Reference, ...]
    entries: tuple[Entry, ...]
    size: int = 0  # bytes of the file it was read from
    digest: str = ""  # checksum of those bytes: keys the index cache (see cache)
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
        """How a source id reads to a person: a seed article or a public reference."""
        entry = self.get(source_id)
        if entry is not None and entry.kind == "article":
            return f'article "{entry.title}" ({entry.file})'
        ref = self.reference(source_id)
        if ref is not None:
            return f"{ref.title} <{ref.url}>" if ref.url else ref.title
        return source_id
