"""The one-page doctor report: the last N weeks of the diary, as Markdown or as a
self-contained printable HTML page (inline style, no scripts, no links out). Pure: text out."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from crampcli import __version__
from crampcli.answers.check import check
from crampcli.answers.medicines import MedicineMatch, link_text, match_names
from crampcli.diary.model import Cramp
from crampcli.diary.stats import Stats, answers_from_diary, compute, recent
from crampcli.knowledge.model import KnowledgeBase

if TYPE_CHECKING:
    from crampcli.diary.store import StatRow

LABEL = "Self-reported by the patient in a symptom diary, not a diagnosis."
# Asked of the doctor, not told to them: no medical claim, so no source is needed. (The
# seeing-a-doctor guide lists what a doctor may ask the person: the other way round.)
QUESTIONS = (
    "What might be causing my cramps, and do I need any blood tests?",
    "Could any of the medicines I take play a part, and is there an alternative?",
    "Which stretches or other steps are worth trying, and for how long?",
    "Which changes should make me come back sooner?",
)
MEDICINE_NOTE = (
    "A doctor or pharmacist can say whether one of these plays a part; "
    "never stop or change a prescribed medicine on your own."
)


@dataclass
class Flag:
    id: str
    title: str
    care: str


@dataclass
class Report:
    start: datetime
    end: datetime
    weeks: int
    stats: Stats
    flags: list[Flag]
    medicines: list[MedicineMatch]
    questions: tuple[str, ...]
    made: datetime


def build(
    kb: KnowledgeBase,
    cramps: Sequence[Cramp],
    window: Sequence[StatRow],
    now: datetime,
    weeks: int = 4,
) -> Report:
    """``cramps``: the whole diary, oldest first; the report covers the last ``weeks``, whose
    entries ``window`` gives as ``Diary.stat_rows`` does."""
    result = check(kb, answers_from_diary(cramps, now))
    names = list(dict.fromkeys(m for c in recent(cramps, now, weeks) for m in c.medicines))
    return Report(
        start=now - timedelta(weeks=weeks),
        end=now,
        weeks=weeks,
        stats=compute(window, now, weeks + 1),  # the first calendar week is cut by the start
        flags=[Flag(f.entry.id, f.entry.title, f.care) for f in result.red_flags],
        medicines=match_names(kb, names) if names else [],
        questions=QUESTIONS,
        made=now,
    )


def _n(value: float | None, unit: str = "") -> str:
    return "not recorded" if value is None else f"{value:g}{unit}"


def sections(report: Report) -> list[tuple[str, list[str]]]:
    """The report as headed lists of plain sentences: both layouts are made from this."""
    s = report.stats
    per_week = s.total / report.weeks
    weekly = ", ".join(f"{d:%d %b}: {n}" for d, n in s.weeks)
    parts = ", ".join(f"{k} {v}" for k, v in s.time_of_day.items() if v) or "not recorded"
    legs = ", ".join(f"{k} {v}" for k, v in s.legs.items()) or "not recorded"
    places = ", ".join(f"{k} {v}" for k, v in s.places.items()) or "not recorded"
    out: list[tuple[str, list[str]]] = [
        (
            "How often",
            [
                f"{s.total} cramps in {report.weeks} weeks ({per_week:.1f} a week on average).",
                f"Per week, from Monday (the first in part): {weekly}.",
            ],
        ),
        (
            "How long and how bad",
            [
                f"Duration: median {_n(s.median_minutes, ' min')}, longest "
                f"{_n(s.longest_minutes, ' min')}.",
                f"Pain (0-10): median {_n(s.median_pain)}, worst {_n(s.worst_pain)}.",
            ],
        ),
        (
            "Sleep",
            [
                f"Woken by a cramp: {s.woke} of {s.total} times.",
                f"Sleep disturbance (0-10): average {_n(s.mean_sleep)}.",
            ],
        ),
        ("Pattern", [f"Time of day: {parts}.", f"Leg: {legs}.", f"Where: {places}."]),
    ]
    flags = [f"{f.title} ({f.care}; `crampcli show {f.id}`)." for f in report.flags]
    out.append(
        (
            "Warning signs the diary shows",
            flags or ["None of the knowledge base's thresholds was crossed."],
        )
    )
    meds = [_medicine(m) for m in report.medicines]
    if any(m.entry for m in report.medicines):
        meds.append(MEDICINE_NOTE)
    out.append(("Medicines named in the diary", meds or ["None named."]))
    tried = [f"{h}: helped {_times(n)} ({share:.0%} of cramps)." for h, n, share in s.helped]
    triggers = ", ".join(f"{t} {n}" for t, n in s.triggers)
    out.append(
        (
            "What was tried and what helped",
            [
                *(tried or ["Nothing recorded as helping."]),
                f"Triggers noted: {triggers or 'none'}.",
            ],
        )
    )
    out.append(("Questions to ask", list(report.questions)))
    return out


def _medicine(m: MedicineMatch) -> str:
    if m.entry is None:
        return f"{m.query}: not in crampcli's list of medicines linked to cramps."
    matched = f"{m.brand} ({m.name})" if m.brand else m.name
    written = m.query.casefold()
    if written in (m.name.casefold() if m.name else "", (m.brand or "").casefold()):
        shown = matched  # as written: no need to say it twice
    else:
        shown = f"{m.query} (read as {matched})"
    return f"{shown}: {link_text(m.link)} ({m.entry.title})."


def _title(report: Report) -> str:
    return (
        f"Leg cramp diary, {report.start.astimezone():%d %b %Y} to "
        f"{report.end.astimezone():%d %b %Y}"
    )


def _made(report: Report) -> str:
    return f"Made by crampcli {__version__} on {report.made.astimezone():%d %b %Y %H:%M}."


def markdown(report: Report) -> str:
    lines = [f"# {_title(report)}", "", f"**{LABEL}** {_made(report)}", ""]
    for heading, items in sections(report):
        lines += [f"## {heading}", "", *(f"- {_md_escape(i)}" for i in items), ""]
    lines.append("_Not medical advice._")
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    """Diary text is the person's: keep it from becoming Markdown links, images or HTML."""
    return text.replace("<", "&lt;").replace("[", "\\[").replace("]", "\\]")


_CODE = re.compile(r"`([^`]+)`")  # a command to type, as Markdown marks it
CODE_TAG = r"<code>\1</code>"
STYLE = """body{font:11pt/1.4 Georgia,serif;max-width:42em;margin:1.5em auto;color:#000}
h1{font-size:16pt;margin:0 0 .3em}h2{font-size:12pt;margin:1em 0 .2em;border-bottom:1px solid #999}
ul{margin:.2em 0;padding-left:1.2em}.label{font-weight:bold;border:2px solid #000;padding:.3em}
@media print{body{margin:0}@page{size:A4;margin:1.5cm}}"""


def page(report: Report) -> str:
    """A whole HTML page: one inline style sheet, no script, no image, no link to anywhere."""
    e = html.escape
    body = [
        f"<h1>{e(_title(report))}</h1>",
        f'<p class="label">{e(LABEL)}</p>',
        f"<p>{e(_made(report))}</p>",
    ]
    for heading, items in sections(report):
        body.append(f"<h2>{e(heading)}</h2>\n<ul>")
        body += [f"<li>{_CODE.sub(CODE_TAG, e(i))}</li>" for i in items]
        body.append("</ul>")
    body.append("<p><em>Not medical advice.</em></p>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">\n"
        f"<title>{e(_title(report))}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"
