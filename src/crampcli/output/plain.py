"""Lays a Document out as plain text: for pipes, files, NO_COLOR-less dumb terminals."""

from __future__ import annotations

import textwrap

from crampcli.output.document import Bars, Document, Line, Panel, Steps, Table
from crampcli.output.safe import printable


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    # Never split words or hyphenated names: a broken URL or id cannot be copied back.
    return textwrap.wrap(
        printable(text),
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def render(document: Document, width: int) -> str:
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, Panel):
            badge = f"  [{block.badge}]" if block.badge else ""
            out.extend(_wrap(block.title + badge, width, "", "  "))
            for row in block.rows:
                first = f"  {row.label}: " if row.label else "  "
                out.extend(_wrap(row.text, width, first, "    " if row.label else "  "))
            out.append("")
        elif isinstance(block, Steps):
            out.append(printable(block.title.upper()))
            for n, item in enumerate(block.items, 1):
                out.extend(_wrap(item, width, f"  {n}. ", "     "))
            out.append("")
        elif isinstance(block, Bars):
            out.extend(bars(block, width))
        elif isinstance(block, Table):
            out.extend(map(printable, block.lines))
        elif isinstance(block, Line):
            text = block.text.upper() if block.tone == "heading" else block.text
            if not block.wrap:
                out.append(printable(text))
            else:
                out.extend(_wrap(text, width, "", " " * block.indent) if text else [""])
    return "\n".join(out).rstrip("\n") + "\n"


def bars(block: Bars, width: int) -> list[str]:
    """``label  ##### 5``, the longest bar filling the line."""
    label_width = max((len(label) for label, _ in block.items), default=0)
    top = max((n for _, n in block.items), default=0)
    room = max(1, width - label_width - 10)
    lines = [printable(block.title)]
    for label, n in block.items:
        bar = "#" * round(n * room / top) if top else ""
        lines.append(f"  {printable(label):<{label_width}}  {bar}{' ' if bar else ''}{n}")
    return [*lines, ""]
