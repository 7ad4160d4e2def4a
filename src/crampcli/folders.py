"""Folders crampcli makes for itself: private (exactly 0700) whatever the umask, parents included.

``os.makedirs(mode=0o700)`` applies the mode to the last folder only; under ``umask 000`` the
missing parents (``~/.local/share``, ``~/.cache``) would be made world-writable, and under
``umask 777`` every one would be 000: not even its owner could use it on the next run."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Within it, what is made gets exactly the mode asked for when that is private (0700,
    0600): the umask is 077 meanwhile, whatever it was (crampcli runs no threads)."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def make_private(path: str | os.PathLike[str]) -> None:
    """Make ``path`` and every missing parent exactly 0700 (an existing folder is left as it
    is)."""
    missing: list[str] = []
    folder = os.path.abspath(path)
    while not os.path.lexists(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    with private_umask():
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):  # another crampcli made it first
                os.mkdir(folder, 0o700)


def xdg_home(environ: Mapping[str, str], variable: str) -> str | None:
    """The folder an XDG variable (``XDG_DATA_HOME``, ``XDG_CACHE_HOME``) names, or None when
    it is unset or relative: the XDG spec says to ignore a relative path, which would make
    where the files go depend on the working folder."""
    value = environ.get(variable)
    return value if value and os.path.isabs(value) else None
