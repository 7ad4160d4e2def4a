"""The diary file: SQLite (WAL, one transaction per write), versioned by migrations.

One file, ``diary.sqlite3``, in ``$CRAMPCLI_HOME`` or else the XDG data directory
(``$XDG_DATA_HOME/crampcli`` when it is absolute, else ``~/.local/share/crampcli``), in a
folder only we may write (with side files only we may read), created with mode 0600
(its missing folders 0700, whatever the umask). A symlink there is followed to the real file,
which is what is created, opened and wiped. A file that is not a crampcli diary (corrupt,
another program's database, a FIFO or a folder) is refused and never written to. Commands
that only read open it read-only, so they work on a read-only file system or a full disk.
Every change is journalled, so that ``undo`` can take back the last one.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import stat
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crampcli.diary.model import LIST_FIELDS, MAX_ID, SEPARATOR, Cramp, InvalidValue, iso
from crampcli.errors import CrampError, NotFound

if TYPE_CHECKING:
    from crampcli.problems import Problems

FILE_NAME = "diary.sqlite3"
parse_time = datetime.fromisoformat
HOME_ENV = "CRAMPCLI_HOME"
APPLICATION_ID = 0x43524D50  # "CRMP" in the file header: tells our diary from other databases
SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_BYTES = 100  # SQLite's file header: the application id is at bytes 68-71
# The bounds of a listing or of stats when none is given: the years a diary holds (model.FIRST,
# model.LAST). A row outside them (imported by an older crampcli) cannot be shown in every time
# zone: it is left out of listings and stats, and kept in exports.
OLDEST, NEWEST = "1900", "2200"
FULL_BELOW = 64 * 1024  # free bytes under which an I/O error is a full disk
BUSY_TIMEOUT_MS = 30_000  # 20 processes logging at once wait their turn, they do not fail

COLUMNS = (
    "at",
    "leg",
    "place",
    "minutes",
    "pain",
    "woke",
    "sleep",
    "triggers",
    "helped",
    "medicines",
    "note",
    "logged",
    "time_known",
)


@dataclass
class Counts:
    """The entries of a window, counted by SQLite (``Diary.counts``): no row reaches Python.
    Times are UTC ISO strings; weeks are local Mondays (ISO dates); hours are local."""

    total: int
    first: str | None
    last: str | None
    woke: int
    sleep_sum: int
    sleep_n: int
    later: int  # entries after ``split`` (the window's recent part)
    unknown_time: int  # entries whose time of day was not said
    weeks: dict[str, int]
    hours: dict[int, int]  # entries with a known time only
    legs: dict[str, int]
    places: dict[str, int]
    triggers: dict[str, int]  # by the joined list as stored: a diary repeats few combinations
    helped: dict[str, int]
    medicines: dict[str, int]
    minutes: tuple[float | None, float | None]  # median, longest
    pain: tuple[float | None, int | None]  # median, worst


# Each entry of a window as the figures need it: its local hour worked out by SQLite, so no
# datetime is made per entry. Read in chunks into hash counters (C code), which beats one
# GROUP BY per figure: SQLite sorts to group. Weeks are counted apart, on the index alone.
_WINDOW = (
    "SELECT CASE WHEN time_known THEN "
    "CAST(strftime('%H', at, 'localtime') AS INTEGER) END, leg, place, woke, sleep, triggers, "
    "helped, medicines, minutes, pain FROM cramps WHERE at >= ? AND at <= ?"
)
_CHUNK = 1000  # rows in memory at once, whatever the window holds (fits the CPU caches)
# The first and last entry of a window and how many are after a moment: each a seek or a
# count of the index on `at` (no row is read).
_EDGES = (
    "SELECT (SELECT min(at) FROM cramps WHERE at >= ?1 AND at <= ?2), "
    "(SELECT max(at) FROM cramps WHERE at >= ?1 AND at <= ?2), "
    "(SELECT count(*) FROM cramps WHERE at > ?3 AND at <= ?2)"
)
_IN_WEEK = "SELECT count(*) FROM cramps WHERE at >= ? AND at < ?"
_IN_LAST = "SELECT count(*) FROM cramps WHERE at >= ? AND at <= ?"

_INSERT = f"INSERT INTO cramps (id, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})"


class DiaryError(CrampError):
    """The diary cannot be opened or written; the message says why and what to do."""


class DiaryUnavailable(DiaryError):
    """The diary is fine but cannot be written now: busy, a full disk, a read-only folder."""


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    """Register a schema step; steps run once each, in order, recorded in ``_migrations``
    (as simonw/llm does). Never edit a released step: add a new one."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE cramps (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            leg TEXT, place TEXT, minutes REAL, pain INTEGER,
            woke INTEGER NOT NULL DEFAULT 0, sleep INTEGER,
            triggers TEXT NOT NULL DEFAULT '', helped TEXT NOT NULL DEFAULT '',
            medicines TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
            logged TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX cramps_at ON cramps (at)")
    # What `undo` takes back: the action, and every row as it was before (null: did not exist).
    db.execute(
        "CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL, "
        "done TEXT NOT NULL, before TEXT NOT NULL)"
    )


