"""Choosing a knowledge base (--data, $CRAMPCLI_DATA), `crampcli validate`, and broken files:
every problem listed with its JSON path, and never a traceback."""

from __future__ import annotations

import copy
import hashlib
import json
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, run
from crampcli.knowledge.loading import bundled_path
from crampcli.knowledge.validate import validate


def small_kb(cause_title: str = "Other-file cause") -> dict[str, Any]:
    """A minimal valid knowledge base: one reference, one entry of each kind."""
    return {
        "format": 1,
        "name": "test kb",
        "version": "7.7",
        "reviewed": "2026-01-31",
        "language": "en",
        "references": [{"id": "ref-one", "title": "Reference one", "url": "https://example.org"}],
        "entries": [
            {
                "id": "zebra-cause",
                "kind": "cause",
                "title": cause_title,
                "summary": "A cause only this file knows.",
                "aliases": ["zebra"],
                "sources": ["ref-one"],
                "details": ["More text."],
                "evidence": {"grade": "mixed", "note": "Some note."},
                "audiences": [],
                "situations": ["night"],
                "helps": ["zebra-relief"],
            },
            {
                "id": "zebra-relief",
                "kind": "relief",
                "title": "Zebra relief",
                "summary": "Stretch like a zebra.",
                "aliases": [],
                "sources": ["ref-one"],
                "details": [],
                "evidence": {"grade": "supported", "note": "Yes."},
                "audiences": [],
                "situations": [],
                "now_rank": 1,
            },
            {
                "id": "zebra-tip",
                "kind": "prevention",
                "title": "Zebra tip",
                "summary": "Prevent it.",
                "aliases": [],
                "sources": [],
                "details": [],
                "evidence": {"grade": "supported", "note": "Yes."},
                "audiences": [],
                "situations": [],
            },
            {
                "id": "zebra-flag",
                "kind": "red-flag",
                "title": "Zebra flag",
                "summary": "Get help.",
                "aliases": [],
                "sources": [],
                "details": [],
                "evidence": {"grade": "supported", "note": "Yes."},
                "audiences": [],
                "situations": [],
                "care": "urgent",
            },
            {
                "id": "zebra-article",
                "kind": "article",
                "title": "Zebra article",
                "summary": "An article.",
                "aliases": [],
                "sources": [],
                "file": "z.txt",
                "paragraphs": ["Zebras rarely cramp."],
            },
        ],
    }


def write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def digest(path: Path) -> tuple[str, float]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime


def assert_clean_failure(result: Any) -> None:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr


# --- choosing a knowledge base --------------------------------------------------------------


def test_small_kb_is_valid() -> None:
    assert validate(small_kb()) == []


def test_data_option_selects_another_file(tmp_path: Path) -> None:
    other = write(tmp_path / "other.json", small_kb())
    result = run("--data", str(other), "--data-alone", "causes", "--brief")
    assert result.exit_code == 0
    assert "zebra-cause" in result.stdout and "calcium-deficiency" not in result.stdout


def test_environment_variable_selects_another_file(tmp_path: Path) -> None:
    other = write(tmp_path / "other.json", small_kb())
    result = run("search", "zebra", env={"CRAMPCLI_DATA": str(other)})
    assert result.exit_code == 0
    assert "zebra" in result.stdout.lower() and "calcium" not in result.stdout.lower()


def test_option_wins_over_environment_variable(tmp_path: Path) -> None:
    by_env = write(tmp_path / "env.json", small_kb("Chosen by the variable"))
    by_option = write(tmp_path / "opt.json", small_kb("Chosen by the option"))
    result = run(
        "--data",
        str(by_option),
        "--data-alone",
        "causes",
        "--json",
        env={"CRAMPCLI_DATA": str(by_env)},
    )
    assert result.exit_code == 0
    assert [c["title"] for c in result.json()["causes"]] == ["Chosen by the option"]


def test_empty_environment_variable_means_the_bundled_file() -> None:
    result = run("causes", "--brief", env={"CRAMPCLI_DATA": ""})
    assert result.exit_code == 0 and "calcium-deficiency" in result.stdout


