"""Whole copies of the diary: ``backup`` writes one, ``restore`` puts one in place of the
diary (after ``checked_backup`` has checked every row of it), ``wipe`` removes the diary.

A copy is made in a private temporary file in the diary's own folder (``work_file``), so that
no one else can swap it; SQLite's side files of every file involved are checked or refused,
because SQLite would read them along with the file and silently change what it holds.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
import stat
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from crampcli.diary import store
from crampcli.diary.files import (
    APPLICATION_ID,
    FILE_NAME,
    HEADER_BYTES,
    SIDE_FILES,
    SQLITE_HEADER,
    DiaryDamaged,
    DiaryError,
    DiaryUnavailable,
    alone,
    corrupt,
    exclusive,
    explained,
    guarded,
    lock_name,
    own_private,
    read_by_sqlite,
    read_head,
    real_path,
)
from crampcli.diary.model import LIST_FIELDS, SEPARATOR, Cramp, InvalidValue
from crampcli.diary.store import INSERT, Diary, row_values
from crampcli.errors import Interrupted


def backup(diary: Diary, dest: Path) -> None:
    """A consistent copy of ``diary`` at ``dest``: SQLite's online backup (writers may go on)
    into a private temporary file in the diary's own folder (``work_file``), then written as
    a new file only its owner can read that replaces ``dest`` (atomic.write_private: a
    symlink someone else owns is refused). Once it is whole on disk, and only then, the side
    files an old copy there left are dropped (``_drop_stale_side_files``)."""
    from crampcli.knowledge import atomic

    def drop(folder: int, name: str) -> None:
        _drop_stale_side_files(folder, name, dest)

    with explained(diary.path), work_file(diary.path) as (where, fd):  # its folder: the diary's
        copy = sqlite3.connect(where)
        try:
            copy.execute("PRAGMA journal_mode = OFF")  # no side file to leave behind
            diary.copy_to(copy)
            checked = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
        if checked != "ok":  # a copy of damage would replace the last good backup
            raise DiaryDamaged(
                f"the diary {diary.path} is damaged (integrity check: {checked}); the backup "
                f"was not written ({dest} is as it was): keep your last good backup, and "
                "restore it with `crampcli diary restore`"
            )
        os.pwrite(fd, b"\x01\x01", 18)  # rollback mode, not WAL: one self-contained file
        try:
            atomic.write_private(dest, _chunks(fd), before_replace=drop)
        except OSError as exc:
            raise DiaryError(f"cannot write the backup {dest}: {exc.strerror or exc}") from None


def _drop_stale_side_files(folder: int, name: str, dest: Path) -> None:
    """Remove the ``-wal``, ``-shm`` and ``-journal`` an old copy left beside ``name`` (in
    ``folder``, where the new copy is about to land): SQLite would read them with the new
    copy (a stale journal rolls it back). Only our own files that SQLite wrote are removed;
    a file of that name SQLite did not write is left alone (SQLite will not read it), and
    anything else (someone else's, not a regular file) is refused, nothing replaced. What a
    WAL or journal holds is first folded into the old copy (``_settle``)."""
    _settle(folder, name, dest)
    for suffix in SIDE_FILES:
        side = name + suffix
        try:
            info = os.stat(side, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            raise DiaryError(
                f"cannot write the backup {dest}: {side} beside it is not a file of yours; "
                "give another file name"
            )
        if _written_by_sqlite(side, suffix, folder):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(side, dir_fd=folder)


def _settle(folder: int, name: str, dest: Path) -> None:
    """Let SQLite fold the WAL or hot journal an old copy ``name`` (in ``folder``) left into
    it, as any reader of it would, before they are removed: killed at any moment, the old
    copy stays whole. Only a regular file of ours whose side files are all ours is opened,
    in a folder no one else can write, through the folder's descriptor (Linux's /proc), its
    schema never run. Elsewhere the side files are only removed, just before the rename."""
    try:
        info = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
        return
    if not any(_written_by_sqlite(name + s, s, folder) for s in ("-wal", "-journal")):
        return
    if os.fstat(folder).st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return  # others could plant a journal for SQLite to play into the old copy meanwhile
    for suffix in ("-wal", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            side = os.stat(name + suffix, dir_fd=folder, follow_symlinks=False)
            if not stat.S_ISREG(side.st_mode) or side.st_uid != os.geteuid():
                return  # someone else's: never read; the removal below refuses it
    uri = "file:" + urllib.parse.quote(f"/proc/self/fd/{folder}/{name}")
    try:
        db = sqlite3.connect(uri, uri=True, isolation_level=None)
        try:
            db.execute("PRAGMA trusted_schema = OFF")
            db.execute("PRAGMA schema_version").fetchone()  # a hot journal is rolled back here
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise DiaryError(
            f"cannot write the backup {dest}: the old {name} there has a WAL or journal file "
            f"SQLite wrote, and SQLite cannot read them ({exc}); give another file name"
        ) from None


def _written_by_sqlite(side: Path | str, suffix: str, folder: int | None = None) -> bool:
    """Whether the side file ``side`` (relative to ``folder`` if given) is a regular file
    SQLite wrote (``read_by_sqlite``); a FIFO or a device is never opened for it."""
    try:
        if not stat.S_ISREG(os.stat(side, dir_fd=folder).st_mode):
            return False
        flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC
        fd = os.open(side, flags, dir_fd=folder)
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and read_by_sqlite(suffix, os.pread(fd, 8, 0))
    finally:
        os.close(fd)


@contextlib.contextmanager
def work_file(path: Path) -> Iterator[tuple[Path, int]]:
    """A new private file in the diary's own folder (ours, checked: no one else can swap it),
    named ``.diary.sqlite3.TOKEN.tmp`` and locked while open, as its path and a read-write
    descriptor; removed afterwards, and by the next run (``remove_stale``) when killed first."""
    from crampcli.knowledge import atomic

    real = real_path(path)
    with guarded(path, real, create=True) as folder:
        assert folder is not None  # made when missing
        remove_stale(folder, real)
        name, locked = atomic.new_temporary(folder, FILE_NAME, real.parent, 0o600)
        fd = -1
        try:
            fd = os.open(name, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=folder)
            if os.fstat(fd).st_ino != os.fstat(locked).st_ino:  # cannot be: our own folder
                raise DiaryError(f"cannot use the diary {path}: its folder changed meanwhile")
            yield real.parent / name, fd
        finally:
            for open_fd in (fd, locked):  # the lock goes last: "in use" until removed
                if open_fd >= 0:
                    os.close(open_fd)
            for suffix in ("", *SIDE_FILES):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(name + suffix, dir_fd=folder)


def remove_stale(folder: int, real: Path) -> list[Path]:
    """Remove the temporary copies an earlier backup, restore or write of the diary at
    ``real`` left in its folder when it was killed (``_work_copy``: our own names only, that
    no live writer holds locked) and their SQLite side files; the files removed."""
    from crampcli.knowledge import atomic

    where = real.parent
    removed: list[Path] = []
    names = os.listdir(folder)
    for name in names:
        if _work_copy(name, real):
            with contextlib.suppress(OSError):
                atomic.remove_if_stale(folder, name)
                if not os.path.lexists(where / name):
                    removed.append(where / name)
    for name in names:  # side files of copies that are gone
        base, suffix = name[: name.rfind("-")], name[name.rfind("-") :]
        if suffix in SIDE_FILES and _work_copy(base, real) and not os.path.lexists(where / base):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name, dir_fd=folder)
                removed.append(where / name)
    return removed


def _work_copy(name: str, real: Path) -> bool:
    """Whether ``name`` is a temporary copy a backup, restore or write of the diary ``real``
    makes: ``.diary.sqlite3.TOKEN.tmp`` (``work_file``), or the temporary file of a copy of
    the diary kept before a restore (``_kept_name``)."""
    from crampcli.knowledge import atomic

    of = atomic.temporary_of(name)
    return of is not None and (of == FILE_NAME or _kept_names(real).fullmatch(of) is not None)


LOCK = "lock"  # diary_part's name for the lock file beside the diary (files.exclusive)


def diary_part(output: Path, diary: Path) -> str | None:
    """Which file of the diary at ``diary`` a write to ``output`` would replace: "" for the
    diary itself, "-wal", "-shm" or "-journal" for one SQLite keeps beside it; None for none.
    Judged by where ``output`` leads (every link resolved: the same folder and name) and by
    what it is (a hard link to the diary too)."""
    try:
        target, real = real_path(output), real_path(diary)
    except DiaryError:  # someone else's link: the write refuses it anyway
        return None
    for part in ("", *SIDE_FILES, LOCK):  # no output may land on any of them
        own = real.with_name(lock_name(real)) if part == LOCK else Path(f"{real}{part}")
        with contextlib.suppress(OSError):
            if own.name == target.name and os.path.samefile(own.parent, target.parent):
                return part
            if os.path.samefile(own, target):
                return part
    return None


@dataclass
class Backup:
    """A backup checked for ``restore``: its copy (open read-only), and its entry count."""

    db: sqlite3.Connection
    entries: int
    columns: str  # what to read from its cramps table, in ``_cramp`` order


MAX_BACKUP = 1 << 32  # 4 GiB: more than a diary of millions of entries takes


@contextlib.contextmanager
def checked_backup(source: Path, path: Path) -> Iterator[Backup]:
    """A copy of the backup ``source`` (the file itself is only read), in a private temporary
    file in the folder of the diary at ``path`` (``work_file``): only the pages its header
    says it has (a sparse 2 GB tail is not copied); an SQLite file whose integrity check
    passes, a crampcli diary not from a newer crampcli, whose every entry passes the checks
    ``diary import`` makes (else DiaryError or ImportProblems, naming the rows)."""
    from crampcli.knowledge.reading import open_regular

    if diary_part(source, path) is not None:
        raise DiaryError(f"{source} is the diary itself, not a backup: nothing to restore")
    for side in _unread_side_files(source):  # only the main file is copied: refuse, not lose
        raise DiaryError(
            f"{source} has a {side.name} file beside it that may change what it holds, which a "
            "restore does not read: make a new copy with `crampcli diary backup`"
        )
    with work_file(path) as (where, fd):
        try:
            with open_regular(source) as given:
                _copy_pages(given, fd, source)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:  # writing the copy beside the diary, not reading
                raise DiaryUnavailable(
                    f"the disk is full: {source} could not be copied beside the diary to be "
                    "checked; nothing changed"
                ) from None
            raise DiaryError(f"cannot read the backup {source}: {exc.strerror or exc}") from None
        uri = "file:" + urllib.parse.quote(str(where)) + "?mode=ro&immutable=1"
        db = sqlite3.connect(uri, uri=True, isolation_level=None)
        try:
            if os.fstat(fd).st_ino != os.stat(where).st_ino:  # cannot be: our own folder
                raise DiaryError(f"cannot restore {source}: its copy was moved meanwhile")
            db.execute("PRAGMA trusted_schema = OFF")  # its views and triggers run nothing
            columns = _check_backup(db, source)
            entries = _check_rows(db, columns, source)
            yield Backup(db, entries, columns)
        finally:
            db.close()


def _unread_side_files(source: Path) -> list[Path]:
    """The ``-wal`` and ``-journal`` files SQLite would read with ``source`` (beside it, and
    beside the file a link names), as ``read_by_sqlite`` tells them: a restore copies only
    the main file."""
    found = []
    for base in dict.fromkeys((source, Path(os.path.realpath(source)))):  # a loop: as given
        for suffix in ("-wal", "-journal"):
            side = base.with_name(base.name + suffix)
            if _written_by_sqlite(side, suffix):
                found.append(side)
    return found


def _copy_pages(given: Any, fd: int, source: Path) -> None:
    """Copy the pages the SQLite header of ``given`` counts into ``fd``; runs of zeros are
    skipped, not written, so a sparse file stays sparse."""
    head = given.read(HEADER_BYTES)
    if len(head) < HEADER_BYTES or not head.startswith(SQLITE_HEADER):
        raise DiaryError(f"{source} is not a crampcli diary backup (not an SQLite file)")
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(head[28:32], "big")
    if head[24:28] != head[92:96] or not pages:  # the page count is not to be trusted
        raise DiaryError(f"{source} is not a crampcli diary backup (an old or damaged file)")
    size = page * pages
    if size > MAX_BACKUP:
        raise DiaryError(f"{source} is too large for a diary backup ({size >> 20} MiB)")
    _pwrite_all(fd, head, 0)
    done = HEADER_BYTES
    while done < size:
        chunk = given.read(min(1 << 20, size - done))
        if not chunk:
            raise DiaryError(f"{source} is damaged (shorter than its header says); not restored")
        if chunk.count(0) != len(chunk):
            _pwrite_all(fd, chunk, done)
        done += len(chunk)
    os.ftruncate(fd, size)


def _pwrite_all(fd: int, data: bytes, offset: int) -> None:
    """Write all of ``data`` at ``offset``: a nearly full disk writes part of it and says so
    only by the count (the next write then fails with "no space")."""
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def _check_backup(db: sqlite3.Connection, source: Path) -> str:
    """The columns to read from the backup's cramps table, once it is known to be a whole
    crampcli diary this crampcli can use."""
    try:
        checked = db.execute("PRAGMA integrity_check").fetchone()[0]
        ours = db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        done = set()
        if ours and "_migrations" in tables:
            done = {r[0] for r in db.execute("SELECT name FROM _migrations")}
        has = (
            {r[1] for r in db.execute("PRAGMA table_info(cramps)")} if "cramps" in tables else set()
        )
    except sqlite3.DatabaseError as exc:
        raise DiaryError(f"{source} is damaged ({exc}); it cannot be restored") from None
    if checked != "ok":
        raise DiaryError(f"{source} is damaged (integrity check: {checked}); not restored")
    if not ours:
        raise DiaryError(f"{source} is not a crampcli diary (another program's database?)")
    if done - {name for name, _ in store.MIGRATIONS}:
        raise DiaryError(f"{source} was written by a newer crampcli; upgrade to restore it")
    missing = [c for c in ("id", *store.COLUMNS[:-1]) if c not in has]
    if missing:
        raise DiaryError(
            f"{source} is not a whole crampcli diary (no {missing[0]!r} in a cramps table)"
        )
    return ", ".join(("id", *store.COLUMNS[:-1], "time_known" if "time_known" in has else "1"))


def _backup_rows(db: sqlite3.Connection, columns: str) -> Iterator[tuple[str, Any]]:
    """Each row of the backup as (where it is, the entry or why it cannot be one), checked
    as ``diary import`` checks each entry."""
    from crampcli.diary.transfer import entry

    rows = db.execute(f"SELECT {columns} FROM cramps ORDER BY id")  # our own column names
    for n, row in enumerate(rows, 1):
        place = f"row {n} (id {row[0]!r})"
        names = ("id", "at", "leg", "where", *store.COLUMNS[3:])
        fields = dict(zip(names, row, strict=True))
        for name in ("woke", "time_known"):
            fields[name] = {0: False, 1: True}.get(fields[name], fields[name])
        for name in LIST_FIELDS:
            value = fields[name]
            fields[name] = (
                [v for v in value.split(SEPARATOR) if v] if isinstance(value, str) else value
            )
        try:
            yield place, entry(fields)
        except InvalidValue as exc:
            yield place, f"{exc.option}: {exc.problem}"
        except (TypeError, ValueError, OverflowError) as exc:
            yield place, str(exc)


def _check_rows(db: sqlite3.Connection, columns: str, source: Path) -> int:
    """How many entries the backup holds; ImportProblems naming the bad rows if any."""
    from crampcli.diary.transfer import SHOWN, ImportProblems
    from crampcli.problems import Problems

    problems = Problems(keep=SHOWN)
    count = 0
    seen: set[object] = set()  # ids, which a table without a key may repeat
    try:
        for place, entry in _backup_rows(db, columns):
            count += 1
            if isinstance(entry, str):
                problems.append(f"{place}: {entry}")
            elif entry.id is None:  # every row of a diary has one
                problems.append(f"{place}: id: is missing")
            elif entry.id in seen:
                problems.append(f"{place}: id: {entry.id} appears twice in the backup")
            else:
                seen.add(entry.id)
    except sqlite3.DatabaseError as exc:
        raise DiaryError(f"{source} is damaged ({exc}); it cannot be restored") from None
    if problems:
        raise ImportProblems(str(source), problems, "restored from")
    return count


def restore(path: Path, checked: Backup) -> list[Path]:
    """Put the entries of the ``checked`` backup in place of the diary's, and return where
    the diary as it was is kept (beside it; none when it held nothing). Only the entries are
    copied, into crampcli's own schema (the backup's tables, triggers and views never are),
    and the undo journal starts empty. All of it in one write transaction of the diary, taken
    before the copy is kept: a ``log`` at the same moment lands before (and is in the kept
    copy) or after (in the restored diary). A damaged diary is kept as its bytes, then a new
    one is made; one that is not ours, busy, on a full disk or failing to read is refused. One
    restore or wipe at a time (``exclusive``)."""
    kept: list[Path] = []
    aside: list[Path] = []  # the damaged diary's copy, once it was moved there
    done: list[bool] = []  # committed: only the clean-up is left
    try:
        _restore(path, checked, kept, aside, done)
    except (DiaryError, KeyboardInterrupt) as exc:  # a full disk, Ctrl-C: say what is where
        where = ", ".join(map(str, kept))
        if done:
            raise Interrupted(
                "interrupted once the restore was done: the diary holds the backup's entries"
                + (f"; the diary as it was is kept in {where}" if kept else "")
            ) from None
        if not aside:
            raise
        moved = f"the damaged diary was moved aside: it is kept in {aside[0]}"
        if isinstance(exc, KeyboardInterrupt):
            raise Interrupted(f"the restore was interrupted; {moved}") from None
        raise type(exc)(f"{exc}. Before that, {moved}") from None
    return kept


def _restore(
    path: Path, checked: Backup, kept: list[Path], aside: list[Path], done: list[bool]
) -> None:
    real = real_path(path)
    with explained(path), guarded(path, real, create=True) as folder:
        assert folder is not None  # made when missing
        # `closing` ends after every connection below: see _keep_bytes
        with exclusive(folder, real, path), contextlib.ExitStack() as closing:
            read_head(folder, real, path)  # a FIFO or a folder there is refused, left as it is

            def set_aside() -> None:  # the damaged diary: its bytes kept, then removed
                if not aside:
                    aside.append(_keep_bytes(real, folder, closing))
                    kept.append(aside[0])
                    for suffix in ("", *SIDE_FILES):  # ours: guarded checked them
                        with contextlib.suppress(FileNotFoundError):
                            os.unlink(real.name + suffix, dir_fd=folder)

            try:
                with Diary.open(path) as diary, contextlib.ExitStack() as committing:
                    _replace_entries(diary, checked, real, kept, set_aside, committing)
                    done.append(True)  # then a Ctrl-C held during the COMMIT lands
                return
            except DiaryDamaged:  # only then: busy, full, an I/O error... are refused
                set_aside()  # done already if found while writing; else SQLite cannot open it
            # a `log` may have made it: it is kept too
            with Diary.open(path) as diary, contextlib.ExitStack() as committing:
                _replace_entries(diary, checked, real, kept, set_aside, committing)
                done.append(True)


def _replace_entries(
    diary: Diary,
    checked: Backup,
    real: Path,
    kept: list[Path],
    set_aside: Callable[[], None],
    committing: contextlib.ExitStack,
) -> None:
    """In one write transaction: the backup's entries in place of the diary's, then, if the
    diary held anything, a copy of it as it was beside it (added to ``kept``), read by its
    own reader, which sees the last commit, not this transaction. A diary that cannot be
    written (read-only) fails at the first change, before any copy is made. Damage found
    on the way is ``set_aside`` while this transaction still holds the diary (no `log` can
    land between its copy and its removal), then said (DiaryDamaged). From the COMMIT on,
    Ctrl-C and the like wait in ``committing``, until the caller has noted it done."""
    from crampcli.interrupts import signals_held

    with diary.transaction() as db:
        try:
            _write_entries(db, diary, checked, real, kept)
            committing.enter_context(signals_held(until_said=True))
        except (sqlite3.DatabaseError, DiaryDamaged) as exc:
            if isinstance(exc, DiaryDamaged) or corrupt(exc):
                set_aside()
            raise


def _write_entries(
    db: sqlite3.Connection, diary: Diary, checked: Backup, real: Path, kept: list[Path]
) -> None:
    held = (
        db.execute("SELECT count(*) FROM cramps").fetchone()[0]
        or db.execute("SELECT count(*) FROM changes").fetchone()[0]
    )
    db.execute("PRAGMA secure_delete = ON")  # the old rows do not linger in the file
    db.execute("DELETE FROM cramps")
    db.execute("DELETE FROM changes")  # the backup's undo journal is never carried
    # ids restart with the backup's; the undo journal's numbers never do: an `undo` asking
    # about change N must not find another change N
    db.execute("DELETE FROM sqlite_sequence WHERE name = 'cramps'")
    db.executemany(INSERT, ((c.id, *row_values(c)) for c in _entries(checked)))
    if held:
        copy = _kept_name(real)
        try:
            with diary.reader() as current:
                backup(current, copy)  # this transaction blocks writers meanwhile
        except DiaryDamaged:  # reading the diary: restore replaces it
            raise
        except DiaryError as exc:  # the kept copy could not be written: all rolled back
            raise DiaryError(f"{exc}; nothing was restored, the diary is as it was") from None
        kept.append(copy)


def _entries(checked: Backup) -> Iterator[Cramp]:
    """The checked backup's entries. A read that fails now is the backup's copy, not the
    diary: said as such, never taken for a damaged diary."""
    try:
        for _, entry in _backup_rows(checked.db, checked.columns):
            if isinstance(entry, Cramp):
                yield entry
    except sqlite3.DatabaseError as exc:
        raise DiaryError(f"the backup's copy could not be read ({exc}); nothing changed") from None


def _kept_name(real: Path) -> Path:
    """A new name beside the diary for a copy of it, named for the time."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = real.with_name(f"{real.stem}-before-restore-{stamp}{real.suffix}")
    n = 1
    while any(Path(f"{kept}{suffix}").exists() for suffix in ("", "-wal", "-journal")):
        n += 1
        kept = real.with_name(f"{real.stem}-before-restore-{stamp}-{n}{real.suffix}")
    return kept


