"""Issue 12, the cramp diary, through the installed command with CRAMPCLI_HOME in a temp dir:
log, list, edit/delete/undo, stats, export/import, check --from-diary and every bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from conftest import installed

CRAMPCLI = Path(sys.executable).with_name("crampcli")
pytestmark = pytest.mark.skipif(not CRAMPCLI.exists(), reason="crampcli is not installed")


def cc(
    home: Path, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """``crampcli ARGS`` with its diary in ``home``, no terminal, UTC clock."""
    return installed(*args, stdin=stdin, CRAMPCLI_HOME=str(home), TZ="UTC", **env)


def ok(home: Path, *args: str, **env: str) -> str:
    result = cc(home, *args, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def entries(home: Path, *args: str) -> list[dict[str, Any]]:
    return json.loads(ok(home, "diary", "--json", "--limit", "100000", *args))["entries"]  # type: ignore[no-any-return]


def ago(**delta: float) -> str:
    return (datetime.now(timezone.utc) - timedelta(**delta)).isoformat(timespec="seconds")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


FULL = (
    "--leg",
    "left",
    "--where",
    "calf",
    "--minutes",
    "3",
    "--pain",
    "7",
    "--woke",
    "--trigger",
    "exercise",
    "--helped",
    "wall-stretch",
    "--note",
    "after a long walk",
)


def test_log_stores_every_field_and_prints_what_it_stored(home: Path) -> None:
    done = cc(home, "log", *FULL, "--at", "2h ago")
    out = done.stdout
    assert out.startswith("Logged #1 ")
    assert "left calf, 3 min, pain 7/10, woke" in out
    assert "not medical advice" in done.stderr.lower()
    (entry,) = entries(home)
    assert entry["leg"] == "left" and entry["where"] == "calf" and entry["minutes"] == 3
    assert entry["pain"] == 7 and entry["woke"] is True and entry["note"] == "after a long walk"
    assert entry["triggers"] == ["exercise"] and entry["helped"] == ["wall-stretch"]
    at = datetime.fromisoformat(entry["at"])
    assert abs(at - (datetime.now(timezone.utc) - timedelta(hours=2))) < timedelta(minutes=2)


def test_diary_file_is_private(home: Path) -> None:
    ok(home, "log", "--minutes", "1")
    assert (home / "diary.sqlite3").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("yesterday 22:30", lambda now: (now - timedelta(days=1)).replace(hour=22, minute=30)),
        ("2026-01-02T03:04", lambda now: datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)),
    ],
)
def test_at_phrases(home: Path, phrase: str, expected: Any) -> None:
    ok(home, "log", "--at", phrase)
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    assert datetime.fromisoformat(entries(home)[0]["at"]) == expected(now)


def test_last_night_3am_is_before_now(home: Path) -> None:
    ok(home, "log", "--at", "last night 3am")
    at = datetime.fromisoformat(entries(home)[0]["at"])
    assert at.hour == 3 and timedelta(0) < datetime.now(timezone.utc) - at < timedelta(days=1)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--leg", "middle"), "--leg"),
        (("--where", "elbow"), "--where"),
        (("--pain", "11"), "--pain"),
        (("--pain", "-1"), "--pain"),
        (("--sleep", "12"), "--sleep"),
        (("--minutes", "-3"), "--minutes"),
        (("--minutes", "nan"), "--minutes"),
        (("--at", "2999-01-01T00:00"), "--at"),
        (("--at", "in 2 days"), "--at"),
        (("--at", "when the moon is blue"), "--at"),
        (("--trigger", "heat;cold"), "--trigger"),
    ],
)
def test_bad_input_exits_2_naming_the_option_and_stores_nothing(
    home: Path, args: tuple[str, ...], option: str
) -> None:
    result = cc(home, "log", "--minutes", "2", *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and option in result.stderr
    # One form for every bad value, whether click or the diary found it.
    assert result.stderr.startswith(f"crampcli: invalid value for '{option}': ")
    assert result.stderr.endswith(" (see: crampcli log -h)\n")
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (home / "diary.sqlite3").exists()


def test_bad_input_to_an_existing_diary_changes_nothing(home: Path) -> None:
    ok(home, "log", "--minutes", "2")
    before = entries(home)
    assert cc(home, "log", "--pain", "11").returncode == 2
    assert cc(home, "diary", "edit", "1", "--leg", "middle").returncode == 2
    assert entries(home) == before


def test_list_since_until_limit_csv(home: Path) -> None:
    for days in (10, 5, 1):
        ok(home, "log", "--at", ago(days=days), "--minutes", str(days))
    assert [e["minutes"] for e in entries(home, "--since", "6 days ago")] == [5, 1]
    assert [e["minutes"] for e in entries(home, "--until", "3 days ago")] == [10, 5]
    assert [e["minutes"] for e in entries(home, "--limit", "1")] == [1]
    text = ok(home, "diary")
    assert text.count("\n") == 3 and text.startswith("#1 ")
    csv_lines = ok(home, "diary", "--csv").splitlines()
    assert csv_lines[0].startswith("id,at,") and len(csv_lines) == 4
    bad = cc(home, "diary", "--since", "soonish")
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_list_without_a_diary_says_how_to_start(home: Path) -> None:
    result = cc(home, "diary")  # an empty diary is not an error: a message, exit 0
    assert result.returncode == 0 and "crampcli log" in result.stderr and result.stdout == ""
    assert not home.exists()  # reading never creates anything


def test_edit_delete_undo(home: Path) -> None:
    ok(home, "log", *FULL)
    ok(home, "log", "--minutes", "1")
    assert "5 min" in ok(home, "diary", "edit", "1", "--minutes", "5", "--no-woke")
    assert entries(home)[0]["minutes"] == 5 and entries(home)[0]["woke"] is False
    refused = cc(home, "diary", "delete", "1")  # no terminal to ask on, no --yes
    assert refused.returncode == 2 and "--yes" in refused.stderr and len(entries(home)) == 2
    ok(home, "diary", "delete", "1", "--yes")
    assert [e["id"] for e in entries(home)] == [2]
    assert "delete" in ok(home, "diary", "undo")
    assert [e["id"] for e in entries(home)] == [1, 2]
    ok(home, "diary", "undo")  # the edit
    assert entries(home)[0]["minutes"] == 3 and entries(home)[0]["woke"] is True
    ok(home, "diary", "undo")  # the second log
    ok(home, "diary", "undo")  # the first log
    assert entries(home) == []
    nothing = cc(home, "diary", "undo")
    assert nothing.returncode == 1 and "nothing to undo" in nothing.stderr
    missing = cc(home, "diary", "edit", "99", "--pain", "1")
    assert missing.returncode == 1 and "#99" in missing.stderr


def _week_of_cramps(home: Path, count: int) -> None:
    lines = ["id,at,leg,where,minutes,pain,woke,sleep,triggers,helped,medicines,note,logged"]
    for n in range(count):
        at = ago(days=n * 27 / count, hours=1)
        leg = "left" if n % 3 else "right"
        woke = "yes" if n % 2 else "no"
        lines.append(f",{at},{leg},calf,{n % 4 + 1},{n % 10},{woke},3,heat,stretch; walk,,,")
    path = home.parent / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok(home, "diary", "import", str(path))


def test_stats_json_and_plain(home: Path) -> None:
    _week_of_cramps(home, 12)
    stats = json.loads(ok(home, "diary", "stats", "--json"))
    assert stats["total"] == 12 and sum(w["count"] for w in stats["weeks"]) == 12
    assert stats["longest_minutes"] == 4 and stats["median_minutes"] == 2.5
    assert stats["legs"] == {"left": 8, "right": 4} and stats["woke_count"] == 6
    assert stats["helped_counts"][0] == {"what": "stretch", "count": 12, "share": 1.0}
    trend = stats["trend"]  # the window's later half against its earlier half
    assert trend["recent"] + trend["before"] == 12 and trend["direction"] == "more"
    plain = ok(home, "diary", "stats")
    assert "#" in plain and "▁" not in plain and "\x1b" not in plain
    fancy = ok(home, "diary", "stats", FORCE_COLOR="1")
    assert any(ch in fancy for ch in "▁▂▃▄▅▆▇█")


def test_threshold_line_after_log_names_care_and_entry(home: Path) -> None:
    assert "crampcli show" not in ok(home, "log", "--minutes", "3")
    out = ok(home, "log", "--minutes", "12")
    assert "URGENT" in out and "crampcli show long-lasting-cramp" in out
    data = json.loads(ok(home, "log", "--minutes", "11", "--json"))
    assert data["threshold"]["id"] == "long-lasting-cramp"


def test_frequent_cramps_cross_the_weekly_threshold(home: Path) -> None:
    _week_of_cramps(home, 13)
    out = ok(home, "log", "--minutes", "1")
    assert "crampcli show frequent-cramps" in out
    checked = json.loads(ok(home, "check", "--from-diary", "--json"))
    assert "frequent-cramps" in [f["id"] for f in checked["red_flags"]]


def _nights_woken(home: Path, count: int) -> None:
    for n in range(count):
        ok(home, "log", "--minutes", "1", "--woke", "--at", ago(days=n * 3, hours=2))


def test_sleep_disturbed_often_crosses_the_threshold_only_from_two_a_week(home: Path) -> None:
    _nights_woken(home, 7)  # 7 in 4 weeks: 1.75 a week, under the bar
    assert "crampcli show" not in ok(home, "log", "--minutes", "1", "--at", ago(hours=5))
    out = " ".join(ok(home, "log", "--minutes", "1", "--woke").split())  # 8 wakings: 2 a week
    assert "crampcli show frequent-cramps" in out and "waking you 2 times a week" in out
    checked = json.loads(ok(home, "check", "--from-diary", "--json"))
    assert "frequent-cramps" in [f["id"] for f in checked["red_flags"]]


def test_check_from_diary_says_which_answers_came_from_the_diary(home: Path) -> None:
    _nights_woken(home, 9)
    out = " ".join(ok(home, "check", "--from-diary", "--per-week", "4").split())
    assert "because you said: cramps 4 times a week (3 or more)" in out
    assert "and your diary shows: cramps waking you 2.25 times a week (2 or more)" in out


def test_a_medicine_linked_to_cramps_is_named_after_log_and_in_check(home: Path) -> None:
    assert "crampcli show" not in ok(home, "log", "--minutes", "2", "--medicine", "vitamin c")
    out = " ".join(ok(home, "log", "--minutes", "2", "--medicine", "Lipitor").split())
    assert "names a medicine that may be linked to cramps" in out
    assert "crampcli show statins" in out
    checked = json.loads(ok(home, "check", "--from-diary", "--json"))
    assert "statins" in json.dumps(checked["medicines"])
    given = json.loads(ok(home, "check", "--from-diary", "--medicine", "furosemide", "--json"))
    assert "statins" not in json.dumps(given["medicines"])  # what you name wins over the diary


def test_check_from_diary_needs_a_diary(home: Path) -> None:
    result = cc(home, "check", "--from-diary")
    assert result.returncode == 1 and "crampcli log" in result.stderr
    ok(home, "log", "--at", "40 days ago")
    old = cc(home, "check", "--from-diary")
    assert old.returncode == 1 and "no entries in the last 4 weeks" in old.stderr


def test_wipe(home: Path) -> None:
    ok(home, "log", "--minutes", "1")
    assert cc(home, "diary", "wipe").returncode == 2  # no terminal, no --yes
    assert (home / "diary.sqlite3").exists()
    ok(home, "diary", "wipe", "--yes")
    assert list(home.iterdir()) == []


def test_sqlite3_is_imported_only_by_diary_commands(home: Path) -> None:
    env = {**os.environ, "CRAMPCLI_HOME": str(home)}
    for args in (["causes", "--brief"], ["log", "--help"]):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "crampcli", *args],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            check=True,
        )
        assert "sqlite3" not in result.stderr
