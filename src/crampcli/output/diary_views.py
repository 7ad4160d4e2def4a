"""The diary as Documents (for people) and dicts (for --json). No I/O, no SQLite."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crampcli.answers.emergency import UNKNOWN, Numbers, care_text
from crampcli.output.document import Bars, Document, Line, Panel, Row, Table, footer
from crampcli.output.safe import one_line

if TYPE_CHECKING:
    from crampcli.answers.check import Answers, RaisedFlag
    from crampcli.diary.model import Cramp
    from crampcli.diary.stats import Stats
    from crampcli.diary.store import Change
    from crampcli.diary.transfer import Imported

NO_ENTRIES = "No diary entries yet. Record one with: crampcli log --minutes 3 --pain 6"
NONE_IN_WINDOW = "No diary entries in this period."


def when(cramp: Cramp) -> str:
    """``Tue 02 Dec 2026 03:00``; the day alone when no time was given."""
    local = cramp.at.astimezone()
    return (
        f"{local:%a %d %b %Y %H:%M}" if cramp.time_known else f"{local:%a %d %b %Y}, time not said"
    )


def plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def summary(cramp: Cramp) -> str:
    """One line: ``#3 Tue 02 Dec 2026 03:00, left calf, 3 min, pain 7/10, woke``."""
    parts = [when(cramp)]
    place = one_line(" ".join(p for p in (cramp.leg, cramp.where) if p))
    if place:
        parts.append(place)
    if cramp.minutes is not None:
        parts.append(f"{cramp.minutes:g} min")
    if cramp.pain is not None:
        parts.append(f"pain {cramp.pain}/10")
    if cramp.woke:
        parts.append("woke")
    if cramp.sleep is not None:
        parts.append(f"sleep disturbed {cramp.sleep}/10")
    for label, items in (
        ("trigger", cramp.triggers),
        ("helped", cramp.helped),
        ("medicine", cramp.medicines),
    ):
        if items:
            parts.append(f"{label}: {', '.join(map(one_line, items))}")
    if cramp.note:
        parts.append(f'"{one_line(cramp.note)}"')
    return f"#{cramp.id} " + ", ".join(parts)


def threshold_line(flag: RaisedFlag, answers: Answers, where: Numbers = UNKNOWN) -> Line:
    """``SEE A DOCTOR: .... Your diary shows cramps 3.5 times a week (3 or more). Read: ...``,
    or, for a medicine: ``Your diary names a medicine that may be linked to cramps: ...``."""
    from crampcli.answers.check import describe

    if flag.entry.kind == "medicine":
        shown = f"names a medicine that may be linked to cramps: {flag.entry.title}"
    else:
        shown = "shows " + "; ".join(describe(t, answers) for t in flag.because)
    return Line(
        f"{care_text(flag.care, where)}. Your diary {shown}. Read: crampcli show {flag.entry.id}",
        "warning",
    )


def logged(
    cramp: Cramp, alert: tuple[RaisedFlag, Answers] | None, where: Numbers = UNKNOWN
) -> Document:
    doc = Document().add(Line(f"Logged {summary(cramp)}"))
    if alert is not None:
        doc.add(threshold_line(*alert, where))
    return doc.add(footer())


def logged_dict(cramp: Cramp, alert: tuple[RaisedFlag, Answers] | None) -> dict[str, Any]:
    flag = alert[0] if alert else None
    threshold = None
    if flag is not None:
        threshold = {
            "id": flag.entry.id,
            "kind": flag.entry.kind,
            "title": flag.entry.title,
            "care": flag.care,
            "because": list(flag.because),
        }
    return {"cramp": cramp.as_dict(), "threshold": threshold}


COLUMNS = ("#", "When", "Leg", "Where", "Min", "Pain", "Woke", "Helped", "Note")


def listing(cramps: list[Cramp], empty: str = NO_ENTRIES) -> Document:
    """A table on a terminal; one line per entry in a pipe."""
    if not cramps:  # a message, not data: on stderr when stdout is not a terminal
        return Document().add(Line(empty, "muted", message=True))
    rows = tuple(_cells(c) for c in cramps)
    lines = tuple(summary(c) for c in cramps)
    return Document().add(Table(COLUMNS, rows, lines, wrap=("Helped", "Note")))


def _cells(c: Cramp) -> tuple[str, ...]:
    local = c.at.astimezone()
    return (
        str(c.id),
        f"{local:%a %d %b %H:%M}" if c.time_known else f"{local:%a %d %b} -",
        one_line(c.leg or ""),  # vocabulary words, escaped all the same: a file may hold any
        one_line(c.where or ""),
        "" if c.minutes is None else f"{c.minutes:g}",
        "" if c.pain is None else str(c.pain),
        "yes" if c.woke else "",
        one_line(", ".join(c.helped)),
        one_line(c.note),
    )


