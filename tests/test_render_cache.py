"""The render cache: a repeated run prints exactly what a fresh one would, never stale, never
from a cache that others can write, and never for commands that read more than their arguments."""

from __future__ import annotations

import json
import marshal
import os
from pathlib import Path

import pytest

from conftest import DATA
from test_installed import sh


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def entries(cache: Path) -> list[Path]:
    folder = cache / "render"
    return sorted(folder.iterdir()) if folder.exists() else []


def run(command: str, cache: Path, **env: str) -> str:
    result = sh(command, CRAMPCLI_CACHE_DIR=str(cache), **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def forge(entry: Path, text: str) -> None:
    fmt, key, deps, _, paged, said = marshal.loads(entry.read_bytes())
    entry.write_bytes(marshal.dumps((fmt, key, deps, text, paged, said)))


@pytest.mark.parametrize(
    "command",
    ["search calcium", "causes --brief", "show magnesium --json", "--country GB warning-signs"],
)
def test_a_replay_is_byte_for_byte_a_fresh_run(command: str, cache: Path) -> None:
    fresh = run(f"crampcli {command}", cache, CRAMPCLI_RENDER_CACHE="0")
    assert entries(cache) == []
    first = run(f"crampcli {command}", cache)
    assert len(entries(cache)) == 1
    forge(entries(cache)[0], "REPLAYED\n")
    assert run(f"crampcli {command}", cache) == "REPLAYED\n"  # it does replay
    entries(cache)[0].unlink()
    assert first == fresh == run(f"crampcli {command}", cache)


def test_what_shapes_the_output_is_in_the_key(cache: Path) -> None:
    run("crampcli search calcium", cache)
    forge(entries(cache)[0], "REPLAYED\n")
    for other in (
        {"COLUMNS": "60"},
        {"NO_COLOR": "1"},
        {"CRAMPCLI_COUNTRY": "US"},
        {"LANG": "en_GB.UTF-8"},
    ):
        assert run("crampcli search calcium", cache, **other) != "REPLAYED\n", other
    assert run("crampcli search Calcium", cache) != "REPLAYED\n"  # different arguments


def test_a_changed_knowledge_base_is_never_served_stale(cache: Path, tmp_path: Path) -> None:
    doc = json.loads(DATA.read_text(encoding="utf-8"))
    kb = tmp_path / "kb.json"
    kb.write_text(json.dumps(doc), encoding="utf-8")
    before = run(f"crampcli --data {kb} show magnesium", cache)
    doc["entries"] = [
        {**e, "title": "Renamed magnesium"} if e["id"] == "magnesium" else e for e in doc["entries"]
    ]
    kb.write_text(json.dumps(doc), encoding="utf-8")
    after = run(f"crampcli --data {kb} show magnesium", cache)
    assert "Renamed magnesium" in after and "Renamed" not in before


def test_a_cache_others_can_write_is_ignored(cache: Path) -> None:
    run("crampcli causes --brief", cache)
    forge(entries(cache)[0], "FORGED\n")
    os.chmod(cache / "render", 0o777)
    try:
        assert run("crampcli causes --brief", cache) != "FORGED\n"
    finally:
        os.chmod(cache / "render", 0o700)
    os.chmod(entries(cache)[0], 0o666)
    assert run("crampcli causes --brief", cache) != "FORGED\n"


def test_a_fifo_in_place_of_an_entry_does_not_hang(cache: Path) -> None:
    run("crampcli causes --brief", cache)
    entry = entries(cache)[0]
    entry.unlink()
    os.mkfifo(entry)
    assert "calcium-deficiency" in run("crampcli causes --brief", cache)


@pytest.mark.parametrize(
    "command",
    [
        "crampcli check --age 70",  # check is never stored
        "crampcli validate data/articles.json",
        "crampcli --help",
        "crampcli search zzzz || true",  # failed
        "crampcli meds statin --json",  # stored, unlike the note on stderr below
    ],
)
def test_only_pure_successful_commands_are_stored(command: str, cache: Path) -> None:
    from conftest import REPO

    result = sh(f"cd {REPO} && {command}", CRAMPCLI_CACHE_DIR=str(cache))
    stored = entries(cache)
    assert len(stored) == (1 if "meds" in command else 0), (command, result.stderr)


def test_a_run_that_wrote_to_stderr_is_stored_with_it(
    cache: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A message on stderr (the disclaimer off a terminal) is part of the run: replayed too."""
    import sys

    from crampcli import rendercache

    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(cache))
    rendercache.start(["search", "calcium"])
    rendercache.command("search", stdout_isatty=False)
    rendercache.wrote("results\n")
    sys.stderr.write("crampcli: a note\n")
    rendercache.finish()
    assert len(entries(cache)) == 1
    capsys.readouterr()
    assert rendercache.replay(["search", "calcium"]) == 0
    replayed = capsys.readouterr()
    assert (replayed.out, replayed.err) == ("results\n", "crampcli: a note\n")


def test_a_replay_to_a_full_disk_or_a_closed_pipe_ends_cleanly(cache: Path) -> None:
    run("crampcli causes", cache)
    assert len(entries(cache)) == 1
    full = sh("crampcli causes > /dev/full", CRAMPCLI_CACHE_DIR=str(cache))
    assert full.returncode == 1
    assert full.stderr == "crampcli: cannot write the output: No space left on device\n"
    head = sh("crampcli causes | head -1", CRAMPCLI_CACHE_DIR=str(cache))
    assert head.returncode == 0 and "crampcli:" not in head.stderr  # no error; a message may
    assert len(head.stdout.splitlines()) == 1


def test_only_commands_that_exist_are_cacheable() -> None:
    from crampcli import rendercache
    from crampcli.commands import MODULES

    names = set(MODULES)
    assert names >= rendercache.CACHEABLE
    assert not {"check", "import", "validate", "log", "diary", "report"} & rendercache.CACHEABLE
