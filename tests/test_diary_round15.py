"""Issue 20, what the fifteenth attack round found. S1: a restore that moved a damaged diary
aside and then failed (a full disk) said "what was there is kept" and never named the copy
that holds it. S2: a listing of a diary its owner had made 0640 let SQLite make 0640 side
files, which every later command refused, `diary wipe` too."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round4 import cc
from test_diary_round5 import backed_up

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")


def test_a_restore_that_fails_after_moving_a_damaged_diary_says_where_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.diary import copies
    from crampcli.diary.files import DiaryUnavailable

    home, good = backed_up(tmp_path, "from the backup")
    path = home / "diary.sqlite3"
    damaged = b"SQLite format 3\x00" + b"\xff" * 84 + b"\x01" * 4096
    path.write_bytes(damaged)

    def disk_full(*args: object) -> None:
        raise DiaryUnavailable("the disk is full: nothing was written (what was there is kept)")

    monkeypatch.setattr(copies, "_replace_entries", disk_full)
    with copies.checked_backup(good, path) as checked, pytest.raises(DiaryUnavailable) as said:
        copies.restore(path, checked)
    kept = list(home.glob("diary-before-restore-*.sqlite3"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert str(kept[0]) in str(said.value) and "moved aside" in str(said.value)


def test_a_listing_tightens_a_loosened_diary_before_sqlite_makes_its_side_files(
    tmp_path: Path,
) -> None:
    home, _ = backed_up(tmp_path, "one")
    path = home / "diary.sqlite3"
    home.chmod(0o750)
    path.chmod(0o640)  # as `cp -p` or a backup tool may leave it
    assert cc(home, "diary").returncode == 0
    for file in home.iterdir():
        assert not file.stat().st_mode & 0o077, f"{file.name}: {stat.filemode(file.stat().st_mode)}"
    assert cc(home, "log", "--minutes", "2").returncode == 0
    assert cc(home, "diary", "wipe", "--yes").returncode == 0
