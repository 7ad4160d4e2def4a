"""`diary stats` counts in SQLite and C: the same numbers as a plain count over the entries,
in any time zone (the reference count lives here, not in the library)."""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampcli.diary.model import Cramp
from crampcli.diary.stats import PART_NAMES, Stats, compute, part_of_day
from crampcli.diary.store import Diary

NOW = datetime(2026, 12, 2, 18, 0, tzinfo=timezone.utc)
WORDS = st.lists(st.sampled_from(["heat", "exercise", "wall stretch", "walk"]), max_size=3)


@pytest.fixture(params=["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"])
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The machine's time zone, for Python and for SQLite alike."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


cramps = st.builds(
    Cramp,
    at=st.integers(0, 400 * 24 * 60).map(lambda m: NOW - timedelta(minutes=m)),
    leg=st.sampled_from([None, "left", "right", "both"]),
    where=st.sampled_from([None, "calf", "foot"]),
    minutes=st.one_of(st.none(), st.floats(0, 60).map(lambda v: round(v, 1))),
    pain=st.one_of(st.none(), st.integers(0, 10)),
    woke=st.booleans(),
    sleep=st.one_of(st.none(), st.integers(0, 10)),
    triggers=WORDS.map(tuple),
    helped=WORDS.map(tuple),
)


def reference(entries: list[Cramp], now: datetime, weeks: int) -> Stats:
    """The straightforward count, one entry at a time, in local time."""
    entries = sorted((c.checked() for c in entries), key=lambda c: c.at)  # as stored
    local = [c.at.astimezone() for c in entries]
    per_week = Counter(d.date() - timedelta(days=d.weekday()) for d in local)
    parts = Counter(part_of_day(d.hour) for d in local)
    today = now.astimezone().date()
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    minutes = [c.minutes for c in entries if c.minutes is not None]
    pains = [c.pain for c in entries if c.pain is not None]
    sleeps = [c.sleep for c in entries if c.sleep is not None]
    helped = Counter(h for c in entries for h in c.helped)
    month = timedelta(days=30)
    return Stats(
        total=len(entries),
        first=entries[0].at if entries else None,
        last=entries[-1].at if entries else None,
        weeks=[(s, per_week.get(s, 0)) for s in starts],
        time_of_day={p: parts.get(p, 0) for p in PART_NAMES},
        median_minutes=statistics.median(minutes) if minutes else None,
        longest_minutes=max(minutes) if minutes else None,
        median_pain=statistics.median(pains) if pains else None,
        worst_pain=max(pains) if pains else None,
        legs=dict(Counter(c.leg for c in entries if c.leg).most_common()),
        places=dict(Counter(c.where for c in entries if c.where).most_common()),
        woke=sum(c.woke for c in entries),
        mean_sleep=round(statistics.fmean(sleeps), 1) if sleeps else None,
        triggers=Counter(t for c in entries for t in c.triggers).most_common(),
        helped=[(h, n, n / len(entries)) for h, n in helped.most_common()],
        this_month=sum(1 for c in entries if now - month < c.at <= now),
        last_month=sum(1 for c in entries if now - 2 * month < c.at <= now - month),
    )


def same(got: Stats, want: Stats) -> None:
    """Equal, with ties in the most-common lists in any order."""
    for name in Stats.__dataclass_fields__:
        a, b = getattr(got, name), getattr(want, name)
        if name in ("triggers", "helped", "legs", "places"):
            a, b = (
                sorted(dict(a).items()) if name != "helped" else sorted(a),
                (sorted(dict(b).items()) if name != "helped" else sorted(b)),
            )
        assert a == b, name


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=st.lists(cramps, max_size=60), weeks=st.integers(1, 60))
def test_stats_equal_a_plain_count(
    zone: str, tmp_path: Path, entries: list[Cramp], weeks: int
) -> None:
    path = tmp_path / f"{zone.replace('/', '-')}-{len(entries)}-{weeks}.sqlite3"
    path.unlink(missing_ok=True)
    with Diary.open(path) as diary:
        diary.add_all(entries)
        rows = diary.stat_rows()
    same(compute(rows, NOW, weeks), reference(entries, NOW, weeks))


def test_window_bounds_are_after_since_up_to_until(tmp_path: Path) -> None:
    at = [NOW - timedelta(days=d) for d in (0, 3, 7, 10)]
    with Diary.open(tmp_path / "d.sqlite3") as diary:
        diary.add_all(Cramp(at=a) for a in at)
        rows = diary.stat_rows(since=NOW - timedelta(days=7), until=NOW - timedelta(days=1))
    assert [r[0] for r in rows] == [at[1].isoformat()]
