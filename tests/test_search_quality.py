"""Guards search quality: the dev queries and our own two sets must stay above the bar."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from conftest import REPO, SHARED

DEV_SET = SHARED / "eval" / "search-dev.json"
EXTRA_SET = REPO / "tests" / "data" / "search-extra.json"
BLIND_SET = REPO / "tests" / "data" / "search-blind.json"  # see its "about"
# Written from the id contract only, v2-heavy (brand names, conditions, look-alikes): issue 11
# asks MRR >= 0.95 and hit@3 >= 0.97 there.
BLIND2_SET = REPO / "tests" / "data" / "search-blind2.json"
# Issue 19's categories (sentences, ages, people, intents, conditions by name, remedies),
# written by the search helper: a regression guard; the lead's blind sets give the honest figure.
LAY_SET = REPO / "tests" / "data" / "search-lay.json"
TITLES_SET = REPO / "tests" / "data" / "search-titles.json"  # one question per entry title
# Issue 19's two blind sets, written from ids, titles and --help only: set 3 before the search
# work (its ids predate the remedies), set 4 after it, measured untouched. Guards at the level
# measured when they landed (set 3: MRR 0.890, hit@3 0.953; set 4: 0.916, 0.957), so that
# nothing slips below what was reported.
BLIND3_SET = REPO / "tests" / "data" / "search-blind3.json"
BLIND4_SET = REPO / "tests" / "data" / "search-blind4.json"
# Set 5, written the same way in the next round, before its tuning: untouched it measured
# MRR 0.891, hit@3 0.936 (under the bar); it then served as a tuning set, guarded at the bar.
BLIND5_SET = REPO / "tests" / "data" / "search-blind5.json"
# Set 6, written the same way after set 5's tuning: untouched it measured MRR 0.882, hit@3
# 0.934 (under the bar); it then served as a tuning set, guarded at the bar.
BLIND6_SET = REPO / "tests" / "data" / "search-blind6.json"
# Set 7, written the same way after set 6's tuning and measured untouched on the final engine:
# MRR 0.904, hit@3 0.976. Nothing was tuned on it.
BLIND7_SET = REPO / "tests" / "data" / "search-blind7.json"


def _quality_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "search_quality", REPO / "benchmarks" / "search_quality.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "query_file",
    [
        pytest.param(DEV_SET, marks=pytest.mark.shared),
        EXTRA_SET,
        BLIND_SET,
        LAY_SET,
        TITLES_SET,
    ],
    ids=["dev", "extra", "blind", "lay", "titles"],
)
def test_search_quality_meets_the_bar(query_file: Path) -> None:
    queries = json.loads(query_file.read_text(encoding="utf-8"))["queries"]
    quality = _quality_module().evaluate(queries)
    misses = [(q, r, top) for q, r, top in quality.ranks if r != 1]
    assert quality.mrr >= 0.90, misses
    assert quality.hit3 >= 0.95, misses


@pytest.mark.parametrize(
    ("query_file", "mrr", "hit3"),
    [
        (BLIND3_SET, 0.885, 0.95),
        (BLIND4_SET, 0.91, 0.95),
        (BLIND5_SET, 0.90, 0.95),
        (BLIND6_SET, 0.90, 0.95),
        (BLIND7_SET, 0.90, 0.95),
    ],
    ids=["blind3", "blind4", "blind5", "blind6", "blind7"],
)
def test_issue_19s_blind_sets_keep_their_measured_level(
    query_file: Path, mrr: float, hit3: float
) -> None:
    queries = json.loads(query_file.read_text(encoding="utf-8"))["queries"]
    quality = _quality_module().evaluate(queries)
    assert quality.mrr >= mrr, quality.ranks
    assert quality.hit3 >= hit3, quality.ranks


def test_search_quality_on_the_version_2_blind_set_meets_issue_11s_bar() -> None:
    queries = json.loads(BLIND2_SET.read_text(encoding="utf-8"))["queries"]
    quality = _quality_module().evaluate(queries)
    misses = [(q, r, top) for q, r, top in quality.ranks if r != 1]
    assert quality.mrr >= 0.95, misses
    assert quality.hit3 >= 0.97, misses


@pytest.mark.shared
def test_no_evaluation_query_is_written_into_the_code() -> None:
    """Ranking is tuned through mechanism and data, never by special-casing queries.

    No dev query appears in the search modules at all; multi-word ones appear nowhere in the
    package. (Single words such as "pregnant" or "cold" are option values the issues require.)
    """
    package = REPO / "src" / "crampcli"
    everything = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py")).lower()
    search_code = "\n".join(
        (package / name).read_text(encoding="utf-8")
        for name in ("answers/search.py", "answers/text.py", "answers/index_cache.py")
    ).lower()
    for q in json.loads(DEV_SET.read_text(encoding="utf-8"))["queries"]:
        text = q["query"].lower()
        assert not re.search(rf"\b{re.escape(text)}\b", search_code), text
        if " " in text:
            assert text not in everything, text