def _kept_names(real: Path) -> re.Pattern[str]:
    """The names ``_kept_name`` gives copies of the diary ``real``, their WAL and journal
    (``_keep_bytes``) included."""
    stamp = r"-before-restore-\d{8}-\d{6}(?:-\d+)?"
    return re.compile(re.escape(real.stem) + stamp + re.escape(real.suffix) + "(?:-wal|-journal)?")


def _keep_bytes(real: Path, folder: int, closing: contextlib.ExitStack) -> Path:
    """The diary's bytes, its WAL file and journal included, beside it: one that cannot be
    opened. The descriptors read are closed by ``closing``, after this process's connection
    to the diary: closing one before would drop that connection's locks (POSIX)."""
    from crampcli.knowledge import atomic

    kept = _kept_name(real)
    written: list[Path] = []
    try:
        for suffix in ("", "-wal", "-journal"):  # what SQLite would read with it
            with contextlib.suppress(FileNotFoundError):
                flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
                fd = os.open(real.name + suffix, flags, dir_fd=folder)
                closing.callback(os.close, fd)
                written.append(atomic.write_private(Path(f"{kept}{suffix}"), _chunks(fd)))
    except BaseException:  # a full disk: no half copy (its WAL missing) is left to trust
        for file in written:
            with contextlib.suppress(OSError):
                file.unlink()
        raise
    return kept