@migration
def m002_time_known(db: sqlite3.Connection) -> None:
    # 0: only the day was said ("yesterday"): kept out of every time-of-day figure
    db.execute("ALTER TABLE cramps ADD COLUMN time_known INTEGER NOT NULL DEFAULT 1")


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get(HOME_ENV):
        return Path(environ[HOME_ENV]).expanduser() / FILE_NAME
    from crampcli.folders import xdg_home

    data = xdg_home(environ, "XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "crampcli" / FILE_NAME


class _Rejected(Exception):
    """An import with problems: its transaction is rolled back."""


RANGES = "ranges"  # in the undo journal: [first, last] id spans an import added


class _Ranges:
    """Ids as [first, last] spans: an import of a million entries is journalled in a line."""

    def __init__(self) -> None:
        self.spans: list[list[int]] = []

    def add(self, entry_id: int) -> None:
        if self.spans and self.spans[-1][1] == entry_id - 1:
            self.spans[-1][1] = entry_id
        else:
            self.spans.append([entry_id, entry_id])


# The id AUTOINCREMENT would give next: one above the highest ever used.
_TOP = (
    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'cramps'), 0), "
    "coalesce((SELECT max(id) FROM cramps), 0))"
)
# The lowest id from ?1 up that no entry holds (a walk of the ids in order: only once the
# ids have reached MAX_ID, which no real diary does).
_FREE = (
    "SELECT min(free) FROM (SELECT ?1 AS free WHERE NOT EXISTS (SELECT 1 FROM cramps WHERE "
    "id = ?1) UNION ALL SELECT * FROM (SELECT id + 1 FROM cramps AS c WHERE id >= ?1 AND "
    "NOT EXISTS (SELECT 1 FROM cramps WHERE id = c.id + 1) ORDER BY id LIMIT 1))"
)


class _Inserter:
    """Stores entries in one write transaction. An entry without an id gets the next one
    (as AUTOINCREMENT gives it) while that is at most MAX_ID, else the lowest free one: every
    id stays one that edit, delete and import take, whatever ids an import brought."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._top = db.execute(_TOP).fetchone()[0]
        self._free_from = 1

    def insert(self, cramp: Cramp) -> int:
        entry_id = cramp.id
        if entry_id is None and self._top >= MAX_ID:
            entry_id = self._lowest_free()
        cur = self._db.execute(_INSERT, (entry_id, *_row(cramp)))
        new_id = cur.lastrowid or 0
        self._top = max(self._top, new_id)
        return new_id

    def _lowest_free(self) -> int:
        found = self._db.execute(_FREE, (self._free_from,)).fetchone()
        if found[0] is None or found[0] > MAX_ID:
            raise DiaryError(f"the diary holds an entry for every id up to {MAX_ID}")
        self._free_from = found[0] + 1
        return int(found[0])


@dataclass
class Change:
    """What ``undo`` did: the action taken back and the entry ids it touched."""

    action: str
    ids: tuple[int, ...]


@contextlib.contextmanager
def _explained(path: Path) -> Iterator[None]:
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
        raise DiaryError(
            f"the diary {path} is damaged ({text}); it was left as it is: move it "
            "away to start a new one, or restore a backup"
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


def _disk_full(path: Path) -> bool:
    """Whether the diary's disk has no room left: SQLite reports a full disk as an I/O error
    (or a failed open) when it cannot grow its shared-memory or journal file."""
    try:
        info = os.statvfs(path.parent)
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < FULL_BELOW


def real_path(path: Path) -> Path:
    """Where the diary's bytes are: a symlink (even one whose target does not exist yet) is
    followed, so that the diary, its WAL files and `wipe` all act on the real file. A link
    someone else owns anywhere on the way is refused (atomic.trusted_path)."""
    from crampcli.knowledge import atomic  # stdlib only, but `log` starts without it

    try:
        return atomic.trusted_path(path)
    except OSError as exc:  # someone else's link, or a loop
        raise DiaryError(f"cannot use the diary {path}: {exc.strerror or exc}") from None


def _own_private(real: Path) -> None:
    """A diary file someone else owns is not ours to write notes into; our own is kept 0600
    (one made before, or under a loose umask, is tightened)."""
    try:
        info = real.stat()
    except FileNotFoundError:
        return
    if info.st_uid != os.geteuid():
        raise DiaryError(f"cannot use the diary {real}: the file belongs to someone else")
    if stat.S_ISREG(info.st_mode) and info.st_mode & 0o077:
        os.chmod(real, 0o600)


SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite trusts what it finds there


@contextlib.contextmanager
def _guarded(path: Path, real: Path, create: bool) -> Iterator[int | None]:
    """A descriptor of the diary's folder, checked (``_own_folder``), with its side files
    checked too (``_check_side_files``); None when the folder does not exist (made 0700 with
    its missing parents when ``create``). Nothing is written or deleted when it refuses."""
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
        _own_folder(path, real.parent, os.fstat(folder))
        _check_side_files(path, real, folder)
        yield folder
    finally:
        os.close(folder)


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


def _same_folder(folder: int, real: Path) -> bool:
    """Whether ``real``'s folder is still the one checked through the descriptor."""
    try:
        now = os.stat(real.parent, follow_symlinks=False)
    except OSError:
        return False
    then = os.fstat(folder)
    return (now.st_dev, now.st_ino) == (then.st_dev, then.st_ino)


