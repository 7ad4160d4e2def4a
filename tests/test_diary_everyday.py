"""Issue 22, the diary's everyday loop through the installed command: log asks what a doctor
needs (medicines, sleep) and refuses an empty entry without a terminal; times as people say
them, a day alone with no invented time, clock changes; helped and triggers counted by the
name they match; stats over one window; the diary on a terminal and in scripts (table, path,
backup, undo that says what it will undo)."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pexpect
import pytest

from conftest import installed
from test_diary import CRAMPCLI, cc, entries, ok
from test_diary_terminal import spawn

pytestmark = pytest.mark.skipif(not CRAMPCLI.exists(), reason="crampcli is not installed")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def stats(home: Path, *args: str) -> dict:  # type: ignore[type-arg]
    return json.loads(ok(home, "diary", "stats", "--json", *args))  # type: ignore[no-any-return]


def local_at(entry: dict) -> datetime:  # type: ignore[type-arg]
    return datetime.fromisoformat(entry["at"]).astimezone(timezone.utc)  # the tests run in UTC


# --- logging ------------------------------------------------------------------------------


def test_log_with_nothing_and_no_terminal_is_a_usage_error(home: Path) -> None:
    result = cc(home, "log")
    assert result.returncode == 2 and result.stdout == ""
    assert "no terminal" in result.stderr and "--minutes" in result.stderr
    assert not (home / "diary.sqlite3").exists() or entries(home) == []


def test_interactive_log_asks_medicines_defaulting_to_the_last_and_sleep(tmp_path: Path) -> None:
    ok(tmp_path, "log", "--minutes", "2", "--medicine", "amlodipine", "--medicine", "metformin")
    child = spawn(tmp_path, "log")
    for question in ("When?", "Which leg?", "Where?", "How many minutes", "How bad, 0-10?"):
        child.expect_exact(question)
        child.sendline("")
    child.expect_exact("Did it wake you?")
    child.sendline("y")
    child.expect_exact("disturb your sleep, 0-10?")
    child.sendline("11")  # out of range: said, and asked again
    child.expect_exact("0 to 10")
    child.expect_exact("disturb your sleep, 0-10?")
    child.sendline("6")
    child.expect_exact("What set it off?")
    child.sendline("")
    child.expect_exact("What helped?")
    child.sendline("")
    child.expect_exact("Medicines you take? (Enter: amlodipine, metformin")
    child.sendline("")  # Enter keeps them
    child.expect_exact("Anything else?")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    last = entries(tmp_path)[-1]
    assert last["sleep"] == 6 and last["woke"] is True
    assert last["medicines"] == ["amlodipine", "metformin"]
    # "none" clears them; any other answer replaces them
    child = spawn(tmp_path, "log")
    child.expect_exact("When?")
    child.sendline("yesterday")  # a day without a time: stored so
    for _ in range(8):
        child.expect_exact("?")
        child.sendline("")
    child.expect_exact("Medicines you take?")
    child.sendline("none")
    child.expect_exact("Anything else?")
    child.sendline("")
    child.expect(pexpect.EOF)
    (undated,) = [e for e in entries(tmp_path) if not e["time_known"]]
    assert undated["medicines"] == []


def _last(wall: str, now: datetime) -> datetime:
    """The latest moment at or before ``now`` whose UTC clock reads ``wall`` (HH:MM)."""
    hour, minute = map(int, wall.split(":"))
    moment = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return moment if moment <= now else moment - timedelta(days=1)


def test_times_as_people_say_them(home: Path) -> None:
    now = datetime.now(timezone.utc)
    later = (now + timedelta(hours=1)).strftime("%H:%M")  # a bare time still to come: last night
    said = ["last monday 2am", "9 days ago 22:00", later, "28 Nov 23:15"]
    for phrase in said:
        ok(home, "log", "--at", phrase, "--minutes", "1")
    got = [local_at(e) for e in entries(home)]
    today = now.date()
    monday = today - timedelta(days=(today.weekday() or 7))
    nov28 = datetime(now.year if (now.month, now.day) >= (11, 28) else now.year - 1, 11, 28)
    want = [
        datetime.combine(monday, datetime.min.time(), timezone.utc).replace(hour=2),
        datetime.combine(today - timedelta(days=9), datetime.min.time(), timezone.utc).replace(
            hour=22
        ),
        _last(later, now),
        nov28.replace(hour=23, minute=15, tzinfo=timezone.utc),
    ]
    assert sorted(got) == sorted(want)


def test_a_day_alone_has_no_invented_time_and_is_left_out_of_time_of_day(home: Path) -> None:
    ok(home, "log", "--at", "yesterday", "--minutes", "2")
    ok(home, "log", "--at", "28 Nov", "--minutes", "2")
    ok(home, "log", "--at", "1h ago", "--minutes", "2")
    stored = entries(home)
    assert sorted(e["time_known"] for e in stored) == [False, False, True]
    for entry in stored:
        if not entry["time_known"]:
            assert local_at(entry).hour == 12 or local_at(entry) <= datetime.now(timezone.utc)
    figures = stats(home, "--since", "2000-01-01")
    assert sum(figures["time_of_day"].values()) == 1 and figures["time_not_given"] == 2
    assert "time not said" in ok(home, "diary")


def test_a_local_time_the_clocks_skip_is_refused_with_what_to_say(home: Path) -> None:
    result = installed(
        "log", "--at", "2026-03-29T01:30", CRAMPCLI_HOME=str(home), TZ="Europe/London"
    )
    assert result.returncode == 2, result.stderr
    assert "does not exist" in result.stderr and "00:30 or 02:30" in result.stderr
    assert not (home / "diary.sqlite3").exists() or entries(home) == []


@pytest.fixture
def london() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/London"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.mark.parametrize(
    ("now", "phrase", "wall"),
    [
        ("2026-03-29T00:30:00+00:00", "last night 3am", "2026-03-28 03:00"),  # before the change
        ("2026-03-29T05:00:00+01:00", "last night 3am", "2026-03-29 03:00"),  # after it
        ("2026-10-25T00:30:00+01:00", "last night 3am", "2026-10-24 03:00"),  # autumn
        ("2026-10-25T09:00:00+00:00", "yesterday 3am", "2026-10-24 03:00"),
    ],
)
def test_last_night_on_a_clock_change_day_is_the_wall_time_said(
    london: None, now: str, phrase: str, wall: str
) -> None:
    from crampcli.diary import times

    moment = times.parse(phrase, datetime.fromisoformat(now))
    assert f"{moment.astimezone():%Y-%m-%d %H:%M}" == wall


# --- what helped, triggers --------------------------------------------------------------------


def test_helped_and_triggers_count_by_the_name_they_match(home: Path) -> None:
    for helped, trigger in (
        ("wall stretch", "gym"),
        ("Wall-Stretch", "Exercise"),
        ("wal stretch", "long walk"),
        ("banana bread", "standing"),
    ):
        ok(home, "log", "--minutes", "2", "--helped", helped, "--trigger", trigger)
    figures = stats(home)
    helped = {h["what"]: h["count"] for h in figures["helped_counts"]}
    assert helped == {"wall-stretch": 3, "banana bread": 1}
    assert {t["trigger"]: t["count"] for t in figures["trigger_counts"]} == {
        "exercise": 3,
        "standing": 1,
    }
    assert [e["helped"] for e in entries(home)][:3] == [  # kept as written
        ["wall stretch"],
        ["Wall-Stretch"],
        ["wal stretch"],
    ]
    assert "wall-stretch: 3 times" in ok(home, "report")


# --- stats ------------------------------------------------------------------------------------


def test_stats_window_applies_to_every_figure(home: Path) -> None:
    ok(home, "log", "--at", "3 days ago", "--minutes", "2", "--pain", "3", "--helped", "rest")
    ok(home, "log", "--at", "100 days ago", "--minutes", "30", "--pain", "9", "--leg", "left")
    recent = stats(home, "--weeks", "2")
    assert (recent["total"], recent["longest_minutes"], recent["worst_pain"]) == (1, 2, 3)
    assert recent["legs"] == {} and sum(recent["time_of_day"].values()) == 1
    old = stats(home, "--since", "120 days ago", "--until", "50 days ago")
    assert (old["total"], old["longest_minutes"], old["worst_pain"], old["legs"]) == (
        1,
        30,
        9,
        {"left": 1},
    )
    assert old["helped_counts"] == [] and old["first"] == old["last"]
    everything = stats(home, "--since", "2000-01-01")
    assert everything["total"] == 2 and everything["median_minutes"] == 16
    bad = cc(home, "diary", "stats", "--since", "now", "--until", "2 days ago")
    assert bad.returncode == 2 and "before --until" in bad.stderr


def test_stats_in_a_pipe_says_1_cramp_and_does_not_shout(home: Path) -> None:
    ok(home, "log", "--minutes", "2")
    text = ok(home, "diary", "stats")
    first = text.splitlines()[0]
    assert first.startswith("1 cramp, ") and first == first[0] + first[1:]
    assert "CRAMP" not in text and not any(m.upper() in text for m in ("Jan", "Feb", "Nov", "Dec"))


# --- the diary on a terminal and in scripts ---------------------------------------------------


def test_no_diary_lists_in_words_and_json_gives_no_entries(home: Path) -> None:
    assert json.loads(ok(home, "diary", "--json")) == {"entries": []}
    # a message, not data: on stderr in a pipe (stdout stays empty)
    assert "No diary entries yet" in cc(home, "diary").stderr
    ok(home, "log", "--minutes", "2", "--at", "1h ago")
    later = cc(home, "diary", "--since", "10 minutes ago")
    assert "No diary entries in this period" in later.stderr and later.stdout == ""


def test_diary_is_a_table_on_a_terminal_and_lines_in_a_pipe(tmp_path: Path) -> None:
    ok(tmp_path, "log", "--minutes", "3", "--leg", "left", "--where", "calf", "--note", "a\nb")
    ok(tmp_path, "log", "--minutes", "5", "--pain", "6", "--woke", "--at", "yesterday")
    child = spawn(tmp_path, "diary")
    child.expect(pexpect.EOF)
    screen = child.before
    header = next(line for line in screen.splitlines() if "When" in line)
    assert header.split() == ["#", "When", "Leg", "Where", "Min", "Pain", "Woke", "Helped", "Note"]
    assert "a\\nb" in screen  # a newline in a note never starts a fake row
    piped = ok(tmp_path, "diary").splitlines()
    assert len(piped) == 2 and piped[1].startswith("#1 ") and "\\n" in piped[1]


def test_undo_says_what_it_will_undo_on_a_terminal(tmp_path: Path) -> None:
    ok(tmp_path, "log", "--minutes", "2")
    ok(tmp_path, "log", "--minutes", "4")
    child = spawn(tmp_path, "diary", "undo")
    child.expect_exact("Undo the last add (#2)? [y/N] ")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1 and len(entries(tmp_path)) == 2
    child = spawn(tmp_path, "diary", "undo", "--yes")  # --yes: no question
    child.expect_exact("Undid the last add (#2).")
    child.expect(pexpect.EOF)
    assert len(entries(tmp_path)) == 1
    assert "Undid the last add (#1)." in ok(tmp_path, "diary", "undo")  # a script: as before


def test_undo_of_a_big_import_asks_in_one_short_line(tmp_path: Path) -> None:
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    rows = [{"at": (at + timedelta(hours=n)).isoformat(), "minutes": 1} for n in range(300)]
    source = tmp_path / "big.json"
    source.write_text(json.dumps({"format": "crampcli-diary", "version": 1, "entries": rows}))
    ok(tmp_path, "diary", "import", str(source))
    child = spawn(tmp_path, "diary", "undo")
    child.expect_exact("Undo the last import (300 entries, #1 to #300)? [y/N] ")
    child.sendline("y")
    child.expect_exact("Undid the last import (300 entries, #1 to #300).")
    child.expect(pexpect.EOF)
    assert entries(tmp_path) == []


def test_diary_path_and_backup(home: Path, tmp_path: Path) -> None:
    assert ok(home, "diary", "path").strip() == str(home / "diary.sqlite3")
    ok(home, "log", "--minutes", "3", "--note", "kept")
    copy = tmp_path / "copy.sqlite3"
    copy.write_text("old")
    os.chmod(copy, 0o644)
    result = cc(home, "diary", "backup", str(copy))
    assert result.returncode == 0 and f"Wrote {copy}" in result.stderr
    assert copy.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT note FROM cramps").fetchall() == [("kept",)]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".copy")]  # no leftovers
    assert cc(home, "diary", "backup", str(tmp_path)).returncode == 1  # a folder: said, kept
    assert cc(tmp_path / "none", "diary", "backup", str(copy)).returncode == 1  # no diary


def test_a_diary_from_before_time_known_keeps_its_times_and_its_undo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.diary import store
    from crampcli.diary.model import Cramp

    path = tmp_path / "diary.sqlite3"
    at = datetime(2026, 11, 2, 3, 0, tzinfo=timezone.utc)
    with monkeypatch.context() as old:  # the diary as the first release wrote it
        old.setattr(store, "MIGRATIONS", store.MIGRATIONS[:1])
        old.setattr(store, "COLUMNS", store.COLUMNS[:-1])
        with store.Diary.open(path) as diary:
            diary._db.execute(
                f"INSERT INTO cramps (id, {', '.join(store.COLUMNS)}) VALUES (?{', ?' * 12})",
                (1, at.isoformat(), "left", None, 3, None, 0, None, "", "", "", "", at.isoformat()),
            )
            diary._db.execute(
                "INSERT INTO changes (action, done, before) VALUES ('edit', '', ?)",
                (json.dumps({"1": [at.isoformat(), "right", None, 5, None, 0, None, "", "", "",
                                   "", at.isoformat()]}),),
            )  # fmt: skip
    with store.Diary.open(path) as diary:
        (entry,) = diary.entries()
        assert entry.time_known and entry.leg == "left"
        assert diary.undo().action == "edit"  # a change journalled before the new column
        (entry,) = diary.entries()
        assert entry.leg == "right" and entry.minutes == 5 and entry.time_known
        diary.add(Cramp(at=at, time_known=False))
        assert [c.time_known for c in diary.entries()] == [True, False]


def test_the_trigger_vocabulary_is_checked_by_validate(tmp_path: Path, kb_doc: dict) -> None:  # type: ignore[type-arg]
    kb_doc["triggers"] = [
        {"id": "Not Kebab", "words": ["x"]},
        {"id": "cold", "words": [3]},
        {"id": "cold", "words": []},
        {"words": ["no id"]},
    ]
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(kb_doc), encoding="utf-8")
    result = installed("validate", str(path))
    assert result.returncode == 1
    for problem in (
        "$.triggers[0].id",
        "$.triggers[1].words[0]: expected a string",
        "duplicate trigger id 'cold'",
        "$.triggers[3]: missing required key 'id'",
    ):
        assert problem in result.stdout + result.stderr, problem


@pytest.mark.parametrize("zone", ["America/Santiago", "America/Havana"])
def test_a_day_starts_when_its_clocks_do_where_midnight_is_skipped(zone: str) -> None:
    # Both zones have changed their clocks at midnight: 00:00 never shows on such a day.
    from datetime import date

    from crampcli.diary import times

    old = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        days = [date(2026, 1, 1) + timedelta(days=n) for n in range(366)]
        starts = [times.start_of(d) for d in days]  # never a skipped-time error
        assert all(s.astimezone().date() == d for s, d in zip(starts, days, strict=True))
        assert any(s.astimezone().hour == 1 for s in starts)  # at least one day starts at 01:00
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()
