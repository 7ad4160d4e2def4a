"""Replacing a file so that a reader sees the old or the new one, never half of either.

Every write goes through descriptors: the target's folders are opened one at a time from ``/``
(``O_NOFOLLOW``: a symlink is read and checked, never followed blindly), and the temporary
file, its rename over the target and the clean-up all act on the descriptor of the folder that
was checked. A folder someone swaps for another (or for a symlink) after the check cannot
redirect the write: it lands in the folder that was opened, or nowhere."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from crampcli.interrupts import signals_held
from crampcli.knowledge.reading import kind_name

_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# Linux: a folder we may pass through but not list (a 0711 home), and a symlink itself
_PATH = getattr(os, "O_PATH", 0)
MAX_HOPS = 40  # symlinks followed in one path, as the kernel allows


class Place(NamedTuple):
    """Where a walk of a path ended: an open descriptor of the deepest folder it reached, that
    folder's path with every link resolved, and the names left (none when the path is a
    folder, one for a file or a name not there yet, more when a folder is missing)."""

    folder: int
    path: Path
    rest: list[str]
    descriptor: int | None = None  # the path names this open descriptor of ours: /dev/stdout


def walk(path: Path | str) -> Place:
    """Follow ``path`` a folder at a time from ``/`` (relative ones from the working folder),
    through descriptors: a symlink we (or root) own is followed, one someone else owns is
    refused wherever it stands (whoever owns it decides where our private bytes go, or what a
    wipe deletes). A path that ends in one of our open descriptors (``/dev/stdout``,
    ``/proc/thread-self/fd/3``, any spelling or link) stops there, with ``Place.descriptor``
    set: reopened, a file the shell opened to append to would be replaced. One that ends in
    another program's descriptor is refused. The caller closes ``Place.folder``."""
    me, hops = os.geteuid(), 0
    parts = list(Path(path).parts if os.path.isabs(path) else Path(os.getcwd(), path).parts)
    stack = [(os.open("/", _DIR), "/")]  # the folders open so far; ".." goes back one
    pending = parts[1:]
    try:
        while pending:
            name, folder = pending[0], stack[-1][0]
            if name == "..":
                if len(stack) > 1:
                    os.close(stack.pop()[0])
                pending.pop(0)
                continue
            try:
                info = os.stat(name, dir_fd=folder, follow_symlinks=False)
            except FileNotFoundError:
                break
            if not (stat.S_ISDIR(info.st_mode) or stat.S_ISLNK(info.st_mode)):
                break  # a file, or something special: the end of the walk
            hops += 1  # a link followed, or a folder swapped since the stat: both bounded
            if hops > MAX_HOPS:
                where = Path("/", *(n for _, n in stack[1:]), name)
                raise OSError(errno.ELOOP, f"too many symlinks at {where} (a loop?)")
            if stat.S_ISDIR(info.st_mode):
                try:
                    stack.append((_open_folder(name, folder), name))
                except OSError as exc:
                    if exc.errno not in (errno.ENOTDIR, errno.ELOOP, errno.ENOENT):
                        raise
                    continue  # swapped since the stat: look again
                pending.pop(0)
                hops -= 1
                continue
            descriptor = _descriptor(stack, name) if len(pending) == 1 else None
            if descriptor is not None:
                folder_path = Path("/", *(n for _, n in stack[1:]))
                return Place(stack.pop()[0], folder_path, [name], descriptor)
            target = _link_target(folder, name, me, stack)
            if target is None:  # no longer a link: look again
                continue
            pending = [*Path(target).parts, *pending[1:]]
            if target.startswith("/"):
                while len(stack) > 1:
                    os.close(stack.pop()[0])
                pending.pop(0)
        folder_path = Path("/", *(n for _, n in stack[1:]))
        return Place(stack.pop()[0], folder_path, pending)
    finally:
        for fd, _ in stack:
            os.close(fd)


def _open_folder(name: str, parent: int) -> int:
    """The folder ``name`` in ``parent``, never through a symlink: readable where we may read
    it (to list it and fsync it), else only to pass through."""
    try:
        return os.open(name, _DIR, dir_fd=parent)
    except PermissionError:
        if not _PATH:
            raise
        return os.open(name, _PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent)


