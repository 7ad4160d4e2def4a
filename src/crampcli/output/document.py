"""What a command shows, as plain data: the writers in ``plain`` and ``fancy`` lay it out."""

from __future__ import annotations

from dataclasses import dataclass, field


# Read-only by convention, not frozen: a frozen dataclass costs ~0.5 ms more at import,
# and these are created on every run.
@dataclass
class Row:
    text: str
    label: str | None = None
    marks: tuple[tuple[int, int], ...] = ()  # character spans to highlight


@dataclass
class Panel:
    title: str
    tone: str  # cause, relief, prevention, emergency, urgent, doctor, self-care, article, note
    rows: tuple[Row, ...] = ()
    badge: str | None = None  # e.g. "cause" or "urgent", shown beside the title


@dataclass
class Steps:
    """Numbered steps that must be impossible to miss (``relieve --now``)."""

    title: str
    items: tuple[str, ...]


@dataclass
class Line:
    text: str
    tone: str = "plain"  # plain, heading, strong (bold, never upper-cased), muted, warning
    marks: tuple[tuple[int, int], ...] = ()
    indent: int = 0  # for the continuation lines of a wrapped list item
    wrap: bool = True  # False for what must stay copyable: a command, a path
    message: bool = False  # said to the person, not data: stderr when stdout is not a terminal


@dataclass
class Bars:
    """Counts as a bar chart: a sparkline and bars on a terminal, rows of ``#`` in plain text."""

    title: str
    items: tuple[tuple[str, int], ...]  # label, count; in the order shown
    spark: bool = False  # a series over time: a sparkline above the bars on a terminal


@dataclass
class Table:
    """Records in columns on a terminal; in a pipe, ``lines`` (one per record), which keep
    to grep and cut rather than to a grid of spaces."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[str, ...]
    wrap: tuple[str, ...] = ()  # the columns of free text, wrapped; the others never are


Block = Panel | Steps | Line | Bars | Table


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self


# The one line every human output ends with. Here, not in views: the diary's views need it
# without loading the knowledge-base views (start-up of `crampcli log`).
DISCLAIMER = (
    "Not medical advice. See a doctor if cramps are frequent, severe or come with "
    "swelling, numbness or weakness."
)


EMERGENCY_DISCLAIMER = "Not medical advice: if in doubt, call for help."


def footer(emergency: bool = False) -> Line:
    """The closing line; after an emergency, a short one that adds nothing to act on. A
    message, not data: off a terminal it goes to stderr."""
    return Line(EMERGENCY_DISCLAIMER if emergency else DISCLAIMER, "muted", message=True)