class Diary:
    """An open diary. Use as a context manager: ``with Diary.open(path) as diary: ...``."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._db = db

    @classmethod
    def open(cls, path: Path, create: bool = True, read_only: bool = False) -> Diary:
        """The diary at ``path``; ``read_only`` for commands that only read: they work on a
        read-only file system or a full disk too (a diary that needs a migration first is
        opened for writing). Its folder and side files are checked first (``_guarded``)."""
        real = real_path(path)
        with _explained(path), _guarded(path, real, create and not read_only) as folder:
            if folder is None or not _check_header(folder, real, path, create and not read_only):
                raise NotFound(f"this machine has no diary yet ({path}); start one: `crampcli log`")
            diary = None
            if read_only:
                diary = cls._open_read_only(path, real)
            if diary is None:
                _own_private(real)
                db = _connect(str(real), uri=False)
                try:
                    diary = cls(path, db)
                    diary._prepare()
                except BaseException:
                    db.close()
                    raise
            if not _same_folder(folder, real):  # swapped while SQLite opened it
                diary._db.close()
                raise DiaryError(f"cannot use the diary {path}: its folder was moved meanwhile")
        return diary

    @classmethod
    def _open_read_only(cls, path: Path, real: Path) -> Diary | None:
        """Opened with ``mode=ro``; where SQLite cannot make its shared-memory file (a
        read-only folder or file system, a full disk) and nothing waits in the WAL file,
        as ``immutable``. None when the file is not a current diary yet."""
        uri = "file:" + urllib.parse.quote(str(real)) + "?mode=ro"
        try:
            db = _connect(uri, uri=True)
            db.execute("PRAGMA user_version").fetchone()
        except sqlite3.OperationalError:
            wal = Path(f"{real}-wal")
            if wal.exists() and wal.stat().st_size:
                raise
            db = _connect(uri + "&immutable=1", uri=True)
        try:
            current = db.execute("PRAGMA application_id").fetchone()[
                0
            ] == APPLICATION_ID and db.execute("PRAGMA user_version").fetchone()[0] == len(
                MIGRATIONS
            )
        except BaseException:
            db.close()
            raise
        if not current:
            db.close()
            return None
        return cls(path, db)

    def __enter__(self) -> Diary:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()

    # --- schema ---------------------------------------------------------------------------

    def _prepare(self) -> None:
        db = self._db
        if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            self._refuse_foreign()  # before any write: a foreign file stays byte for byte
            with self._write():
                app_id = db.execute("PRAGMA application_id").fetchone()[0]  # a racer may have won
                if app_id != APPLICATION_ID:
                    self._refuse_foreign()
                    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        known = [name for name, _ in MIGRATIONS]
        if db.execute("PRAGMA user_version").fetchone()[0] != len(known):
            with self._write():
                db.execute(
                    "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, "
                    "applied TEXT NOT NULL)"
                )
                done = {r[0] for r in db.execute("SELECT name FROM _migrations")}
                if done - set(known):
                    raise DiaryError(
                        f"{self.path} was written by a newer crampcli; upgrade "
                        "crampcli to use it (it was left as it is)"
                    )
                for name, step in MIGRATIONS:
                    if name not in done:
                        step(db)
                        db.execute("INSERT INTO _migrations VALUES (?, datetime('now'))", (name,))
                db.execute(f"PRAGMA user_version = {len(known)}")

    def _refuse_foreign(self) -> None:
        if self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise DiaryError(
                f"{self.path} is not a crampcli diary (another program's "
                f"database?); it was left as it is: move it away or set {HOME_ENV}"
            )

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE): all of it lands, or none."""
        db = self._db
        with _explained(self.path):
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:  # SQLite itself rolls back on some errors (a full disk)
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # --- reading --------------------------------------------------------------------------

    def entries(
        self, since: datetime | None = None, until: datetime | None = None, last: int = -1
    ) -> list[Cramp]:
        """Entries from ``since`` to ``until`` (inclusive), oldest first; only the ``last``
        ones when it is given."""
        sql = (
            f"SELECT id, {', '.join(COLUMNS)} FROM cramps WHERE at >= ? AND at <= ? "
            "ORDER BY at DESC, id DESC LIMIT ?"
        )
        bounds = (iso(since) if since else OLDEST, iso(until) if until else NEWEST, last)
        with _explained(self.path):
            rows = self._db.execute(sql, bounds).fetchall()
        return [_cramp(row) for row in reversed(rows)]

    def each(self) -> Iterator[Cramp]:
        """Every entry, oldest first, read as they are used (constant memory at any size)."""
        sql = f"SELECT id, {', '.join(COLUMNS)} FROM cramps ORDER BY at, id"
        with _explained(self.path):
            cursor = self._db.execute(sql)
            while rows := cursor.fetchmany(1000):
                yield from map(_cramp, rows)

    def counts(self, since: datetime, until: datetime, split: datetime) -> Counts:
        """The entries from ``since`` up to ``until``, counted; ``later``: those after
        ``split``. SQLite's 'localtime' and Python's ``astimezone()`` both use the C
        library's time zone."""
        bounds = (iso(since), iso(until))
        columns: list[Counter[Any]] = [Counter() for _ in range(10)]
        with _explained(self.path):
            first, last, later = self._db.execute(_EDGES, (*bounds, iso(split))).fetchone()
            weeks = self._weeks(since, until, first, last)
            cursor = self._db.execute(_WINDOW, bounds)
            while chunk := cursor.fetchmany(_CHUNK):
                for counter, column in zip(columns, zip(*chunk, strict=True), strict=True):
                    counter.update(column)
        hours, legs, places, woke, sleep, triggers, helped, medicines, minutes, pain = columns
        sleep.pop(None, None)
        return Counts(
            total=sum(woke.values()),  # every entry has a woke of 0 or 1
            first=first,
            last=last,
            woke=woke[1],
            sleep_sum=sum(value * n for value, n in sleep.items()),
            sleep_n=sum(sleep.values()),
            later=later,
            unknown_time=hours.pop(None, 0),
            weeks=weeks,
            hours=dict(hours),
            legs=_named(legs),
            places=_named(places),
            triggers=_named(triggers),
            helped=_named(helped),
            medicines=_named(medicines),
            minutes=_median_and_top(minutes),
            pain=_median_and_top(pain),
        )

    def _weeks(
        self, since: datetime, until: datetime, first: str | None, last: str | None
    ) -> dict[str, int]:
        """Entries per local week (by its Monday, ISO): one count of the index on ``at`` per
        week between the first and the last entry of the window (``first``, ``last``), so the
        work grows with the weeks that hold entries, not with the entries."""
        from crampcli.diary.times import mondays, start_of

        if first is None or last is None:
            return {}
        days = mondays(max(since, parse_time(first)), min(until, parse_time(last)))
        edges = [iso(since), *(iso(start_of(d)) for d in days[1:])]
        out: dict[str, int] = {}
        for n, day in enumerate(days):
            sql, end = (_IN_WEEK, edges[n + 1]) if n + 1 < len(days) else (_IN_LAST, iso(until))
            count = self._db.execute(sql, (edges[n], end)).fetchone()[0]
            if count:
                out[day.isoformat()] = count
        return out

    def nth(
        self, since: datetime, until: datetime, n: int, woke: bool = False, minutes: float = 0
    ) -> datetime | None:
        """When the ``n``-th entry from ``since`` up to ``until`` (only those that woke them,
        or lasted ``minutes`` or more) happened: when a threshold was reached."""
        sql = (
            "SELECT at FROM cramps WHERE at >= ? AND at <= ? AND woke >= ? "
            "AND coalesce(minutes, -1) >= ? ORDER BY at, id LIMIT 1 OFFSET ?"
        )
        with _explained(self.path):
            row = self._db.execute(
                sql, (iso(since), iso(until), int(woke), minutes if minutes else -1, n - 1)
            ).fetchone()
        return parse_time(row[0]) if row else None

    def get(self, entry_id: int) -> Cramp:
        sql = f"SELECT id, {', '.join(COLUMNS)} FROM cramps WHERE id = ?"
        with _explained(self.path):
            row = self._db.execute(sql, (entry_id,)).fetchone()
        if row is None:
            raise NotFound(f"no diary entry #{entry_id}; `crampcli diary` lists them")
        return _cramp(row)

    # --- writing --------------------------------------------------------------------------

    def add(self, cramp: Cramp) -> Cramp:
        return self.add_all([cramp])[0]

    def add_all(self, cramps: Iterable[Cramp], action: str = "add") -> list[Cramp]:
        """Store every one, in one transaction; an entry with an id keeps it."""
        with self._write():
            return self._insert(cramps, action)

    def add_unless_stored(
        self, found: Iterable[tuple[str, Cramp, bool]], problems: Problems
    ) -> tuple[int, int]:
        """Add the entries of an import (where each came from, it, and whether the file said
        when it was logged: if not, that is not compared) as they come, in one
        write transaction that also reads the ids, so an entry another crampcli stores
        meanwhile is seen: an id already stored with the same values is skipped (counted),
        one stored with other values or given twice is a problem. Nothing is added when
        ``problems`` holds any once ``found`` is done (the new ones are appended to it).
        Returns how many were added and how many skipped; memory stays the same at any size
        (the ids seen go to a temporary table, the journal holds ranges of ids)."""
        added = skipped = 0
        ranges = _Ranges()
        try:
            with self._write() as db:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS given (id INTEGER PRIMARY KEY)")
                db.execute("DELETE FROM temp.given")
                inserter = _Inserter(db)
                for place, cramp, logged_given in found:
                    if cramp.id is not None:
                        problem = self._known(cramp, logged_given)
                        if problem == "skip":
                            skipped += 1
                            continue
                        if problem:
                            problems.append(f"{place}: id: {problem}")
                            continue
                    if problems:
                        continue  # nothing will be added: only look for more problems
                    ranges.add(inserter.insert(cramp))
                    added += 1
                if problems:
                    raise _Rejected
                if added:
                    self._journal_json("import", json.dumps({RANGES: ranges.spans}))
        except _Rejected:
            return 0, 0
        return added, skipped

    def _known(self, cramp: Cramp, logged_given: bool) -> str | None:
        """Inside an import: "skip" when ``cramp`` is stored as it is (when it was logged
        compared only if ``logged_given``), a problem when its id was given before in this
        import or is stored with other values, else None."""
        db = self._db
        if not db.execute("INSERT OR IGNORE INTO temp.given VALUES (?)", (cramp.id,)).rowcount:
            return f"{cramp.id} appears twice in the file"
        sql = f"SELECT id, {', '.join(COLUMNS)} FROM cramps WHERE id = ?"
        row = db.execute(sql, (cramp.id,)).fetchone()
        if row is None:
            return None
        stored = _cramp(row)
        if stored == cramp or (not logged_given and replace(stored, logged=cramp.logged) == cramp):
            return "skip"
        return (
            f"#{cramp.id} is already in the diary with other values (remove the id to add "
            "it as a new entry)"
        )

    def _insert(self, cramps: Iterable[Cramp], action: str) -> list[Cramp]:
        """Inside a write transaction: store each one and journal them as one change."""
        stored: list[Cramp] = []
        inserter = _Inserter(self._db)
        for cramp in map(Cramp.checked, cramps):
            stored.append(replace(cramp, id=inserter.insert(cramp)))
        if stored:
            self._journal(action, {c.id: None for c in stored if c.id is not None})
        return stored

    def edit(self, entry_id: int, changes: Mapping[str, Any]) -> Cramp:
        with self._write():
            old = self.get(entry_id)
            new = replace(old, **changes).checked()
            sets = ", ".join(f"{c} = ?" for c in COLUMNS)
            self._db.execute(f"UPDATE cramps SET {sets} WHERE id = ?", (*_row(new), entry_id))
            self._journal("edit", {entry_id: old})
        return new

    def delete(self, entry_id: int) -> Cramp:
        with self._write():
            old = self.get(entry_id)
            self._db.execute("DELETE FROM cramps WHERE id = ?", (entry_id,))
            self._journal("delete", {entry_id: old})
        return old

    def undo(self) -> Change:
        """Take back the last change (add, edit, delete or import), in one transaction."""
        with self._write() as db:
            last = db.execute(
                "SELECT seq, action, before FROM changes ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            if last is None:
                raise NotFound("nothing to undo")
            seq, action, before = last
            ids: list[int] = []
            undone = json.loads(before)
            for first, last_id in undone.pop(RANGES, ()):  # entries an import added
                db.execute("DELETE FROM cramps WHERE id BETWEEN ? AND ?", (first, last_id))
                ids.extend(range(first, last_id + 1))
            for key, old in undone.items():
                ids.append(int(key))
                db.execute("DELETE FROM cramps WHERE id = ?", (int(key),))
                if old is not None:  # a row journalled before a migration added columns
                    names = ", ".join(COLUMNS[: len(old)])
                    marks = ", ?" * len(old)
                    db.execute(
                        f"INSERT INTO cramps (id, {names}) VALUES (?{marks})", (int(key), *old)
                    )
            db.execute("DELETE FROM changes WHERE seq = ?", (seq,))
        return Change(action, tuple(sorted(ids)))

    def last_change(self) -> Change | None:
        """What ``undo`` would take back, without taking it back."""
        with _explained(self.path):
            last = self._db.execute(
                "SELECT action, before FROM changes ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        if last is None:
            return None
        undone = json.loads(last[1])
        ids = [i for first, end in undone.pop(RANGES, ()) for i in range(first, end + 1)]
        return Change(last[0], tuple(sorted([*ids, *map(int, undone)])))

    def _journal(self, action: str, before: Mapping[int, Cramp | None]) -> None:
        rows = {str(k): (_row(v) if v else None) for k, v in before.items()}
        self._journal_json(action, json.dumps(rows))

    def _journal_json(self, action: str, before: str) -> None:
        """``before``: each id and its row as it was (null: new), or ``RANGES`` of new ids."""
        self._db.execute(
            "INSERT INTO changes (action, done, before) VALUES (?, datetime('now'), ?)",
            (action, before),
        )


def _named(counter: Counter[Any]) -> dict[Any, int]:
    """Most common first (ties by value), without the entries that gave none."""
    counter.pop(None, None)
    counter.pop("", None)
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _median_and_top(counter: Counter[Any]) -> tuple[Any, Any]:
    """The median and the largest of the values ``counter`` counts (None not among them)."""
    counter.pop(None, None)
    n = sum(counter.values())
    if not n:
        return None, None
    values = sorted(counter)
    wanted = ((n - 1) // 2, n // 2)  # positions of the middle one (twice), or middle two
    middle: list[Any] = []
    seen = 0
    for value in values:
        seen += counter[value]
        while len(middle) < 2 and seen > wanted[len(middle)]:
            middle.append(value)
    return (middle[0] + middle[1]) / 2, values[-1]


def _connect(target: str, uri: bool) -> sqlite3.Connection:
    db = sqlite3.connect(target, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, uri=uri)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


def _head(folder: int, real: Path, path: Path) -> bytes | None:
    """The first bytes of the diary file (its SQLite header), None when there is none. What
    is not a regular file (a FIFO would hang every command) is refused before SQLite sees it."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(real.name, flags, dir_fd=folder)
    except FileNotFoundError:
        return None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            from crampcli.knowledge.reading import kind

            raise DiaryError(
                f"{path} is not a crampcli diary ({kind(mode)}, not a regular file); it was "
                f"left as it is: move it away or set {HOME_ENV}"
            )
        return os.read(fd, HEADER_BYTES)
    finally:
        os.close(fd)


def _check_header(folder: int, real: Path, path: Path, create: bool) -> bool:
    """Whether the diary file may be opened; creates an empty one (0600) when allowed. A file
    that does not start as SQLite does is refused before SQLite ever sees it."""
    head = _head(folder, real, path)
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
        raise DiaryError(
            f"{path} is not a crampcli diary (not an SQLite file, or damaged); it "
            f"was left as it is: move it away or set {HOME_ENV}"
        )
    return True


def _row(cramp: Cramp) -> tuple[Any, ...]:
    """A record as the ``COLUMNS`` values; lists joined by ``;`` (which no item holds)."""
    lists = [SEPARATOR.join(getattr(cramp, name)) for name in LIST_FIELDS]
    return (
        iso(cramp.at),
        cramp.leg,
        cramp.where,
        cramp.minutes,
        cramp.pain,
        int(cramp.woke),
        cramp.sleep,
        *lists,
        cramp.note,
        iso(cramp.logged),
        int(cramp.time_known),
    )


def _cramp(row: tuple[Any, ...]) -> Cramp:
    """A stored row as a record: hot (10,000 rows for `diary stats`), so positional and plain."""
    (
        entry_id,
        at,
        leg,
        place,
        minutes,
        pain,
        woke,
        sleep,
        triggers,
        helped,
        medicines,
        note,
        logged,
        time_known,
    ) = row
    return Cramp(
        parse_time(at),
        leg,
        place,
        minutes,
        pain,
        woke == 1,
        sleep,
        tuple(triggers.split(SEPARATOR)) if triggers else (),
        tuple(helped.split(SEPARATOR)) if helped else (),
        tuple(medicines.split(SEPARATOR)) if medicines else (),
        note,
        entry_id,
        parse_time(logged),
        time_known == 1,
    )


def backup(diary: Diary, dest: Path) -> None:
    """A consistent copy of ``diary`` at ``dest``: SQLite's online backup (writers may go on)
    into a private temporary file in the diary's own folder (``_work_file``), then written as
    a new file only its owner can read that replaces ``dest`` (atomic.write_private: a
    symlink someone else owns is refused)."""
    from crampcli.knowledge import atomic

    with _explained(dest), _work_file(diary.path) as (where, fd):
        copy = sqlite3.connect(where)
        try:
            copy.execute("PRAGMA journal_mode = OFF")  # no side file to leave behind
            diary._db.backup(copy)
        finally:
            copy.close()
        os.pwrite(fd, b"\x01\x01", 18)  # rollback mode, not WAL: one self-contained file
        _drop_stale_side_files(dest)
        try:
            atomic.write_private(dest, _chunks(fd))
        except OSError as exc:
            raise DiaryError(f"cannot write the backup {dest}: {exc.strerror or exc}") from None


def _drop_stale_side_files(dest: Path) -> None:
    """The ``-wal``, ``-shm`` and ``-journal`` an old file at ``dest`` left: SQLite would read
    them with the new copy (a stale journal rolls it back). Ours are removed; anyone else's,
    or anything but a regular file, is refused and left as it is."""
    for suffix in SIDE_FILES:
        side = dest.with_name(dest.name + suffix)
        try:
            info = side.lstat()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DiaryError(f"cannot write the backup {dest}: {exc.strerror or exc}") from None
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            raise DiaryError(
                f"cannot write the backup {dest}: {side.name} beside it is not a file of yours; "
                "give another file name"
            )
        side.unlink()


WORK_PREFIXES = (f".{FILE_NAME}.", ".diary-before-restore-")  # atomic's temporary files


@contextlib.contextmanager
def _work_file(path: Path) -> Iterator[tuple[Path, int]]:
    """A new private file in the diary's own folder (ours, checked: no one else can swap it),
    named ``.diary.sqlite3.TOKEN.tmp`` and locked while open, as its path and a read-write
    descriptor; removed afterwards, and by the next run (``remove_stale``) when killed first."""
    from crampcli.knowledge import atomic

    real = real_path(path)
    with _guarded(path, real, create=True) as folder:
        assert folder is not None  # made when missing
        remove_stale(folder, real.parent)
        name, locked = atomic._new_temporary(folder, FILE_NAME, real.parent, 0o600)
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


def remove_stale(folder: int, where: Path) -> list[Path]:
    """Remove the temporary copies an earlier backup, restore or write of the diary left in
    its folder when it was killed (``WORK_PREFIXES``, no live writer holds them locked) and
    their SQLite side files; the files removed."""
    from crampcli.knowledge import atomic

    removed: list[Path] = []
    names = [n for n in os.listdir(folder) if n.startswith(WORK_PREFIXES)]
    for name in names:
        if name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                atomic._remove_if_stale(folder, name)
                if not os.path.lexists(where / name):
                    removed.append(where / name)
    for name in names:  # side files of copies that are gone
        base = name.rpartition("-")[0]
        if (
            name.endswith(SIDE_FILES)
            and base.endswith(".tmp")
            and not os.path.lexists(where / base)
        ):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name, dir_fd=folder)
                removed.append(where / name)
    return removed


def diary_part(output: Path, diary: Path) -> str | None:
    """Which file of the diary at ``diary`` a write to ``output`` would replace: "" for the
    diary itself, "-wal", "-shm" or "-journal" for one SQLite keeps beside it; None for none.
    Judged by where ``output`` leads (every link resolved: the same folder and name) and by
    what it is (a hard link to the diary too)."""
    try:
        target, real = real_path(output), real_path(diary)
    except DiaryError:  # someone else's link: the write refuses it anyway
        return None
    for part in ("", *SIDE_FILES):  # no output may land on any of them
        own = Path(f"{real}{part}")
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
    file in the folder of the diary at ``path`` (``_work_file``): only the pages its header
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
    with _work_file(path) as (where, fd):
        try:
            with open_regular(source) as given:
                _copy_pages(given, fd, source)
        except OSError as exc:
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
    """The non-empty ``-wal`` and ``-journal`` files SQLite would read with ``source`` (beside
    it, and beside the file a link names): a restore copies only the main file."""
    found = []
    for base in dict.fromkeys((source, source.resolve())):
        for suffix in ("-wal", "-journal"):
            side = base.with_name(base.name + suffix)
            with contextlib.suppress(OSError):
                if side.stat().st_size:
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
    os.write(fd, head)
    done = HEADER_BYTES
    while done < size:
        chunk = given.read(min(1 << 20, size - done))
        if not chunk:
            raise DiaryError(f"{source} is damaged (shorter than its header says); not restored")
        if chunk.count(0) != len(chunk):
            os.pwrite(fd, chunk, done)
        done += len(chunk)
    os.ftruncate(fd, size)


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
    if done - {name for name, _ in MIGRATIONS}:
        raise DiaryError(f"{source} was written by a newer crampcli; upgrade to restore it")
    missing = [c for c in ("id", *COLUMNS[:-1]) if c not in has]
    if missing:
        raise DiaryError(
            f"{source} is not a whole crampcli diary (no {missing[0]!r} in a cramps table)"
        )
    return ", ".join(("id", *COLUMNS[:-1], "time_known" if "time_known" in has else "1"))


def _backup_rows(db: sqlite3.Connection, columns: str) -> Iterator[tuple[str, Any]]:
    """Each row of the backup as (where it is, the entry or why it cannot be one), checked
    as ``diary import`` checks each entry."""
    from crampcli.diary.transfer import entry

    rows = db.execute(f"SELECT {columns} FROM cramps ORDER BY id")  # our own column names
    for n, row in enumerate(rows, 1):
        place = f"row {n} (id {row[0]!r})"
        names = ("id", "at", "leg", "where", *COLUMNS[3:])
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


def restore(path: Path, checked: Backup) -> Path | None:
    """Put the entries of the ``checked`` backup in place of the diary's, and return where
    the diary as it was is kept (beside it; None when there was none). Only the entries are
    copied, into crampcli's own schema (the backup's tables, triggers and views never are),
    and the undo journal starts empty. All of it in one write transaction of the diary, taken
    before the copy is kept: a ``log`` at the same moment lands before (and is in the kept
    copy) or after (in the restored diary). A diary that cannot be opened (damaged, newer) is
    kept as its bytes, then a new one is made."""
    real = real_path(path)
    kept = None
    with _explained(path), _guarded(path, real, create=True) as folder:
        assert folder is not None  # made when missing
        _head(folder, real, path)  # a FIFO or a folder there is refused, left as it is
        try:
            diary = Diary.open(path)
        except (NotFound, DiaryUnavailable):  # busy or full: never taken for damaged
            raise
        except DiaryError:  # damaged, or from a newer crampcli: its bytes are kept
            kept = _keep_bytes(real, folder)
            for suffix in ("", *SIDE_FILES):  # ours: _guarded checked them
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(real.name + suffix, dir_fd=folder)
            diary = Diary.open(path)
        with diary, diary._write() as db:
            if kept is None and (
                db.execute("SELECT count(*) FROM cramps").fetchone()[0]
                or db.execute("SELECT count(*) FROM changes").fetchone()[0]
            ):
                kept = _kept_name(real)
                with Diary.open(path, create=False, read_only=True) as current:
                    backup(current, kept)  # its own reader: this transaction blocks writers
            db.execute("PRAGMA secure_delete = ON")  # the old rows do not linger in the file
            db.execute("DELETE FROM cramps")
            db.execute("DELETE FROM changes")  # the backup's undo journal is never carried
            db.execute("DELETE FROM sqlite_sequence WHERE name IN ('cramps', 'changes')")
            good = (e for _, e in _backup_rows(checked.db, checked.columns) if isinstance(e, Cramp))
            db.executemany(_INSERT, ((c.id, *_row(c)) for c in good))
    return kept


def _kept_name(real: Path) -> Path:
    """A new name beside the diary for a copy of it, named for the time."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = real.with_name(f"{real.stem}-before-restore-{stamp}{real.suffix}")
    n = 1
    while kept.exists() or Path(f"{kept}-wal").exists():
        n += 1
        kept = real.with_name(f"{real.stem}-before-restore-{stamp}-{n}{real.suffix}")
    return kept


def _keep_bytes(real: Path, folder: int) -> Path:
    """The diary's bytes, WAL file included, beside it: one that cannot be opened."""
    from crampcli.knowledge import atomic

    kept = _kept_name(real)
    for suffix in ("", "-wal"):
        with contextlib.suppress(FileNotFoundError):
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
            fd = os.open(real.name + suffix, flags, dir_fd=folder)
            try:
                atomic.write_private(Path(f"{kept}{suffix}"), _chunks(fd))
            finally:
                os.close(fd)
    return kept


def _chunks(fd: int) -> Iterator[bytes]:
    """The bytes of the file open as ``fd``, from its start, a MiB at a time."""
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        offset += len(chunk)
        yield chunk


def wipe(path: Path) -> list[Path] | None:
    """Remove the diary and its side files, and a symlink to it: the files removed (the
    link's target first), or None when there was none. A diary of ours is removed even when
    it is damaged or from a newer crampcli (its header says it is ours); what is not our diary,
    a folder others can write, or a side file someone else owns is refused, nothing deleted."""
    real = real_path(path)
    removed: list[Path] = []
    with _explained(path), _guarded(path, real, create=False) as folder:
        head = None if folder is None else _head(folder, real, path)
        if folder is None or head is None:
            return None
        _own_private(real)  # someone else's file is not ours to delete
        if head[68:72] != APPLICATION_ID.to_bytes(4, "big"):
            with Diary.open(path, create=False):  # an empty or new diary; else refused
                pass
        for suffix in ("", *SIDE_FILES):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(real.name + suffix, dir_fd=folder)
                removed.append(real.parent / (real.name + suffix))
        removed += remove_stale(folder, real.parent)  # copies a killed backup or restore left
        if path.is_symlink():
            path.unlink()
    return removed
