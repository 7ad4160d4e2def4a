"""What a diary says over a window of time, in numbers: per week, time of day, duration, legs,
sleep, triggers, what helped, the window's later half against its earlier one. Every figure
covers the same window. SQLite counts (``Diary.counts``); this module only names and orders
the counts. Pure: counts in, a dataclass out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from crampcli.answers.check import Answers
from crampcli.diary.times import mondays

if TYPE_CHECKING:
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import Counts
    from crampcli.diary.words import Vocabulary

# Hours (local) -> part of the day.
PARTS = (
    ("night", 0, 6),
    ("morning", 6, 12),
    ("afternoon", 12, 18),
    ("evening", 18, 22),
    ("night", 22, 24),
)
PART_NAMES = ("night", "morning", "afternoon", "evening")
CHECK_WEEKS = 4  # what `log` and `check --from-diary` judge warning signs on
WEEK = timedelta(weeks=1)


@dataclass
class Stats:
    start: datetime  # the window: from start up to end
    end: datetime
    total: int
    first: datetime | None
    last: datetime | None
    weeks: list[tuple[date, int]]  # Monday of each week in the window, oldest first; its count
    time_of_day: dict[str, int]  # entries with a known time only
    unknown_time: int  # entries logged with a day but no time
    median_minutes: float | None
    longest_minutes: float | None
    median_pain: float | None
    worst_pain: int | None
    legs: dict[str, int]
    places: dict[str, int]
    woke: int
    mean_sleep: float | None  # sleep disturbance 0-10, over the entries that gave it
    triggers: list[tuple[str, int]]  # by matched name, most common first
    helped: list[tuple[str, int, float]]  # by matched name: times, share of all entries
    later: int  # the later half of the window
    earlier: int  # the earlier half

    @property
    def half_days(self) -> int:
        return round((self.end - self.start) / timedelta(days=2))

    @property
    def per_week(self) -> float:
        return self.total / max((self.end - self.start) / WEEK, 1 / 7)


def part_of_day(hour: int) -> str:
    return next(name for name, start, end in PARTS if start <= hour < end)


def calendar_weeks(now: datetime, weeks: int) -> datetime:
    """The start of a ``weeks``-week chart ending now: this week's Monday, ``weeks - 1``
    weeks back, at local midnight."""
    from crampcli.diary.times import start_of

    today = now.astimezone().date()
    return start_of(today - timedelta(days=today.weekday(), weeks=weeks - 1))


def middle(start: datetime, end: datetime) -> datetime:
    return start + (end - start) / 2


def compute(
    counts: Counts,
    start: datetime,
    end: datetime,
    helped: Vocabulary,
    triggers: Vocabulary,
) -> Stats:
    """``counts``: the entries from ``start`` up to ``end``, split at ``middle``."""
    parts = dict.fromkeys(PART_NAMES, 0)
    for hour, n in counts.hours.items():
        parts[part_of_day(hour)] += n
    median_minutes, longest = counts.minutes
    median_pain, worst = counts.pain
    total = counts.total
    return Stats(
        start=start,
        end=end,
        total=total,
        first=datetime.fromisoformat(counts.first) if counts.first else None,
        last=datetime.fromisoformat(counts.last) if counts.last else None,
        weeks=[(m, counts.weeks.get(m.isoformat(), 0)) for m in mondays(start, end)],
        time_of_day=parts,
        unknown_time=counts.unknown_time,
        median_minutes=median_minutes,
        longest_minutes=longest,
        median_pain=median_pain,
        worst_pain=worst,
        legs=counts.legs,
        places=counts.places,
        woke=counts.woke,
        mean_sleep=round(counts.sleep_sum / counts.sleep_n, 1) if counts.sleep_n else None,
        triggers=triggers.count(counts.triggers),
        helped=[(h, n, n / total) for h, n in helped.count(counts.helped)],
        later=counts.later,
        earlier=total - counts.later,
    )


def answers_from(counts: Counts, weeks: float, latest: Cramp | None = None) -> Answers:
    """What the checker needs from ``weeks`` weeks of counts: cramps and wakings per week,
    how long one lasts (``latest``'s minutes, or the longest), "at night" when it (or most of
    them) woke them, and where it is most often. The one reading `log`, `check --from-diary`
    and `report` share, so that they agree."""
    total = counts.total
    if latest is not None:
        lasts, night, place = latest.minutes, latest.woke, latest.where
    else:
        lasts = counts.minutes[1]
        night = bool(total) and 2 * counts.woke >= total
        place = next(iter(counts.places), None)  # most common first
    return Answers(
        where=place if place in ("calf", "foot", "thigh") else None,
        when="night" if night else None,
        lasts_min=lasts,
        per_week=round(total / weeks, 2) if total else None,
        woke_per_week=round(counts.woke / weeks, 2) if total else None,
    )


def medicine_names(counts: Counts) -> list[str]:
    """Every medicine the window's entries name, in the order first seen (most often first)."""
    from crampcli.diary.model import SEPARATOR

    return list(dict.fromkeys(m for joined in counts.medicines for m in joined.split(SEPARATOR)))