@pytest.mark.shared
def test_bundled_file_is_never_written(tmp_path: Path) -> None:
    # The file crampcli ships with: the repo's data/ in an editable install, else the wheel's.
    bundled = bundled_path()
    before = digest(bundled)
    seed = next((Path(__file__).parents[2] / "shared" / "seeds").glob("*.txt"))
    other = tmp_path / "mine.json"
    for args in (
        ("causes",),
        ("search", "calcium"),
        ("validate", str(bundled)),
        ("import", str(seed), "--into", str(other)),
        ("--data", str(other), "--data-alone", "articles"),
    ):
        assert run(*args).exit_code == 0, args
    refused = run("import", str(seed), "--into", str(bundled), "--replace")
    assert refused.exit_code == 2 and "bundled" in refused.stderr
    assert digest(bundled) == before


# --- validate -------------------------------------------------------------------------------


def test_validate_bundled_file_is_ok() -> None:
    result = run("validate", str(DATA))
    assert result.exit_code == 0
    assert result.stdout.startswith("ok: ") and " entries" in result.stdout
    data = run("validate", str(DATA), "--json").json()
    assert data["valid"] is True and data["problems"] == [] and data["entry_count"] > 30


def broken_kb() -> dict[str, Any]:
    doc = small_kb()
    doc["entries"][3]["sources"] = "ref-one"  # a string, not a list
    doc["entries"][1]["id"] = "zebra-cause"  # duplicate id
    doc["entries"][0]["helps"] = ["no-such-entry"]  # dangling reference
    doc["entries"][2]["kind"] = "rumour"  # unknown kind
    doc["entries"][4]["title"] = 42  # wrong type
    del doc["entries"][4]["paragraphs"]  # missing key
    doc["reviewed"] = "yesterday"
    doc["extra-top-level-key"] = "fine"  # unknown top-level keys are ignored
    return doc


EXPECTED_PROBLEMS = [
    "$.entries[3].sources: expected a list, got a string",
    "$: duplicate id 'zebra-cause' at $.entries[0], $.entries[1]",
    "$.entries[0].helps[0]: refers to id 'no-such-entry', which does not exist",
    "$.entries[2].kind: unknown kind 'rumour'",
    "$.entries[4].title: expected a string, got a number",
    "$.entries[4]: missing required key 'paragraphs'",
    "$.reviewed: expected a date as YYYY-MM-DD, got 'yesterday'",
]


