"""Where the diary lives, and whether its folder and files may be trusted.

Every open, backup, restore and wipe of the diary first checks its folder (ours, written by
no one else) and the side files SQLite keeps beside it, through a descriptor of the folder;
and says an OS or SQLite error as one sentence a person can act on. Nothing here writes to
the diary or deletes anything.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from crampcli.errors import CrampError

FILE_NAME = "diary.sqlite3"
HOME_ENV = "CRAMPCLI_HOME"
APPLICATION_ID = 0x43524D50  # "CRMP" in the file header: tells our diary from other databases
SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_BYTES = 100  # SQLite's file header: the application id is at bytes 68-71
FULL_BELOW = 64 * 1024  # free bytes under which an I/O error is a full disk
SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite trusts what it finds there
# How each side file starts when SQLite wrote it: the WAL magic (either byte order of its
# checksums), a rollback journal's magic, and the shared-memory index version 3007000 (as an
# x86 or an ARM machine writes it). SQLite reads nothing from one that starts otherwise.
SQLITE_MAGIC = {
    "-wal": (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83"),
    "-journal": (b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7",),
    "-shm": (b"\x18\xe2\x2d\x00", b"\x00\x2d\xe2\x18"),
}
BUSY_TIMEOUT_MS = 30_000  # 20 processes logging at once wait their turn, they do not fail


class DiaryError(CrampError):
    """The diary cannot be opened or written; the message says why and what to do."""


class DiaryUnavailable(DiaryError):
    """The diary is fine but cannot be written now: busy, a full disk, a read-only folder."""


class DiaryDamaged(DiaryError):
    """The diary file is damaged: not SQLite's format, or SQLite finds it corrupt."""


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get(HOME_ENV):
        return Path(environ[HOME_ENV]).expanduser() / FILE_NAME
    from crampcli.folders import xdg_home

    data = xdg_home(environ, "XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "crampcli" / FILE_NAME


@contextlib.contextmanager
def explained(path: Path) -> Iterator[None]:
    """sqlite3 and OS errors as one sentence a person can act on."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        if "full" in text or _disk_full(path):
            raise DiaryUnavailable(
                f"the disk is full: nothing was written to {path}; free space and "
                "try again (what was there is kept)"
            ) from None
        if "readonly" in text or "unable to open" in text or "read-only" in text:
            raise DiaryUnavailable(
                f"cannot write the diary {path}: its folder or file is read-only "
                f"(set {HOME_ENV} to a folder you can write)"
            ) from None
        if "locked" in text or "busy" in text:
            raise DiaryUnavailable(
                f"the diary {path} is busy (another crampcli is writing); try again"
            ) from None
        if corrupt(exc):
            raise DiaryDamaged(
                f"the diary {path} is damaged ({text}); it was left as it is: move it "
                "away to start a new one, or restore a backup"
            ) from None
        raise DiaryError(  # an I/O error, a lock SQLite could not take: not the file's fault
            f"cannot use the diary {path} ({text}); it was left as it is: try again, and if "
            "it keeps happening, check the disk"
        ) from None
    except OSError as exc:
        if exc.errno == errno.ENOSPC or _disk_full(path):
            raise DiaryError(
                f"the disk is full: nothing was written to {path}; free space and "
                "try again (what was there is kept)"
            ) from None
        raise DiaryError(
            f"cannot use the diary {path}: {exc.strerror or exc} "
            f"(set {HOME_ENV} to a folder you can write; what was there is kept)"
        ) from None


CORRUPT_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB: what the file holds is wrong


def corrupt(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file itself is damaged (not the disk, a lock or the system)."""
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in CORRUPT_CODES
    return "malformed" in str(exc) or "not a database" in str(exc)


def _disk_full(path: Path) -> bool:
    """Whether the diary's disk has no room left, in bytes or in files (inodes): SQLite
    reports a full disk as an I/O error, or as a failed open when it cannot make its
    shared-memory or journal file."""
    try:
        info = os.statvfs(path.parent)
    except OSError:
        return False
    no_files = info.f_files > 0 and info.f_favail == 0  # 0 files: a file system without a count
    return info.f_bavail * info.f_frsize < FULL_BELOW or no_files


def real_path(path: Path) -> Path:
    """Where the diary's bytes are: a symlink (even one whose target does not exist yet) is
    followed, so that the diary, its WAL files and `wipe` all act on the real file. A link
    someone else owns anywhere on the way is refused (atomic.trusted_path)."""
    from crampcli.knowledge import atomic  # stdlib only, but `log` starts without it

    try:
        return atomic.trusted_path(path)
    except OSError as exc:  # someone else's link, or a loop
        raise DiaryError(f"cannot use the diary {path}: {exc.strerror or exc}") from None


def own_private(real: Path, reading: bool = False) -> None:
    """A diary file someone else owns is not ours to write notes into; our own is kept 0600
    (one made before, copied with its mode, or under a loose umask, is tightened), before
    SQLite opens it, since SQLite gives its side files the diary's mode. ``reading``: a file
    someone else owns may be read, and one that cannot be tightened (a read-only disk) too."""
    try:
        info = real.stat()
    except FileNotFoundError:
        return
    if info.st_uid != os.geteuid():
        if reading:
            return
        raise DiaryError(f"cannot use the diary {real}: the file belongs to someone else")
    if stat.S_ISREG(info.st_mode) and info.st_mode & 0o077:
        try:
            os.chmod(real, 0o600)
        except OSError:
            if not reading:
                raise


@contextlib.contextmanager
def guarded(path: Path, real: Path, create: bool) -> Iterator[int | None]:
    """A descriptor of the diary's folder, checked (``_own_folder``), with its side files
    checked too (``_check_side_files``); None when the folder does not exist (made 0700 with
    its missing parents when ``create``). Nothing is written or deleted when it refuses."""
    _safe_above(path, real.parent, made=False)
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        folder = os.open(real.parent, flags)
    except FileNotFoundError:
        if not create:
            yield None
            return
        from crampcli.folders import make_private

        make_private(real.parent)
        folder = os.open(real.parent, flags)
    try:
        _safe_above(path, real.parent, made=True)  # again: someone may have made one meanwhile
        _own_folder(path, real.parent, os.fstat(folder))
        _check_side_files(path, real, folder)
        yield folder
    finally:
        os.close(folder)


def _safe_above(path: Path, folder: Path, made: bool) -> None:
    """Each folder above the diary's is root's or ours, and others cannot write it unless it
    is sticky (as /tmp is), as OpenSSH's StrictModes asks of the folders above a key: else
    whoever can rename the diary's folder could swap theirs in between crampcli's checks and
    SQLite's opening the diary and its side files by name, and be given the notes. Until
    the diary's folder is ``made``, one missing is fine (crampcli makes it 0700); after, a
    missing one was moved away meanwhile (perhaps to pass this check), so it is refused."""
    for above in folder.parents:
        try:
            info = os.lstat(above)
        except FileNotFoundError:
            if not made:
                continue
            raise DiaryError(
                f"cannot use the diary {path}: the folder {above} above it was moved while "
                "crampcli made the diary's folder; nothing was written. Try again"
            ) from None
        if info.st_uid not in (0, os.geteuid()):
            problem = "belongs to someone else"
        elif info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not info.st_mode & stat.S_ISVTX:
            problem = f"can be written by others (mode {stat.S_IMODE(info.st_mode):o})"
        else:
            continue
        raise DiaryError(
            f"cannot use the diary {path}: the folder {above} above it {problem}, so they could "
            "swap the diary's folder for theirs while crampcli writes; nothing was written or "
            f"deleted. Keep the diary where only you and root can change the folders above it "
            f"(`chmod go-w {above}`, or set {HOME_ENV})"
        )


def _own_folder(path: Path, folder: Path, info: os.stat_result) -> None:
    """The diary's folder must be ours, and no one else may write it: whoever can write it
    can read or forge the WAL file SQLite replays into the diary, or delete the diary."""
    if info.st_uid != os.geteuid():
        problem = "belongs to someone else"
    elif info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        problem = f"can be written by others (mode {stat.S_IMODE(info.st_mode):o})"
    else:
        return
    raise DiaryError(
        f"cannot use the diary {path}: its folder {folder} {problem}; nothing was written "
        f"or deleted. Keep the diary in a folder only you can write (chmod 700 it, or set "
        f"{HOME_ENV} to one)"
    )


def _check_side_files(path: Path, real: Path, folder: int) -> None:
    """Each of the diary's side files (``SIDE_FILES``) is absent, or a regular file of ours
    that no one else can read or write: SQLite would replay a forged one, leak notes into
    someone else's, or hang on a FIFO. Never removed here: it may be someone else's."""
    for suffix in SIDE_FILES:
        name = real.name + suffix
        try:
            info = os.stat(name, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(info.st_mode):
            from crampcli.knowledge.reading import kind

            problem = f"is {kind(info.st_mode)}, not a regular file"
        elif info.st_uid != os.geteuid():
            problem = "belongs to someone else"
        elif info.st_mode & 0o066:
            problem = f"can be read or written by others (mode {stat.S_IMODE(info.st_mode):o})"
        else:
            continue
        raise DiaryError(
            f"cannot use the diary {path}: its side file {real.parent / name} {problem}; "
            "SQLite would read and write it, so nothing was written or deleted. Move it "
            "away if you know where it comes from (not yours: ask whoever made it)"
        )


def same_folder(folder: int, real: Path) -> bool:
    """Whether ``real``'s folder is still the one checked through the descriptor."""
    try:
        now = os.stat(real.parent, follow_symlinks=False)
    except OSError:
        return False
    then = os.fstat(folder)
    return (now.st_dev, now.st_ino) == (then.st_dev, then.st_ino)


def read_head(folder: int, real: Path, path: Path) -> bytes | None:
    """The first bytes of the diary file (its SQLite header), None when there is none. What
    is not a regular file (a FIFO would hang every command) is refused before SQLite sees it."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(real.name, flags, dir_fd=folder)
    except FileNotFoundError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            from crampcli.knowledge.reading import kind

            raise DiaryError(
                f"{path} is not a crampcli diary ({kind(info.st_mode)}, not a regular file); "
                f"it was left as it is: move it away or set {HOME_ENV}"
            )
        if info.st_nlink > 1:  # SQLite names its side files after the name it was given
            raise DiaryError(
                f"cannot use the diary {path}: it has another name too (a hard link, "
                f"{info.st_nlink} names), and SQLite cannot keep a diary safe under two names; "
                "nothing was written or deleted. Remove the other name (`find / -samefile "
                f"{real}` finds it), or use a symlink instead"
            )
        return os.read(fd, HEADER_BYTES)
    finally:
        os.close(fd)


def check_header(folder: int, real: Path, path: Path, create: bool) -> bool:
    """Whether the diary file may be opened; creates an empty one (0600) when allowed. A file
    that does not start as SQLite does is refused before SQLite ever sees it."""
    head = read_head(folder, real, path)
    if head is None:
        if not create:
            return False
        with contextlib.suppress(FileExistsError):  # another crampcli created it first
            made = os.open(
                real.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600, dir_fd=folder
            )
            os.fchmod(made, 0o600)  # exactly, whatever the umask (SQLite's -wal, -shm copy it)
            os.close(made)
        return True
    head = head[: len(SQLITE_HEADER)]
    if (head and head != SQLITE_HEADER[: len(head)]) or 0 < len(head) < len(SQLITE_HEADER):
        raise DiaryDamaged(
            f"{path} is not a crampcli diary (not an SQLite file, or damaged); it "
            f"was left as it is: move it away or set {HOME_ENV}"
        )
    return True


def read_by_sqlite(suffix: str, start: bytes) -> bool:
    """Whether SQLite would read the side file ``suffix`` ("-wal", ...) that starts with
    ``start`` along with its database: one it did not write is left unread."""
    return start.startswith(SQLITE_MAGIC[suffix])


def lock_name(real: Path) -> str:
    """The name of the lock file beside the diary at ``real`` (``exclusive``)."""
    return f".{real.name}.lock"


@contextlib.contextmanager
def exclusive(folder: int, real: Path, path: Path) -> Iterator[None]:
    """Hold the lock a restore and a wipe of the diary at ``real`` take, so that neither
    replaces or deletes what the other is writing: an ``flock`` on ``.NAME.lock`` beside it,
    a file only we can open (a lock on the folder itself, anyone who can read the folder
    could take and hold). Waits as a busy diary does, then says it is busy. The file is
    removed when done; one removed while we waited is not the lock any more, so the new one
    is taken. The kernel drops the lock when the process ends, even killed."""
    import fcntl

    name = lock_name(real)
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        fd = os.open(name, flags, 0o600, dir_fd=folder)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_nlink > 1:
                raise DiaryError(f"cannot use the diary {path}: {name} beside it is not ours")
            os.fchmod(fd, 0o600)
            _wait_for(
                functools.partial(fcntl.flock, fd, fcntl.LOCK_EX | fcntl.LOCK_NB),
                deadline,
                f"the diary {path} is busy (another crampcli is restoring or wiping it); try again",
            )
            try:
                now = os.stat(name, dir_fd=folder, follow_symlinks=False)
            except FileNotFoundError:
                now = None
        except BaseException:
            os.close(fd)
            raise
        if now is not None and (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino):
            break
        os.close(fd)  # removed by the holder before us: take the new one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):  # gone, or a folder that cannot be written: left
            os.unlink(name, dir_fd=folder)  # still ours: we hold it
        os.close(fd)


# SQLite's lock bytes in a database file (os_unix.c): pending, reserved, then the 510 bytes
# of shared locks. Each connection to a WAL diary holds a shared lock there while it is open.
SQLITE_LOCK_BYTES = (0x40000000, 512)


@contextlib.contextmanager
def alone(
    folder: int, real: Path, path: Path, waiting: Callable[[], None] = lambda: None
) -> Iterator[int | None]:
    """The diary file, open for writing, with no SQLite connection open on it anywhere: a
    write lock on all of SQLite's lock bytes, waiting as a busy diary does, then saying who
    holds it. While it is held no one reads the diary or makes its side files, and no one
    can write a side file's pages back when closing. None when there is no diary file.
    ``waiting`` is called once if another holds it.
    Closing another descriptor of the file in this process would drop the lock (POSIX)."""
    import fcntl

    try:
        fd = os.open(
            real.name, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder
        )
    except FileNotFoundError:
        yield None
        return
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_nlink > 1:
            raise DiaryError(f"cannot use the diary {path}: it was swapped meanwhile; try again")
        start, length = SQLITE_LOCK_BYTES
        _wait_for(
            lambda: fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, length, start),
            time.monotonic() + BUSY_TIMEOUT_MS / 1000,
            f"the diary {path} is open in another program (a crampcli waiting for an answer "
            "to its question, or still writing); nothing was deleted: answer or close it, "
            "then try again",
            waiting,
        )
        yield fd
    finally:
        os.close(fd)


def _wait_for(
    take: Callable[[], None],
    deadline: float,
    busy: str,
    waiting: Callable[[], None] = lambda: None,
) -> None:
    """``take`` a lock that is free, waiting until ``deadline`` at most (``waiting`` is called
    when the wait starts); then say ``busy``."""
    waited = False
    while True:
        try:
            take()
            return
        except (BlockingIOError, PermissionError):  # fcntl locks may say either (POSIX)
            if time.monotonic() > deadline:
                raise DiaryUnavailable(busy) from None
            if not waited:
                waited = True
                waiting()
            time.sleep(0.05)
