"""No internal words reach people: no "seed", no hash file names, no raw scores (issue 13)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import DATA, run

HASH_FILE = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")
SCORE_BADGE = re.compile(r"·\s*\d+(\.\d+)?\s*\]")  # "[cause · tight-calves · 60.8]"
IDS = [e["id"] for e in json.loads(DATA.read_text(encoding="utf-8"))["entries"]]

HUMAN_COMMANDS = [
    ["causes"],
    ["causes", "--brief"],
    ["relieve"],
    ["relieve", "--now", "--no-timer"],
    ["prevent"],
    ["warning-signs"],
    ["articles"],
    ["doctor"],
    ["meds", "statin", "aspirin"],
    ["search", "calcium"],
    ["search", "night", "cramps", "cold"],
    ["search", "source", "article"],
    ["check", "--when", "night", "--age", "67"],
    ["check", "--sport", "--recent", "sweating"],
]


def _assert_plain(text: str) -> None:
    assert "seed" not in text.lower()
    assert not HASH_FILE.search(text), HASH_FILE.search(text)
    assert not SCORE_BADGE.search(text), SCORE_BADGE.search(text)


@pytest.mark.parametrize("args", HUMAN_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("fancy", [False, True], ids=["plain", "fancy"])
def test_human_output_has_no_internal_words(args: list[str], fancy: bool) -> None:
    env = {"FORCE_COLOR": "1", "NO_COLOR": "1"} if fancy else None
    result = run(*args, env=env)
    assert result.exit_code in (0, 1), result.stderr
    _assert_plain(result.stdout + result.stderr)


@pytest.mark.parametrize("entry_id", IDS)
def test_show_names_sources_by_website_and_title(entry_id: str) -> None:
    result = run("show", entry_id)
    assert result.exit_code == 0
    _assert_plain(result.stdout)


def test_an_article_source_reads_as_its_title() -> None:
    out = run("show", "calcium-deficiency").stdout
    assert '"What causes leg cramps in women"' in " ".join(out.split())


def test_scores_stay_in_explain_and_json() -> None:
    explained = run("search", "calcium", "--explain").stdout
    assert "idf" in explained
    assert run("search", "calcium", "--json").json()["results"][0]["score"] > 0


def test_file_names_stay_inside_the_knowledge_base() -> None:
    """An article's internal file name is shown nowhere, --json included (2.0)."""
    data = run("articles", "--json").json()["articles"]
    assert data and all("file" not in a for a in data)