def _descriptor(stack: list[tuple[int, str]], name: str) -> int | None:
    """The descriptor the link ``name`` stands for, if the folder it is in (``stack``, every
    link resolved) is /proc/PID/fd or /proc/PID/task/TID/fd, and PID is this process."""
    names = [n for _, n in stack[1:]]
    shape = len(names) == 3 or (len(names) == 5 and names[2] == "task")
    if not (name.isdigit() and shape and names[0] == "proc" and names[-1] == "fd"):
        return None
    if names[1] != str(os.getpid()):
        where = Path("/", *names, name)
        raise OSError(errno.EPERM, f"{where} is a descriptor another program has open")
    return int(name)


def _link_target(folder: int, name: str, me: int, stack: list[tuple[int, str]]) -> str | None:
    """What the symlink ``name`` in ``folder`` points to, if we or root own it (checked on the
    link that is read, opened itself where the platform allows); None if it is no longer a
    link."""
    if _PATH:
        try:
            fd = os.open(name, _PATH | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder)
        except FileNotFoundError:
            return None
        try:
            info = os.fstat(fd)
            target = os.readlink("", dir_fd=fd) if stat.S_ISLNK(info.st_mode) else None
        finally:
            os.close(fd)
    else:  # pragma: no cover - not Linux
        info = os.stat(name, dir_fd=folder, follow_symlinks=False)
        target = os.readlink(name, dir_fd=folder) if stat.S_ISLNK(info.st_mode) else None
    if target is not None and info.st_uid not in (me, 0):
        where = Path("/", *(n for _, n in stack[1:]), name)
        raise OSError(errno.EPERM, f"{where} is a symlink someone else owns")
    return target


def trusted_path(path: Path | str) -> Path:
    """``path`` with every symlink on the way resolved (``walk``): a link owned by another
    user (not us, not root) is refused, wherever it stands."""
    place = walk(path)
    os.close(place.folder)
    return place.path.joinpath(*place.rest)


def write(
    path: Path, data: bytes | Iterable[bytes], *, backup: bool = False, private: bool = False
) -> Path | None:
    """Write ``data`` (bytes, or chunks of them: constant memory) to a temporary file beside
    ``path``, fsync it, rename it over ``path``, then fsync the folder, all through the
    descriptor of the folder ``walk`` opened. The temporary file is 0600 until it is whole
    (no one else can open it meanwhile). A ``private`` file is exactly 0600, whatever the
    umask or the file it replaces; else an existing file keeps its permissions and a new one
    gets 0666 less the umask, but always readable and writable by its owner (under
    ``umask 777`` it would be 000, and the next run could not read it). A folder, a FIFO or a
    device is never replaced. With ``backup`` the old file is kept as ``PATH.bak``, which is
    returned. Raises OSError, leaving ``path`` as it was. The temporary files of an earlier
    write of ``path`` that was killed on the way are removed first (``_remove_stale``)."""
    folder, name, where = _open_target(path)
    try:
        return _write_in(folder, name, where, data, backup, private)
    finally:
        os.close(folder)


def write_at(folder: int, name: str, where: Path, data: bytes, *, private: bool = False) -> None:
    """``write`` the file ``name`` in a folder already open (and checked) as ``folder``, whose
    path is ``where``: no second walk that someone could redirect."""
    _write_in(folder, name, where, data, False, private)


def write_private(
    path: Path,
    data: bytes | Iterable[bytes],
    before_replace: Callable[[int, str], None] | None = None,
) -> Path:
    """Write a file only its owner can read (an export, a report): always a new 0600 file
    renamed over ``path``, so a file planted there (0666, someone else's) never receives it.
    ``before_replace(folder, name)`` runs once the new file is whole on disk, just before it
    takes the name (the folder's descriptor and the name there, every link resolved); what
    it raises leaves ``path`` as it was. Returns the file written (every link resolved);
    raises OSError, leaving ``path`` as it was (see ``write``)."""
    folder, name, where = _open_target(path)
    try:
        _write_in(folder, name, where, data, False, True, before_replace)
    finally:
        os.close(folder)
    return where / name


def stream_descriptor(path: str) -> int | None:
    """The descriptor of this process that ``path`` names (``/dev/stdout``, ``/dev/fd/3``,
    any other spelling or a link to one: ``walk``), else None. Written through that
    descriptor, never reopened: reopened, a file the shell opened to append to (``>> file``)
    would be written over or replaced. OSError as ``walk`` raises it."""
    place = walk(path)
    os.close(place.folder)
    return place.descriptor


