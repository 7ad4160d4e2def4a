"""Makes data text harmless to print: control and bidi characters become visible escapes."""

from __future__ import annotations

import re

# C0/C1 controls (ESC, the one-byte CSI 0x9b, ...), DEL, bidi marks, overrides and isolates,
# line and paragraph separators, and lone surrogates. Newlines stay: they are layout.
_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch == "\t":
        return " "
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _escape_keeping_tabs(match: re.Match[str]) -> str:
    return "\t" if match.group() == "\t" else _escape(match)


def printable(text: str, keep_tabs: bool = False) -> str:
    """``text`` with every character that could move the cursor or restyle the screen escaped
    (a tab becomes a space, unless ``keep_tabs``: in data, such as a CSV cell)."""
    return _UNSAFE.sub(_escape_keeping_tabs if keep_tabs else _escape, text)


def one_line(text: str) -> str:
    """``text`` made printable, its newlines shown as ``\\n``: a note can never look like a
    second entry."""
    return printable(text).replace("\n", "\\n")


def json_text(text: str) -> str:
    """JSON text with every such character as a ``\\u`` escape: the same value when parsed,
    harmless when printed. (JSON escapes C0 controls itself; raw newlines are its layout.)"""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
