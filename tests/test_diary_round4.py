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
import sys
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary import entries, ok

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")

OTHER = 65534  # the other user (nobody): the attacker


def cc(
    home: Path, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """``crampcli ARGS`` with its diary in ``home``, run in the folder above it (where a
    relative output goes); 15 s at most, so a hang fails quickly."""
    return subprocess.run(
        [str(INSTALLED), *args],
        cwd=home.parent,
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


# F7. `diary restore` puts a backup in place, whatever a crash left beside the diary ----------

CRASH_WITH_A_WAL = """
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA wal_autocheckpoint = 0")  # committed rows stay in the WAL file
for n in range(50):
    db.execute("INSERT INTO cramps (at, logged, note) VALUES ('2026-01-01T00:00:00+00:00', "
               "'2026-01-01T00:00:00+00:00', 'after the backup')")
os._exit(0)  # a crash: no checkpoint, the WAL file stays
"""


def test_restore_puts_the_backup_in_place_over_a_stale_wal(tmp_path: Path) -> None:
    home, copy = tmp_path / "home", tmp_path / "old.sqlite3"
    for n in (1, 2, 3):
        ok(home, "log", "--minutes", str(n))
    ok(home, "diary", "backup", str(copy))
    for n in (4, 5):
        ok(home, "log", "--minutes", str(n))
    subprocess.run(
        [sys.executable, "-c", CRASH_WITH_A_WAL, str(home / "diary.sqlite3")], check=True
    )
    assert (home / "diary.sqlite3-wal").stat().st_size > 0
    before = snapshot(home)
    asked = cc(home, "diary", "restore", str(copy))  # no terminal to ask on, no --yes
    assert asked.returncode == 2 and "--yes" in asked.stderr
    assert snapshot(home) == before
    result = cc(home, "diary", "restore", str(copy), "--yes")
    assert result.returncode == 0, result.stderr
    assert "Restored 3 entries" in result.stderr
    kept = [p for p in home.iterdir() if p.name.startswith("diary-before-restore-")]
    assert len(kept) == 1 and str(kept[0]) in result.stderr
    assert sorted(p.name for p in home.iterdir()) == sorted(["diary.sqlite3", kept[0].name])
    assert [e["minutes"] for e in entries(home)] == [1, 2, 3]
    db = sqlite3.connect(f"file:{kept[0]}?mode=ro", uri=True)  # the diary as it was, all of it
    assert db.execute("SELECT count(*) FROM cramps").fetchone()[0] == 55
    db.close()


def _foreign(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE people (name TEXT)")
    db.commit()
    db.close()


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_text("my notes\n"),
        _foreign,
        lambda p: p.write_bytes(b"SQLite format 3\x00" + os.urandom(8000)),
    ],
    ids=["text", "foreign-database", "damaged"],
)
def test_restore_refuses_what_is_not_a_whole_crampcli_diary(tmp_path: Path, make) -> None:
    home, bad = tmp_path / "home", tmp_path / "bad.sqlite3"
    ok(home, "log", "--minutes", "1")
    make(bad)
    before = snapshot(home)
    result = cc(home, "diary", "restore", str(bad), "--yes")
    assert result.returncode == 1 and str(bad) in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(home) == before


# F6. Ids: the highest one imported, then log, export, wipe, import: every entry comes back -----


def test_ids_at_the_top_stay_editable_and_the_export_reimports(tmp_path: Path) -> None:
    home, top = tmp_path / "home", 2**31 - 1
    doc = {
        "format": "crampcli-diary",
        "version": 1,
        "entries": [{"id": top, "at": "2026-11-01T03:00:00+00:00"}],
    }
    given, out = tmp_path / "m.json", tmp_path / "e.json"
    given.write_text(json.dumps(doc))
    ok(home, "diary", "import", str(given))
    logged = json.loads(ok(home, "log", "--minutes", "1", "--json"))
    new_id = logged["cramp"]["id"]
    assert 1 <= new_id <= top
    ok(home, "diary", "edit", str(new_id), "--minutes", "2")
    ok(home, "diary", "export", "-o", str(out))
    ok(home, "diary", "wipe", "--yes")
    ok(home, "diary", "import", str(out))
    assert sorted((e["id"], e["minutes"]) for e in entries(home)) == [(new_id, 2), (top, None)]
    ok(home, "diary", "delete", str(top), "--yes")
    doc["entries"][0]["id"] = top + 1  # out of range: refused with its line
    given.write_text(json.dumps(doc))
    refused = cc(home, "diary", "import", str(given))
    assert refused.returncode == 1 and "line 1" in refused.stderr and "id" in refused.stderr


# F12, F13. The same file imported twice is a no-op; a BOM (Excel's "CSV UTF-8") imports ------


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    home, given = tmp_path / "home", tmp_path / "a.json"
    doc = {
        "format": "crampcli-diary",
        "version": 1,
        "entries": [{"id": 5, "at": "2026-11-01T03:00:00+00:00", "minutes": 2}],
    }
    given.write_text(json.dumps(doc))
    ok(home, "diary", "import", str(given))
    again = cc(home, "diary", "import", str(given))
    assert again.returncode == 0, again.stderr
    said = " ".join(again.stdout.split())  # wrapped at 80 columns
    assert "Imported 0 entries" in said and "1 already in the diary, identical" in said
    assert [(e["id"], e["minutes"]) for e in entries(home)] == [(5, 2)]


@pytest.mark.parametrize(
    "name, text",
    [
        ("a.csv", "id,at,minutes\n7,2026-11-02T03:00:00+00:00,3\n"),
        ("b.csv", "at,minutes\n2026-11-02T03:00:00+00:00,3\n"),
        (
            "c.json",
            '{"format": "crampcli-diary", "version": 1, "entries": '
            '[{"at": "2026-11-02T03:00:00+00:00", "minutes": 3}]}',
        ),
    ],
    ids=["csv-with-ids", "csv", "json"],
)
@pytest.mark.parametrize("how", ["file", "stdin"])
def test_a_file_starting_with_a_bom_imports(tmp_path: Path, name: str, text: str, how: str) -> None:
    home, given = tmp_path / "home", tmp_path / name
    given.write_bytes(b"\xef\xbb\xbf" + text.encode())
    if how == "file":
        result = cc(home, "diary", "import", str(given))
    else:
        fmt = name.rsplit(".", 1)[1]
        result = cc(home, "diary", "import", "-", "--format", fmt, stdin="\ufeff" + text)
    assert result.returncode == 0, result.stderr
    assert [e["minutes"] for e in entries(home)] == [3]


# F11. A relative XDG_DATA_HOME is ignored, as the XDG spec says --------------------------------


def test_a_relative_xdg_data_home_is_ignored(tmp_path: Path) -> None:
    user = tmp_path / "user"
    (tmp_path / "elsewhere").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CRAMPCLI_HOME"}
    env.update(HOME=str(user), XDG_DATA_HOME="share", TZ="UTC")
    where = [
        subprocess.run(
            [str(INSTALLED), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
        for cwd, args in [
            (tmp_path, ("log", "--minutes", "1")),
            (tmp_path / "elsewhere", ("diary",)),
            (tmp_path / "elsewhere", ("diary", "path")),
        ]
    ]
    assert all(r.returncode == 0 for r in where), [r.stderr for r in where]
    assert "1 min" in where[1].stdout  # the same diary from another folder
    assert where[2].stdout.strip() == str(user / ".local" / "share" / "crampcli" / "diary.sqlite3")
    assert not (tmp_path / "share").exists()
