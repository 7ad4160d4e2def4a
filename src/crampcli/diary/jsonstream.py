"""Reads a diary export (``{"format": ..., "entries": [...]}``) an entry at a time, so a backup
of any size is imported in constant memory. Each value is decoded by the json module itself
(``raw_decode``); this module only walks the top-level object and the entries list."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, TextIO

CHUNK = 1 << 20  # characters read at a time
MAX_VALUE = 16 << 20  # an entry is ~400 characters: a longer value is an endless stream
_NOT_SPACE = re.compile(r"[^ \t\n\r]")
_decode = json.JSONDecoder().raw_decode


class NotJSON(ValueError):
    """Not JSON, with the line it was found on."""

    def __init__(self, line: int, problem: str) -> None:
        self.line = line
        super().__init__(f"line {line}: not JSON: {problem}")


class _Reader:
    def __init__(self, head: str, stream: TextIO) -> None:
        self._buf, self._pos, self._stream = head, 0, stream
        self._eof = False
        self._mark, self._mark_line = 0, 1  # a position in the buffer, and its line

    def _more(self) -> bool:
        """Read another chunk; False at the end."""
        if self._eof:
            return False
        if len(self._buf) - self._pos > MAX_VALUE:
            raise NotJSON(self.line(), f"a value longer than {MAX_VALUE >> 20} MiB")
        chunk = self._stream.read(CHUNK)
        if not chunk:
            self._eof = True
            return False
        self.line()  # the mark moves to where the kept part starts
        self._buf = self._buf[self._pos :] + chunk
        self._pos = self._mark = 0
        return True

    def line(self, pos: int | None = None) -> int:
        """The line ``pos`` (default: where reading is) is on; counted from the last mark."""
        pos = self._pos if pos is None else pos
        self._mark_line += self._buf.count("\n", self._mark, pos)
        self._mark = pos
        return self._mark_line

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            found = _NOT_SPACE.search(self._buf, self._pos)
            if found:
                self._pos = found.start()
                return found.group()
            self._pos = len(self._buf)
            if not self._more():
                return ""

    def expect(self, chars: str) -> str:
        found = self.peek()
        if not found or found not in chars:
            wanted = " or ".join(repr(c) for c in chars)
            found = repr(found) if found else "the end of the file"
            raise NotJSON(self.line(), f"expected {wanted}, found {found}")
        self._pos += 1
        return found

    def value(self) -> Any:
        """The next JSON value; more is read while it is cut off by the end of the buffer."""
        self.peek()
        while True:
            try:
                value, end = _decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                if self._more():
                    continue
                raise NotJSON(self.line(exc.pos), exc.msg) from None
            except (ValueError, RecursionError) as exc:  # 5,000 digits, nesting too deep
                raise NotJSON(self.line(), str(exc).split(";")[0]) from None
            if end == len(self._buf) and self._more():
                continue  # a number may go on in the next chunk
            self._pos = end
            return value


def read(head: str, stream: TextIO, meta: dict[str, Any]) -> Iterator[tuple[int, Any]]:
    """Each entry of the export in ``head`` then ``stream``, with the line it starts on; the
    other top-level keys go into ``meta`` (complete once the iterator is done). Raises
    NotJSON."""
    reader = _Reader(head, stream)
    reader.expect("{")
    if reader.peek() == "}":
        reader.expect("}")
        return
    while True:
        key = reader.value()
        if not isinstance(key, str):
            raise NotJSON(reader.line(), "a key must be a string")
        reader.expect(":")
        if key == "entries" and reader.peek() == "[":
            meta[key] = []
            yield from _entries(reader)
        else:
            meta[key] = reader.value()
        if reader.expect(",}") == "}":
            break
    if reader.peek():
        raise NotJSON(reader.line(), "extra data after the end")


def _entries(reader: _Reader) -> Iterator[tuple[int, Any]]:
    reader.expect("[")
    if reader.peek() == "]":
        reader.expect("]")
        return
    while True:
        reader.peek()
        line = reader.line()
        yield line, reader.value()
        if reader.expect(",]") == "]":
            return
