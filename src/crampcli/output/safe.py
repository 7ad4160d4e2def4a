"""Makes data text harmless to print: control and bidi characters become visible escapes."""

from __future__ import annotations

import re

# C0/C1 controls (ESC, the one-byte CSI 0x9b, ...), DEL, bidi overrides and isolates, and lone
# surrogates. Newlines stay: they are layout, not commands.
_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch == "\t":
        return " "
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every character that could move the cursor or restyle the screen escaped."""
    return _UNSAFE.sub(_escape, text)
