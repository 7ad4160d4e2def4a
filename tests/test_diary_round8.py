"""Issue 20, what the eighth attack round found in `diary backup`, `restore` and `wipe`: files
beside a backup that SQLite never wrote (S1), an old copy's side files dropped before the new
copy was whole (S2) or beside the link instead of its target (S3), a log lost between a
damaged diary's removal and the new one (S4), names of ours that were not ours (S5),
another program's database replaced (S6), a wipe during a restore (S7) and a symlink loop
(S8). Each test drives the installed command with its own diary, or the library itself."""

from __future__ import annotations

import fcntl
import os
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round4 import cc
from test_diary_round5 import backed_up, notes

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")

HOT_JOURNAL = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\0" * 500
OLD_WAL = b"\x37\x7f\x06\x82" + b"\0" * 28


def test_files_beside_a_backup_that_sqlite_never_wrote_are_left_alone(tmp_path: Path) -> None:
    """S1: `diary backup cramps` deleted the user's own `cramps-journal` and `cramps-wal`."""
    home, _ = backed_up(tmp_path, "one")
    mine = {"cramps-journal": "years of handwritten notes\n", "cramps-wal": "wal street\n"}
    for name, text in mine.items():
        (tmp_path / name).write_text(text)
    done = cc(home, "diary", "backup", "cramps")
    assert done.returncode == 0, done.stderr
    assert {name: (tmp_path / name).read_text() for name in mine} == mine
    assert notes(tmp_path / "cramps") == ["one"]


def test_a_failed_backup_leaves_the_old_copy_and_its_side_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S2: on a full disk the old copy's -wal (entries not yet in the file) was deleted
    first, then the write failed: the side files go only once the new copy is whole."""
    from crampcli.diary import copies
    from crampcli.diary.files import DiaryError
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import Diary
    from crampcli.knowledge import atomic

    dest = tmp_path / "b.sqlite3"
    dest.write_bytes(b"old copy")
    (tmp_path / "b.sqlite3-wal").write_bytes(OLD_WAL)

    def full(fd: int, chunks: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "_write_all", full)
    with Diary.open(tmp_path / "home" / "diary.sqlite3") as diary:
        diary.add(Cramp(datetime(2026, 12, 1, tzinfo=timezone.utc), minutes=1))
        with pytest.raises(DiaryError, match="No space left"):
            copies.backup(diary, dest)
    assert dest.read_bytes() == b"old copy"
    assert (tmp_path / "b.sqlite3-wal").read_bytes() == OLD_WAL


def test_a_backup_through_a_link_drops_the_stale_side_files_of_its_target(
    tmp_path: Path,
) -> None:
    """S3: the old copy's hot journal beside the link's target stayed, and SQLite rolled
    the new copy back with it."""
    home, _ = backed_up(tmp_path, "one")
    target = tmp_path / "t" / "b.sqlite3"
    target.parent.mkdir()
    assert cc(home, "diary", "backup", str(target)).returncode == 0
    (tmp_path / "link.sqlite3").symlink_to(target)
    Path(f"{target}-journal").write_bytes(HOT_JOURNAL)
    assert cc(home, "log", "--minutes", "2", "--note", "two").returncode == 0
    done = cc(home, "diary", "backup", "link.sqlite3")
    assert done.returncode == 0, done.stderr
    assert not Path(f"{target}-journal").exists()
    assert notes(target) == ["one", "two"]


def test_an_entry_logged_while_a_damaged_diary_is_replaced_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S4: a `log` that made a new diary between the removal of the damaged one and the
    restore's own open was deleted with the rest: it is kept in a copy too."""
    from crampcli.diary import copies
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import Diary

    home, good = backed_up(tmp_path, "from-backup")
    path = home / "diary.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 84 + b"\x01" * 4096)  # damaged
    opened = Diary.open

    def log_first(cls: type[Diary], where: Path, *args: object, **kwargs: object) -> Diary:
        if where == path and not path.exists():  # removed: another crampcli logs now
            with opened(where) as other:
                other.add(Cramp(datetime(2026, 12, 1, tzinfo=timezone.utc), note="racer"))
        return opened(where, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Diary, "open", classmethod(log_first))
    with copies.checked_backup(good, path) as checked:
        kept = copies.restore(path, checked)
    monkeypatch.undo()
    assert notes(path) == ["from-backup"]
    assert len(kept) == 2 and notes(kept[1]) == ["racer"]


