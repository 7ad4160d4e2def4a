"""Issue 20, what the fourth attack round found in the diary: a folder or side file another
user controls (F1), a FIFO as a side file (F8), restoring a backup over a stale WAL file
(F7), ids at the top of the range (F6), re-imports (F12), a BOM (F13), wiping a damaged
diary (F15) and a relative XDG folder (F11). Every test drives the installed command with
its own diary and cache folder."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary import entries, ok

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")

OTHER = 65534  # the other user (nobody): the attacker


def cc(
    home: Path, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """``crampcli ARGS`` with its diary in ``home``; 15 s at most, so a hang fails quickly."""
    return subprocess.run(
        [str(INSTALLED), *args],
        capture_output=True,
        text=True,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        env={
            **os.environ,
            "COLUMNS": "80",
            "NO_COLOR": "1",
            "TZ": "UTC",
            "CRAMPCLI_HOME": str(home),
            **env,
        },
        timeout=15,
    )


def as_other(*args: str) -> None:
    """A plain command (mkdir, touch) run as the other user: what an attacker plants."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to act as another user")
    prefix = ["setpriv", f"--reuid={OTHER}", f"--regid={OTHER}", "--clear-groups"]
    subprocess.run([*prefix, *args], check=True, timeout=30, stdin=subprocess.DEVNULL)


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A temp folder another user can reach (pytest's own is private to this user)."""
    path = Path(tempfile.mkdtemp(prefix="crampcli-round4-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


def snapshot(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(home.iterdir()) if p.is_file()}


# F1. A folder or a side file someone else controls is refused: nothing written or deleted ----


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777, 0o2775])
@pytest.mark.parametrize(
    "args", [("log", "--minutes", "2", "--note", "SECRET"), ("diary",), ("diary", "wipe", "--yes")]
)
def test_a_diary_folder_others_can_write_is_refused(
    tmp_path: Path, mode: int, args: tuple[str, ...]
) -> None:
    home = tmp_path / "home"
    ok(home, "log", "--minutes", "1")
    home.chmod(mode)
    before = snapshot(home)
    result = cc(home, *args)
    assert result.returncode == 1, result.stderr
    assert "can be written by others" in result.stderr and str(home) in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(home) == before


def test_a_diary_folder_someone_else_made_first_is_refused(open_dir: Path) -> None:
    shared = open_dir / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    home = shared / "home"
    as_other("mkdir", "-m", "700", str(home))  # made first by the attacker, private to them
    result = cc(home, "log", "--minutes", "2", "--note", "SECRET")
    assert result.returncode == 1 and "belongs to someone else" in result.stderr, result.stderr
    assert list(home.iterdir()) == []


def test_a_wal_file_someone_else_planted_never_receives_notes(open_dir: Path) -> None:
    home = open_dir / "home"
    ok(home, "log", "--minutes", "1")
    home.chmod(0o1777)  # a shared folder: the attacker can plant, not remove ours
    as_other("sh", "-c", f"umask 0; : > {home / 'diary.sqlite3-wal'}")
    home.chmod(0o700)  # even once the folder is private again, the planted file stays
    result = cc(home, "log", "--minutes", "2", "--note", "SECRET")
    assert result.returncode == 1 and "belongs to someone else" in result.stderr, result.stderr
    wal = home / "diary.sqlite3-wal"
    assert wal.read_bytes() == b"" and wal.stat().st_uid == OTHER  # kept, never written


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
@pytest.mark.parametrize(
    "args", [("log", "--minutes", "2"), ("diary",), ("diary", "wipe", "--yes")]
)
def test_a_side_file_not_ours_alone_is_refused_and_kept(
    tmp_path: Path, suffix: str, args: tuple[str, ...]
) -> None:
    home = tmp_path / "home"
    ok(home, "log", "--minutes", "1")
    side = home / f"diary.sqlite3{suffix}"
    side.write_bytes(b"")
    side.chmod(0o644)  # ours, but others may read it
    before = snapshot(home)
    result = cc(home, *args)
    assert result.returncode == 1, result.stderr
    assert str(side) in result.stderr and "read or written by others" in result.stderr
    assert snapshot(home) == before


# F8. A FIFO (or a folder, or a link) at a side file is refused at once, never hangs -------------


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
@pytest.mark.parametrize(
    "args",
    [
        ("log", "--minutes", "2"),
        ("diary",),
        ("diary", "export", "-o", "x.json"),
        ("diary", "wipe", "--yes"),
    ],
)
def test_a_fifo_as_a_side_file_is_refused_at_once(
    tmp_path: Path, suffix: str, args: tuple[str, ...]
) -> None:
    home = tmp_path / "home"
    ok(home, "log", "--minutes", "1")
    os.mkfifo(home / f"diary.sqlite3{suffix}")
    result = cc(home, *args)  # a hang is a TimeoutExpired: a failure
    assert result.returncode == 1, result.stderr
    assert "a FIFO" in result.stderr and "Traceback" not in result.stderr
    assert (home / "diary.sqlite3").exists() and (home / f"diary.sqlite3{suffix}").is_fifo()


# F15. wipe deletes our own diary even when it is damaged or from a newer crampcli ---------------


def _damaged(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(100)  # all but SQLite's header, which says it is a crampcli diary
        f.write(os.urandom(size - 100))


def _newer(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("INSERT INTO _migrations VALUES ('m999_from_the_future', datetime('now'))")
    db.execute("PRAGMA user_version = 999")
    db.commit()
    db.close()


@pytest.mark.parametrize("spoil", [_damaged, _newer], ids=["damaged", "newer"])
def test_wipe_deletes_a_damaged_or_newer_diary_and_says_what(tmp_path: Path, spoil) -> None:
    home = tmp_path / "home"
    for n in range(3):
        ok(home, "log", "--minutes", str(n + 1), "--note", "private")
    path = home / "diary.sqlite3"
    spoil(path)
    assert cc(home, "diary").returncode == 1  # it cannot be read any more
    asked = cc(home, "diary", "wipe")  # no terminal to ask on: nothing happens
    assert asked.returncode == 2 and path.exists()
    result = cc(home, "diary", "wipe", "--yes")
    assert result.returncode == 0, result.stderr
    assert f"Deleted {path}" in result.stderr
    assert list(home.iterdir()) == []
