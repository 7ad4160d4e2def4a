"""A file with a great many problems: `validate` and `diary import` keep the first ones as
messages and count the rest ("... and 4,900 more"), so memory does not grow with the number
of bad rows (benchmarks/problems.py measures it)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

from conftest import run
from crampcli.diary.store import Diary
from crampcli.diary.transfer import ImportProblems, import_into
from crampcli.knowledge.validate import validate
from test_validate import small_kb, write


def _kb_with_bad_entries(n: int) -> dict[str, object]:
    """``small_kb`` and ``n`` entries with exactly one problem each (an unknown kind)."""
    doc = small_kb()
    bad = copy.deepcopy(doc["entries"][2])  # type: ignore[index]
    extra = [{**bad, "id": f"bad-{i}", "kind": "rumour"} for i in range(n)]
    doc["entries"] = [*doc["entries"], *extra]  # type: ignore[misc]
    return doc


def test_validate_lists_the_first_hundred_problems_and_counts_them_all(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", _kb_with_bad_entries(5000))
    result = run("validate", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 100 and all(": unknown kind 'rumour'" in line for line in lines)
    assert lines[0].startswith("$.entries[5].kind") and lines[-1].startswith("$.entries[104]")
    assert "5,000 problems; the first 100 are listed" in result.stderr
    doc = run("validate", "--json", str(path)).json()
    assert doc["problem_count"] == 5000 and len(doc["problems"]) == 100


def test_loading_a_file_with_many_problems_counts_the_ones_not_shown(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", _kb_with_bad_entries(5000))
    result = run("--data", str(path), "--data-alone", "causes")
    assert result.exit_code == 1
    assert "... and 4,995 more (crampcli validate lists more)" in result.stderr


def test_an_id_repeated_many_times_is_one_short_problem() -> None:
    doc = small_kb()
    doc["entries"] = [*doc["entries"], *[doc["entries"][2]] * 3000]  # type: ignore[index]
    problems = validate(doc)
    assert len(problems) == 1, problems
    assert problems[0].startswith("$: duplicate id 'zebra-tip' at $.entries[2], $.entries[5],")
    assert problems[0].endswith(" and 2,996 more places") and len(problems[0]) < 200


def _bad_rows(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text("at,minutes\n" + "yesterday,2\n" * n, encoding="utf-8")
    return path


def test_an_import_of_many_bad_rows_lists_twenty_and_counts_the_rest(tmp_path: Path) -> None:
    result = run("diary", "import", str(_bad_rows(tmp_path, 5000)))
    assert result.exit_code == 1
    assert "nothing imported from" in result.stderr and "5,000 bad rows:" in result.stderr
    listed = [line for line in result.stderr.splitlines() if line.startswith("  line ")]
    assert len(listed) == 20 and listed[0].startswith("  line 2: at:")
    assert result.stderr.rstrip().endswith("  ... and 4,980 more")


def test_an_import_keeps_only_the_messages_it_shows(tmp_path: Path) -> None:
    """The rows past the twentieth are counted, not kept: memory does not grow with them."""
    entries = [{"at": "2026-12-01T03:00:00+00:00", "minutes": -1}] * 3000
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "crampcli-diary", "version": 1, "entries": entries}))
    with Diary.open(tmp_path / "diary.sqlite3") as diary, path.open(encoding="utf-8") as f:
        try:
            import_into(diary, f, None, str(path))
        except ImportProblems as exc:
            assert len(exc.problems) == 3000 and len(list(exc.problems)) == 20
        else:
            raise AssertionError("imported bad rows")
        assert diary.entries(None, None) == []


def test_a_json_file_that_says_first_it_is_no_diary_export_is_not_read_row_by_row(
    tmp_path: Path,
) -> None:
    """Its format comes before its entries: nothing in them could be imported, so they are
    not read, and the one problem is that."""
    entries = [{"minutes": -1}] * 5000
    for head, said in (
        ({"format": "something-else", "version": 1}, 'not a crampcli diary export'),
        ({"format": "crampcli-diary", "version": 99}, "unknown export version 99"),
    ):
        path = tmp_path / "other.json"
        path.write_text(json.dumps({**head, "entries": entries}), encoding="utf-8")
        result = run("diary", "import", str(path))
        assert result.exit_code == 1
        assert ": 1 bad row:" in result.stderr and said in result.stderr, result.stderr


def test_the_problems_benchmark_runs_end_to_end() -> None:
    """benchmarks/problems.py keeps working (50 entries and rows instead of millions)."""
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "problems.py"
    done = subprocess.run(
        [sys.executable, str(script), "--entries", "50", "--rows", "50"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    validate_line, own_ids_line, import_line = done.stdout.splitlines()[1:]
    assert validate_line.startswith("validate")
    assert "257 problems; the first 100 are listed" in validate_line
    assert own_ids_line.startswith("validate (own ids)") and "256 problems" in own_ids_line
    assert import_line.startswith("diary import") and import_line.endswith("... and 30 more")