def write_fd(fd: int, data: Iterable[bytes]) -> None:
    """Write ``data`` to the open descriptor ``fd``, which stays open. PermissionError for a
    file, FIFO, socket or device someone else owns: its owner would read what we write."""
    info = os.fstat(fd)
    if info.st_uid not in (os.geteuid(), 0):
        raise PermissionError(errno.EPERM, "it belongs to someone else", f"descriptor {fd}")
    _write_all(fd, data)


def write_into(path: Path, data: Iterable[bytes]) -> bool:
    """Write ``data`` into the special file at ``path`` (a FIFO, ``/dev/stdout``, a terminal),
    which is never replaced. False, with nothing changed, when what opens is a regular file
    (swapped in since it was looked at: opened without ``O_TRUNC``, it is left as it was, and
    must be replaced instead: ``write_private``). PermissionError for a link someone else
    owns on the way, or a special file that is neither ours nor root's: its owner would read
    what we write."""
    trusted_path(path)
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)  # a FIFO: waits for a reader
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode):
            return False
        if info.st_uid not in (os.geteuid(), 0):
            raise PermissionError(errno.EPERM, "it belongs to someone else", str(path))
        _write_all(fd, data)
        return True
    finally:
        os.close(fd)


def _open_target(path: Path) -> tuple[int, str, Path]:
    """The descriptor of the folder ``path`` is in, its name there and that folder's path."""
    place = walk(path)
    if place.descriptor is not None:
        os.close(place.folder)
        raise OSError(errno.EINVAL, "it names an open descriptor, not a file", str(path))
    if len(place.rest) == 1:
        return place.folder, place.rest[0], place.path
    try:
        if not place.rest:
            raise IsADirectoryError(errno.EISDIR, "a folder, not a file", str(path))
        os.stat(place.rest[0], dir_fd=place.folder)  # a file where a folder should be?
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    except FileNotFoundError:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path)) from None
    finally:
        os.close(place.folder)


def _write_in(
    folder: int,
    name: str,
    where: Path,
    data: bytes | Iterable[bytes],
    backup: bool,
    private: bool,
    before_replace: Callable[[int, str], None] | None = None,
) -> Path | None:
    try:
        old = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):  # a link here: put there since
        kind = kind_name(old.st_mode)
        raise OSError(errno.EINVAL, f"not a regular file ({kind})", str(where / name))
    _remove_stale(folder, name)
    # 0600 while it is written, whatever the umask or the folder's default ACL: a descriptor
    # someone else opened meanwhile would still read or write it after any later chmod
    tmp, fd = new_temporary(folder, name, where, 0o600)
    renamed = False
    try:
        _write_all(fd, [data] if isinstance(data, bytes) else data)
        if not private and old is not None:  # as it was: its group, mode and ACL
            _keep_access(fd, folder, name, old)
        elif not private:
            os.fchmod(fd, _new_file_mode())
        os.fsync(fd)
        saved = _keep_backup(folder, name, where) if backup and old is not None else None
        with signals_held():  # Ctrl-C or `kill` lands before both steps or after both
            if before_replace is not None:
                before_replace(folder, name)
            os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
            renamed = True
        _fsync(folder)
        return saved
    finally:
        os.close(fd)  # only now: the lock says "being written" until the rename is done
        if not renamed:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=folder)


def _keep_access(fd: int, folder: int, name: str, old: os.stat_result) -> None:
    """Give the new copy the group, mode and ACL of the file it replaces: a setgid folder or
    another current group would otherwise give it a group that may read or write it. Where
    the old group cannot be given (not ours), the group gets nothing: the mode, set after the
    ACL, then sets its mask to nothing too (else the ACL's group entries would serve the new
    group)."""
    mode = stat.S_IMODE(old.st_mode)
    try:
        os.fchown(fd, -1, old.st_gid)
    except OSError:
        mode &= ~0o070
    acl = "system.posix_acl_access"
    with contextlib.suppress(OSError):  # none there, or a file system without ACLs
        was = os.open(
            name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder
        )
        try:
            os.setxattr(fd, acl, os.getxattr(was, acl))
        finally:
            os.close(was)
    os.fchmod(fd, mode)


def _new_file_mode() -> int:
    """What a new file gets: 0666 less the umask, read and write for its owner (crampcli runs
    no threads, so the umask can be read by setting it)."""
    umask = os.umask(0o077)
    os.umask(umask)
    return (0o666 & ~umask) | 0o600


