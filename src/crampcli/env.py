"""The terminal a command talks to: streams, colour, width. Passed in, never global."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 20, 100, 80


@dataclass
class Env:
    stdout: TextIO
    stderr: TextIO
    stdin: TextIO
    stdout_isatty: bool
    stdin_isatty: bool
    fancy: bool  # panels and styles (a terminal, or FORCE_COLOR)
    color: bool
    width: int
    pager: str | None = None  # the command long output goes through, on a terminal

    @classmethod
    def from_system(cls, environ: Mapping[str, str] | None = None) -> Env:
        environ = os.environ if environ is None else environ
        # Started with stdout or stderr closed (`crampcli causes >&-`): Python sets them to None;
        # write to /dev/null instead, as when a reader goes away (`| head -1`).
        if sys.stdout is None:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
        if sys.stderr is None:
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115
        for stream in (sys.stdout, sys.stderr):
            # "°C" must not crash under PYTHONIOENCODING=ascii or LANG=C: replace what cannot print.
            if isinstance(stream, io.TextIOWrapper):
                stream.reconfigure(errors="replace")
        out_tty = _isatty(sys.stdout)
        force = environ.get("FORCE_COLOR", "") not in ("", "0")  # Rich alone would read "0" as on
        dumb = environ.get("TERM") == "dumb"
        fancy = force or (out_tty and not dumb)
        # FORCE_COLOR=0 asks for no colour (as in Node's supports-color), even on a terminal.
        color = fancy and not environ.get("NO_COLOR") and environ.get("FORCE_COLOR") != "0"
        pager = None
        if out_tty:
            from crampcli.output.pager import command

            pager = command(environ, out_tty)
        return cls(
            pager=pager,
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdin=sys.stdin,
            stdout_isatty=out_tty,
            stdin_isatty=_isatty(sys.stdin),
            fancy=fancy,
            color=color,
            width=_width(environ, out_tty),
        )


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # a closed stream
        return False


def _width(environ: Mapping[str, str], tty: bool) -> int:
    columns = environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() and int(columns) > 0 else 0
    if not width and tty:
        try:
            width = os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError):
            width = 0
    return max(MIN_WIDTH, min(width or DEFAULT_WIDTH, MAX_WIDTH))
