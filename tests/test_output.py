"""How output looks: golden files per colour mode, plain text in pipes, terminal conventions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import REPO, run

MINI = str(REPO / "tests" / "data" / "mini-kb.json")
GOLDEN = Path(__file__).parent / "golden"
MODES = {
    "plain": {},
    "fancy-color": {"FORCE_COLOR": "1"},
    "fancy-no-color": {"FORCE_COLOR": "1", "NO_COLOR": "1"},
}
VIEWS = {
    "show": ["show", "tight-calves"],
    "relieve-now": ["relieve", "--now", "--no-timer"],
    "search": ["search", "stiff", "calfs"],
}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("view", list(VIEWS))
def test_golden_output(mode: str, view: str) -> None:
    """Set UPDATE_GOLDEN=1 to rewrite the files after an intended change, then review the diff."""
    result = run("--data", MINI, "--data-alone", *VIEWS[view], env=MODES[mode])
    assert result.exit_code == 0, result.stderr
    path = GOLDEN / f"{view}.{mode}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")


def test_plain_output_has_no_escape_sequences() -> None:
    assert "\x1b" not in run("causes").stdout


def test_fancy_output_without_colour_has_panels_but_no_colour() -> None:
    out = run("causes", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "╭" in out and "\x1b[3" not in out


def test_force_color_zero_does_not_turn_colour_on() -> None:
    out = run("causes", env={"FORCE_COLOR": "0"}).stdout
    assert "\x1b" not in out and "╭" not in out


@pytest.mark.parametrize("columns", ["20", "0", "abc", "100000"])
def test_any_columns_value_gives_readable_output(columns: str) -> None:
    for env in ({"COLUMNS": columns}, {"COLUMNS": columns, "FORCE_COLOR": "1"}):
        result = run("relieve", "--now", "--no-timer", env=env)
        assert result.exit_code == 0
        assert "toes" in result.stdout


def test_narrow_plain_output_respects_width_except_unbreakable_words() -> None:
    out = run("relieve", "--now", "--no-timer", env={"COLUMNS": "20"}).stdout
    for line in out.splitlines():
        assert len(line) <= 20 or " " not in line.strip()


def test_markup_in_data_is_never_interpreted(tmp_path: Path) -> None:
    import json

    doc = json.loads(Path(MINI).read_text(encoding="utf-8"))
    doc["entries"][0]["summary"] = "[bold red]loud[/] [citation needed] :warning: [/]"
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    for env in ({}, {"FORCE_COLOR": "1"}):
        out = run("--data", str(path), "--data-alone", "show", "tight-calves", env=env).stdout
        assert "[bold red]loud[/]" in out and "[citation needed]" in out
        assert ":warning:" in out and "⚠" not in out
