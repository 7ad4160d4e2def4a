"""Issue 20, what the seventeenth attack round found. S1: the check of the folders above the
diary's skipped one that did not exist yet; another user who made it in time (a loop of
mkdir and rmdir in a sticky folder) owned the folder above the diary's new folder, the setup
of round 16's swap. S2: a Ctrl-C during a restore's clean-up, once it had committed, exited
130 saying nothing, the copy of the diary as it was never named."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round4 import cc
from test_diary_round5 import backed_up, notes

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")


def test_a_folder_above_made_by_someone_else_meanwhile_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli import folders
    from crampcli.diary.files import DiaryError
    from crampcli.diary.store import Diary

    shared = tmp_path / "t"
    shared.mkdir(mode=0o700)
    shared.chmod(0o1777)  # sticky, as /tmp is: fine
    path = shared / "proj" / "mine" / "diary.sqlite3"
    making = folders.make_private

    def beaten(folder: Path) -> None:
        (shared / "proj").mkdir()
        (shared / "proj").chmod(0o777)  # the other user's loop made it first
        making(folder)

    monkeypatch.setattr(folders, "make_private", beaten)
    with pytest.raises(DiaryError, match="above it can be written by others"):
        Diary.open(path)
    assert not path.exists()


def test_a_restore_interrupted_once_done_says_so_and_names_the_kept_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.diary import copies
    from crampcli.errors import Interrupted

    home, good = backed_up(tmp_path, "from the backup")
    path = home / "diary.sqlite3"
    assert cc(home, "log", "--minutes", "2", "--note", "not in backup").returncode == 0
    holding = copies.exclusive

    @contextlib.contextmanager
    def interrupted_on_the_way_out(*args: object) -> Iterator[None]:
        with holding(*args):  # type: ignore[arg-type]
            yield
        raise KeyboardInterrupt  # Ctrl-C while the lock file is removed

    monkeypatch.setattr(copies, "exclusive", interrupted_on_the_way_out)
    said = ""
    with copies.checked_backup(good, path) as checked:
        try:
            copies.restore(path, checked)
        except Interrupted as exc:
            said = str(exc)
        except KeyboardInterrupt:  # bare: exit 130 with nothing said
            pytest.fail("the interrupted restore said nothing of what it had done")
    kept = list(home.glob("diary-before-restore-*.sqlite3"))
    assert notes(path) == ["from the backup"] and len(kept) == 1
    assert "once the restore was done" in said and str(kept[0]) in said
