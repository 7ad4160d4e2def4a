"""One option means the same everywhere: --who, --brief, --limit, --json (issue 13)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import run
from crampcli.answers.audience import audiences
from test_installed import sh

WHO_COMMANDS = {"causes": "causes", "prevent": "prevention", "search cramp": "results"}


@pytest.mark.parametrize(
    "words, expected",
    [
        (["runner"], ["athletes"]),
        (["runners"], ["athletes"]),
        (["athlete"], ["athletes"]),
        (["Athletes"], ["athletes"]),
        (["sport"], ["athletes"]),
        (["old"], ["older"]),
        (["elderly"], ["older"]),
        (["pregnancy"], ["pregnant"]),
        (["woman", "older"], ["women", "older"]),
        (["sport,old", "runners"], ["athletes", "older"]),
    ],
)
def test_who_words(words: list[str], expected: list[str]) -> None:
    assert audiences(words) == expected


def _ids(*args: str) -> list[str]:
    data: dict[str, Any] = run(*args, "--json").json()
    key = next(k for k in ("causes", "prevention", "results", "relief", "red_flags") if k in data)
    return [item["id"] for item in data[key]]


def _audiences(ids: list[str]) -> dict[str, list[str]]:
    every = run("causes", "--json").json()["causes"] + run("prevent", "--json").json()["prevention"]
    return {e["id"]: e["audiences"] for e in every if e["id"] in ids}


@pytest.mark.parametrize("command", ["causes", "prevent"])
def test_who_leaves_out_what_is_only_for_others(command: str) -> None:
    everything = _ids(command)
    runners = _ids(command, "--who", "runners")
    assert runners and set(runners) < set(everything)
    for tags in _audiences(runners).values():
        assert not tags or "athletes" in tags
    assert "athletes" in _audiences(runners[:1])[runners[0]]  # theirs first


@pytest.mark.parametrize("command", ["causes", "prevent"])
def test_repeating_who_combines(command: str) -> None:
    one = set(_ids(command, "--who", "pregnant"))
    other = set(_ids(command, "--who", "elderly"))
    both = set(_ids(command, "--who", "pregnant", "--who", "old"))
    assert both == one | other
    assert both == set(_ids(command, "--who", "pregnant,older"))


def test_who_on_search() -> None:
    found = _ids("search", "warm", "--who", "athletes")
    assert "warm-foot-soak" not in found  # for older people only
    assert "warm-foot-soak" in _ids("search", "warm")


def test_who_never_hides_a_warning_sign() -> None:
    assert "swollen-red-calf" in _ids("search", "swollen", "calf", "--who", "athletes")
    flags = run("relieve", "--who", "athletes", "--json").json()["red_flags"]
    assert len(flags) == len(run("warning-signs", "--json").json()["red_flags"])


def test_bad_who_lists_the_choices() -> None:
    result = run("prevent", "--who", "martians")
    assert result.exit_code == 2
    assert "martians" in result.stderr and "runners" in result.stderr


@pytest.mark.parametrize("command", ["causes", "prevent", "warning-signs", "search cramp"])
def test_brief_is_one_line_per_item_never_wrapped_when_piped(command: str) -> None:
    result = sh(f"crampcli {command} --brief | cat", COLUMNS="40")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\nNot medical advice")[0].splitlines()
    ids = _ids(*command.split())
    assert [line.split(":")[0].split(" [")[0] for line in lines] == ids
    assert any(len(line) > 40 for line in lines)


@pytest.mark.parametrize("command", ["causes", "prevent", "search cramp"])
def test_limit_means_at_most_n_items(command: str) -> None:
    assert len(_ids(*command.split(), "--limit", "2")) == 2
    assert len(_ids(*command.split(), "-n", "1")) == 1
    bad = run(*command.split(), "--limit", "0")
    assert bad.exit_code == 2 and "between 1 and 1000" in bad.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["causes"],
        ["relieve"],
        ["prevent"],
        ["warning-signs"],
        ["articles"],
        ["show", "magnesium"],
        ["search", "cramp"],
        ["check", "--age", "70"],
        ["meds", "statin"],
        ["validate", "data/articles.json"],
    ],
)
def test_json_everywhere(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import REPO

    monkeypatch.chdir(REPO)
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    assert isinstance(result.json(), dict)
