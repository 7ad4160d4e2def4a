"""Makes data text harmless to print: control and bidi characters become visible escapes."""

from __future__ import annotations

import re

# C0/C1 controls (ESC, the one-byte CSI 0x9b, ...), DEL, bidi marks, overrides and isolates,
# line and paragraph separators, and lone surrogates. Newlines stay: they are layout.
_AFTER_TAB = "\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x09{_AFTER_TAB}]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch == "\t":
        return " "
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every character that could move the cursor or restyle the screen escaped
    (a tab becomes a space). Lossy: for what is shown; data to read back uses ``reversible``."""
    return _UNSAFE.sub(_escape, text)


def one_line(text: str) -> str:
    """``text`` made printable, its newlines shown as ``\\n``: a note can never look like a
    second entry."""
    return printable(text).replace("\n", "\\n")


# For data that must come back exactly (a CSV cell): the same characters but the tab, and the
# backslash, so that every backslash in the result starts an escape; and those escapes.
_DATA_UNSAFE = re.compile(f"[\\\\\x00-\x08{_AFTER_TAB}]")
_DATA_ESCAPE = re.compile(r"\\(?:\\|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})")


def _escape_data(match: re.Match[str]) -> str:
    return "\\\\" if match.group() == "\\" else _escape(match)


def reversible(text: str) -> str:
    """``text`` as harmless to print as ``printable`` makes it (tabs and newlines kept), and
    reversibly: a backslash is written twice, so ``unescaped`` gives back exactly ``text``
    (a typed ``\\x1b`` and a real ESC can no longer come out the same)."""
    return _DATA_UNSAFE.sub(_escape_data, text)


def _unescape(match: re.Match[str]) -> str:
    code = match.group()[1:]
    return "\\" if code == "\\" else chr(int(code[1:], 16))


def unescaped(text: str) -> str:
    """The text ``reversible`` made ``text`` from. A backslash that starts none of its escapes
    (``C:\\new`` in a file written by hand) is kept as it is."""
    return _DATA_ESCAPE.sub(_unescape, text) if "\\" in text else text


def json_text(text: str) -> str:
    """JSON text with every such character as a ``\\u`` escape: the same value when parsed,
    harmless when printed. (JSON escapes C0 controls itself; raw newlines are its layout.)"""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
