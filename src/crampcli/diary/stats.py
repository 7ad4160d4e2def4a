"""What a diary says, in numbers: per week, time of day, duration, legs, sleep, triggers,
what helped, this month against the one before. Pure: entries in, a dataclass out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from crampcli.answers.check import Answers
from crampcli.diary.model import Cramp

# Hours (local) -> part of the day; a cramp that woke someone counts as night whatever the hour.
PARTS = (
    ("night", 0, 6),
    ("morning", 6, 12),
    ("afternoon", 12, 18),
    ("evening", 18, 22),
    ("night", 22, 24),
)
PART_NAMES = ("night", "morning", "afternoon", "evening")
MONTH = timedelta(days=30)
CHECK_WEEKS = 4


@dataclass
class Stats:
    total: int
    first: datetime | None
    last: datetime | None
    weeks: list[tuple[date, int]]  # Monday of each week, oldest first, and its count
    time_of_day: dict[str, int]
    median_minutes: float | None
    longest_minutes: float | None
    median_pain: float | None
    worst_pain: int | None
    legs: dict[str, int]
    places: dict[str, int]
    woke: int
    mean_sleep: float | None  # sleep disturbance 0-10, over the entries that gave it
    triggers: list[tuple[str, int]]  # most common first
    helped: list[tuple[str, int, float]]  # what helped, times, share of all entries
    this_month: int  # the last 30 days
    last_month: int  # the 30 days before


def part_of_day(hour: int) -> str:
    return next(name for name, start, end in PARTS if start <= hour < end)


def compute(cramps: Sequence[Cramp], now: datetime, weeks: int = 8) -> Stats:
    """``cramps`` oldest first (as ``Diary.entries`` returns them). One pass: 10,000 entries
    take a few tens of milliseconds."""
    import statistics  # not for `log`: it pulls in fractions, decimal and random

    minutes: list[float] = []
    pains: list[int] = []
    sleeps: list[int] = []
    per_week: Counter[date] = Counter()
    hours: Counter[int] = Counter()
    legs: Counter[str] = Counter()
    places: Counter[str] = Counter()
    triggers: Counter[str] = Counter()
    helped: Counter[str] = Counter()
    woke = this_month = last_month = 0
    month_ago, two_months_ago = now - MONTH, now - 2 * MONTH
    for c in cramps:
        local = c.at.astimezone()
        day = local.date()
        per_week[day - timedelta(days=day.weekday())] += 1
        hours[local.hour] += 1
        if c.minutes is not None:
            minutes.append(c.minutes)
        if c.pain is not None:
            pains.append(c.pain)
        if c.sleep is not None:
            sleeps.append(c.sleep)
        if c.leg:
            legs[c.leg] += 1
        if c.where:
            places[c.where] += 1
        triggers.update(c.triggers)
        helped.update(c.helped)
        woke += c.woke
        if month_ago < c.at <= now:
            this_month += 1
        elif two_months_ago < c.at <= month_ago:
            last_month += 1
    today = now.astimezone().date()
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    parts = Counter[str]()
    for hour, n in hours.items():
        parts[part_of_day(hour)] += n
    return Stats(
        total=len(cramps),
        first=cramps[0].at if cramps else None,
        last=cramps[-1].at if cramps else None,
        weeks=[(s, per_week.get(s, 0)) for s in starts],
        time_of_day={p: parts.get(p, 0) for p in PART_NAMES},
        median_minutes=statistics.median(minutes) if minutes else None,
        longest_minutes=max(minutes) if minutes else None,
        median_pain=statistics.median(pains) if pains else None,
        worst_pain=max(pains) if pains else None,
        legs=dict(legs.most_common()),
        places=dict(places.most_common()),
        woke=woke,
        mean_sleep=round(statistics.fmean(sleeps), 1) if sleeps else None,
        triggers=triggers.most_common(),
        helped=[(h, n, n / len(cramps)) for h, n in helped.most_common()],
        this_month=this_month,
        last_month=last_month,
    )


def recent(cramps: Sequence[Cramp], now: datetime, weeks: int = CHECK_WEEKS) -> list[Cramp]:
    start = now - timedelta(weeks=weeks)
    return [c for c in cramps if start < c.at <= now]


def answers_from_diary(
    cramps: Sequence[Cramp], now: datetime, latest: Cramp | None = None
) -> Answers:
    """What the checker needs, from the last four weeks: cramps per week, how long one lasts
    (``latest``'s minutes, or the longest), and "at night" when it (or most of them) woke them."""
    window = recent(cramps, now)
    if latest is not None:
        lasts, night, place = latest.minutes, latest.woke, latest.where
    else:
        lasts = max((c.minutes for c in window if c.minutes is not None), default=None)
        night = bool(window) and 2 * sum(1 for c in window if c.woke) >= len(window)
        common = Counter(c.where for c in window if c.where).most_common(1)
        place = common[0][0] if common else None
    return Answers(
        where=place if place in ("calf", "foot", "thigh") else None,
        when="night" if night else None,
        lasts_min=lasts,
        per_week=round(len(window) / CHECK_WEEKS, 2) if window else None,
    )
