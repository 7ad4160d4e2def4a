"""Issue 13, reliability and security: each test stands for an attack that broke crampcli once
(a hang, lost data, a crash, a forged cache believed). Work is bounded by construction and
checked with counters and memory peaks, never with a stopwatch."""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from conftest import DATA
from crampcli.answers import search, text
from crampcli.knowledge import loading

MIB = 1024 * 1024
BIN = Path(sys.executable).parent


def crampcli(*args: str, timeout: float = 60, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The installed command in a subprocess (no terminal); a generous timeout as a backstop."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        [str(BIN / "crampcli"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        **{"stdin": subprocess.DEVNULL, **kwargs},  # type: ignore[arg-type]
    )


def one_line_error(result: subprocess.CompletedProcess[str], codes: tuple[int, ...]) -> str:
    assert result.returncode in codes, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    message = result.stderr.strip()
    assert message.startswith("crampcli: ") and len(message.splitlines()) == 1, message
    return message


# --- 2. long single-word queries ---------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> tuple[search.Index, loading.KnowledgeBase]:
    kb = loading.load(DATA)
    return search.build_index(kb.entries), kb


def peak_memory_of_search(bundled: tuple[search.Index, loading.KnowledgeBase], query: str) -> int:
    index, kb = bundled
    text.stem.cache_clear()  # what the stem cache keeps counts too
    tracemalloc.start()
    try:
        search.search(index, kb, query)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        text.stem.cache_clear()


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,  # every split point tried, every prefix kept: ~50 MiB before, 5 GB at 100k
        "abc" + "ness" * 2_500,  # "-ness" stripped by recursion: RecursionError, exit 70
        "leg" + "cramp" * 2_000,
        "\u00e9" * 10_000,
    ],
    ids=["x", "ness", "legcramp", "accents"],
)
def test_a_long_word_costs_no_more_than_its_own_bytes(
    bundled: tuple[search.Index, loading.KnowledgeBase], query: str
) -> None:
    assert peak_memory_of_search(bundled, query) < 1 * MIB


def test_a_long_word_is_not_looked_up_at_all() -> None:
    assert search.query_words("x" * 100 + " calcium") == ["calcium"]
    assert search.query_words("y" * search.MAX_WORD_CHARS) == ["y" * search.MAX_WORD_CHARS]


def test_stem_of_a_long_word_in_the_data_does_not_recurse() -> None:
    word = "abc" + "ness" * 5_000  # a knowledge base may hold one: indexing must not crash
    assert text.stem(word) == word  # too long to be a real word: kept as it is
    assert text.stem("abcnessness") == "abc"  # real-sized words stem as before


def test_longest_terms_of_the_bundled_data_are_searchable(
    bundled: tuple[search.Index, loading.KnowledgeBase],
) -> None:
    index, _ = bundled
    assert max(map(len, index.vocabulary)) < search.MAX_WORD_CHARS


def test_100k_letter_query_in_a_real_process_stays_small() -> None:
    """The issue's attack, as a user runs it: peak memory of the child, from the kernel."""
    probe = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, timeout=120)\n"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(BIN / "crampcli"), "search", "x" * 100_000],
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
    code, max_rss_kib = map(int, result.stdout.split())
    assert code == 1  # no match
    assert max_rss_kib * 1024 < 100 * MIB
