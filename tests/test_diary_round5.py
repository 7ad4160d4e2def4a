"""Issue 20, what the fifth attack round found in `diary restore` and `diary backup`: a
backup's triggers carried into the diary (N1), its unchecked values (N2), leg and place
text reaching the terminal raw (N3), a restore racing `log` (N4), temporary copies left
behind (N5, N6), a sparse backup (N11) and `undo` after a restore (N12). Every test drives
the installed command with its own diary and cache folder."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round4 import cc

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")


def notes(file: Path) -> list[str]:
    db = sqlite3.connect(file)
    try:
        return [r[0] for r in db.execute("SELECT note FROM cramps ORDER BY id")]
    finally:
        db.close()


def backed_up(tmp_path: Path, *logged: str) -> tuple[Path, Path]:
    """A diary holding an entry per note in ``logged``, and a backup of it: (home, backup)."""
    home = tmp_path / "home"
    for note in logged:
        assert cc(home, "log", "--minutes", "1", "--note", note).returncode == 0
    good = tmp_path / "good.sqlite3"
    assert cc(home, "diary", "backup", str(good)).returncode == 0
    return home, good


def edited(good: Path, name: str, sql: str, *args: object) -> Path:
    """A copy of the backup ``good`` someone changed with ``sql``."""
    bad = good.with_name(name)
    bad.write_bytes(good.read_bytes())
    db = sqlite3.connect(bad)
    db.execute(sql, args)
    db.commit()
    db.close()
    return bad


def test_a_backups_trigger_is_never_carried_into_the_diary(tmp_path: Path) -> None:
    home, good = backed_up(tmp_path, "keepme", "also")
    trig = edited(
        good,
        "trig.sqlite3",
        "CREATE TRIGGER evil AFTER INSERT ON cramps BEGIN DELETE FROM cramps WHERE id<>new.id; "
        "UPDATE cramps SET note='EVIL '||note WHERE id=new.id; END",
    )
    assert cc(home, "diary", "restore", str(trig), "--yes").returncode == 0
    assert cc(home, "log", "--minutes", "2", "--note", "new").returncode == 0
    assert notes(home / "diary.sqlite3") == ["keepme", "also", "new"]
    db = sqlite3.connect(home / "diary.sqlite3")
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE type='trigger'").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("sql", "args", "said"),
    [
        ("UPDATE cramps SET minutes='abc', logged='zz'", (), "row 1 (id 1)"),
        ("UPDATE cramps SET at='not a date'", (), "at: 'not a date'"),
        ("UPDATE cramps SET note=?", (b"\x00\xff",), "note"),
        ("UPDATE cramps SET medicines=?", (b"x",), "medicines"),
        ("UPDATE cramps SET leg=?, place=?", ("left\x1b[2J", "\x1b]0;x\x07"), "leg"),
        ("UPDATE cramps SET id=-5", (), "id"),
        ("UPDATE cramps SET note=?", ("x" * 2001,), "note"),
    ],
)
def test_restore_refuses_what_import_would_refuse(
    tmp_path: Path, sql: str, args: tuple[object, ...], said: str
) -> None:
    home, good = backed_up(tmp_path, "keepme")
    before = (home / "diary.sqlite3").read_bytes()
    bad = edited(good, "bad.sqlite3", sql, *args)
    done = cc(home, "diary", "restore", str(bad), "--yes")
    assert done.returncode == 1, done.stderr
    assert "nothing restored" in done.stderr and said in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert (home / "diary.sqlite3").read_bytes() == before
    assert cc(home, "diary").returncode == 0


def test_a_backup_without_a_cramps_table_is_refused(tmp_path: Path) -> None:
    home, good = backed_up(tmp_path, "keepme")
    view = edited(good, "view.sqlite3", "ALTER TABLE cramps RENAME TO old")
    db = sqlite3.connect(view)
    db.execute("CREATE VIEW cramps AS SELECT * FROM old")
    db.commit()
    db.close()
    done = cc(home, "diary", "restore", str(view), "--yes")
    assert done.returncode == 1 and "not a whole crampcli diary" in done.stderr


def test_undo_right_after_restore_has_nothing_to_undo(tmp_path: Path) -> None:
    home, good = backed_up(tmp_path, "one", "two")
    broken = edited(good, "journal.sqlite3", "UPDATE changes SET before='{bad'")
    restored = cc(home, "diary", "restore", str(broken), "--yes")
    assert restored.returncode == 0 and "Nothing to undo" in restored.stderr
    undo = cc(home, "diary", "undo")
    assert undo.returncode == 1 and "nothing to undo" in undo.stderr
    assert notes(home / "diary.sqlite3") == ["one", "two"]


def test_leg_and_place_text_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    """Defence in depth: a diary file holding control characters in leg and place (written
    by hand or an older crampcli) is shown escaped in every view."""
    home, _ = backed_up(tmp_path, "x")
    db = sqlite3.connect(home / "diary.sqlite3")
    db.execute("UPDATE cramps SET leg=?, place=?", ("left\x1b[5m\x1b[2J", "\x1b]0;pwned\x07"))
    db.commit()
    db.close()
    for args in (["report"], ["report", "--format", "markdown"], ["diary"], ["diary", "-v"]):
        shown = cc(home, *args)
        if shown.returncode == 2:  # an option this command does not have
            continue
        assert shown.returncode == 0, shown.stderr
        assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout, args
    page = tmp_path / "r.html"
    assert cc(home, "report", "--html", str(page)).returncode == 0
    assert "\x1b" not in page.read_text() and "\x07" not in page.read_text()


def test_a_sparse_backup_does_not_become_a_large_diary(tmp_path: Path) -> None:
    home, good = backed_up(tmp_path, "keepme")
    sparse = tmp_path / "sparse.sqlite3"
    sparse.write_bytes(good.read_bytes())
    os.truncate(sparse, 2 << 30)
    done = cc(home, "diary", "restore", str(sparse), "--yes")
    assert done.returncode == 0, done.stderr
    assert sum(p.stat().st_blocks * 512 for p in home.iterdir()) < 1 << 20
    assert notes(home / "diary.sqlite3") == ["keepme"]


def test_a_log_racing_a_restore_is_never_lost(tmp_path: Path) -> None:
    home, good = backed_up(tmp_path, "a", "b", "c")
    env = {**os.environ, "TZ": "UTC", "CRAMPCLI_HOME": str(home), "NO_COLOR": "1"}
    loop = 'for i in 1 2 3 4 5 6 7 8; do "$0" log --minutes 2 --note "P$1L$i"; done'
    writers = [
        subprocess.Popen(
            ["sh", "-c", loop, str(INSTALLED), str(p)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for p in range(4)
    ]
    for _ in range(6):
        assert cc(home, "diary", "restore", str(good), "--yes").returncode == 0
    logged = []
    for w in writers:
        out, _ = w.communicate(timeout=120)
        logged += re.findall(r'"(P\d+L\d+)"', out)
    assert logged
    found = set()
    for file in home.glob("diary*.sqlite3"):
        found.update(notes(file))
    assert set(logged) - found == set()


def test_temporary_copies_live_in_the_diary_folder_and_stale_ones_are_removed(
    tmp_path: Path,
) -> None:
    home, good = backed_up(tmp_path, "secret")
    stale = [
        home / ".diary.sqlite3.0badc0de.tmp",
        home / ".diary-before-restore-20261201-030000.sqlite3.12345678.tmp",
    ]
    for p in stale:
        p.write_bytes(good.read_bytes())
    (home / ".diary.sqlite3.0badc0de.tmp-wal").write_bytes(b"x")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    assert cc(home, "diary", "backup", str(tmp_path / "b2"), TMPDIR=str(tmp)).returncode == 0
    assert cc(home, "diary", "restore", str(good), "--yes", TMPDIR=str(tmp)).returncode == 0
    assert not any(tmp.iterdir())  # never in TMPDIR
    assert not [p for p in home.iterdir() if p.name.startswith(".")]  # the next run removed them
    for p in stale:
        p.write_bytes(good.read_bytes())
    wiped = cc(home, "diary", "wipe", "--yes")
    assert wiped.returncode == 0
    assert not [p for p in home.iterdir() if p.name.startswith(".")]
    assert all(str(p) in wiped.stderr for p in stale)


def test_sigterm_and_sighup_end_a_backup_as_ctrl_c_does() -> None:
    from crampcli.commands.diary import _interruptible

    for sig in (signal.SIGTERM, signal.SIGHUP):
        with pytest.raises(KeyboardInterrupt), _interruptible():
            os.kill(os.getpid(), sig)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


# --- round 6 -------------------------------------------------------------------------------


def test_a_backup_with_a_wal_file_beside_it_is_refused_not_half_restored(tmp_path: Path) -> None:
    """R1: only the main file is copied, so entries still in a `-wal` beside it would be lost:
    the restore is refused and says why; the diary is unchanged."""
    home, good = backed_up(tmp_path, "keepme")
    copy = tmp_path / "copy"
    copy.mkdir()
    backup = copy / "diary.sqlite3"
    backup.write_bytes(good.read_bytes())
    (copy / "diary.sqlite3-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 28)
    before = (home / "diary.sqlite3").read_bytes()
    done = cc(home, "diary", "restore", str(backup), "--yes")
    assert done.returncode == 1 and "diary.sqlite3-wal" in done.stderr, done.stderr
    assert (home / "diary.sqlite3").read_bytes() == before


def test_the_diary_itself_is_no_backup_to_restore(tmp_path: Path) -> None:
    home, _ = backed_up(tmp_path, "keepme")
    done = cc(home, "diary", "restore", str(home / "diary.sqlite3"), "--yes")
    assert done.returncode == 1 and "the diary itself" in done.stderr, done.stderr
    assert notes(home / "diary.sqlite3") == ["keepme"]


def test_a_backup_repeating_an_id_names_the_row_not_the_diary(tmp_path: Path) -> None:
    """R2: a cramps table without a key may repeat an id: the backup's row is named, and the
    healthy diary is never called damaged."""
    home, good = backed_up(tmp_path, "keepme", "other")
    dup = edited(good, "dup.sqlite3", "ALTER TABLE cramps RENAME TO keyed")
    db = sqlite3.connect(dup)
    db.execute("CREATE TABLE cramps AS SELECT * FROM keyed")
    db.execute("INSERT INTO cramps SELECT * FROM keyed WHERE id = 1")
    db.execute("DROP TABLE keyed")
    db.commit()
    db.close()
    done = cc(home, "diary", "restore", str(dup), "--yes")
    assert done.returncode == 1 and "appears twice" in done.stderr, done.stderr
    assert "damaged" not in done.stderr
    assert notes(home / "diary.sqlite3") == ["keepme", "other"]


@pytest.mark.parametrize("name", ["notes.txt/", "nb/."])
def test_a_backup_spelled_as_a_folder_is_refused(tmp_path: Path, name: str) -> None:
    """R3: `diary backup notes.txt/` must not replace the file notes.txt."""
    home, _ = backed_up(tmp_path, "keepme")
    kept = tmp_path / "notes.txt"
    kept.write_text("IMPORTANT\n")
    done = cc(home, "diary", "backup", name)
    assert done.returncode != 0 and "folder" in done.stderr, done.stderr
    assert kept.read_text() == "IMPORTANT\n" and not (tmp_path / "nb").exists()



def test_a_backup_named_with_a_trailing_slash_is_not_read_as_the_file(tmp_path: Path) -> None:
    """`diary restore good.sqlite3/` names a folder that is not there, as `cat` reads it; it
    must not restore the file good.sqlite3 (pathlib drops the "/")."""
    home, good = backed_up(tmp_path, "keepme")
    assert cc(home, "log", "--minutes", "2", "--note", "newer").returncode == 0
    done = cc(home, "diary", "restore", f"{good}/", "--yes")
    assert done.returncode == 1 and "Not a directory" in done.stderr, done.stderr
    assert notes(home / "diary.sqlite3") == ["keepme", "newer"]
    assert not list(home.glob("diary-before-restore-*"))

# --- round 7 -------------------------------------------------------------------------------


# How a WAL file and a hot rollback journal start (files.SQLITE_MAGIC), then anything
SQLITE_WROTE = {
    "-wal": b"\x37\x7f\x06\x82" + b"\x01" * 60,
    "-journal": b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\x01" * 56,
}


def test_a_link_to_a_copy_with_a_wal_or_a_journal_is_refused_too(tmp_path: Path) -> None:
    """S1, S2: the side files SQLite would read are looked for beside the file a link names,
    and a journal counts as a wal does."""
    home, good = backed_up(tmp_path, "keepme")
    for side in ("-wal", "-journal"):
        copy = tmp_path / f"copy{side}"
        copy.mkdir()
        (copy / "b.sqlite3").write_bytes(good.read_bytes())
        (copy / f"b.sqlite3{side}").write_bytes(SQLITE_WROTE[side])
        link = tmp_path / f"link{side}.sqlite3"
        link.symlink_to(copy / "b.sqlite3")
        for given in (copy / "b.sqlite3", link):
            done = cc(home, "diary", "restore", str(given), "--yes")
            assert done.returncode == 1 and f"b.sqlite3{side}" in done.stderr, done.stderr
    assert notes(home / "diary.sqlite3") == ["keepme"]


def test_restore_never_takes_a_busy_diary_for_a_damaged_one(tmp_path: Path) -> None:
    """S3: while another process holds the diary, restore says it is busy and changes
    nothing; it never removes the diary to make a new one."""
    home, good = backed_up(tmp_path, "keepme")
    holder = sqlite3.connect(home / "diary.sqlite3", timeout=0)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:  # crampcli waits 30 s for a busy diary before it says so
        done = subprocess.run(
            [str(INSTALLED), "diary", "restore", str(good), "--yes"],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "NO_COLOR": "1", "CRAMPCLI_HOME": str(home)},
            timeout=90,
        )
    finally:
        holder.rollback()
        holder.close()
    assert done.returncode == 1 and "busy" in done.stderr, done.stderr
    assert not list(home.glob("diary-before-restore-*"))
    assert notes(home / "diary.sqlite3") == ["keepme"]


def test_a_backup_over_an_old_one_drops_the_old_ones_side_files(tmp_path: Path) -> None:
    """S5: an old copy's leftover -wal or hot -journal would be read with the new copy (a
    journal rolls it back): the new backup removes our own and reads whole."""
    home, _ = backed_up(tmp_path, "one")
    dest = tmp_path / "b.sqlite3"
    assert cc(home, "diary", "backup", str(dest)).returncode == 0
    (tmp_path / "b.sqlite3-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\0" * 500)
    (tmp_path / "b.sqlite3-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 28)
    assert cc(home, "log", "--minutes", "2", "--note", "two").returncode == 0
    assert cc(home, "diary", "backup", str(dest)).returncode == 0
    assert not (tmp_path / "b.sqlite3-journal").exists()
    assert not (tmp_path / "b.sqlite3-wal").exists()
    assert notes(dest) == ["one", "two"]
