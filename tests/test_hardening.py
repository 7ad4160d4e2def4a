"""Issue 13, reliability and security: each test stands for an attack that broke crampcli once
(a hang, lost data, a crash, a forged cache believed). Work is bounded by construction and
checked with counters and memory peaks, never with a stopwatch."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, run
from crampcli.answers import search, text
from crampcli.knowledge import importer, loading
from crampcli.knowledge.validate import validate

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


# --- 3 and 4. import: concurrent writers, symlinks ---------------------------------------------


def article(tmp_path: Path, n: int) -> Path:
    """A small article in the seed format, made up for the test."""
    path = tmp_path / f"article-{n}.txt"
    path.write_text(
        f"Test note number {n}\n\nTest note number {n}\n\n"
        f"This made-up note {n} exists only to be imported. It says nothing medical.\n\n"
        "A second short paragraph.\n\n<<: previous page\n",
        encoding="utf-8",
    )
    return path


def ids_in(kb: Path) -> list[str]:
    doc = json.loads(kb.read_text(encoding="utf-8"))
    assert validate(doc) == []
    return [e["id"] for e in doc["entries"]]


def test_two_imports_at_once_both_land(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The read-modify-write window held open on purpose: without a lock, the second writer
    overwrites the first (last writer wins)."""
    kb = tmp_path / "mine.json"
    add = importer.add_article
    inside = threading.Barrier(2, timeout=2)

    def slow_add(*args: Any) -> str:
        with contextlib.suppress(threading.BrokenBarrierError):  # locked: the other waits
            inside.wait()
        return add(*args)

    monkeypatch.setattr(importer, "add_article", slow_add)
    threads = [
        threading.Thread(target=importer.import_file, args=(article(tmp_path, n), kb))
        for n in (1, 2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(ids_in(kb)) == ["test-note-number-1", "test-note-number-2"]


def test_many_processes_importing_into_one_file_lose_nothing(tmp_path: Path) -> None:
    kb = tmp_path / "mine.json"
    seeds = [article(tmp_path, n) for n in range(16)]
    procs = [
        subprocess.Popen(
            [str(BIN / "crampcli"), "import", str(seed), "--into", str(kb)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for seed in seeds
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * len(seeds), errors
    assert sorted(ids_in(kb)) == sorted(f"test-note-number-{n}" for n in range(16))


def test_into_a_symlink_writes_through_to_the_real_file(tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "kb.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)  # dangling until the first import creates the file
    for n in (1, 2):
        result = run("import", str(article(tmp_path, n)), "--into", str(link))
        assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert ids_in(real) == ["test-note-number-1", "test-note-number-2"]
    assert (real_dir / "kb.json.bak").exists()  # the backup sits beside the real file
    assert not (tmp_path / "link.json.bak").exists()
    assert sorted(p.name for p in real_dir.iterdir() if not p.name.endswith(".lock")) == [
        "kb.json",
        "kb.json.bak",
    ]


def test_a_symlink_chain_is_followed_to_its_end(tmp_path: Path) -> None:
    real = tmp_path / "kb.json"
    (tmp_path / "a.json").symlink_to(real)
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    assert (
        run("import", str(article(tmp_path, 1)), "--into", str(tmp_path / "b.json")).exit_code == 0
    )
    assert (tmp_path / "a.json").is_symlink() and (tmp_path / "b.json").is_symlink()
    assert ids_in(real) == ["test-note-number-1"]


def test_a_symlink_loop_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    result = run("import", str(article(tmp_path, 1)), "--into", str(tmp_path / "a.json"))
    assert result.exit_code == 1 and "internal error" not in result.stderr
    assert result.stderr.startswith("crampcli: ") and (tmp_path / "a.json").is_symlink()
