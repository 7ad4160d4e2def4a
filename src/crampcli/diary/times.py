"""``--at``, ``--since`` and ``--until`` as people write them: "now", ISO 8601, "2h ago",
"yesterday 22:30", "last night 3am", "today 7am", "monday 23:00". Local time; pure."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from crampcli.diary.model import InvalidValue

EARLIEST = datetime(1900, 1, 1).astimezone()
SLACK = timedelta(minutes=2)  # clocks differ a little: "now" from another machine is not future

_AGO = re.compile(
    r"^(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)\s+ago$"
)
_UNIT = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$")
_DAY = re.compile(
    r"^(today|yesterday|last night|tonight|this morning|this evening|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:\s+(?:at\s+)?(.+))?$"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HINT = 'e.g. "now", "2h ago", "yesterday 22:30", "last night 3am" or 2026-03-01T03:00'


def parse(text: str, now: datetime, option: str = "at", future_ok: bool = False) -> datetime:
    """The moment ``text`` names, as an aware local datetime; InvalidValue if it names none,
    or names a time after ``now`` (unless ``future_ok``). ``now`` must be aware."""
    phrase = " ".join(text.strip().lower().split())
    moment = _phrase(phrase, now) if phrase else None
    if moment is None:
        raise InvalidValue(option, f"{text!r} is not a time I can read; {HINT}")
    if moment < EARLIEST:
        raise InvalidValue(option, f"{text!r} is before 1900")
    if not future_ok and moment > now + SLACK:
        raise InvalidValue(option, f"{text!r} is in the future ({moment:%Y-%m-%d %H:%M})")
    return moment


def _phrase(phrase: str, now: datetime) -> datetime | None:
    if phrase == "now":
        return now
    ago = _AGO.match(phrase)
    if ago:
        unit = _UNIT[ago.group(2)[0]]
        return now - timedelta(**{unit: float(ago.group(1))})
    day = _DAY.match(phrase)
    if day:
        return _on_day(day.group(1), day.group(2), now)
    clock = _clock(phrase)
    if clock is not None:  # a bare time: today
        return _at(now.date(), clock, now)
    return _iso(phrase, now)


def _on_day(word: str, clock_text: str | None, now: datetime) -> datetime | None:
    clock = _clock(clock_text) if clock_text else time(3) if "night" in word else None
    if clock is None:
        if clock_text or word in ("last night", "tonight"):
            return None
        clock = time(12) if word != "today" else now.time()  # a day alone: its middle
    today = now.date()
    if word in ("today", "this morning", "this evening", "tonight"):
        return _at(today, clock, now)
    if word == "yesterday":
        return _at(today - timedelta(days=1), clock, now)
    if word == "last night":  # 11pm is yesterday evening; 3am is this morning, if already past
        evening = clock.hour >= 12
        moment = _at(today - timedelta(days=1) if evening else today, clock, now)
        return moment if evening or moment <= now else moment - timedelta(days=1)
    back = (today.weekday() - _WEEKDAYS.index(word)) % 7 or 7  # "monday": the last one
    return _at(today - timedelta(days=back), clock, now)


def _clock(text: str) -> time | None:
    match = _CLOCK.match(text.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    half = match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _at(day: date, clock: time, now: datetime) -> datetime:
    return datetime.combine(day, clock).astimezone(now.tzinfo)


def _iso(text: str, now: datetime) -> datetime | None:
    candidate = text.upper().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(candidate), time(0))
        except ValueError:
            return None
    if moment.tzinfo is None:
        return moment.astimezone()  # local time, as a person means it
    return moment
