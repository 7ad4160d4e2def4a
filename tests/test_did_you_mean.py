"""Search "did you mean": only real words of the index, a sane distance away, or nothing."""

from __future__ import annotations

import pytest

from conftest import run
from crampcli.answers import search as engine
from crampcli.knowledge import loading


@pytest.fixture(scope="module")
def vocabulary() -> set[str]:
    kb = loading.load(loading.bundled_path())
    return set(engine.build_index(kb.entries).surface.values())


def _suggestions(*query: str) -> list[str]:
    result = run("search", *query, "--json")
    assert result.exit_code in (0, 1)  # 1: no good match, with or without --json
    return list(result.json().get("suggestions", []))


@pytest.mark.parametrize(
    "query, never",
    [("menopause", {"no", "pause"}), ("period", {"pe"}), ("ab", set())],
)
def test_no_nonsense_suggestions(query: str, never: set[str], vocabulary: set[str]) -> None:
    got = _suggestions(query)
    assert not never.intersection(got)
    assert all(len(s) >= 3 and s in vocabulary for s in got)


def test_two_letters_suggest_nothing() -> None:
    assert _suggestions("ab") == []
    assert "Did you mean" not in run("search", "ab").stderr


def test_a_near_miss_suggests_the_word_meant() -> None:
    assert _suggestions("magnisum")[0] == "magnesium"
    assert "calcium" in _suggestions("cal")


@pytest.mark.parametrize("query", ["nite", "nigt", "nite cramps"])
def test_four_letter_words_get_one_typo(query: str) -> None:
    night = {h["id"] for h in run("search", "night", "--json").json()["results"][:3]}
    got = [h["id"] for h in run("search", *query.split(), "--json").json()["results"]]
    assert night.intersection(got[:3]), got


def test_suggest_budget_grows_with_length() -> None:
    assert [engine.suggest_budget(w) for w in ("ab", "abc", "abcd", "abcdef", "abcdefg")] == [
        0,
        0,
        1,
        1,
        2,
    ]
