"""Lays a Document out with Rich panels and colour, for a terminal. Imported only there."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console, Group
from rich.panel import Panel as RichPanel
from rich.table import Table as RichTable
from rich.text import Text

from crampcli.env import Env
from crampcli.output.document import Bars, Document, Line, Panel, Row, Steps, Table
from crampcli.output.safe import printable

TONE_STYLES = {
    "emergency": "bold red",
    "urgent": "red",
    "doctor": "yellow",
    "self-care": "green",
    "cause": "cyan",
    "relief": "green",
    "prevention": "blue",
    "article": "magenta",
    "look-alike": "magenta",
    "guide": "blue",
    "remedy": "yellow",
    "note": "dim",
    "red-flag": "red",
}
LINE_STYLES = {
    "heading": "bold",
    "strong": "bold",
    "muted": "dim",
    "warning": "bold yellow",
    "plain": "",
}


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # Rich would exit 1 here (`| head -1`); let the CLI end quietly with 0, as in plain text.
        raise BrokenPipeError


def make_console(env: Env, file: TextIO | None = None) -> Console:
    """A Rich console on ``file`` (stdout by default) that follows ``env`` alone."""
    # Data text is printed as text: no markup, no emoji codes, no auto-highlighting. Our Env is
    # the only source of terminal facts, so Rich is kept from reading the environment itself.
    return _Console(
        file=file or env.stdout,
        width=env.width,
        force_terminal=env.fancy,
        color_system="standard" if env.color else None,
        no_color=not env.color,
        emoji=False,
        markup=False,
        highlight=False,
        legacy_windows=False,
        _environ={},
    )


def _text(text: str, marks: tuple[tuple[int, int], ...] = (), style: str = "") -> Text:
    out = Text(printable(text), style=style)
    if printable(text) == text:  # escaping shifts offsets; skip highlights on such rare text
        for start, end in marks:
            out.stylize("bold reverse", start, end)
    return out


def _row(row: Row) -> Text:
    body = _text(row.text, row.marks)
    if row.label:
        return Text.assemble(Text(printable(row.label) + ": ", style="bold"), body)
    return body


SPARKS = "▁▂▃▄▅▆▇█"


def _bars(block: Bars, width: int) -> RichPanel:
    """A sparkline over the whole series, then one bar per item, in a panel."""
    counts = [n for _, n in block.items]
    top = max(counts, default=0) or 1
    spark = "".join(SPARKS[round(n * (len(SPARKS) - 1) / top)] for n in counts)
    label_width = max((len(label) for label, _ in block.items), default=0)
    room = max(1, width - label_width - 14)
    rows = [Text(spark, style="cyan")] if block.spark else []
    for label, n in block.items:
        rows.append(
            Text.assemble(
                Text(f"{printable(label):<{label_width}}  ", style="bold"),
                Text("█" * round(n * room / top), style="cyan"),
                f" {n}",
            )
        )
    return RichPanel(
        Group(*rows),
        title=Text(printable(block.title), style="bold"),
        title_align="left",
        border_style="cyan",
    )


def _table(block: Table) -> RichTable:
    from rich import box

    table = RichTable(
        box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0), show_edge=False,
        header_style="bold",
    )  # fmt: skip
    for name in block.columns:
        table.add_column(printable(name), overflow="fold", no_wrap=name not in block.wrap)
    for row in block.rows:
        table.add_row(*(Text(printable(cell)) for cell in row))
    return table


def render(document: Document, env: Env) -> None:
    console = make_console(env)
    for block in document.blocks:
        if isinstance(block, Panel):
            style = TONE_STYLES.get(block.tone, "")
            title = Text(printable(block.title), style=f"bold {style}".strip())
            subtitle = Text(printable(block.badge), style=style) if block.badge else None
            console.print(
                RichPanel(
                    Group(*(_row(r) for r in block.rows)),
                    title=title,
                    title_align="left",
                    subtitle=subtitle,
                    subtitle_align="right",
                    border_style=style,
                )
            )
        elif isinstance(block, Steps):
            items = [
                Text.assemble(Text(f"{n}. ", style="bold"), _text(item, style="bold"))
                for n, item in enumerate(block.items, 1)
            ]
            console.print(
                RichPanel(
                    Group(*items),
                    title=Text(printable(block.title), style="bold reverse red"),
                    title_align="left",
                    border_style="bold red",
                )
            )
        elif isinstance(block, Bars):
            console.print(_bars(block, env.width))
        elif isinstance(block, Table):
            console.print(_table(block))
        elif isinstance(block, Line):
            text = _text(block.text, block.marks, LINE_STYLES.get(block.tone, ""))
            console.print(text, soft_wrap=not block.wrap)
