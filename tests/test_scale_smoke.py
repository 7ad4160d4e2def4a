"""A generated 2,000-entry knowledge base loads, is cached, and answers through the CLI.

Functional only: the timings live in benchmarks/scale.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run
from crampcli.knowledge import loading
from crampcli.knowledge.validate import validate

sys.path.insert(0, str(REPO))
from benchmarks.scale import generate, write_kb


def test_generated_knowledge_base_is_valid() -> None:
    doc = generate(300, seed=7)
    assert validate(doc) == []
    assert len(doc["entries"]) == 300
    assert generate(300, seed=7) == doc  # reproducible


def test_large_knowledge_base_through_the_cli(tmp_path: Path) -> None:
    path = write_kb(tmp_path, 2_000)
    base = loading.load(path)
    assert len(base.entries) == 2_000
    target = base.entries[1_234]
    cache = tmp_path / "cache"  # CRAMPCLI_CACHE_DIR, set by conftest

    first = run("--data", str(path), "--data-alone", "search", target.title, "--json")
    assert first.exit_code == 0, first.stderr
    assert target.id in [r["id"] for r in first.json()["results"]]
    # Over a megabyte: both the checked document and the index are cached.
    assert sorted(p.name.split("-")[0] for p in cache.iterdir()) == ["document", "index"]

    again = run(
        "--data", str(path), "--data-alone", "search", target.title, "--json"
    )  # from the cache
    assert again.exit_code == 0, again.stderr
    assert again.json() == first.json()

    plain = run("--data", str(path), "--data-alone", "search", target.title)
    assert plain.exit_code == 0, plain.stderr
    assert target.title in plain.stdout

    shown = run("--data", str(path), "--data-alone", "show", target.id, "--json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["entry"]["title"] == target.title


def test_scale_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    """The benchmark itself keeps working (tiny sizes, two rounds): it prints its table."""
    script = REPO / "benchmarks" / "scale.py"
    argv = [sys.executable, str(script), "--sizes", "150", "300", "--rounds", "2"]
    done = subprocess.run([*argv, "--dir", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    table = done.stdout.splitlines()
    assert any(line.split()[:1] == ["150"] for line in table)
    assert any(line.split()[:1] == ["300"] for line in table)
    assert "150 -> 300 (2x)" in done.stdout
    assert done.stderr.count("round 2/2") == 2


def test_diary_scale_benchmark_runs_end_to_end() -> None:
    """benchmarks/diary_scale.py keeps working (50 entries instead of 1,000,000)."""
    script = REPO / "benchmarks" / "diary_scale.py"
    done = subprocess.run(
        [sys.executable, str(script), "--entries", "50", "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "diary import (50 entries, JSON)" in done.stdout
    assert "undo of the big import" in done.stdout and "MISSED" not in done.stdout
