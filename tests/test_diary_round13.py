"""Issue 20, what the thirteenth attack round found in `diary wipe`: with another crampcli
holding the diary open (a `delete` at its question), a wipe removed files SQLite still had
open. S1: a `log` meanwhile made a new -wal holding the wiped entries, left after "Deleted".
S2: a wipe stopped between its removals left two WALs serving one diary; when the other
process closed, it wrote its old WAL back and removed the new one, and an entry logged after
the wipe was lost. A wipe now waits until no one has the diary open, empties it, then
removes its files with Ctrl-C held off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round4 import cc
from test_diary_round5 import backed_up, notes

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")

# Another process with the diary open, as a `delete` waiting at its question is: a connection
# to the WAL diary that has written an entry still in the WAL. It says "open", then closes
# the diary when its standard input ends.
HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("INSERT INTO cramps (at, note, logged) VALUES ('2026-12-01T03:00:00+00:00', "
           "'HELD OPEN', '2026-12-01T03:00:00+00:00')")
print("open", flush=True)
sys.stdin.read()
db.close()
"""


def _holding(path: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "open\n"
    return holder


def test_a_wipe_removes_nothing_while_another_crampcli_has_the_diary_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S1, S2: the wipe removed the -wal and -shm another process had open."""
    from crampcli.diary import copies, files
    from crampcli.diary.files import DiaryUnavailable

    home, _ = backed_up(tmp_path, "old")
    path = home / "diary.sqlite3"
    holder = _holding(path)
    try:
        assert Path(f"{path}-wal").stat().st_size > 0  # the held entry waits in the WAL
        before = sorted(p.name for p in home.iterdir())
        monkeypatch.setattr(files, "BUSY_TIMEOUT_MS", 300)
        with pytest.raises(DiaryUnavailable, match="open in another program"):
            copies.wipe(path)
        assert sorted(p.name for p in home.iterdir()) == before
    finally:
        holder.communicate("")
    assert notes(path) == ["old", "HELD OPEN"]


def test_a_wipe_waits_for_the_other_crampcli_then_leaves_nothing(tmp_path: Path) -> None:
    """S1: after "Deleted", a new -wal with the wiped entries was left beside no diary."""
    home, _ = backed_up(tmp_path, "OLD SECRET")
    holder = _holding(home / "diary.sqlite3")
    wipe = subprocess.Popen(
        [str(INSTALLED), "diary", "wipe", "--yes"],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CRAMPCLI_HOME": str(home)},
    )
    try:
        assert wipe.stderr is not None
        assert wipe.stderr.readline().startswith("Waiting for the other crampcli")
        assert home.joinpath("diary.sqlite3-wal").exists()  # nothing removed while it waits
    finally:
        holder.communicate("")
    assert wipe.wait(timeout=15) == 0
    assert wipe.stderr.read().startswith("Deleted")
    assert sorted(p.name for p in home.iterdir()) == []


def test_a_wipe_cut_short_leaves_no_wiped_entry_and_loses_no_later_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S2: a wipe stopped before it removed the diary left the diary with its entries (and,
    with another process holding it, lost an entry logged afterwards). It is emptied first."""
    from crampcli.diary import copies

    home, _ = backed_up(tmp_path, "OLD SECRET")
    path = home / "diary.sqlite3"
    removing = copies._unlinked

    def killed_before_the_diary(name: str, folder: int) -> bool:
        if name == path.name:
            raise KeyboardInterrupt  # as a kill -9 just before the diary's removal
        return removing(name, folder)

    monkeypatch.setattr(copies, "_unlinked", killed_before_the_diary)
    with pytest.raises(KeyboardInterrupt):
        copies.wipe(path)
    monkeypatch.undo()
    assert not any(b"OLD SECRET" in p.read_bytes() for p in home.iterdir())
    assert cc(home, "log", "--minutes", "2", "--note", "NEW").returncode == 0
    assert notes(path) == ["NEW"]


# A wipe slowed while it holds the diary: it says "held" just before it empties the file.
SLOW_WIPE = """
import os, sys, time
from pathlib import Path
from crampcli.diary import copies
emptying = os.ftruncate
def slowly(fd, size):
    print("held", flush=True)
    time.sleep(3)
    emptying(fd, size)
os.ftruncate = slowly
copies.wipe(Path(sys.argv[1]))
"""


def test_a_log_that_waited_for_a_wipe_says_the_diary_was_wiped(tmp_path: Path) -> None:
    """Found while fixing S1: a `log` that opened the diary while the wipe held it said
    "disk I/O error" (SQLite cannot make a journal beside a removed file)."""
    home, _ = backed_up(tmp_path, "old")
    wipe = subprocess.Popen(
        [sys.executable, "-c", SLOW_WIPE, str(home / "diary.sqlite3")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert wipe.stdout is not None and wipe.stdout.readline() == "held\n"
    done = cc(home, "log", "--minutes", "2", "--note", "DURING")
    assert wipe.wait(timeout=15) == 0
    assert done.returncode == 1 and "was wiped or replaced" in done.stderr, done.stderr
    assert "nothing was written" in done.stderr
    assert sorted(p.name for p in home.iterdir()) == []
