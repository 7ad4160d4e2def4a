"""``--at``, ``--since`` and ``--until`` as people write them: "now", ISO 8601, "2h ago",
"yesterday 22:30", "last night 3am", "last monday 2am", "28 Nov", "9 days ago 22:00", "22:00".
Local time, clock changes included; pure.

A day said without a time ("yesterday", "28 Nov", 2026-11-28) is a day, not a moment: the
result says the time is unknown, and no hour is invented for it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from crampcli.diary.model import InvalidValue

EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)  # not local: imported under any TZ
SLACK = timedelta(minutes=2)  # clocks differ a little: "now" from another machine is not future
NOON = time(12)  # where a day without a time is kept: its date is the same in any time zone

_UNIT = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_AGO = re.compile(
    r"^(\d{1,6}(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)\s+ago"
    r"(?:\s+(?:at\s+)?(.+))?$"
)
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY = re.compile(
    r"^(today|yesterday|last night|tonight|this morning|this evening|"
    rf"(?:last\s+)?(?:{'|'.join(_WEEKDAYS)}))"
    r"(?:\s+(?:at\s+)?(.+))?$"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(?P<m>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_NTH = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_THEN = r"(?:,?\s+(?:at\s+)?(?P<t>.+))?$"  # a time after the date, or none
_DATE_WORDS = (  # "28 Nov", "28th november 2026", "Nov 28", "nov 28, 2026", each with a time
    re.compile(rf"^{_NTH}\s+{_MONTH}(?:\s+(?P<y>\d{{4}}))?{_THEN}"),
    re.compile(rf"^{_MONTH}\s+{_NTH}(?:,?\s+(?P<y>\d{{4}}))?{_THEN}"),
)
HINT = 'e.g. "now", "2h ago", "last night 3am", "28 Nov 22:00" or 2026-03-01T03:00'


@dataclass
class When:
    """A moment read from a phrase; ``time_known`` is False for a day said without a time
    (then ``moment`` is that day's noon, or now if that is later)."""

    moment: datetime
    time_known: bool = True


def read(text: str, now: datetime, option: str = "at", future_ok: bool = False) -> When:
    """What ``text`` names, in local time; InvalidValue if it names nothing, a local time the
    clocks skip, or a time after ``now`` (unless ``future_ok``). ``now`` must be aware."""
    phrase = " ".join(text.strip().lower().split())
    try:
        found = _phrase(phrase, now, future_ok) if phrase else None
    except _Skipped as gap:
        raise InvalidValue(
            option,
            f"{text!r}: {gap.wall:%Y-%m-%d %H:%M} does not exist here (the clocks went "
            f"forward); say {gap.before:%H:%M} or {gap.after:%H:%M}",
        ) from None
    except (ValueError, OverflowError):  # a day or year out of range: not a time we can read
        found = None
    if found is None:
        raise InvalidValue(option, f"{text!r} is not a time I can read; {HINT}")
    if found.moment < EARLIEST:
        raise InvalidValue(option, f"{text!r} is before 1900")
    if not future_ok and found.moment > now + SLACK:
        raise InvalidValue(option, f"{text!r} is in the future ({found.moment:%Y-%m-%d %H:%M})")
    return found


def parse(text: str, now: datetime, option: str = "at", future_ok: bool = False) -> datetime:
    """The moment ``text`` names (a day alone: its noon); see ``read``."""
    return read(text, now, option, future_ok).moment


def bound(text: str, now: datetime, option: str, end: bool = False) -> datetime:
    """``--since``/``--until``: a day alone starts at its midnight, or ends at the next."""
    found = read(text, now, option, future_ok=end)
    if found.time_known:
        return found.moment
    try:
        return start_of(found.moment.astimezone().date() + timedelta(days=1 if end else 0))
    except OverflowError:  # the day after 9999-12-31: its last moment will do
        return found.moment.replace(hour=23, minute=59, second=59)


def start_of(day: date) -> datetime:
    """The first moment of ``day`` on the local clocks (where the clocks skip midnight, as in
    some zones that change at 00:00, the moment they jump to)."""
    try:
        return local(day, time(0))
    except _Skipped as gap:
        return local(gap.after.date(), gap.after.time())


def mondays(start: datetime, end: datetime) -> list[date]:
    """The local Mondays of the weeks from ``start`` to ``end``, oldest first."""
    first, last = (m.astimezone().date() for m in (start, end))
    first -= timedelta(days=first.weekday())
    return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


class _Skipped(Exception):
    """A wall-clock time the local clocks jump over (spring forward)."""

    def __init__(self, wall: datetime, before: datetime, after: datetime) -> None:
        super().__init__(wall)
        self.wall, self.before, self.after = wall, before, after


def local(day: date, clock: time) -> datetime:
    """``day`` at ``clock`` on the local clocks, as an aware datetime; _Skipped when the clocks
    jump over it. In a repeated hour (autumn) it is the first of the two."""
    wall = datetime.combine(day, clock)
    moment = wall.astimezone()
    if moment.replace(tzinfo=None) != wall:
        offset_before = (wall - timedelta(hours=3)).astimezone().utcoffset()
        offset_after = (wall + timedelta(hours=3)).astimezone().utcoffset()
        jump = (offset_after or timedelta()) - (offset_before or timedelta())
        raise _Skipped(wall, wall - jump, wall + jump)
    return moment


def _phrase(phrase: str, now: datetime, future_ok: bool) -> When | None:
    if phrase == "now":
        return When(now)
    ago = _AGO.match(phrase)
    if ago:
        unit = _UNIT[ago.group(2)[0]]
        back = timedelta(**{unit: float(ago.group(1))})
        if ago.group(3) is None:
            return When(now - back)
        if unit in ("minutes", "hours"):
            return None  # "2h ago 22:00" names two times
        return _day_at((now - back).astimezone().date(), ago.group(3), now)
    day = _DAY.match(phrase)
    if day:
        return _on_day(day.group(1), day.group(2), now)
    for pattern in _DATE_WORDS:
        words = pattern.match(phrase)
        if words:
            return _dated(words, now, future_ok)
    clock = _clock(phrase)
    if clock is not None:  # a bare time: the last one, unless a future one is wanted
        today = now.astimezone().date()
        moment = local(today, clock)
        if moment > now + SLACK and not future_ok:
            moment = local(today - timedelta(days=1), clock)
        return When(moment)
    return _iso(phrase, now)


def _day_at(day: date, clock_text: str | None, now: datetime) -> When | None:
    """``day`` at the time ``clock_text`` says; a day alone when there is none."""
    if clock_text is None:
        return _day(day, now)
    clock = _clock(clock_text)
    return When(local(day, clock)) if clock is not None else None


def _day(day: date, now: datetime) -> When:
    """A day without a time: kept at its noon, or now when today's noon is still to come."""
    noon = local(day, NOON)
    return When(min(noon, now) if day <= now.astimezone().date() else noon, time_known=False)


def _on_day(word: str, clock_text: str | None, now: datetime) -> When | None:
    today = now.astimezone().date()
    yesterday = today - timedelta(days=1)
    if word == "last night":  # 11pm is yesterday evening; 3am is this morning if already past
        clock = _clock(clock_text) if clock_text else time(3)
        if clock is None:
            return None
        if clock.hour >= 12:
            return When(local(yesterday, clock))
        moment = local(today, clock)
        return When(moment if moment <= now else local(yesterday, clock))
    if clock_text is None and word in ("today", "tonight"):
        return When(now) if word == "today" else None
    if word == "yesterday":
        day = yesterday
    elif word in ("today", "tonight", "this morning", "this evening"):
        day = today
    else:  # "monday", "last monday": the last one before today
        back = (today.weekday() - _WEEKDAYS.index(word.split()[-1])) % 7 or 7
        day = today - timedelta(days=back)
    return _day_at(day, clock_text, now)


def _dated(words: re.Match[str], now: datetime, future_ok: bool) -> When | None:
    month, day_number = _MONTHS.index(words["m"]) + 1, int(words["d"])
    today = now.astimezone().date()
    if words["y"]:
        day = date(int(words["y"]), month, day_number)
    else:  # "28 Nov": the last one, or the coming one when a future time is wanted
        day = date(today.year, month, day_number)
        if day > today and not future_ok:
            day = date(today.year - 1, month, day_number)
    return _day_at(day, words["t"], now)


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


def _iso(text: str, now: datetime) -> When | None:
    try:  # a date alone first: datetime.fromisoformat would read it as its midnight
        return _day(date.fromisoformat(text), now)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:  # local time, as a person means it
        return When(local(moment.date(), moment.time()))
    return When(moment)
