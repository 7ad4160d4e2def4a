"""Long output on a terminal goes through a pager, as git does: ``$CRAMPCLI_PAGER``, else
``$PAGER``, else ``less -R``.

Never in a pipe, never for ``--json`` or ``relieve --now``, never with ``--no-pager``; output that
fits on the screen is written straight out. ``cat`` (or empty) turns paging off.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from typing import TextIO

PAGER_ENV = "CRAMPCLI_PAGER"
DEFAULT = "less -R"
LESS_DEFAULT = "FRX"  # as git sets it: quit if one screen, keep colours, leave the text shown
NOT_FOUND = 127  # what sh exits with when the pager command does not exist


def command(environ: Mapping[str, str], stdout_isatty: bool) -> str | None:
    """The pager to use, or None: not a terminal, paging turned off, or no pager installed."""
    if not stdout_isatty:
        return None
    # our own variable first, as git reads GIT_PAGER before PAGER
    pager = environ.get(PAGER_ENV, environ.get("PAGER"))
    if pager is None:
        return DEFAULT if shutil.which("less") else None
    pager = pager.strip()
    return None if pager in ("", "cat") else pager


def _rows(stdout: TextIO, environ: Mapping[str, str]) -> int:
    try:
        return os.get_terminal_size(stdout.fileno()).lines
    except (OSError, ValueError):
        lines = environ.get("LINES", "")
        return int(lines) if lines.isdigit() else 24


def show(text: str, pager: str, stdout: TextIO, environ: Mapping[str, str] | None = None) -> None:
    """``text`` through ``pager`` when it is longer than the screen, else straight out."""
    environ = os.environ if environ is None else environ
    if text.count("\n") < _rows(stdout, environ):
        stdout.write(text)
        return
    import subprocess

    stdout.flush()
    env = {**environ, "LESS": environ.get("LESS", LESS_DEFAULT)}
    from crampcli.interrupts import child_setup

    # $PAGER is a command line for the shell, as git and man run it; Ctrl-C reaches it
    proc = subprocess.Popen(
        pager, shell=True, stdin=subprocess.PIPE, env=env, preexec_fn=child_setup()
    )
    assert proc.stdin is not None
    try:
        proc.stdin.write(text.encode(getattr(stdout, "encoding", None) or "utf-8", "replace"))
        proc.stdin.close()
    except BrokenPipeError:  # quit before reading it all: that is fine
        pass
    while True:
        try:
            proc.wait()
            break
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager while it runs, as in git
            continue
    if proc.returncode == NOT_FOUND:  # the pager does not exist: the text must not be lost
        stdout.write(text)
