"""The second attack round (issue 20): nothing a file, a clock, a disk, another user or a
million entries does loses data, leaks it, or tells a lie. One test (or more) per point."""

from __future__ import annotations

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


def test_the_render_cache_folder_and_its_files_are_private(tmp_path: Path) -> None:
    result = installed("prevent", "--brief", CRAMPCLI_CACHE_DIR=str(tmp_path / "c"))
    assert result.returncode == 0
    folder = tmp_path / "c" / "render"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    [entry] = folder.iterdir()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert len(entry.name) == 24 and set(entry.name) <= set(HEX)


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
