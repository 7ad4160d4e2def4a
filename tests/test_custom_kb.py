"""A custom knowledge base without relief steps, warning signs or causes: never an empty panel,
never a hint about filters nobody gave (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, run

MINI = REPO / "tests" / "data" / "mini-kb.json"


def _without(tmp_path: Path, *kinds: str) -> str:
    doc = json.loads(MINI.read_text(encoding="utf-8"))
    doc["entries"] = [e for e in doc["entries"] if e["kind"] not in kinds]
    for entry in doc["entries"]:
        entry.pop("helps", None)
    path = tmp_path / "custom.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "env", [None, {"FORCE_COLOR": "1", "NO_COLOR": "1"}], ids=["plain", "fancy"]
)
def test_relieve_now_without_steps_or_flags_shows_the_bundled_guidance(
    tmp_path: Path, env: dict[str, str] | None
) -> None:
    data = _without(tmp_path, "relief", "red-flag")
    result = run(
        "--data", data, "--data-alone", "--country", "GB", "relieve", "--now", "--no-timer", env=env
    )
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "has no relief steps and no warning signs" in out
    assert "toes" in out  # a bundled step
    assert "Call 999 now: sudden breathlessness" in out  # a bundled sign, with the number


def test_relieve_now_with_its_own_steps_and_flags_uses_them(tmp_path: Path) -> None:
    out = run("--data", str(MINI), "--data-alone", "relieve", "--now", "--no-timer").stdout
    assert "has no" not in out and "Pull your toes towards your knee." in out


def test_only_what_is_missing_comes_from_the_bundled_file(tmp_path: Path) -> None:
    out = run(
        "--data", _without(tmp_path, "red-flag"), "--data-alone", "relieve", "--now", "--no-timer"
    ).stdout
    out = " ".join(out.split())
    assert "has no warning signs:" in out and "relief steps" not in out
    assert "Pull your toes towards your knee." in out and "chest pain" in out


@pytest.mark.parametrize("args", [[], ["--who", "older"], ["--when", "night"]])
def test_causes_in_a_base_without_causes_never_mentions_filters(
    tmp_path: Path, args: list[str]
) -> None:
    result = run("--data", _without(tmp_path, "cause"), "--data-alone", "causes", *args)
    assert result.exit_code == 1
    assert result.stderr == "crampcli: nothing to show: this knowledge base lists no causes\n"


def test_causes_filter_hint_names_only_the_filters_given() -> None:
    result = run("--data", str(MINI), "--data-alone", "causes", "--when", "heat")
    assert result.exit_code == 0  # an empty answer (help exit-codes); the hint on stderr
    assert "try without --when" in result.stderr and "--who" not in result.stderr
