"""Issue 20, what the eighteenth attack round found. S1: the second check of the folders
above the diary's still skipped a missing one: another user renamed their folder aside for
that instant and back. S2: a Ctrl-C during a restore's COMMIT landed once it had committed,
before the restore noted it done: exit 130, nothing said, the kept copy never named."""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round4 import cc
from test_diary_round5 import backed_up, notes

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")


def test_a_folder_above_moved_away_while_it_is_checked_again_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.diary import files
    from crampcli.diary.files import DiaryError
    from crampcli.diary.store import Diary

    shared = tmp_path / "t"
    shared.mkdir(mode=0o700)
    shared.chmod(0o1777)
    path = shared / "proj" / "mine" / "diary.sqlite3"
    checking = files._safe_above

    def renamed_aside_meanwhile(*args: object, **kwargs: object) -> None:
        proj = shared / "proj"
        if not proj.exists():  # the first check: nothing to move yet
            return checking(*args, **kwargs)  # type: ignore[arg-type]
        proj.rename(shared / "aside")  # the other user's folder, out of sight for the check
        try:
            return checking(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            (shared / "aside").rename(proj)

    monkeypatch.setattr(files, "_safe_above", renamed_aside_meanwhile)
    with pytest.raises(DiaryError, match="was moved"):
        Diary.open(path)
    assert not path.exists()


def test_a_ctrl_c_during_the_restores_commit_lands_once_it_is_noted_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.diary import copies, store
    from crampcli.errors import Interrupted

    home, good = backed_up(tmp_path, "from the backup")
    path = home / "diary.sqlite3"
    assert cc(home, "log", "--minutes", "2", "--note", "not in backup").returncode == 0
    connecting, writing = store.connect, copies._write_entries
    written: list[bool] = []

    def ctrl_c_at_commit(statement: str) -> None:
        if written and statement == "COMMIT":
            written.clear()
            os.kill(os.getpid(), signal.SIGINT)  # pressed while SQLite commits

    def traced(target: str, uri: bool) -> sqlite3.Connection:
        db = connecting(target, uri)
        db.set_trace_callback(ctrl_c_at_commit)
        return db

    def then_commit(*args: object) -> None:
        writing(*args)  # type: ignore[arg-type]
        written.append(True)

    monkeypatch.setattr(store, "connect", traced)
    monkeypatch.setattr(copies, "_write_entries", then_commit)
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
