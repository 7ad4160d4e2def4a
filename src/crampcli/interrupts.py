"""Ctrl-C, `kill`, a closed terminal and Ctrl-\\ held while a change lands, so that a change
is made whole or not at all, and one that was made is said before the signal ends the run."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT}


def _mask() -> set[int | signal.Signals]:
    return signal.pthread_sigmask(signal.SIG_BLOCK, [])


@dataclass
class Run:
    """A command's run (``until_said``)."""

    mask: set[int | signal.Signals] = field(default_factory=_mask)  # as it started
    held: bool = False  # a change held the signals until the command is done
    interrupted: bool = False  # a held signal landed once it was done; it said so


_runs: list[Run] = []


@contextlib.contextmanager
def signals_held(until_said: bool = False) -> Iterator[None]:
    """The signals in HELD wait (the kernel holds them) until the block is done; with
    ``until_said``, inside a command, until the command has said what it did (a change
    written: its message must not be lost to a signal that came while it was written)."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        if until_said and _runs:
            _runs[-1].held = True
        elif not (_runs and _runs[-1].held):  # else the command's end lets them through
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def until_said(*streams: TextIO) -> Iterator[Run]:
    """A command's run: signals a change held (``signals_held(until_said=True)``) land at
    its end, once its output was flushed to ``streams``, with a line on the last of them
    saying that it was interrupted after what it said was done. Ctrl-C then raises
    KeyboardInterrupt here; `kill` ends the run as it would have."""
    run = Run()
    _runs.append(run)
    try:
        yield run
    finally:
        _runs.pop()
        if run.held:
            try:
                # one ignored, or blocked before crampcli started, will not end the run
                pending = (signal.sigpending() & HELD) - run.mask
                run.interrupted = any(signal.getsignal(s) != signal.SIG_IGN for s in pending)
                for stream in streams:  # what was said, out before the signal lands
                    with contextlib.suppress(OSError, ValueError):  # a closed pipe
                        stream.flush()
                if run.interrupted:
                    with contextlib.suppress(OSError, ValueError):
                        print(_AFTER, file=streams[-1], flush=True)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, run.mask)


def child_setup() -> Callable[[], None] | None:
    """For a program started while a change holds the signals (a pager showing what was
    logged): what gives it back the mask the command started with, or None when none is held."""
    if not (_runs and _runs[-1].held):
        return None
    mask = _runs[-1].mask

    def unhold() -> None:  # runs in the child, between fork and exec
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)

    return unhold


_AFTER = "crampcli: interrupted, once what is said above was done"
