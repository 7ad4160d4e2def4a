"""Replacing a file so that a reader sees the old or the new one, never half of either."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Iterable
from pathlib import Path


def write(
    path: Path, data: bytes | Iterable[bytes], *, backup: bool = False, private: bool = False
) -> Path | None:
    """Write ``data`` (bytes, or chunks of them: constant memory) to a temporary file beside
    ``path``, fsync it, rename it over ``path``, then fsync the directory. A ``private`` file
    is exactly 0600, whatever the umask or the file it replaces; else an existing file keeps
    its permissions and a new one gets 0666 less the umask, but always readable and writable
    by its owner (under ``umask 777`` it would be 000, and the next run could not read it).
    With ``backup`` the old file is kept as ``PATH.bak``, which is returned. Raises OSError,
    leaving ``path`` as it was. The temporary files of an earlier write of ``path`` that was
    killed on the way are removed first (``_remove_stale``)."""
    try:
        old_mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        old_mode = None
    _remove_stale(path)
    tmp, fd = _new_temporary(path, 0o600 if private else 0o666)
    try:
        for chunk in [data] if isinstance(data, bytes) else data:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]
        if old_mode is not None and not private:
            os.fchmod(fd, old_mode)
        os.fsync(fd)
        saved = _keep_backup(path) if backup and old_mode is not None else None
        os.replace(tmp, path)
        _fsync_dir(path.parent)
        return saved
    finally:
        os.close(fd)  # only now: the lock says "being written" until the rename is done
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def usable_by_owner(fd: int) -> None:
    """Give the file we just made (open as ``fd``) read and write for its owner, whatever the
    umask took away; group and others keep what the umask gave them."""
    mode = stat.S_IMODE(os.fstat(fd).st_mode)
    if mode & 0o600 != 0o600:
        os.fchmod(fd, mode | 0o600)


def _new_temporary(path: Path, mode: int) -> tuple[Path, int]:
    """A new file ``.NAME.TOKEN.tmp`` beside ``path``, ``mode`` less the umask but readable and
    writable by us (so 0600 exactly, from the start, for 0600), open for writing and locked
    (``flock``) for as long as it is open: a lock the kernel drops when the process ends, even
    killed, so a later write can tell a copy left behind from one still being written."""
    for _ in range(3):
        tmp = path.with_name(f".{path.name}.{_token()}.tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(tmp, flags, mode)
        usable_by_owner(fd)
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink:  # else removed as stale before we locked it: a new one
            return tmp, fd
        os.close(fd)
    raise OSError(errno.EAGAIN, f"cannot make a temporary file beside {path}")


def _remove_stale(path: Path) -> None:
    """Remove what an earlier write of ``path`` killed on the way left beside it: files named
    ``.NAME.TOKEN.tmp`` (this module's own pattern, for this ``path`` only) that are regular
    files we own (never a symlink: not followed, not removed) and that no writer holds locked.
    Anything else, and anything that cannot be checked, is left alone."""
    prefix = f".{path.name}."
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix)]
    except OSError:
        return
    stale = [n for n in names if n.endswith(".tmp") and _is_token(n[len(prefix) : -4])]
    if not stale:
        return
    try:
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        for name in stale:
            with contextlib.suppress(OSError):  # gone, a link, someone else's, or locked
                _remove_if_stale(folder, name)
    finally:
        os.close(folder)


def _remove_if_stale(folder: int, name: str) -> None:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    fd = os.open(name, flags, dir_fd=folder)  # a symlink: ELOOP, left alone
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            return
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a live writer holds it: OSError
        now = os.stat(name, dir_fd=folder, follow_symlinks=False)
        if (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino):  # still that file
            os.unlink(name, dir_fd=folder)
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes | Iterable[bytes]) -> Path:
    """Write a file only its owner can read (an export, a report): always a new 0600 file
    renamed over ``path``, so a file planted there (0666, someone else's) never receives it.
    Symlinks we (or root) own are followed; one someone else owns anywhere on the way, as a
    folder or in a chain of links, is refused, as is a folder. Returns the file written;
    raises OSError, leaving ``path`` as it was."""
    path = trusted_path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "a folder, not a file")
    write(path, data, private=True)
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


def _is_token(text: str) -> bool:
    return len(text) == 8 and all(c in "0123456789abcdef" for c in text)


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
