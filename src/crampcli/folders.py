"""Folders crampcli makes for itself: private (0700) whatever the umask, parents included.

``os.makedirs(mode=0o700)`` applies the mode to the last folder only; under ``umask 000`` the
missing parents (``~/.local/share``, ``~/.cache``) would be made world-writable."""

from __future__ import annotations

import contextlib
import os


def make_private(path: str | os.PathLike[str]) -> None:
    """Make ``path`` and every missing parent 0700 (an existing folder is left as it is)."""
    missing: list[str] = []
    folder = os.path.abspath(path)
    while not os.path.lexists(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another crampcli made it first
            os.mkdir(folder, 0o700)