def _write_all(fd: int, chunks: Iterable[bytes]) -> None:
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]


def usable_by_owner(fd: int) -> None:
    """Give the file we just made (open as ``fd``) read and write for its owner, whatever the
    umask took away; group and others keep what the umask gave them."""
    mode = stat.S_IMODE(os.fstat(fd).st_mode)
    if mode & 0o600 != 0o600:
        os.fchmod(fd, mode | 0o600)


def new_temporary(folder: int, name: str, where: Path, mode: int) -> tuple[str, int]:
    """A new file ``.NAME.TOKEN.tmp`` in ``folder``, ``mode`` less the umask but readable and
    writable by us (so 0600 exactly, from the start, for 0600), open for writing and locked
    (``flock``) for as long as it is open: a lock the kernel drops when the process ends, even
    killed, so a later write can tell a copy left behind from one still being written."""
    for _ in range(3):
        tmp = f".{name}.{_token()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(tmp, flags, mode, dir_fd=folder)
        _no_inherited_acl(fd)
        usable_by_owner(fd)
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink:  # else removed as stale before we locked it: a new one
            return tmp, fd
        os.close(fd)
    raise OSError(errno.EAGAIN, f"cannot make a temporary file beside {where / name}")


def _no_inherited_acl(fd: int) -> None:
    """Drop the access ACL a folder's default ACL gave the new file: else setting its mode
    later would widen the ACL's mask and let the users it names read or write it."""
    with contextlib.suppress(OSError):  # none there, or a file system without ACLs
        os.removexattr(fd, "system.posix_acl_access")


def _remove_stale(folder: int, name: str) -> None:
    """Remove what an earlier write of ``name`` killed on the way left beside it: files named
    ``.NAME.TOKEN.tmp`` (this module's own pattern, for this name only) that are regular
    files we own (never a symlink: not followed, not removed) and that no writer holds locked.
    Anything else, and anything that cannot be checked, is left alone."""
    try:
        names = os.listdir(folder)
    except OSError:  # a folder we may pass through but not list
        return
    for stale in names:
        if temporary_of(stale) == name:
            with contextlib.suppress(OSError):  # gone, a link, someone else's, or locked
                remove_if_stale(folder, stale)


def remove_if_stale(folder: int, name: str) -> None:
    """Remove the file ``name`` in ``folder`` if it is a regular file of ours that no live
    writer holds locked (``new_temporary``); OSError when it is not, or cannot be checked."""
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


def _token() -> str:
    """A unique-enough name part for a temporary file (``secrets`` costs 7 ms to import)."""
    return os.urandom(4).hex()


def _is_token(text: str) -> bool:
    return len(text) == 8 and all(c in "0123456789abcdef" for c in text)


def temporary_of(name: str) -> str | None:
    """The name whose temporary file ``name`` is (``.NAME.TOKEN.tmp``, as ``new_temporary``
    makes them), else None."""
    if not (name.startswith(".") and name.endswith(".tmp")):
        return None
    base, _, token = name[1:-4].rpartition(".")
    return base if base and _is_token(token) else None


def _keep_backup(folder: int, name: str, where: Path) -> Path:
    """Copy ``name`` to ``NAME.bak`` in ``folder`` atomically too (a hard link when possible)."""
    bak, tmp = f"{name}.bak", f".{name}.{_token()}.bak.tmp"
    try:
        try:
            os.link(name, tmp, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
        except OSError:  # only where hard links are not possible
            _copy(folder, name, tmp)
        os.replace(tmp, bak, src_dir_fd=folder, dst_dir_fd=folder)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=folder)
    return where / bak


def _copy(folder: int, name: str, copy: str) -> None:
    """A new file ``copy`` with the bytes and access (group, mode, ACL: ``_keep_access``) of
    ``name``, synced to disk; 0600 with no inherited ACL until then."""
    source = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder)
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        target = os.open(copy, flags, 0o600, dir_fd=folder)
        try:
            _no_inherited_acl(target)
            _write_all(target, iter(lambda: os.read(source, 1 << 20), b""))
            _keep_access(target, folder, name, os.fstat(source))
            os.fsync(target)
        finally:
            os.close(target)
    finally:
        os.close(source)


def _fsync(folder: int) -> None:
    """Make a rename durable too, where the platform allows it."""
    with contextlib.suppress(OSError):  # a folder we may only pass through cannot be synced
        os.fsync(folder)
