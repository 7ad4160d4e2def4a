"""Issue 20, what the nineteenth attack round found. S1: a Ctrl-C (or `kill`, or a closed
terminal) during the COMMIT of `log`, `diary import`, `edit`, `delete` or `undo` made the
change and ended the run before it said so: a second import then doubled its entries. S2:
with a few KiB free on the diary's disk, `diary restore` called an intact backup damaged:
its copy ignored how much of each write a nearly full disk took, so the copy ended in zeros
and failed its integrity check."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round4 import cc
from test_diary_round5 import backed_up, notes

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")


def test_a_write_cut_short_is_finished_not_left_as_zeros(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.diary import copies

    home, good = backed_up(tmp_path, "from the backup")
    path = home / "diary.sqlite3"
    writing = os.pwrite

    def part_of_it(fd: int, data: bytes, offset: int) -> int:
        return writing(fd, bytes(data)[: max(1, len(data) // 2)], offset)  # as a full disk may

    monkeypatch.setattr(os, "pwrite", part_of_it)
    with copies.checked_backup(good, path) as checked:
        monkeypatch.undo()
        copies.restore(path, checked)
    assert notes(path) == ["from the backup"]


# crampcli, with the signal SIG sent to itself as SQLite starts each COMMIT: as if pressed
# or sent while the change was being written
SIGNALLED_AT_COMMIT = """
import os, sys
from crampcli import cli
from crampcli.diary import store
connecting = store.connect
def traced(target, uri):
    db = connecting(target, uri)
    db.set_trace_callback(lambda s: s == "COMMIT" and os.kill(os.getpid(), int(os.environ["SIG"])))
    return db
store.connect = traced
sys.argv[0] = "crampcli"
cli.main()
"""


def signalled_at_commit(home: Path, sig: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SIGNALLED_AT_COMMIT, *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "CRAMPCLI_HOME": str(home), "NO_COLOR": "1", "SIG": str(sig)},
        timeout=30,
    )


@pytest.mark.parametrize(
    ("args", "said", "after"),
    [
        (("log", "--minutes", "5", "--note", "NEW"), "Logged #3", ["OLD 1", "OLD 2", "NEW"]),
        (("diary", "delete", "1", "--yes"), "Deleted #1", ["OLD 2"]),
        (("diary", "edit", "2", "--note", "EDITED"), "EDITED", ["OLD 1", "EDITED"]),
        (("diary", "undo", "--yes"), "Undid", ["OLD 1"]),
        (("diary", "import", "{csv}"), "Imported 1 entry", ["OLD 1", "OLD 2", "FROM CSV"]),
        (("diary", "restore", "{backup}", "--yes"), "Restored 1 entry", ["OLD 1"]),
    ],
)
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_change_interrupted_while_it_commits_is_said_before_the_run_ends(
    tmp_path: Path, args: tuple[str, ...], said: str, after: list[str], sig: int
) -> None:
    home, backup = tmp_path / "home", tmp_path / "b.sqlite3"
    assert cc(home, "log", "--minutes", "1", "--note", "OLD 1").returncode == 0
    assert cc(home, "diary", "backup", str(backup)).returncode == 0
    assert cc(home, "log", "--minutes", "1", "--note", "OLD 2").returncode == 0
    csv = tmp_path / "e.csv"  # no id: a second import would add it again
    csv.write_text("at,minutes,note\n2026-01-02T03:04+00:00,3,FROM CSV\n")
    done = signalled_at_commit(home, sig, *(a.format(csv=csv, backup=backup) for a in args))
    assert notes(home / "diary.sqlite3") == after  # made whole
    told = done.stdout + done.stderr
    assert said in told, told  # and said, then the signal ends the run
    assert "interrupted, once what is said above was done" in done.stderr
    assert done.returncode == (130 if sig == signal.SIGINT else -sig), told


def test_a_change_said_then_interrupted_leaves_a_pager_its_ctrl_c() -> None:
    from crampcli.interrupts import child_setup, signals_held, until_said

    assert child_setup() is None
    with until_said(sys.stdout):
        with signals_held(until_said=True):
            pass
        assert signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])  # held, still
        blocked = subprocess.run(
            ["grep", "^SigBlk", "/proc/self/status"],
            capture_output=True,
            text=True,
            preexec_fn=child_setup(),
        ).stdout.split()[1]
        assert not int(blocked, 16) & (1 << (signal.SIGINT - 1))
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])


def test_making_a_new_diary_does_not_hold_ctrl_c_for_the_question_that_follows(
    tmp_path: Path,
) -> None:
    from crampcli.diary.store import Diary
    from crampcli.interrupts import until_said

    with until_said(sys.stdout), Diary.open(tmp_path / "diary.sqlite3"):
        assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
