"""`crampcli cache clear` (issue 20, attack round 4, F4): it removes every file crampcli wrote
in its cache, whoever may read them, names what it kept and why, and removes nothing else.
Every test drives the installed command with its own diary and cache folder."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import installed


def crampcli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return installed(
        *args, CRAMPCLI_HOME=str(tmp_path / "home"), CRAMPCLI_CACHE_DIR=str(tmp_path / "cache")
    )


def _cache_some_pages(tmp_path: Path) -> Path:
    """A medicine and a search in the cache, and the search indexes; the cache folder."""
    for args in (("meds", "atorvastatin"), ("search", "statin", "cramps")):
        assert crampcli(tmp_path, *args).returncode == 0
    cache = tmp_path / "cache"
    assert len(list((cache / "render").iterdir())) == 2
    assert [p for p in cache.iterdir() if p.name.startswith(("document-", "index-"))]
    return cache


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if not p.is_dir() or p.is_symlink())


def _chmod_r(folder: Path, add: int) -> None:
    """``chmod -R`` adding ``add`` (and execute on folders where read is added)."""
    for path in [folder, *folder.rglob("*")]:
        extra = add | (0o011 if path.is_dir() and add & 0o044 else 0)
        path.chmod(path.stat().st_mode & 0o7777 | extra)


def test_files_others_may_read_are_removed_all_the_same(tmp_path: Path) -> None:
    cache = _cache_some_pages(tmp_path)
    count = len(_files(cache))
    _chmod_r(cache, 0o044)  # chmod -R go+rX
    result = crampcli(tmp_path, "cache", "clear")
    assert result.returncode == 0, result.stderr
    assert f"Removed {count} cached files" in result.stderr and "Kept" not in result.stderr
    assert _files(cache) == []


def test_a_folder_others_can_write_is_named_and_its_files_kept(tmp_path: Path) -> None:
    cache = _cache_some_pages(tmp_path)
    (cache / "notes.txt").write_text("mine")
    _chmod_r(cache, 0o064)  # chmod -R g+w,go+rX
    before = _files(cache)
    result = crampcli(tmp_path, "cache", "clear")
    assert result.returncode == 1
    assert "Removed 0 cached files" in result.stderr
    assert f"Kept 2 cached files in {cache / 'render'}: others can write" in result.stderr
    assert f"in {cache}: others can write" in result.stderr
    assert "chmod go-w" in result.stderr and "Traceback" not in result.stderr
    assert _files(cache) == before  # nothing removed from a folder someone could swap files in


def test_a_sticky_shared_folder_is_cleared_like_tmp(tmp_path: Path) -> None:
    cache = _cache_some_pages(tmp_path)
    cache.chmod(0o1777)
    result = crampcli(tmp_path, "cache", "clear")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in _files(cache)] == []


def test_a_render_link_is_never_followed_and_is_named(tmp_path: Path) -> None:
    cache = _cache_some_pages(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    (cache / "render").rename(elsewhere)
    (cache / "render").symlink_to(elsewhere)
    result = crampcli(tmp_path, "cache", "clear")
    assert result.returncode == 1
    assert f"Kept {cache / 'render'}: not opened (a symlink)" in result.stderr
    assert len(list(elsewhere.iterdir())) == 2


def test_only_our_own_regular_files_are_removed(tmp_path: Path) -> None:
    cache = _cache_some_pages(tmp_path)
    render = cache / "render"
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    (render / ("a" * 24)).symlink_to(outside)
    os.mkfifo(render / ("b" * 24))
    os.link(outside, render / ("c" * 24))  # another name of a file that is not a cache entry
    (render / "notes.txt").write_text("keep")
    theirs = render / ("d" * 24)
    theirs.write_text("theirs")
    if os.geteuid() == 0:
        os.chown(theirs, 65534, 65534)
    result = crampcli(tmp_path, "cache", "clear")
    assert result.returncode == 1
    assert f"Kept {render / ('a' * 24)}: a symlink" in result.stderr
    assert f"Kept {render / ('b' * 24)}: a FIFO" in result.stderr
    assert f"Kept {render / ('c' * 24)}: it has other names" in result.stderr
    left = sorted(p.name for p in render.iterdir())
    expected = ["a" * 24, "b" * 24, "c" * 24, "notes.txt"]
    if os.geteuid() == 0:
        assert f"Kept {theirs}: someone else's file" in result.stderr
        expected.insert(3, "d" * 24)
    assert left == expected
    assert outside.read_text() == "keep"


@pytest.mark.parametrize("missing", ["render", "all"])
def test_nothing_to_clear_says_so(tmp_path: Path, missing: str) -> None:
    (tmp_path / "cache").mkdir(mode=0o700)
    if missing == "render":
        (tmp_path / "cache" / "index-0123456789abcdef").write_bytes(b"x")
    else:
        (tmp_path / "cache").rmdir()
    result = crampcli(tmp_path, "cache", "clear")
    assert result.returncode == 0, result.stderr
    removed = 1 if missing == "render" else 0
    assert f"Removed {removed} cached file" in result.stderr
