"""Long output on a terminal goes through $PAGER (else less -R), as git does; never in a pipe,
with --json, --no-pager or for relieve --now. Driven on a real pseudo-terminal."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

from crampcli.output import pager
from test_installed import sh

CRAMPCLI = Path(sys.executable).with_name("crampcli")


@pytest.fixture
def fake_pager(tmp_path: Path) -> tuple[str, Path]:
    """A pager that saves what it was given, and the LESS it saw."""
    got = tmp_path / "paged.txt"
    script = tmp_path / "fake-pager"
    script.write_text(f'#!/bin/sh\necho "LESS=$LESS" > {got}.env\ncat > {got}\n', encoding="utf-8")
    script.chmod(0o755)
    return str(script), got


def on_terminal(args: list[str], pager_cmd: str | None, rows: int = 24) -> str:
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "xterm"}
    env.pop("PAGER", None)
    env.pop("LESS", None)
    if pager_cmd is not None:
        env["PAGER"] = pager_cmd
    child = pexpect.spawn(
        str(CRAMPCLI), args, env=env, encoding="utf-8", timeout=20, dimensions=(rows, 80)
    )
    out = child.read()
    child.close()
    assert child.exitstatus == 0, out
    return str(out)


def test_long_output_on_a_terminal_goes_through_the_pager(fake_pager: tuple[str, Path]) -> None:
    script, got = fake_pager
    shown = on_terminal(["causes"], script)
    paged = got.read_text(encoding="utf-8")
    assert "Low calcium" in paged and "Not medical advice" in paged
    assert "Low calcium" not in shown  # all of it went to the pager
    assert Path(f"{got}.env").read_text(encoding="utf-8").strip() == "LESS=FRX"


@pytest.mark.parametrize(
    "args",
    [
        ["--no-pager", "causes"],
        ["causes", "--json"],
        ["relieve", "--now", "--no-timer"],
        ["show", "magnesium"],  # fits on a screen of 200 rows
    ],
)
def test_no_pager(args: list[str], fake_pager: tuple[str, Path]) -> None:
    script, got = fake_pager
    shown = on_terminal(args, script, rows=200 if args[0] == "show" else 24)
    assert not got.exists()
    assert shown.strip()


def test_pager_cat_or_empty_turns_it_off(fake_pager: tuple[str, Path]) -> None:
    assert pager.command({"PAGER": "cat"}, True) is None
    assert pager.command({"PAGER": ""}, True) is None
    assert pager.command({"PAGER": "most"}, True) == "most"
    assert pager.command({"PAGER": "most"}, False) is None


def test_never_in_a_pipe(fake_pager: tuple[str, Path]) -> None:
    script, got = fake_pager
    result = sh("crampcli causes | cat", PAGER=script)
    assert "Low calcium" in result.stdout and not got.exists()


def test_a_missing_pager_loses_nothing() -> None:
    shown = on_terminal(["causes"], "no-such-pager-anywhere")
    assert "Low calcium" in shown and "Not medical advice" in shown


def test_less_is_the_default() -> None:
    expected = pager.DEFAULT if pager.shutil.which("less") else None
    assert pager.command({}, True) == expected
