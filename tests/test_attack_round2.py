"""The second attack round (issue 20): nothing a file, a clock, a disk, another user or a
million entries does loses data, leaks it, or tells a lie. One test (or more) per point."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import INSTALLED, installed

HEX = "0123456789abcdef"


def crampcli(tmp_path: Path, *args: str, stdin: str | None = None, **env: str):
    """The installed command with its own diary and cache in ``tmp_path``."""
    return installed(
        *args,
        stdin=stdin,
        CRAMPCLI_HOME=str(tmp_path / "home"),
        CRAMPCLI_CACHE_DIR=str(tmp_path / "cache"),
        **env,
    )


# 1. The render cache deletes only what it wrote, never through a symlink ----------------------


def test_the_render_cache_never_deletes_files_it_did_not_write(tmp_path: Path) -> None:
    folder = tmp_path / "proj" / "render"
    folder.mkdir(parents=True, mode=0o700)
    folder.chmod(0o700)
    for n in range(300):
        (folder / f"notes-{n}.txt").write_text("mine")
    result = installed("prevent", "--brief", CRAMPCLI_CACHE_DIR=str(tmp_path / "proj"))
    assert result.returncode == 0
    assert len([p for p in folder.iterdir() if p.name.startswith("notes-")]) == 300


def test_a_render_symlink_in_a_shared_cache_folder_is_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir(mode=0o700)
    for n in range(300):
        (victim / f"{n:024x}").write_text("precious")  # even names the cache would use
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    (shared / "render").symlink_to(victim)
    for command in ("prevent", "causes", "search"):
        installed(
            command, "--brief" if command != "search" else "calf", CRAMPCLI_CACHE_DIR=str(shared)
        )
    assert len(list(victim.iterdir())) == 300
    assert (shared / "render").is_symlink()


# 2. Code identity comes from content, not size and mtime ---------------------------------------


def test_an_upgrade_that_keeps_sizes_and_times_is_new_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli import rendercache

    package = tmp_path / "crampcli"
    shutil.copytree(rendercache._PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(rendercache, "_PACKAGE", str(package))
    before = rendercache.key(["causes"])
    module = package / "errors.py"
    info = module.stat()
    text = module.read_bytes()
    module.write_bytes(text.replace(b"a", b"b", 1))  # same size
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))  # same time
    assert module.stat().st_size == info.st_size
    assert rendercache.key(["causes"]) != before


# 3. Privacy: `cache clear`, and wipe says what it does not remove ---------------------------


def test_cache_clear_removes_the_cached_pages_and_nothing_else(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert crampcli(tmp_path, "meds", "atorvastatin").returncode == 0
    assert crampcli(tmp_path, "search", "statin", "cramps").returncode == 0
    render = cache / "render"
    assert len(list(render.iterdir())) == 2
    (cache / "mine.txt").write_text("keep")
    (render / "mine.txt").write_text("keep")
    result = crampcli(tmp_path, "cache", "clear")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in render.iterdir()) == ["mine.txt"]
    assert (cache / "mine.txt").read_text() == "keep"
    assert not any(b"statin" in p.read_bytes() for p in cache.rglob("*") if p.is_file())


def test_wipe_says_what_it_does_not_remove(tmp_path: Path) -> None:
    assert crampcli(tmp_path, "log", "--minutes", "2").returncode == 0
    result = crampcli(tmp_path, "diary", "wipe", "--yes")
    assert result.returncode == 0
    assert "Deleted" in result.stderr
    assert "cache clear" in result.stderr and "export" in result.stderr


def test_the_privacy_page_says_what_is_stored_where() -> None:
    from conftest import REPO

    page = (REPO / "docs" / "privacy.md").read_text(encoding="utf-8")
    for words in ("diary.sqlite3", "render", "crampcli cache clear", "diary wipe", "0600"):
        assert words in page


# 4. Missing parents are made private whatever the umask ------------------------------------


@pytest.mark.parametrize("command", [("log", "--minutes", "1"), ("prevent", "--brief")])
def test_missing_parents_are_made_0700_under_umask_000(tmp_path: Path, command: tuple) -> None:
    home = tmp_path / "user"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "NO_COLOR": "1"}
    for name in ("CRAMPCLI_HOME", "CRAMPCLI_CACHE_DIR", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env.pop(name, None)
    subprocess.run(
        ["sh", "-c", 'umask 000; exec "$0" "$@"', str(INSTALLED), *command],
        env=env,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=True,
    )
    made = [p for p in home.rglob("*") if p.is_dir()]
    assert made
    for folder in made:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


# 5. A symlinked diary: created 0600, and wiped for real -------------------------------------


def test_a_dangling_symlink_as_the_diary_makes_a_private_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    target = tmp_path / "elsewhere.sqlite3"
    (home / "diary.sqlite3").symlink_to(target)
    assert crampcli(tmp_path, "log", "--minutes", "2").returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_wipe_on_a_symlinked_diary_removes_the_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    target = tmp_path / "synced" / "diary.sqlite3"
    target.parent.mkdir()
    (home / "diary.sqlite3").symlink_to(target)
    assert crampcli(tmp_path, "log", "--note", "secret words").returncode == 0
    result = crampcli(tmp_path, "diary", "wipe", "--yes")
    assert result.returncode == 0, result.stderr
    assert not target.exists() and not (home / "diary.sqlite3").is_symlink()
    assert list(target.parent.iterdir()) == []
    assert str(target) in result.stderr


# 6. Export and HTML report: a new 0600 file, never into someone else's file or symlink -------


def _logged(tmp_path: Path) -> None:
    assert crampcli(tmp_path, "log", "--minutes", "2", "--note", "private").returncode == 0


@pytest.mark.parametrize("args", [("diary", "export", "-o"), ("report", "--html")])
def test_an_existing_0666_file_is_replaced_by_a_new_private_one(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    _logged(tmp_path)
    planted = tmp_path / "out.json" if args[0] == "diary" else tmp_path / "out.html"
    planted.write_text("planted")
    planted.chmod(0o666)
    inode = planted.stat().st_ino
    result = crampcli(tmp_path, *args, str(planted))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(planted.stat().st_mode) == 0o600
    assert planted.stat().st_ino != inode  # a new file, not the planted one written into


def _as_other_user_symlink(link: Path, target: Path) -> None:
    link.symlink_to(target)
    os.lchown(link, 65534, 65534)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a symlink another user owns needs root")
@pytest.mark.parametrize("args", [("diary", "export", "-o"), ("report", "--html")])
def test_a_symlink_someone_else_owns_is_refused(tmp_path: Path, args: tuple[str, ...]) -> None:
    _logged(tmp_path)
    theirs = tmp_path / "theirs.txt"
    theirs.write_text("theirs")
    link = tmp_path / ("out.json" if args[0] == "diary" else "out.html")
    _as_other_user_symlink(link, theirs)
    result = crampcli(tmp_path, *args, str(link))
    assert result.returncode == 1
    assert "symlink" in result.stderr and "Traceback" not in result.stderr
    assert theirs.read_text() == "theirs" and link.is_symlink()


def test_a_symlink_you_own_is_followed_to_a_private_file(tmp_path: Path) -> None:
    _logged(tmp_path)
    target = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert crampcli(tmp_path, "diary", "export", "-o", str(link)).returncode == 0
    assert link.is_symlink() and json.loads(target.read_text())["entries"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


# 7. CSV formula injection; 8. terminal and document escapes ---------------------------------

EVIL = '=HYPERLINK("http://x")'
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"


def _evil_entry(tmp_path: Path) -> None:
    result = crampcli(
        tmp_path,
        "log",
        "--minutes",
        "2",
        "--trigger",
        "+cmd|' /C calc'!A0",
        "--helped",
        "-2+3",
        "--medicine",
        "@SUM(1)",
        "--note",
        f"{EVIL}\n#2 fake entry {OSC52}\x1b]0;title\x07\x1bc\x9b31m\u202eevil",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("args", [("diary", "--csv"), ("diary", "export", "--format", "csv")])
def test_csv_cells_never_start_a_formula_nor_hold_escapes(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    _evil_entry(tmp_path)
    out = crampcli(tmp_path, *args).stdout
    for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert bad not in out
    [row] = list(csv.DictReader(io.StringIO(out)))
    for name in ("note", "triggers", "helped", "medicines"):
        assert row[name][:1] not in ("=", "+", "-", "@"), row[name]
        assert row[name].startswith("'")
    # and what was typed comes back on import (the ' in front is taken off again)
    before = json.loads(crampcli(tmp_path, "diary", "export", "--format", "json").stdout)
    other = tmp_path / "other"
    other.mkdir()
    assert crampcli(other, "diary", "import", "-", "--format", "csv", stdin=out).returncode == 0
    after = json.loads(crampcli(other, "diary", "export", "--format", "json").stdout)
    [old], [new] = before["entries"], after["entries"]
    for name in ("triggers", "helped", "medicines"):
        assert old[name] == new[name]
    assert new["note"].startswith(EVIL)  # the formula is kept, as text


def test_the_json_export_escapes_c1_and_bidi_and_stays_lossless(tmp_path: Path) -> None:
    _evil_entry(tmp_path)
    out = crampcli(tmp_path, "diary", "export", "--format", "json").stdout
    for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert bad not in out
    assert "\\u202e" in out and "\\u009b" in out
    [entry] = json.loads(out)["entries"]
    assert "\x9b31m\u202eevil" in entry["note"]


def test_a_note_with_a_newline_never_prints_a_fake_entry_on_a_terminal(tmp_path: Path) -> None:
    _evil_entry(tmp_path)
    out = crampcli(tmp_path, "diary", FORCE_COLOR="1").stdout  # as on a terminal
    assert [line for line in out.splitlines() if line.startswith("#")] == [out.splitlines()[0]]
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