def listing_dict(cramps: list[Cramp]) -> dict[str, Any]:
    return {"entries": [c.as_dict() for c in cramps]}


SHOWN_IDS = 5  # more than this, and undo names the count and the range: one line


def change_words(change: Change) -> str:
    """``the last edit (#3)``, or ``the last import (5,000 entries, #1 to #5000)``."""
    ids = change.ids
    if len(ids) > SHOWN_IDS:
        shown = f"{len(ids):,} entries, #{ids[0]} to #{ids[-1]}"
    else:
        shown = ", ".join(f"#{i}" for i in ids)
    return f"the last {change.action} ({shown})"


def changed(change: Change) -> Document:
    return Document().add(Line(f"Undid {change_words(change)}."))


def imported(done: Imported, source: str) -> Document:
    skipped = f"; {done.skipped} already in the diary, identical" if done.skipped else ""
    entries = "entry" if done.added == 1 else "entries"
    return Document().add(Line(f"Imported {done.added} {entries} from {source}{skipped}."))


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value:g} min"


def period(s: Stats) -> str:
    return f"{s.start.astimezone():%d %b %Y} to {s.end.astimezone():%d %b %Y}"


def stats(s: Stats) -> Document:
    if not s.total:
        return Document().add(Line(f"{NONE_IN_WINDOW} ({period(s)})", "muted"))
    doc = Document()
    doc.add(Line(f"{plural(s.total, 'cramp')}, {period(s)}", "strong"))
    weekly = tuple((f"{d:%d %b}", n) for d, n in s.weeks)
    doc.add(Bars("Per week (week starting)", weekly, spark=True))
    unsaid = plural(s.unknown_time, "entry", "entries")
    unsaid = f" ({unsaid} with no time left out)" if s.unknown_time else ""
    doc.add(Bars(f"Time of day{unsaid}", tuple(s.time_of_day.items())))
    pain = "-" if s.median_pain is None else f"median {s.median_pain:g}/10, worst {s.worst_pain}/10"
    sleep = "" if s.mean_sleep is None else f"; sleep disturbance {s.mean_sleep:g}/10 on average"
    rows = (
        Row(
            f"median {_minutes(s.median_minutes)}, longest {_minutes(s.longest_minutes)}",
            label="Duration",
        ),
        Row(pain, label="Pain"),
        Row(", ".join(f"{k} {v}" for k, v in s.legs.items()) or "-", label="Leg"),
        Row(f"{s.woke} of {s.total}{sleep}", label="Woke you"),
        Row(", ".join(f"{t} {n}" for t, n in s.triggers) or "-", label="Triggers"),
        Row(
            ", ".join(f"{h} {n} ({share:.0%})" for h, n, share in s.helped) or "-",
            label="What helped",
        ),
        Row(
            f"{s.later}; the {s.half_days} days before: {s.earlier} ({_trend(s)})",
            label=f"Last {s.half_days} days",
        ),
    )
    return doc.add(Panel("Summary", "note", rows), footer())


def _trend(s: Stats) -> str:
    if s.later == s.earlier:
        return "the same"
    return "more" if s.later > s.earlier else "fewer"


def stats_dict(s: Stats) -> dict[str, Any]:
    return {
        "since": s.start.isoformat(),
        "until": s.end.isoformat(),
        "total": s.total,
        "first": s.first.isoformat() if s.first else None,
        "last": s.last.isoformat() if s.last else None,
        "weeks": [{"week": d.isoformat(), "count": n} for d, n in s.weeks],
        "time_of_day": s.time_of_day,
        "time_not_given": s.unknown_time,
        "median_minutes": s.median_minutes,
        "longest_minutes": s.longest_minutes,
        "median_pain": s.median_pain,
        "worst_pain": s.worst_pain,
        # counts, named apart from a diary entry's own keys (leg, where, woke, triggers, helped)
        "legs": s.legs,
        "places": s.places,
        "woke_count": s.woke,
        "mean_sleep": s.mean_sleep,
        "trigger_counts": [{"trigger": t, "count": n} for t, n in s.triggers],
        "helped_counts": [
            {"what": h, "count": n, "share": round(share, 3)} for h, n, share in s.helped
        ],
        "trend": {
            "days": s.half_days,
            "recent": s.later,
            "before": s.earlier,
            "direction": _trend(s),
        },
    }