def test_validate_lists_every_problem_with_its_json_path(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.json", broken_kb())
    result = run("validate", str(path))
    assert_clean_failure(result)
    for expected in EXPECTED_PROBLEMS:
        assert expected in result.stdout, expected
    assert "7 problems" in result.stderr
    assert "extra-top-level-key" not in result.stdout


def test_validate_json_lists_every_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.json", broken_kb())
    result = run("validate", str(path), "--json")
    assert result.exit_code == 1
    data = result.json()
    assert data["valid"] is False and data["entry_count"] is None
    assert len(data["problems"]) == len(EXPECTED_PROBLEMS)
    for expected in EXPECTED_PROBLEMS:
        assert any(p.startswith(expected) for p in data["problems"]), expected


def test_unknown_kind_is_reported_once_without_noise() -> None:
    doc = small_kb()
    doc["entries"][2]["kind"] = "rumour"
    problems = validate(doc)
    assert len(problems) == 1 and problems[0].startswith("$.entries[2].kind: unknown kind")


def test_loading_a_broken_file_gives_the_first_five_problems(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.json", broken_kb())
    for command in (("causes",), ("show", "zebra-cause"), ("search", "x"), ("relieve", "--now")):
        result = run("--data", str(path), "--data-alone", *command)
        assert_clean_failure(result)
        assert result.stdout == ""
        assert f"cannot use knowledge base {path}" in result.stderr
        assert "$.entries[3].sources: expected a list, got a string" in result.stderr
        assert "... and 2 more" in result.stderr


BAD_FILES: dict[str, tuple[bytes, str]] = {
    "malformed": (b'{"format": 1, "name": ', "not valid JSON"),
    "trailing-comma": (b'{"format": 1,}', "not valid JSON"),
    "empty": (b"", "the file is empty"),
    "whitespace": (b"  \n\t\n", "the file is empty"),
    "latin-1": (
        '{"name": "crampe nocturne \u00e0 r\u00e9p\u00e9tition"}'.encode("latin-1"),
        "not UTF-8",
    ),
    "binary": (bytes(range(256)), "not UTF-8"),
    "deep": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "deep-objects": (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested too deeply"),
    "huge-number": (b'{"format": 1' + b"0" * 5000 + b"}", "not usable JSON"),
    "top-level-list": (b"[1, 2]", "expected an object at the top level"),
    "null": (b"null", "expected an object at the top level, got null"),
    "wrong-types": (
        json.dumps(
            {
                "format": "1",
                "name": 3,
                "version": [],
                "reviewed": None,
                "language": {},
                "references": {},
                "entries": "none",
            }
        ).encode(),
        "$.format: expected a whole number, got a string",
    ),
    "entries-not-objects": (
        json.dumps({**small_kb(), "entries": [1, "two", None, [], True]}).encode(),
        "$.entries[4]: expected an object, got true/false",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_give_a_clear_message_not_a_traceback(tmp_path: Path, name: str) -> None:
    content, message = BAD_FILES[name]
    path = tmp_path / f"{name}.json"
    path.write_bytes(content)
    loaded = run("--data", str(path), "--data-alone", "causes")
    assert_clean_failure(loaded)
    assert message in loaded.stderr
    checked = run("validate", str(path))
    assert_clean_failure(checked)
    assert message in checked.stdout


def test_wrong_types_are_all_listed(tmp_path: Path) -> None:
    path = tmp_path / "types.json"
    path.write_bytes(BAD_FILES["wrong-types"][0])
    out = run("validate", str(path)).stdout
    for key in ("format", "name", "version", "language", "references", "entries"):
        assert f"$.{key}: expected" in out, key


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_missing_file_or_directory(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "nope.json" if kind == "missing" else tmp_path
    result = run("--data", str(path), "--data-alone", "prevent")
    assert_clean_failure(result)
    assert ("no such file" if kind == "missing" else "is a directory") in result.stderr
    assert_clean_failure(run("validate", str(path)))


def _fifty_megabytes(doc: dict[str, Any]) -> str:
    paragraph = "Calves cramp when they are tired, cold or short of salt. " * 40
    doc = copy.deepcopy(doc)
    doc["entries"] += [
        {
            "id": f"bulk-article-{i}",
            "kind": "article",
            "title": f"Bulk article {i}",
            "summary": "Filler.",
            "aliases": [],
            "sources": [],
            "file": f"bulk-{i}.txt",
            "paragraphs": [paragraph] * 20,
        }
        for i in range(1100)
    ]
    text = json.dumps(doc)
    assert len(text) > 50_000_000
    return text


def test_fifty_megabyte_file_is_handled_quickly(tmp_path: Path) -> None:
    text = _fifty_megabytes(small_kb())
    good = tmp_path / "big.json"
    good.write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = run("--data", str(good), "--data-alone", "causes", "--brief")
    assert result.exit_code == 0 and "zebra-cause" in result.stdout
    assert run("validate", str(good)).stdout.startswith("ok: ")
    # the same size, broken at the very end, and 50 MB of junk
    broken = tmp_path / "broken.json"
    broken.write_text(text[:-1], encoding="utf-8")
    assert "not valid JSON" in run("--data", str(broken), "--data-alone", "causes").stderr
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\x00\xff" * 25_000_000)
    assert "not UTF-8" in run("validate", str(junk)).stdout
    assert time.monotonic() - started < 15


def test_the_validator_accepts_every_number_the_checker_compares_and_no_other() -> None:
    from crampcli.answers.check import NUMBER_WORDS
    from crampcli.knowledge.validate import TOKEN_RE

    assert all(TOKEN_RE.match(f"{name}>=2.5") for name in NUMBER_WORDS)
    assert not TOKEN_RE.match("pain>=7")
