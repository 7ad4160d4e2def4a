"""Issue 20, what the ninth attack round found: another user holding the restore/wipe lock
(S1), a diary damaged inside (S2, S3), a kill between a backup's removal of an old copy's
WAL and its rename (S4), a diary under two names (S5), a wipe during a write (S6), `undo`
taking back another change than the one it asked about (S7), and another user holding a
knowledge base's import lock (S8)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round4 import cc
from test_diary_round5 import backed_up, notes

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")

MOMENT = datetime(2026, 12, 1, 3, tzinfo=timezone.utc)
OTHER = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]  # nobody: the attacker


def _damage_inside(path: Path) -> None:
    """Overwrite a page in the middle of the diary: its header (page 1) stays fine."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    pages = path.stat().st_size // 4096
    with path.open("r+b") as file:
        file.seek(4096 * (pages // 2))
        file.write(b"\xff" * 4096)


def _many(home: Path, n: int) -> None:
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import Diary

    with Diary.open(home / "diary.sqlite3") as diary:
        diary.add_all([Cramp(MOMENT, minutes=1, note=f"entry {i} " + "x" * 300) for i in range(n)])


def test_another_user_cannot_hold_the_lock_a_wipe_or_restore_takes(open_dir: Path) -> None:
    """S1: another user who could read the diary's folder (0755) could flock it and hold
    every wipe and restore for 30 s, then have them say "busy". The lock is a file only we
    can open."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None or shutil.which("flock") is None:
        pytest.skip("needs root, setpriv and flock to act as another user")
    home, good = backed_up(open_dir, "one")
    home.chmod(0o755)
    holder = subprocess.Popen(
        [*OTHER, "flock", "--exclusive", str(home), "sleep", "60"],
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["flock", "--nonblock", str(home), "true"]).returncode == 0:
            assert time.monotonic() < deadline, "the other user never took the folder's lock"
            time.sleep(0.05)
        for args in (["restore", good.name, "--yes"], ["wipe", "--yes"]):
            started = time.monotonic()
            done = cc(home, "diary", *args)
            assert done.returncode == 0, done.stderr
            assert time.monotonic() - started < 10
    finally:
        holder.kill()
        holder.wait()


def test_a_diary_damaged_inside_is_kept_and_replaced_by_a_restore(tmp_path: Path) -> None:
    """S2: SQLite opened it (page 1 is fine) and failed while reading it: the restore said
    "the diary is damaged ... restore a backup" to someone restoring a backup."""
    home = tmp_path / "home"
    _many(home, 300)
    good = tmp_path / "good.sqlite3"
    assert cc(home, "diary", "backup", str(good)).returncode == 0
    _damage_inside(home / "diary.sqlite3")
    done = cc(home, "diary", "restore", good.name, "--yes")
    assert done.returncode == 0, done.stderr
    assert len(notes(home / "diary.sqlite3")) == 300
    (kept,) = home.glob("diary-before-restore-*.sqlite3")
    assert kept.stat().st_size > 0  # the damaged bytes, kept


def test_a_backup_of_a_damaged_diary_never_replaces_a_good_one(tmp_path: Path) -> None:
    """S3: `diary backup` copied the damage over the last good backup and said "Wrote"."""
    home = tmp_path / "home"
    _many(home, 300)
    dest = tmp_path / "cramps-backup.sqlite3"
    assert cc(home, "diary", "backup", str(dest)).returncode == 0
    good = dest.read_bytes()
    _damage_inside(home / "diary.sqlite3")
    done = cc(home, "diary", "backup", str(dest))
    assert done.returncode == 1 and "damaged" in done.stderr, done.stderr
    assert dest.read_bytes() == good


def test_a_backup_killed_before_its_rename_leaves_the_old_copy_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S4: the old copy's WAL (entries not yet in its file) was removed, then the backup was
    killed before the new copy took the name: the old copy lost them. SQLite now folds the
    WAL into the old copy first."""
    from crampcli.diary import copies
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import Diary

    home, dest = backed_up(tmp_path, "one")
    subprocess.run(  # a sqlite3 session on the old copy, killed with its WAL in place
        [
            "python3",
            "-c",
            "import os, sqlite3, sys; d = sqlite3.connect(sys.argv[1]); "
            "d.execute('PRAGMA journal_mode=WAL'); d.execute('PRAGMA wal_autocheckpoint=0'); "
            "d.execute(\"UPDATE cramps SET note = 'only in the wal'\"); d.commit(); os._exit(0)",
            str(dest),
        ],
        check=True,
    )
    assert Path(f"{dest}-wal").stat().st_size > 0

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # as a kill at that moment: the rename never happens

    monkeypatch.setattr(os, "replace", killed)
    with Diary.open(home / "diary.sqlite3") as diary:
        diary.add(Cramp(MOMENT, minutes=2, note="two"))
        with pytest.raises(KeyboardInterrupt):
            copies.backup(diary, dest)
    monkeypatch.undo()
    assert notes(dest) == ["only in the wal"]


def test_a_diary_with_two_names_is_refused(tmp_path: Path) -> None:
    """S5: one diary hard-linked into two homes: SQLite names its WAL after the name it was
    given, so each name had its own WAL, and a restore through one lost the other's logs."""
    home, _ = backed_up(tmp_path, "one")
    other = tmp_path / "other"
    other.mkdir(mode=0o700)
    os.link(home / "diary.sqlite3", other / "diary.sqlite3")
    before = (home / "diary.sqlite3").read_bytes()
    for where in (home, other):
        done = cc(where, "log", "--minutes", "1", "--note", "two")
        assert done.returncode == 1 and "hard link" in done.stderr, done.stderr
    assert (home / "diary.sqlite3").read_bytes() == before


def test_a_write_to_a_diary_wiped_meanwhile_is_never_reported_done(tmp_path: Path) -> None:
    """S6: an import running while `diary wipe` deleted the file said "Imported", into a file
    no longer there. A write that finds the file gone refuses; one that finds it gone after
    its commit says it is not in the diary."""
    from crampcli.diary.files import DiaryUnavailable
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import Diary

    path = tmp_path / "home" / "diary.sqlite3"
    with Diary.open(path) as diary:
        diary.add(Cramp(MOMENT, minutes=1))
        path.unlink()  # a wipe, before this write began
        with pytest.raises(DiaryUnavailable, match="nothing was written"):
            diary.add(Cramp(MOMENT, minutes=2))
    with Diary.open(path) as diary:

        def wiped_meanwhile() -> object:
            yield Cramp(MOMENT, minutes=3)
            path.unlink()  # a wipe, while this write ran
            yield Cramp(MOMENT, minutes=4)

        with pytest.raises(DiaryUnavailable, match="not in it"):
            diary.add_all(wiped_meanwhile())  # type: ignore[arg-type]


def test_undo_takes_back_only_the_change_it_asked_about(tmp_path: Path) -> None:
    """S7: `diary undo` asked "Undo the last import?", a `log` came meanwhile, and the answer
    took back that log instead."""
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import ChangedMeanwhile, Diary

    path = tmp_path / "home" / "diary.sqlite3"
    with Diary.open(path) as diary:
        diary.add_all([Cramp(MOMENT, minutes=1), Cramp(MOMENT, minutes=2)], action="import")
        asked = diary.last_change()
        with Diary.open(path) as other:
            other.add(Cramp(MOMENT, minutes=9, note="logged meanwhile"))
        with pytest.raises(ChangedMeanwhile):
            diary.undo(shown=asked)
        assert [c.minutes for c in diary.entries()] == [1, 2, 9]
        assert diary.undo(shown=diary.last_change()).ids == (3,)


def test_the_import_lock_of_a_knowledge_base_only_its_owner_can_open(tmp_path: Path) -> None:
    """S8: `import --into kb/my.json` under umask 022 left `.my.json.lock` 0644, so anyone
    could open it, flock it and hold every later import."""
    kb = tmp_path / "kb"
    kb.mkdir()
    page = tmp_path / "page.txt"
    page.write_text("Night cramps and magnesium\n\nMagnesium is often tried for night cramps.\n")
    done = subprocess.run(
        [
            "sh",
            "-c",
            'umask 022; exec "$0" import "$1" --into "$2"',
            INSTALLED,
            page,
            kb / "my.json",
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert (kb / ".my.json.lock").stat().st_mode & 0o777 == 0o600
