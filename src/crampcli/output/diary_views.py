"""The diary as Documents (for people) and dicts (for --json). No I/O, no SQLite."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crampcli.answers.emergency import UNKNOWN, Numbers, care_text
from crampcli.output.document import Bars, Document, Line, Panel, Row, footer
from crampcli.output.safe import one_line

if TYPE_CHECKING:
    from crampcli.answers.check import Answers, RaisedFlag
    from crampcli.diary.model import Cramp
    from crampcli.diary.stats import Stats
    from crampcli.diary.store import Change
    from crampcli.diary.transfer import Imported

NO_ENTRIES = "No diary entries yet. Record one with: crampcli log --minutes 3 --pain 6"


def when(cramp: Cramp) -> str:
    return f"{cramp.at.astimezone():%a %d %b %Y %H:%M}"


def summary(cramp: Cramp) -> str:
    """One line: ``#3 Tue 02 Dec 2026 03:00, left calf, 3 min, pain 7/10, woke``."""
    parts = [when(cramp)]
    place = " ".join(p for p in (cramp.leg, cramp.where) if p)
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


def listing(cramps: list[Cramp]) -> Document:
    if not cramps:
        return Document().add(Line(NO_ENTRIES, "muted"))
    return Document().add(*(Line(summary(c)) for c in cramps))


def listing_dict(cramps: list[Cramp]) -> dict[str, Any]:
    return {"entries": [c.as_dict() for c in cramps]}


SHOWN_IDS = 5  # more than this, and undo names the count and the range: one line


def changed(change: Change) -> Document:
    ids = change.ids
    if len(ids) > SHOWN_IDS:
        shown = f"{len(ids):,} entries, #{ids[0]} to #{ids[-1]}"
    else:
        shown = ", ".join(f"#{i}" for i in ids)
    return Document().add(Line(f"Undid the last {change.action} ({shown})."))


def imported(done: Imported, source: str) -> Document:
    skipped = f"; {done.skipped} already in the diary" if done.skipped else ""
    return Document().add(Line(f"Imported {done.added} entries from {source}{skipped}."))


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value:g} min"


def stats(s: Stats) -> Document:
    if not s.total:
        return Document().add(Line(NO_ENTRIES, "muted"))
    doc = Document()
    first, last = s.first, s.last
    span = (
        f" ({first.astimezone():%d %b %Y} to {last.astimezone():%d %b %Y})"
        if first and last
        else ""
    )
    doc.add(Line(f"{s.total} cramps{span}", "heading"))
    weekly = tuple((f"{d:%d %b}", n) for d, n in s.weeks)
    doc.add(Bars("Per week (week starting)", weekly, spark=True))
    doc.add(Bars("Time of day", tuple(s.time_of_day.items())))
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
            f"{s.this_month}; the 30 days before: {s.last_month} ({_trend(s)})",
            label="Last 30 days",
        ),
    )
    return doc.add(Panel("Summary", "note", rows), footer())


def _trend(s: Stats) -> str:
    if s.this_month == s.last_month:
        return "the same"
    return "more" if s.this_month > s.last_month else "fewer"


def stats_dict(s: Stats) -> dict[str, Any]:
    return {
        "total": s.total,
        "first": s.first.isoformat() if s.first else None,
        "last": s.last.isoformat() if s.last else None,
        "weeks": [{"week": d.isoformat(), "count": n} for d, n in s.weeks],
        "time_of_day": s.time_of_day,
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
            "last_30_days": s.this_month,
            "previous_30_days": s.last_month,
            "direction": _trend(s),
        },
    }
