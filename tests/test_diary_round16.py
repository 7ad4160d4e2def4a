"""Issue 20, what the sixteenth attack round found. S1: a diary folder inside a folder others
can write (not sticky): another user swapped the diary's folder for theirs, back, and in
again between crampcli's checks and SQLite's opening the files by name, read the note, and
the person was told "Logged" for an entry not in their diary. S2: Ctrl-C during a restore of
a damaged diary, after the diary was moved aside, said nothing of where it went."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round4 import cc
from test_diary_round5 import backed_up

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")


@pytest.mark.parametrize("mode", [0o777, 0o775])
def test_a_diary_below_a_folder_others_can_write_is_refused(tmp_path: Path, mode: int) -> None:
    """S1: only `mv` in the shared folder was needed."""
    shared = tmp_path / "shared"
    home = shared / "mine"
    home.mkdir(parents=True, mode=0o700)
    shared.chmod(mode)
    done = cc(home, "log", "--minutes", "2", "--note", "SECRET")
    assert done.returncode == 1, done.stderr
    assert f"the folder {shared} above it can be written by others" in done.stderr
    assert list(home.iterdir()) == []


def test_a_sticky_folder_above_is_fine_as_tmp_is(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    home = shared / "mine"
    home.mkdir(parents=True, mode=0o700)
    shared.chmod(0o1777)  # others can write it, but not rename what is ours in it
    assert cc(home, "log", "--minutes", "2").returncode == 0


def test_a_folder_above_that_someone_else_owns_is_refused(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give a folder to another user")
    theirs = tmp_path / "theirs"
    home = theirs / "mine"
    home.mkdir(parents=True, mode=0o700)
    os.chown(theirs, 65534, 65534)  # its owner may rename what is in it
    done = cc(home, "log", "--minutes", "2")
    assert done.returncode == 1 and "above it belongs to someone else" in done.stderr


def test_an_interrupted_restore_of_a_damaged_diary_names_its_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S2: exit 130, nothing said, the diary gone and its copy never named."""
    from crampcli.diary import copies
    from crampcli.errors import ExitCode, Interrupted

    home, good = backed_up(tmp_path, "from the backup")
    path = home / "diary.sqlite3"
    damaged = b"SQLite format 3\x00" + b"\xff" * 84 + b"\x01" * 4096
    path.write_bytes(damaged)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C, or SIGTERM/SIGHUP as `diary restore` takes them

    monkeypatch.setattr(copies, "_replace_entries", interrupted)
    with copies.checked_backup(good, path) as checked, pytest.raises(Interrupted) as said:
        copies.restore(path, checked)
    kept = list(home.glob("diary-before-restore-*.sqlite3"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert str(kept[0]) in str(said.value) and said.value.exit_code == ExitCode.INTERRUPTED
