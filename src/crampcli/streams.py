"""stdout that cannot take the output: a reader gone (``| head -1``), a full disk. Shared by
the command line and the render cache's replay, which runs before anything else is imported."""

from __future__ import annotations

import contextlib
import os
import sys

TYPE_CHECKING = False  # not `from typing import ...`: the replay path stays this light
if TYPE_CHECKING:
    from typing import TextIO

CANNOT_WRITE = 1  # errors.ExitCode.NOT_FOUND, without importing it


def silence_stdout() -> None:
    """The reader went away (``| head -1``): send what is left to /dev/null, quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    finally:
        os.close(devnull)


def cannot_write(stderr: TextIO | None, exc: OSError) -> int:
    """Say in one line what could not be written (stdout, when no file is named), and leave
    nothing for Python to fail on again when it flushes stdout at exit."""
    what = f"cannot write {exc.filename}" if exc.filename else "cannot write the output"
    with contextlib.suppress(OSError, ValueError):  # stderr may be full too
        print(f"crampcli: {what}: {exc.strerror or exc}", file=stderr)
    silence_stdout()
    return CANNOT_WRITE
