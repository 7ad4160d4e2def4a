"""Replacing a file so that a reader sees the old or the new one, never half of either."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path


def write(
    path: Path,
    data: bytes | Iterable[bytes],
    *,
    backup: bool = False,
    mode: int = 0o666,
    keep_mode: bool = True,
) -> Path | None:
    """Write ``data`` (bytes, or chunks of them: constant memory) to a temporary file beside
    ``path``, fsync it, rename it over ``path``, then fsync the directory. An existing file
    keeps its permissions when ``keep_mode`` (a new one gets ``mode`` less the umask); with
    ``backup`` it is kept as ``PATH.bak``, which is returned. Raises OSError, leaving ``path``
    as it was."""
    try:
        old_mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        old_mode = None
    tmp = path.with_name(f".{path.name}.{_token()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
        try:
            for chunk in [data] if isinstance(data, bytes) else data:
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view) :]
            if old_mode is not None and keep_mode:
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


def write_private(path: Path, data: bytes | Iterable[bytes]) -> Path:
    """Write a file only its owner can read (an export, a report): always a new 0600 file
    renamed over ``path``, so a file planted there (0666, someone else's) never receives it.
    Symlinks we (or root) own are followed; one someone else owns anywhere on the way, as a
    folder or in a chain of links, is refused, as is a folder. Returns the file written;
    raises OSError, leaving ``path`` as it was."""
    path = trusted_path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "a folder, not a file")
    write(path, data, mode=0o600, keep_mode=False)
    return path


def trusted_path(path: Path) -> Path:
    """``path`` with every symlink on the way resolved, a part at a time: a link owned by
    another user (not us, not root) is refused, wherever it stands, since whoever owns it
    decides where our private bytes go (or what a wipe deletes)."""
    me, hops = os.geteuid(), 0
    parts = list(Path(os.path.abspath(path)).parts)
    resolved, pending = Path(parts[0]), parts[1:]
    while pending:
        candidate = resolved / pending.pop(0)
        try:
            info = candidate.lstat()
        except FileNotFoundError:
            return candidate.joinpath(*pending)
        if not stat.S_ISLNK(info.st_mode):
            resolved = candidate
            continue
        if info.st_uid not in (me, 0):
            raise OSError(errno.EPERM, f"{candidate} is a symlink someone else owns")
        hops += 1
        if hops > 40:
            raise OSError(errno.ELOOP, f"too many symlinks at {candidate}")
        target = Path(os.path.abspath(resolved / os.readlink(candidate)))
        resolved, pending = Path(target.parts[0]), [*target.parts[1:], *pending]
    return resolved


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
