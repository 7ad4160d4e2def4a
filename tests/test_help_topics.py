"""`crampcli help [COMMAND|TOPIC]`, the short bare `crampcli`, CRAMPCLI_PAGER."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, run
from crampcli.commands import MODULES
from crampcli.errors import ExitCode
from crampcli.output import pager

TOPICS = ["environment", "exit-codes", "json", "privacy"]
GUIDE = (REPO / "docs" / "guide.md").read_text(encoding="utf-8")


def test_bare_crampcli_fits_a_terminal_and_says_where_to_learn_more() -> None:
    result = run()
    assert result.exit_code == 0
    lines = result.stdout.rstrip("\n").splitlines()
    assert len(lines) <= 24
    assert all(len(line) <= 80 for line in lines)
    assert "crampcli relieve --now" in result.stdout
    assert "Learn more" in result.stdout and "crampcli help TOPIC" in result.stdout
    assert "README" in lines[-1]


def test_long_help_keeps_every_command() -> None:
    out = run("--help").stdout
    for name in MODULES:
        assert f"  {name} " in out, name


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_prints(topic: str) -> None:
    result = run("help", topic)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) >= 5


@pytest.mark.parametrize("words", [["log"], ["diary", "stats"], ["search"]])
def test_help_command_is_its_help(words: list[str]) -> None:
    assert run("help", *words).stdout == run(*words, "--help").stdout


def test_help_alone_lists_commands_and_topics() -> None:
    out = run("help").stdout
    assert "Commands:" in out
    assert all(topic in out for topic in TOPICS)


@pytest.mark.parametrize(("word", "close"), [("dairy", "diary"), ("exit-code", "exit-codes")])
def test_unknown_name_is_a_usage_error_with_a_suggestion(word: str, close: str) -> None:
    result = run("help", word)
    assert result.exit_code == ExitCode.USAGE
    assert f"Did you mean: {close}" in result.stderr
    assert result.stdout == ""


def test_exit_code_topic_lists_every_code() -> None:
    text = run("help", "exit-codes").stdout
    assert {int(c) for c in re.findall(r"^  (\d+) ", text, re.M)} == {int(c) for c in ExitCode}


def test_environment_topic_and_guide_name_the_same_variables() -> None:
    text = run("help", "environment").stdout
    named = set(re.findall(r"^  ([A-Z_]+)", text, re.M))
    assert {"CRAMPCLI_HOME", "CRAMPCLI_DATA", "CRAMPCLI_PAGER", "PAGER", "NO_COLOR"} <= named
    for variable in named:
        assert f"`{variable}" in GUIDE, variable


def test_crampcli_pager_comes_before_pager() -> None:
    assert pager.command({"CRAMPCLI_PAGER": "more", "PAGER": "less"}, True) == "more"
    assert pager.command({"CRAMPCLI_PAGER": "cat", "PAGER": "less"}, True) is None
    assert pager.command({"PAGER": "more"}, True) == "more"
