"""Your own knowledge base is layered on the bundled one: `import page.txt --into my.json`,
then `--data my.json` has everything, with your entries added and the ids you repeat
replaced; `--data-alone` uses your file by itself, and what it cannot show is said, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DATA, run

PAGE = "Night cramps and calcium\n\nNight cramps and calcium\n\nCramps at night are common.\n"


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    (tmp_path / "page.txt").write_text(PAGE, encoding="utf-8")
    kb = tmp_path / "my.json"
    assert run("import", str(tmp_path / "page.txt"), "--into", str(kb)).exit_code == 0
    return kb


def test_the_documented_flow_keeps_everything_and_adds_yours(mine: Path) -> None:
    flags = run("--data", str(mine), "warning-signs", "--json")
    assert flags.exit_code == 0 and len(flags.json()["red_flags"]) >= 10
    assert run("--data", str(mine), "causes", "--brief").exit_code == 0
    shown = run("--data", str(mine), "show", "night-cramps-and-calcium", "--json")
    assert shown.json()["entry"]["title"] == "Night cramps and calcium"
    articles = run("articles", "--json", env={"CRAMPCLI_DATA": str(mine)}).json()["articles"]
    assert "night-cramps-and-calcium" in [a["id"] for a in articles] and len(articles) >= 3


def test_an_id_you_repeat_replaces_the_bundled_entry(tmp_path: Path) -> None:
    bundled = json.loads(DATA.read_text(encoding="utf-8"))
    entry = next(e for e in bundled["entries"] if e["id"] == "calcium-deficiency")
    own = {**bundled, "references": [], "entries": [{**entry, "title": "Our calcium page"}]}
    own["entries"][0]["sources"] = [s for s in entry["sources"]]  # bundled ids: allowed
    path = tmp_path / "own.json"
    path.write_text(json.dumps(own), encoding="utf-8")
    causes = run("--data", str(path), "causes", "--json").json()["causes"]
    every = run("causes", "--json").json()["causes"]
    assert len(causes) == len(every)
    assert [c["title"] for c in causes if c["id"] == "calcium-deficiency"] == ["Our calcium page"]


def test_alone_your_file_is_all_there_is_and_nothing_to_show_says_so(mine: Path) -> None:
    result = run("--data", str(mine), "--data-alone", "warning-signs")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("crampcli: nothing to show")
    as_json = run("--data", str(mine), "--data-alone", "warning-signs", "--json")
    assert as_json.exit_code == 1 and as_json.json() == {"red_flags": []}
    articles = run("--data", str(mine), "--data-alone", "articles", "--json").json()["articles"]
    assert [a["id"] for a in articles] == ["night-cramps-and-calcium"]


def test_a_broken_own_file_is_reported_by_its_own_paths(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": 1, "entries": "no"}), encoding="utf-8")
    result = run("--data", str(path), "causes")
    assert result.exit_code == 1 and f"cannot use knowledge base {path}" in result.stderr
    assert "$: missing required key" in result.stderr  # its own paths, not the layered ones