def _chunks(fd: int) -> Iterator[bytes]:
    """The bytes of the file open as ``fd``, from its start, a MiB at a time."""
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        offset += len(chunk)
        yield chunk


def wipe(path: Path, waiting: Callable[[], None] = lambda: None) -> list[Path] | None:
    """Remove the diary and its side files, and a symlink to it: the files removed (the
    link's target first), or None when there was none. A diary of ours is removed even when
    it is damaged or from a newer crampcli (its header says it is ours); what is not our diary,
    a folder others can write, or a side file someone else owns is refused, nothing deleted.
    It waits for a restore under way (``exclusive``) and for every other crampcli that has
    the diary open (``alone``; ``waiting`` is called if it has to)."""
    from crampcli.interrupts import signals_held

    real = real_path(path)
    removed: list[Path] = []
    with explained(path), guarded(path, real, create=False) as folder:
        if folder is None:
            return None
        with exclusive(folder, real, path):  # a restore under way finishes first
            head = read_head(folder, real, path)
            if head is not None:
                own_private(real)  # someone else's file is not ours to delete
                if head[68:72] != APPLICATION_ID.to_bytes(4, "big"):
                    with Diary.open(path, create=False):  # an empty or new diary; else refused
                        pass
            _removable(real, folder)  # before anything goes: all of it, or nothing
            # Removing files SQLite has open loses entries: on closing, the last connection
            # writes its WAL back and removes the WAL file by name, a new diary's WAL too. So
            # nothing is removed while another connection is open, and none opens until the
            # end (`alone`). Emptied first, the diary then its WAL and journal: one that opened
            # the file meanwhile and waits for the lock finds nothing, and a wipe killed midway
            # leaves no entry but in the few microseconds between two of them. Then its side
            # files go, and the diary last: its name stays taken until the end (a `log`
            # meanwhile waits, it never makes a new diary beside old side files). Ctrl-C and
            # the like wait until all are gone.
            with alone(folder, real, path, waiting) as fd, signals_held(until_said=True):
                if fd is not None:
                    os.ftruncate(fd, 0)
                for side in SIDE_FILES:
                    _emptied(real.name + side, folder)
                gone = [s for s in (*SIDE_FILES, "") if _unlinked(real.name + s, folder)]
            removed = [real.parent / (real.name + s) for s in sorted(gone, key=bool)]  # diary first
            removed += remove_stale(folder, real)  # copies a killed backup, restore or wipe left
            if head is None and not removed:
                return None
            if path.is_symlink():
                path.unlink()
    return removed


