"""Replacing a file so that a reader sees the old or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def write(path: Path, data: bytes, *, backup: bool = False, mode: int = 0o666) -> Path | None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, rename it over ``path``,
    then fsync the directory. An existing file keeps its permissions (a new one gets ``mode``
    less the umask); with ``backup`` it is kept as ``PATH.bak``, which is returned. Raises
    OSError, leaving ``path`` as it was."""
    try:
        old_mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        old_mode = None
    tmp = path.with_name(f".{path.name}.{_token()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if old_mode is not None:
                os.fchmod(fd, old_mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        saved = _keep_backup(path) if backup and old_mode is not None else None
        os.replace(tmp, path)
        _fsync_dir(path.parent)
        return saved
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _token() -> str:
    """A unique-enough name part for a temporary file (``secrets`` costs 7 ms to import)."""
    return os.urandom(4).hex()


def _keep_backup(path: Path) -> Path:
    """Copy ``path`` to ``PATH.bak`` atomically too (a hard link when possible)."""
    bak = path.with_name(path.name + ".bak")
    tmp = path.with_name(f".{path.name}.{_token()}.bak.tmp")
    try:
        try:
            os.link(path, tmp)
        except OSError:
            import shutil  # only where hard links are not possible

            shutil.copy2(path, tmp)
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
        os.replace(tmp, bak)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return bak


def _fsync_dir(directory: Path) -> None:
    """Make a rename durable too, where the platform allows it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
