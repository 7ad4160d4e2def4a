"""`diary stats` counts a window in SQLite and C: the same numbers as a plain count over the
entries in it, in any time zone (the reference count lives here, not in the library)."""

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

from crampcli.diary import words
from crampcli.diary.model import Cramp
from crampcli.diary.stats import PART_NAMES, Stats, calendar_weeks, compute, middle, part_of_day
from crampcli.diary.store import Diary
from crampcli.knowledge import loading

NOW = datetime(2026, 12, 2, 18, 0, tzinfo=timezone.utc)
WORDS = st.lists(st.sampled_from(["heat", "exercise", "Wall Stretch", "walk"]), max_size=3)
KB = loading.load(loading.bundled_path())
HELPED, TRIGGERS = words.helped(KB), words.triggers(KB)


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
    time_known=st.booleans(),
)


def _by_name(vocabulary: words.Vocabulary, lists: list[tuple[str, ...]]) -> Counter[str]:
    return Counter(n for items in lists for n in dict.fromkeys(map(vocabulary.name, items)))


def reference(entries: list[Cramp], start: datetime, end: datetime) -> Stats:
    """The straightforward count of the entries from ``start`` to ``end``, one at a time,
    in local time."""
    stored = sorted((c.checked() for c in entries), key=lambda c: c.at)
    entries = [c for c in stored if start <= c.at.replace(microsecond=0) <= end]
    local = [c.at.astimezone() for c in entries]
    per_week = Counter(d.date() - timedelta(days=d.weekday()) for d in local)
    known = [d for d, c in zip(local, entries, strict=True) if c.time_known]
    parts = Counter(part_of_day(d.hour) for d in known)
    first = start.astimezone().date() - timedelta(days=start.astimezone().weekday())
    last = end.astimezone().date() - timedelta(days=end.astimezone().weekday())
    mondays = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    minutes = [c.minutes for c in entries if c.minutes is not None]
    pains = [c.pain for c in entries if c.pain is not None]
    sleeps = [c.sleep for c in entries if c.sleep is not None]
    helped = _by_name(HELPED, [c.helped for c in entries])
    split = middle(start, end)
    later = sum(1 for c in entries if c.at.replace(microsecond=0) > split)
    return Stats(
        start=start,
        end=end,
        total=len(entries),
        first=entries[0].at.replace(microsecond=0) if entries else None,
        last=entries[-1].at.replace(microsecond=0) if entries else None,
        weeks=[(m, per_week.get(m, 0)) for m in mondays],
        time_of_day={p: parts.get(p, 0) for p in PART_NAMES},
        unknown_time=sum(1 for c in entries if not c.time_known),
        median_minutes=statistics.median(minutes) if minutes else None,
        longest_minutes=max(minutes) if minutes else None,
        median_pain=statistics.median(pains) if pains else None,
        worst_pain=max(pains) if pains else None,
        legs=dict(Counter(c.leg for c in entries if c.leg).most_common()),
        places=dict(Counter(c.where for c in entries if c.where).most_common()),
        woke=sum(c.woke for c in entries),
        mean_sleep=round(statistics.fmean(sleeps), 1) if sleeps else None,
        triggers=_by_name(TRIGGERS, [c.triggers for c in entries]).most_common(),
        helped=[(h, n, n / len(entries)) for h, n in helped.most_common()],
        later=later,
        earlier=len(entries) - later,
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
    start = calendar_weeks(NOW, weeks)
    with Diary.open(path) as diary:
        diary.add_all(entries)
        counts = diary.counts(start, NOW, middle(start, NOW))
    same(compute(counts, start, NOW, HELPED, TRIGGERS), reference(entries, start, NOW))


def test_window_bounds_are_from_since_up_to_until(tmp_path: Path) -> None:
    at = [NOW - timedelta(days=d) for d in (0, 3, 7, 10)]
    start, end = NOW - timedelta(days=7), NOW - timedelta(days=1)
    with Diary.open(tmp_path / "d.sqlite3") as diary:
        diary.add_all(Cramp(at=a) for a in at)
        counts = diary.counts(start, end, middle(start, end))
    assert (counts.total, counts.first, counts.last) == (2, at[2].isoformat(), at[1].isoformat())
