"""Issue 20, what the tenth attack round found: `undo` asking about change N while a restore
restarted the journal's numbers (S1), `log` into a diary damaged inside saying it was left
as it is (S3), logs landing between a damaged diary's copy and its removal (S5, S6),
`delete` on a terminal deleting another entry than the one shown (S7), and another user's
journal beside a backup played into the old copy (S8)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round4 import as_other, cc
from test_diary_round5 import backed_up, notes

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")

MOMENT = datetime(2026, 12, 1, 3, tzinfo=timezone.utc)


def _damage(path: Path, table: str, leaf: int | None) -> None:
    """Overwrite one leaf page of ``table`` (the middle one when ``leaf`` is None)."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    leaves = [
        r[0]
        for r in db.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY 1", (table,)
        )
    ]
    db.close()
    with path.open("r+b") as file:
        file.seek(4096 * (leaves[len(leaves) // 2 if leaf is None else leaf] - 1))
        file.write(b"\xff" * 4096)


def test_a_restore_never_restarts_the_undo_journals_numbers(tmp_path: Path) -> None:
    """S1: `undo` asked about change 3; a restore emptied the journal and restarted its
    numbers, three logs made a new change 3, and "y" undid one of them."""
    from crampcli.diary import copies
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import ChangedMeanwhile, Diary

    home, good = backed_up(tmp_path, "old")
    path = home / "diary.sqlite3"
    with Diary.open(path) as diary:
        diary.add_all([Cramp(MOMENT, minutes=1), Cramp(MOMENT, minutes=2)], action="import")
        asked = diary.last_change()
        with copies.checked_backup(good, path) as checked:
            copies.restore(path, checked)
        assert asked is not None and asked.seq == 2  # the log in backed_up, then the import
        for minutes in (3, 4):  # changes 1 and 2 again, had the numbers restarted
            diary.add(Cramp(MOMENT, minutes=minutes))
        with pytest.raises(ChangedMeanwhile):
            diary.undo(shown=asked)
    assert len(notes(path)) == 3


def test_a_log_whose_follow_up_read_fails_still_says_it_was_stored(tmp_path: Path) -> None:
    """S3: on a diary damaged inside, `log` stored the entry, then said only "damaged ... it
    was left as it is" (exit 1)."""
    home, _ = backed_up(tmp_path, *[f"entry {i} " + "x" * 300 for i in range(60)])
    path = home / "diary.sqlite3"
    _damage(path, "cramps", 0)  # the first page of entries: a new one lands on the last
    done = cc(home, "log", "--minutes", "1", "--note", "stored")
    assert done.returncode == 1, done.stderr
    assert "Logged #61" in done.stderr and "the entry is stored" in done.stderr, done.stderr


def test_a_damaged_diary_is_copied_and_removed_while_no_log_can_land(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S5, S6: damage found while restoring rolled the transaction back, then the bytes were
    copied and the file removed: logs waiting for the diary landed in between and were in
    no file. The copy and the removal now happen while the transaction still holds it."""
    from crampcli.diary import copies
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import Diary

    home, good = backed_up(tmp_path, "from the backup")
    path = home / "diary.sqlite3"
    with Diary.open(path) as diary:  # an undo journal long enough to damage in its middle
        for i in range(300):
            diary.add(Cramp(MOMENT, minutes=1, note=f"{i} " + "x" * 400))
    _damage(path, "changes", None)
    kept_bytes = copies._keep_bytes
    landed: list[str] = []

    def keep_then_try_a_log(real: Path, folder: int, closing: object) -> Path:
        copy = kept_bytes(real, folder, closing)  # type: ignore[arg-type]
        other = sqlite3.connect(path, timeout=0)
        try:
            other.execute("INSERT INTO cramps (at, logged) VALUES ('2026-12-01', '2026-12-01')")
            other.commit()
            landed.append("a log landed after the copy")
        except sqlite3.OperationalError:
            pass  # locked: it waits, then finds the diary replaced and writes nothing
        finally:
            other.close()
        return copy

    monkeypatch.setattr(copies, "_keep_bytes", keep_then_try_a_log)
    with copies.checked_backup(good, path) as checked:
        kept = copies.restore(path, checked)
    assert landed == []
    assert notes(path) == ["from the backup"] and kept


def test_delete_takes_only_the_entry_it_asked_about(tmp_path: Path) -> None:
    """S7: `diary delete 3` showed an entry; a restore put other entries in place meanwhile,
    and "y" deleted the new #3."""
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import ChangedMeanwhile, Diary

    path = tmp_path / "home" / "diary.sqlite3"
    with Diary.open(path) as diary:
        shown = diary.add(Cramp(MOMENT, minutes=1, note="mine"))
        with Diary.open(path) as other:
            other.edit(shown.id or 0, {"note": "changed meanwhile"})
        with pytest.raises(ChangedMeanwhile):
            diary.delete(shown.id or 0, shown=shown)
        assert [c.note for c in diary.entries()] == ["changed meanwhile"]


def test_another_users_journal_beside_a_backup_is_never_played_into_it(open_dir: Path) -> None:
    """S8: in a shared (1777) folder another user planted a hot journal beside our old
    backup; the next `diary backup` let SQLite roll it into the old copy, then refused.
    Now nothing is opened where others can write: the refusal leaves the old copy as it was."""
    shared = open_dir / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    home = open_dir / "home"
    assert cc(home, "log", "--minutes", "1", "--note", "mine").returncode == 0
    old = shared / "b.sqlite3"
    assert cc(home, "diary", "backup", str(old)).returncode == 0
    before = old.read_bytes()
    journal = shared / "b.sqlite3-journal"
    as_other("sh", "-c", f"printf '\\331\\325\\005\\371\\040\\241\\143\\327' > {journal}")
    done = cc(home, "diary", "backup", str(old))
    assert done.returncode == 1 and "not a file of yours" in done.stderr, done.stderr
    assert old.read_bytes() == before


def test_a_wipe_cut_short_leaves_what_the_next_wipe_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S7: a wipe killed after it removed the diary but before its -wal (entries in it) left
    the -wal, and the next wipe said "No diary". The diary goes last now, and side files with
    no diary are wiped too."""
    from crampcli.diary import copies

    home, _ = backed_up(tmp_path, "secret")
    path = home / "diary.sqlite3"
    Path(f"{path}-wal").write_bytes(b"\x37\x7f\x06\x82" + b"secret" * 20)
    os.chmod(f"{path}-wal", 0o600)
    removing = copies._unlinked
    calls: list[str] = []

    def killed_after_one(name: str, folder: int) -> bool:
        if calls:
            raise KeyboardInterrupt  # as a kill -9 between two removals
        calls.append(name)
        return removing(name, folder)

    monkeypatch.setattr(copies, "_unlinked", killed_after_one)
    with pytest.raises(KeyboardInterrupt):
        copies.wipe(path)
    monkeypatch.undo()
    assert path.exists()  # what is left is the diary itself: the next wipe finds it
    done = cc(home, "diary", "wipe", "--yes")
    assert done.returncode == 0 and "Deleted" in done.stderr, done.stderr
    assert sorted(p.name for p in home.iterdir()) == []


def test_side_files_a_wipe_left_without_their_diary_are_wiped(tmp_path: Path) -> None:
    """S9: with the diary gone, `diary wipe` said "No diary" and left a -wal with entries."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    wal = home / "diary.sqlite3-wal"
    wal.write_bytes(b"\x37\x7f\x06\x82" + b"secret" * 20)
    wal.chmod(0o600)
    done = cc(home, "diary", "wipe", "--yes")
    assert done.returncode == 0 and "a wipe cut short left" in done.stderr, done.stderr
    assert not wal.exists()


@pytest.mark.parametrize("zone", ["UTC-24", "UTC+24", "XYZ-99"])
def test_a_time_zone_a_day_or_more_from_utc_is_one_line(tmp_path: Path, zone: str) -> None:
    """S10: a POSIX TZ of 24 hours (valid, but no datetime can hold it) ended `log`, `diary`,
    `stats`, `report` and `check --from-diary` in "internal error" (exit 70)."""
    home, _ = backed_up(tmp_path, "one")
    for args in (["log", "--minutes", "2"], ["diary"], ["diary", "stats"], ["report"]):
        done = cc(home, *args, TZ=zone)
        assert done.returncode == 1, (args, done.stderr)
        assert "24 hours or more from UTC" in done.stderr and "internal" not in done.stderr
    assert notes(home / "diary.sqlite3") == ["one"]


def test_completing_a_diary_id_never_upgrades_an_older_diary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S9 (final report): a TAB on a diary from an older crampcli ran its migration (a write)."""
    from crampcli.commands import completing
    from crampcli.diary import store

    path = tmp_path / "home" / "diary.sqlite3"
    with monkeypatch.context() as old:  # the diary as the first release wrote it
        old.setattr(store, "MIGRATIONS", store.MIGRATIONS[:1])
        with store.Diary.open(path):
            pass
    db = sqlite3.connect(path)
    db.execute("INSERT INTO cramps (at, logged) VALUES ('2026-12-01T03:00', '2026-12-01T03:00')")
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    before = path.read_bytes()
    monkeypatch.setenv("CRAMPCLI_HOME", str(path.parent))
    assert completing.diary_id("") == []
    assert path.read_bytes() == before


def test_the_lock_file_is_never_someone_elses_file_or_an_output(tmp_path: Path) -> None:
    """Round 10, not counted: a file of ours hard-linked at `.diary.sqlite3.lock` had its mode
    changed and its link removed by a restore; and an output could be written over the lock
    a restore holds."""
    home, good = backed_up(tmp_path, "one")
    mine = tmp_path / "mine.txt"
    mine.write_text("mine\n")
    mine.chmod(0o644)
    os.link(mine, home / ".diary.sqlite3.lock")
    done = cc(home, "diary", "restore", good.name, "--yes")
    assert done.returncode == 1 and "not ours" in done.stderr, done.stderr
    assert mine.stat().st_mode & 0o777 == 0o644 and mine.stat().st_nlink == 2
    (home / ".diary.sqlite3.lock").unlink()
    done = cc(home, "diary", "backup", str(home / ".diary.sqlite3.lock"))
    assert done.returncode == 1 and "lock file" in done.stderr, done.stderr


def test_a_diary_that_cannot_be_removed_keeps_its_wal(tmp_path: Path) -> None:
    """Round 11, S1: wipe removed the -wal (entries not yet in the diary file) first, then
    could not remove the diary itself (`chattr +i`): those entries were gone. Such a file is
    refused before anything is removed."""
    home, _ = backed_up(tmp_path, "one")
    path = home / "diary.sqlite3"
    wal = Path(f"{path}-wal")
    wal.write_bytes(b"\x37\x7f\x06\x82" + b"entries" * 20)
    wal.chmod(0o600)
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("chattr +i is not allowed here (needs root and a file system with flags)")
    try:
        done = cc(home, "diary", "wipe", "--yes")
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    assert done.returncode == 1 and "immutable" in done.stderr, done.stderr
    assert wal.exists() and path.exists()


def test_the_diarys_name_stays_taken_until_a_wipe_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 12, S1, S2: a wipe that moved the diary aside first freed its name; a `log`
    meanwhile made a new diary, whose -wal and -shm the wipe then removed by name (an entry
    logged after the wipe was lost), and a backup meanwhile removed the moved file. The
    diary's name now stays taken until its side files are gone."""
    from crampcli.diary import copies

    home, _ = backed_up(tmp_path, "one")
    path = home / "diary.sqlite3"
    Path(f"{path}-wal").write_bytes(b"\x37\x7f\x06\x82" + b"entries" * 20)
    removing = copies._unlinked
    taken: list[bool] = []

    def watching(name: str, folder: int) -> bool:
        if name != path.name:
            taken.append(path.exists())
        return removing(name, folder)

    monkeypatch.setattr(copies, "_unlinked", watching)
    copies.wipe(path)
    assert taken and all(taken) and not path.exists()


def test_a_damaged_diary_is_kept_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 11, S2: on a disk with room for the damaged diary's file but not its WAL, the
    restore failed and left a kept copy without its WAL (its newest entries)."""
    from crampcli.diary import copies
    from crampcli.knowledge import atomic

    home, _ = backed_up(tmp_path, "one")
    path = home / "diary.sqlite3"
    Path(f"{path}-wal").write_bytes(b"\x37\x7f\x06\x82" + b"entries" * 20)
    real_write = atomic.write_private

    def full_at_the_wal(dest: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if dest.name.endswith("-wal"):
            raise OSError(28, "No space left on device")
        return real_write(dest, *args, **kwargs)

    monkeypatch.setattr(atomic, "write_private", full_at_the_wal)
    folder = os.open(home, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with pytest.raises(OSError, match="No space"), contextlib.ExitStack() as closing:
            copies._keep_bytes(path, folder, closing)
    finally:
        os.close(folder)
    assert not list(home.glob("diary-before-restore-*"))


def test_a_killed_restores_copy_of_a_wal_is_removed_later(tmp_path: Path) -> None:
    """Round 12, S3: a restore killed while it kept a damaged diary's WAL left
    `.diary-before-restore-DATE.sqlite3-wal.XXXXXXXX.tmp` (notes in it), which no later
    command removed or named: only the main file's name counted as ours."""
    home, _ = backed_up(tmp_path, "one")
    left = home / ".diary-before-restore-20261201-030000.sqlite3-wal.12345678.tmp"
    left.write_bytes(b"notes")
    left.chmod(0o600)
    done = cc(home, "diary", "wipe", "--yes")
    assert done.returncode == 0 and left.name in done.stderr, done.stderr
    assert not left.exists()