def _locked(home: Path) -> int:
    """The lock a restore or wipe of the diary in ``home`` holds (files.exclusive), held."""
    fd = os.open(home / ".diary.sqlite3.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


@pytest.mark.parametrize("command", [["wipe"], ["restore", "GOOD"]])
def test_a_wipe_or_restore_waits_for_a_restore_under_way(
    tmp_path: Path, command: list[str]
) -> None:
    """S4, S7: a wipe during a restore said "Deleted", then the restore's copy of the wiped
    diary appeared; a second restore of a damaged diary deleted what the first wrote. One
    restore or wipe at a time: the second waits for the lock the first holds."""
    home, good = backed_up(tmp_path, "keep")
    lock = _locked(home)  # as a restore under way holds it
    args = [good.name if a == "GOOD" else a for a in command]
    waiting = subprocess.Popen(
        [str(INSTALLED), "diary", *args, "--yes"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "CRAMPCLI_HOME": str(home)},
    )
    try:
        time.sleep(2)
        assert waiting.poll() is None, waiting.communicate()
        assert notes(home / "diary.sqlite3") == ["keep"]
    finally:
        os.close(lock)
    _, err = waiting.communicate(timeout=30)
    assert waiting.returncode == 0, err


@pytest.mark.parametrize(
    "name", [".diary.sqlite3.my-safe-copy.tmp", ".diary-before-restore-notes.tmp"]
)
def test_files_named_like_our_temporary_copies_are_not_removed(tmp_path: Path, name: str) -> None:
    """S5: backup, restore and wipe removed any `.diary.sqlite3.*.tmp` in the diary's folder:
    only the names our writes make (a token of 8 hex digits) are ours."""
    home, good = backed_up(tmp_path, "one")
    planted = home / name
    planted.write_text("precious\n")
    for args in (["backup", "again.sqlite3"], ["restore", good.name, "--yes"], ["wipe", "--yes"]):
        done = cc(home, "diary", *args)
        assert done.returncode == 0, done.stderr
        assert planted.read_text() == "precious\n", args


def test_another_programs_database_at_the_diary_path_is_never_replaced(tmp_path: Path) -> None:
    """S6: `log` and `wipe` refuse another program's database where the diary would be;
    restore took it for a damaged diary, copied it and deleted it while it was in use."""
    home, good = backed_up(tmp_path, "mine")
    assert cc(home, "diary", "wipe", "--yes").returncode == 0
    import sqlite3

    other = sqlite3.connect(home / "diary.sqlite3")
    other.execute("CREATE TABLE journal (day TEXT, text TEXT)")
    other.execute("INSERT INTO journal VALUES ('2026-01-01', 'dear diary')")
    other.commit()
    other.close()
    before = (home / "diary.sqlite3").read_bytes()
    done = cc(home, "diary", "restore", good.name, "--yes")
    assert done.returncode == 1 and "not a crampcli diary" in done.stderr, done.stderr
    assert (home / "diary.sqlite3").read_bytes() == before
    assert not list(home.glob("diary-before-restore-*"))


def test_a_symlink_loop_as_the_backup_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    """S8: `diary restore LOOP` exited 70 with "internal error: RuntimeError"."""
    from crampcli.diary import copies

    home, _ = backed_up(tmp_path, "one")
    (tmp_path / "loop").symlink_to("loop")
    for name in ("loop", "loop/x.sqlite3"):
        done = cc(home, "diary", "restore", name, "--yes")
        assert done.returncode == 1, done.stderr
        assert "symbolic links" in done.stderr and "Traceback" not in done.stderr
    assert copies._unread_side_files(tmp_path / "loop") == []


def test_a_fifo_beside_the_backup_is_never_opened(tmp_path: Path) -> None:
    """A FIFO named like a side file would hang a reader that opens it to look inside:
    restore ignores it (SQLite reads nothing from it), backup refuses to write beside it."""
    home, good = backed_up(tmp_path, "one")
    os.mkfifo(f"{good}-wal")
    done = cc(home, "diary", "restore", good.name, "--yes")
    assert done.returncode == 0, done.stderr
    done = cc(home, "diary", "backup", good.name)
    assert done.returncode == 1 and "not a file of yours" in done.stderr, done.stderr


def test_a_disk_without_free_files_is_said_to_be_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no inode left SQLite cannot make its side files ("unable to open"): that is a
    full disk (free some space), not a read-only folder (the round-8 tmpfs with 2-6 inodes)."""
    import sqlite3

    from crampcli.diary import files
    from crampcli.diary.files import DiaryUnavailable

    real = os.statvfs(tmp_path)
    no_files = os.statvfs_result((*real[:7], 0, *real[8:]))  # f_favail: 0 left of f_files
    monkeypatch.setattr(files.os, "statvfs", lambda _: no_files)
    with pytest.raises(DiaryUnavailable, match="the disk is full"), files.explained(tmp_path / "d"):
        raise sqlite3.OperationalError("unable to open database file")


@pytest.mark.parametrize("error", ["disk I/O error", "locking protocol"])
def test_an_io_or_lock_error_is_never_taken_for_a_damaged_diary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: str
) -> None:
    """Only SQLite's own "corrupt" and "not a database" make restore keep a diary's bytes
    and replace it; an I/O error or a lock it could not take on a healthy diary is said,
    and the diary is left as it is (a restore took it for damaged and removed it)."""
    import sqlite3

    from crampcli.diary import copies, store
    from crampcli.diary.files import DiaryError

    home, good = backed_up(tmp_path, "keepme")
    path = home / "diary.sqlite3"
    before = path.read_bytes()

    def failing(target: str, uri: bool) -> sqlite3.Connection:
        raise sqlite3.OperationalError(error)

    with copies.checked_backup(good, path) as checked:
        monkeypatch.setattr(store, "connect", failing)
        with pytest.raises(DiaryError, match=error) as raised:
            copies.restore(path, checked)
        monkeypatch.undo()
    assert "damaged" not in str(raised.value)
    assert path.read_bytes() == before and not list(home.glob("diary-before-restore-*"))


def test_a_restore_that_cannot_write_the_diary_keeps_no_copy_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A diary SQLite opens but cannot write (0400 for its owner) failed only after the copy
    of it was made: the restore said "read-only" and left an unmentioned copy. The copy is
    made once the changes are written, so a failure comes first."""
    import sqlite3

    from crampcli.diary import copies, store
    from crampcli.diary.files import DiaryUnavailable

    home, good = backed_up(tmp_path, "keepme")
    path = home / "diary.sqlite3"
    connect = store.connect

    def read_only(target: str, uri: bool) -> sqlite3.Connection:
        db = connect(target, uri)
        db.execute("PRAGMA query_only = ON")  # every change fails as on a 0400 file
        return db

    with copies.checked_backup(good, path) as checked:
        monkeypatch.setattr(store, "connect", read_only)
        with pytest.raises(DiaryUnavailable, match="read-only"):
            copies.restore(path, checked)
        monkeypatch.undo()
    assert notes(path) == ["keepme"] and not list(home.glob("diary-before-restore-*"))


def test_a_damaged_diarys_journal_is_kept_with_its_bytes(tmp_path: Path) -> None:
    """The damaged path kept the diary and its -wal, then deleted a -journal it had not kept
    (here one SQLite finished with and left in place: a hot one it plays back on opening)."""
    home, good = backed_up(tmp_path, "from-backup")
    path = home / "diary.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 84 + b"\x01" * 4096)  # damaged
    journal = b"\0" * 8 + b"\x02" * 504  # journal_mode=PERSIST zeroes the header
    Path(f"{path}-journal").write_bytes(journal)
    os.chmod(f"{path}-journal", 0o600)
    done = cc(home, "diary", "restore", good.name, "--yes")
    assert done.returncode == 0, done.stderr
    (kept,) = home.glob("diary-before-restore-*.sqlite3")
    assert Path(f"{kept}-journal").read_bytes() == journal
    assert notes(path) == ["from-backup"]
