"""Options as people type them: in the wrong place, misspelt, contradicting each other; help
that keeps values whole; --plain on a terminal."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from conftest import run
from crampcli import help_examples
from crampcli.commands import MODULES

BIN = Path(sys.executable).parent


def test_diary_json_before_stats_is_applied() -> None:
    assert run("log", "--minutes", "3").exit_code == 0
    result = run("diary", "--json", "stats")
    assert result.exit_code == 0 and result.json()["total"] == 1


@pytest.mark.parametrize(
    "argv", [["diary", "--since", "2 weeks ago", "stats"], ["diary", "--csv", "stats"],
             ["diary", "--json", "undo"], ["diary", "--limit", "3", "export"]]
)  # fmt: skip
def test_diary_list_options_before_a_subcommand_are_refused(argv: list[str]) -> None:
    result = run(*argv)
    assert result.exit_code == 2
    assert "of the diary list, not of `diary " in result.stderr


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["causes", "--country", "IE"], "--country"),
        (["diary", "stats", "--no-pager"], "--no-pager"),
    ],
)
def test_a_global_option_after_the_command_says_where_it_goes(argv: list[str], option: str) -> None:
    result = run(*argv)
    assert result.exit_code == 2
    assert f"it is a global option and goes first: crampcli {option}" in result.stderr


def test_an_unknown_country_warns_and_shows_the_general_advice() -> None:
    result = run("--country", "ZZ", "warning-signs", "--brief")
    assert result.exit_code == 0
    assert "no numbers known for country 'ZZ'" in result.stderr and "IE" in result.stderr
    assert "no numbers known" not in run("--country", "IE", "warning-signs", "--brief").stderr


@pytest.mark.parametrize(
    ("argv", "meant"),
    [
        (["check", "--sign", "swellling"], "swelling"),
        (["causes", "--when", "nite"], "night"),
        (["log", "--leg", "lefft", "--minutes", "2"], "left"),
        (["causes", "--who", "pregnnt"], "pregnant"),
        (["check", "--condition", "diabetis"], "diabetes"),
    ],
)
def test_a_misspelt_value_gets_did_you_mean(argv: list[str], meant: str) -> None:
    result = run(*argv)
    assert result.exit_code == 2
    assert f"Did you mean: {meant}" in result.stderr


@pytest.mark.parametrize("command", ["causes", "prevent", "warning-signs", "search cramp"])
def test_json_and_brief_together_are_refused(command: str) -> None:
    result = run(*command.split(), "--json", "--brief")
    assert result.exit_code == 2 and "--json and --brief" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_help_never_breaks_inside_a_value(width: int) -> None:
    for name in [*MODULES, "diary stats", "diary edit"]:
        out = run(*name.split(), "--help", env={"COLUMNS": str(width)}).stdout
        broken = [line for line in out.splitlines() if re.search(r"[a-z]-$", line)]
        assert not broken, (name, broken)


def test_every_diary_subcommand_has_examples() -> None:
    for name in [n for n in help_examples.SHORT_HELP if n.startswith("diary ")]:
        out = run(*name.split(), "--help").stdout
        assert "Examples:" in out and f"$ crampcli {name}" in out, name


@pytest.mark.parametrize("how", [["--plain"], ["TERM=dumb"]])
def test_plain_mode_draws_no_boxes_on_a_terminal(how: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "80", "PAGER": "cat"}
    args = ["show", "calcium-deficiency"]
    if how == ["TERM=dumb"]:
        env["TERM"] = "dumb"
    else:
        args = [*how, *args]
    child = pexpect.spawn(str(BIN / "crampcli"), args, env=env, encoding="utf-8", timeout=20)
    child.expect(pexpect.EOF)
    out = child.before
    assert "Low calcium" in out
    assert not re.search("[\u2500-\u257f]", out) and "\x1b[" not in out, out[:300]


def test_plain_countdown_is_lines_a_screen_reader_can_read() -> None:
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "80", "PAGER": "cat"}
    argv = ["--plain", "relieve", "--now", "--seconds", "5"]
    child = pexpect.spawn(str(BIN / "crampcli"), argv, env=env, encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    out = child.before
    assert "Hold the stretch for 5 seconds." in out and "Release slowly" in out
    assert "\r" not in out.replace("\r\n", "\n") and "\x1b[" not in out  # nothing redrawn