IMMUTABLE, APPEND_ONLY = 0x10, 0x20  # Linux inode flags (chattr +i, +a)
GET_FLAGS = 0x80086601  # FS_IOC_GETFLAGS


def _removable(real: Path, folder: int) -> None:
    """Refuse, before anything is emptied or removed, what a wipe could not finish: a folder
    it cannot write (read-only, someone else's), or a folder or diary file marked immutable
    or append-only (`chattr +i`, `+a`). Where the flags cannot be read, go on."""
    if not os.access(".", os.W_OK | os.X_OK, dir_fd=folder, effective_ids=True):
        raise DiaryError(
            f"cannot wipe the diary {real}: its folder cannot be written (read-only, or not "
            "yours to change), so its files cannot be removed; nothing was deleted"
        )
    for name in (".", *(real.name + s for s in ("", *SIDE_FILES))):
        if _flags(name, folder) & (IMMUTABLE | APPEND_ONLY):
            what = "its folder is" if name == "." else f"{name} is"
            raise DiaryError(
                f"cannot wipe the diary {real}: {what} marked immutable or append-only "
                "(chattr), so it cannot be removed; nothing was deleted"
            )


def _flags(name: str, folder: int) -> int:
    """The Linux inode flags of ``name`` in ``folder``; 0 where it is missing or they cannot
    be read (a file system without them)."""
    import fcntl
    import struct

    try:
        fd = os.open(
            name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder
        )
    except FileNotFoundError:
        return 0
    try:
        return int(struct.unpack("i", fcntl.ioctl(fd, GET_FLAGS, struct.pack("i", 0)))[0])
    except OSError:
        return 0
    finally:
        os.close(fd)


def _emptied(name: str, folder: int) -> None:
    """Truncate the regular file ``name`` in ``folder`` to nothing, if it is there."""
    try:
        fd = os.open(
            name, os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder
        )
    except FileNotFoundError:
        return
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)


def _unlinked(name: str, folder: int) -> bool:
    """Remove ``name`` in ``folder``; whether it was there."""
    try:
        os.unlink(name, dir_fd=folder)
    except FileNotFoundError:
        return False
    return True
