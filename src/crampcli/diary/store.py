"""The diary file: SQLite (WAL, one transaction per write), versioned by migrations.

One file, ``diary.sqlite3``, in ``$CRAMPCLI_HOME`` or else the XDG data directory
(``$XDG_DATA_HOME/crampcli`` when it is absolute, else ``~/.local/share/crampcli``), in a
folder only we may write (with side files only we may read), created with mode 0600
(its missing folders 0700, whatever the umask). A symlink there is followed to the real file,
which is what is created, opened and wiped. A file that is not a crampcli diary (corrupt,
another program's database, a FIFO or a folder) is refused and never written to. Commands
that only read open it read-only, so they work on a read-only file system or a full disk.
Every change is journalled, so that ``undo`` can take back the last one. The folder and side
files are checked first (``files``); ``copies`` backs up, restores and wipes it whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crampcli.diary.files import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    HOME_ENV,
    DiaryError,
    DiaryUnavailable,
    check_header,
    explained,
    guarded,
    own_private,
    real_path,
    same_folder,
)
from crampcli.diary.model import LIST_FIELDS, MAX_ID, SEPARATOR, Cramp, iso
from crampcli.errors import NotFound
from crampcli.interrupts import signals_held

if TYPE_CHECKING:
    from crampcli.problems import Problems

parse_time = datetime.fromisoformat
# The bounds of a listing or of stats when none is given: the years a diary holds (model.FIRST,
# model.LAST). A row outside them (imported by an older crampcli) cannot be shown in every time
# zone: it is left out of listings and stats, and kept in exports.
OLDEST, NEWEST = "1900", "2200"

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

# A write that finds the diary's file gone or another one in its place (a wipe, or a restore
# replacing a damaged diary) is refused, or said to be lost: never reported as done.
_REPLACED = "the diary {path} was wiped or replaced while this command ran: {done}; try again"


def _identity(real: Path) -> tuple[int, int] | None:
    """The file at ``real`` (device and inode), None when there is none."""
    try:
        info = os.stat(real)
    except OSError:
        return None
    return info.st_dev, info.st_ino


INSERT = f"INSERT INTO cramps (id, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})"


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


class ChangedMeanwhile(DiaryError):
    """The last change is not the one a person was asked about: nothing was undone."""


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
        cur = self._db.execute(INSERT, (entry_id, *row_values(cramp)))
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
    """What ``undo`` did: the action taken back, the entry ids it touched, and its place in
    the undo journal."""

    action: str
    ids: tuple[int, ...]
    seq: int


class Diary:
    """An open diary. Use as a context manager: ``with Diary.open(path) as diary: ...``."""

    def __init__(self, path: Path, db: sqlite3.Connection, real: Path | None = None) -> None:
        self.path = path
        self._db = db
        self._real = real  # the file written to: each write checks it is still the diary
        self._file = _identity(real) if real is not None else None

    @classmethod
    def open(
        cls, path: Path, create: bool = True, read_only: bool = False, upgrade: bool = True
    ) -> Diary:
        """The diary at ``path``; ``read_only`` for commands that only read: they work on a
        read-only file system or a full disk too (a diary that needs a migration first is
        opened for writing, unless not ``upgrade``). Its folder and side files are checked
        first (``guarded``)."""
        real = real_path(path)
        with explained(path), guarded(path, real, create and not read_only) as folder:
            if folder is None or not check_header(folder, real, path, create and not read_only):
                raise NotFound(f"this machine has no diary yet ({path}); start one: `crampcli log`")
            diary = None
            if read_only:
                own_private(real, reading=True)  # before SQLite makes its side files
                diary = cls._open_read_only(path, real)
                if diary is None and not upgrade:  # shell completion: a TAB writes nothing
                    raise NotFound(f"the diary {path} is from an older crampcli: not upgraded")
            if diary is None:
                own_private(real)
                before = _identity(real)
                if before is None:  # removed since it was checked: a wipe this open waited for
                    if read_only:
                        raise NotFound(f"this machine has no diary (any more): {path}")
                    raise DiaryUnavailable(_REPLACED.format(path=path, done="nothing was written"))
                try:  # mode=rw: SQLite never makes the file (0644) where a wipe just removed it
                    db = connect(_uri(real, "rw"), uri=True)
                except sqlite3.OperationalError:
                    if _identity(real) != before:
                        raise DiaryUnavailable(
                            _REPLACED.format(path=path, done="nothing was written")
                        ) from None
                    raise
                try:
                    diary = cls(path, db, real)
                    if diary._file != before:  # replaced while SQLite opened it
                        raise DiaryUnavailable(
                            _REPLACED.format(path=path, done="nothing was written")
                        )
                    diary._prepare()
                except BaseException:
                    db.close()
                    raise
            if not same_folder(folder, real):  # swapped while SQLite opened it
                diary._db.close()
                raise DiaryError(f"cannot use the diary {path}: its folder was moved meanwhile")
        return diary

    @classmethod
    def _open_read_only(cls, path: Path, real: Path) -> Diary | None:
        """Opened with ``mode=ro``; where SQLite cannot make its shared-memory file (a
        read-only folder or file system, a full disk) and nothing waits in the WAL file,
        as ``immutable``. None when the file is not a current diary yet."""
        uri = _uri(real, "ro")
        try:
            db = connect(uri, uri=True)
            db.execute("PRAGMA user_version").fetchone()
        except sqlite3.OperationalError:
            wal = Path(f"{real}-wal")
            if wal.exists() and wal.stat().st_size:
                raise
            db = connect(uri + "&immutable=1", uri=True)
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

    def reader(self) -> Diary:
        """A second, read-only connection to this (current) diary, which sees its last commit,
        not this connection's open transaction. Opened by SQLite alone: the checks ``open``
        makes open and close the file, and on Linux closing any descriptor of a file drops
        every lock this process holds on it, this connection's SQLite locks too (POSIX)."""
        diary = self._open_read_only(self.path, self._real or real_path(self.path))
        if diary is None:
            raise DiaryError(f"cannot read the diary {self.path}: it changed meanwhile")
        return diary

    def __enter__(self) -> Diary:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()

    def copy_to(self, target: sqlite3.Connection) -> None:
        """SQLite's online backup of the whole diary into ``target`` (writers may go on)."""
        self._db.backup(target)

    # --- schema ---------------------------------------------------------------------------

    def _prepare(self) -> None:
        db = self._db
        if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            self._refuse_foreign()  # before any write: a foreign file stays byte for byte
            with self.transaction(said=False):  # not news: a question may come next
                app_id = db.execute("PRAGMA application_id").fetchone()[0]  # a racer may have won
                if app_id != APPLICATION_ID:
                    self._refuse_foreign()
                    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        known = [name for name, _ in MIGRATIONS]
        if db.execute("PRAGMA user_version").fetchone()[0] != len(known):
            with self.transaction(said=False):  # not news: a question may come next
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
    def transaction(self, said: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE): all of it lands, or none.
        Ctrl-C and the like wait through its COMMIT; a change the command will ``said``, until
        the command has said it (see interrupts.until_said)."""
        db = self._db
        with explained(self.path):
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:  # SQLite cannot make a journal beside no file
                if self._replaced():  # a wipe it waited for
                    raise DiaryUnavailable(
                        _REPLACED.format(path=self.path, done="nothing was written")
                    ) from None
                raise
            try:
                if self._replaced():  # a wipe or a restore of a damaged diary, meanwhile
                    raise DiaryUnavailable(
                        _REPLACED.format(path=self.path, done="nothing was written")
                    )
                yield db
            except BaseException:
                if db.in_transaction:  # SQLite itself rolls back on some errors (a full disk)
                    db.execute("ROLLBACK")
                raise
            with signals_held(until_said=said):
                db.execute("COMMIT")
                if self._replaced():  # written to a file no longer there: say so, never "done"
                    raise DiaryUnavailable(
                        _REPLACED.format(path=self.path, done="what it wrote is not in it")
                    )

    def _replaced(self) -> bool:
        """Whether the diary's file is no longer the one this connection writes to."""
        return self._real is not None and _identity(self._real) != self._file

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
        with explained(self.path):
            rows = self._db.execute(sql, bounds).fetchall()
        return [_cramp(row) for row in reversed(rows)]

    def each(self) -> Iterator[Cramp]:
        """Every entry, oldest first, read as they are used (constant memory at any size)."""
        sql = f"SELECT id, {', '.join(COLUMNS)} FROM cramps ORDER BY at, id"
        with explained(self.path):
            cursor = self._db.execute(sql)
            while rows := cursor.fetchmany(1000):
                yield from map(_cramp, rows)

    def counts(self, since: datetime, until: datetime, split: datetime) -> Counts:
        """The entries from ``since`` up to ``until``, counted; ``later``: those after
        ``split``. SQLite's 'localtime' and Python's ``astimezone()`` both use the C
        library's time zone."""
        bounds = (iso(since), iso(until))
        columns: list[Counter[Any]] = [Counter() for _ in range(10)]
        with explained(self.path):
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
        with explained(self.path):
            row = self._db.execute(
                sql, (iso(since), iso(until), int(woke), minutes if minutes else -1, n - 1)
            ).fetchone()
        return parse_time(row[0]) if row else None

    def get(self, entry_id: int) -> Cramp:
        sql = f"SELECT id, {', '.join(COLUMNS)} FROM cramps WHERE id = ?"
        with explained(self.path):
            row = self._db.execute(sql, (entry_id,)).fetchone()
        if row is None:
            raise NotFound(f"no diary entry #{entry_id}; `crampcli diary` lists them")
        return _cramp(row)

    # --- writing --------------------------------------------------------------------------

    def add(self, cramp: Cramp) -> Cramp:
        return self.add_all([cramp])[0]

    def add_all(self, cramps: Iterable[Cramp], action: str = "add") -> list[Cramp]:
        """Store every one, in one transaction; an entry with an id keeps it."""
        with self.transaction():
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
            with self.transaction() as db:
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
        with self.transaction():
            old = self.get(entry_id)
            new = replace(old, **changes).checked()
            sets = ", ".join(f"{c} = ?" for c in COLUMNS)
            self._db.execute(f"UPDATE cramps SET {sets} WHERE id = ?", (*row_values(new), entry_id))
            self._journal("edit", {entry_id: old})
        return new

    def delete(self, entry_id: int, shown: Cramp | None = None) -> Cramp:
        """Delete an entry; only if it is still ``shown`` (what a person was asked about),
        when that is given."""
        with self.transaction():
            old = self.get(entry_id)
            if shown is not None and old != shown:
                raise ChangedMeanwhile(
                    f"entry #{entry_id} changed while you were asked (a restore, an edit or an "
                    "undo meanwhile): nothing was deleted; run the command again to see it now"
                )
            self._db.execute("DELETE FROM cramps WHERE id = ?", (entry_id,))
            self._journal("delete", {entry_id: old})
        return old

    def undo(self, shown: Change | None = None) -> Change:
        """Take back the last change (add, edit, delete or import), in one transaction; only
        if it is still ``shown`` (what a person was asked about), when that is given."""
        with self.transaction() as db:
            last = db.execute(
                "SELECT seq, action, before FROM changes ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            if last is None:
                raise NotFound("nothing to undo")
            seq, action, before = last
            if shown is not None and seq != shown.seq:
                raise ChangedMeanwhile(
                    "the diary changed while you were asked (another change came after that "
                    "one): nothing was undone; run `crampcli diary undo` again to see the last "
                    "change now"
                )
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
        return Change(action, tuple(sorted(ids)), seq)

    def last_change(self) -> Change | None:
        """What ``undo`` would take back, without taking it back."""
        with explained(self.path):
            last = self._db.execute(
                "SELECT seq, action, before FROM changes ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        if last is None:
            return None
        seq, action, before = last
        undone = json.loads(before)
        ids = [i for first, end in undone.pop(RANGES, ()) for i in range(first, end + 1)]
        return Change(action, tuple(sorted([*ids, *map(int, undone)])), seq)

    def _journal(self, action: str, before: Mapping[int, Cramp | None]) -> None:
        rows = {str(k): (row_values(v) if v else None) for k, v in before.items()}
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


def _uri(real: Path, mode: str) -> str:
    return "file:" + urllib.parse.quote(str(real)) + f"?mode={mode}"


def connect(target: str, uri: bool) -> sqlite3.Connection:
    db = sqlite3.connect(target, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, uri=uri)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


def row_values(cramp: Cramp) -> tuple[Any, ...]:
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
