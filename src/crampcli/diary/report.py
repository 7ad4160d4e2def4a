"""The one-page doctor report: the last N weeks of the diary, as Markdown or as a self-contained
printable A4 page (inline style and SVG charts, no scripts, no links out). A GP reads a cramp
diary for how often, how long and how bad, when (night, sleep), and what the person takes and
tried; the warning signs come first. Every figure, warning signs included, is judged on the
report's own period. Pure: counts in, text out; the person's text is escaped for each format."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from crampcli import __version__
from crampcli.answers.check import check
from crampcli.answers.medicines import MedicineMatch, link_text, match_names
from crampcli.diary.model import Cramp
from crampcli.diary.stats import Stats, answers_from, medicine_names
from crampcli.output.safe import printable

if TYPE_CHECKING:
    from crampcli.diary.store import Counts
    from crampcli.knowledge.model import KnowledgeBase

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
# The knowledge base's link grades (see docs/knowledge-base.md), in words a patient can read;
# any other grade ("none": a known medicine not linked) as link_text says it everywhere.
LINK_WORDS = {
    "strong": "a well-known link to cramps",
    "weak": "a possible link to cramps (less certain)",
}
CARE_WORDS = {
    "emergency": "emergency care now",
    "urgent": "medical help today",
    "doctor": "see a doctor",
    "self-care": "self-care",
}
TABLE_ROWS = 60  # entries the page has room for; the rest are counted, not listed
CHART_H = 42
TABLES = 3  # the entries table, in side-by-side parts


@dataclass
class Flag:
    title: str
    care: str
    why: str
    noticed: datetime | None  # when the diary first showed it in the period


@dataclass
class Report:
    start: datetime
    end: datetime
    weeks: int
    stats: Stats
    flags: list[Flag]
    medicines: list[MedicineMatch]
    entries: list[Cramp]  # the latest TABLE_ROWS of the period, oldest first
    name: str | None
    made: datetime


Noticer = Callable[[int, bool, float], "datetime | None"]  # n-th entry (woke, minutes) -> when


def build(
    kb: KnowledgeBase,
    stats: Stats,
    counts: Counts,
    entries: list[Cramp],
    noticed: Noticer,
    weeks: int,
    name: str | None = None,
) -> Report:
    """``stats`` and ``counts``: the period's entries; ``noticed(n, woke, minutes)``: when the
    n-th entry of the period (that woke them, that lasted ``minutes``) happened."""
    from crampcli.answers.check import describe

    answers = answers_from(counts, weeks)
    names = medicine_names(counts)
    result = check(kb, answers)
    flags = [
        Flag(
            f.entry.title,
            f.care,
            "; ".join(describe(t, answers) for t in f.because),
            _noticed(f.because, weeks, noticed),
        )
        for f in result.red_flags
    ]
    return Report(
        start=stats.start,
        end=stats.end,
        weeks=weeks,
        stats=stats,
        flags=flags,
        medicines=match_names(kb, names) if names else [],
        entries=entries,
        name=name,
        made=stats.end,
    )


def _noticed(tokens: Sequence[str], weeks: int, noticed: Noticer) -> datetime | None:
    """When the period first reached a threshold: the entry that made the count, or the first
    cramp that long."""
    found = []
    for token in tokens:
        measure, _, number = token.partition(">=")
        if not number:
            continue
        threshold = float(number)
        if measure == "lasts-min":
            found.append(noticed(1, False, threshold))
        elif measure in ("per-week", "woke-per-week"):
            found.append(noticed(math.ceil(threshold * weeks), measure == "woke-per-week", 0))
    return min((f for f in found if f is not None), default=None)


# --- the content, once for both layouts ------------------------------------------------------


def _n(value: float | None, unit: str = "") -> str:
    return "not recorded" if value is None else f"{value:g}{unit}"


def _date(moment: datetime) -> str:
    return f"{moment.astimezone():%d %b %Y}"


def title(report: Report) -> str:
    return f"Leg cramp diary, {_date(report.start)} to {_date(report.end)}"


def made(report: Report) -> str:
    return f"Made by crampcli {__version__} on {report.made.astimezone():%d %b %Y %H:%M}."


def _cramps(n: int) -> str:
    return "1 cramp" if n == 1 else f"{n} cramps"


def often(r: Report) -> str:
    s = r.stats
    return f"{_cramps(s.total)} in {r.weeks} weeks ({s.per_week:.1f} a week on average)."


def severity(r: Report) -> list[str]:
    s = r.stats
    return [
        f"Duration: median {_n(s.median_minutes, ' min')}, "
        f"longest {_n(s.longest_minutes, ' min')}.",
        f"Pain (0-10): median {_n(s.median_pain)}, worst {_n(s.worst_pain)}.",
        f"Woken by a cramp: {s.woke} of {s.total} times; sleep disturbance (0-10): "
        f"average {_n(s.mean_sleep)}.",
    ]


def pattern(r: Report, text: Callable[[str], str]) -> list[str]:
    s = r.stats
    legs = ", ".join(f"{text(k)} {v}" for k, v in s.legs.items()) or "not recorded"
    places = ", ".join(f"{text(k)} {v}" for k, v in s.places.items()) or "not recorded"
    unsaid = f" ({s.unknown_time} with no time given)" if s.unknown_time else ""
    parts = ", ".join(f"{k} {v}" for k, v in s.time_of_day.items() if v) or "not recorded"
    return [f"Time of day: {parts}{unsaid}.", f"Leg: {legs}. Where: {places}."]


def warnings(r: Report) -> list[str]:
    if not r.flags:
        return ["None of the knowledge base's thresholds was crossed in this period."]
    return [
        f"{f.title}: {f.why} ({CARE_WORDS.get(f.care, f.care)}), "
        + (f"noticed {_date(f.noticed)}." if f.noticed else "in this period.")
        for f in r.flags
    ]


def medicines(r: Report, text: Callable[[str], str]) -> list[str]:
    lines = [_medicine(m, text) for m in r.medicines if m.entry is not None]
    unknown = [text(m.query) for m in r.medicines if m.entry is None]
    if unknown:
        lines.append(f"Not in crampcli's list of medicines linked to cramps: {', '.join(unknown)}.")
    if len(lines) > len(unknown[:1]):
        lines.append(MEDICINE_NOTE)
    return lines or ["None named."]


def _medicine(m: MedicineMatch, text: Callable[[str], str]) -> str:
    assert m.entry is not None
    matched = f"{m.brand} ({m.name})" if m.brand else (m.name or "")
    written = m.query.casefold()
    if written in ((m.name or "").casefold(), (m.brand or "").casefold()):
        shown = matched  # as written: no need to say it twice
    else:
        shown = f"{text(m.query)} (read as {matched})"
    words = LINK_WORDS.get(m.link) or link_text(m.link)
    return f"{shown}: {words}; {m.entry.title}."


def tried(r: Report, text: Callable[[str], str]) -> list[str]:
    s = r.stats
    helped = [f"{text(h)}: {_times(n)} ({share:.0%} of cramps)" for h, n, share in s.helped]
    triggers = ", ".join(f"{text(t)} {n}" for t, n in s.triggers)
    return [
        "Helped: " + ("; ".join(helped) + "." if helped else "nothing recorded."),
        f"Triggers noted: {triggers or 'none'}.",
    ]


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def day_format(r: Report) -> str:
    """Weekday and date; the year instead of the weekday when the period spans two years."""
    return "%a %d %b" if r.start.astimezone().year == r.end.astimezone().year else "%d %b %Y"


def cells(c: Cramp, day: str) -> tuple[str, ...]:
    """One row of the entries table: date, time, leg, where, minutes, pain, woke."""
    local = c.at.astimezone()
    return (
        local.strftime(day),
        f"{local:%H:%M}" if c.time_known else "-",
        printable(c.leg or ""),  # vocabulary words, escaped all the same: a file may hold any
        printable(c.where or ""),
        "" if c.minutes is None else f"{c.minutes:g}",
        "" if c.pain is None else str(c.pain),
        "yes" if c.woke else "",
    )


HEADS = ("Date", "Time", "Leg", "Where", "Min", "Pain", "Woke")


def left_out(r: Report) -> str:
    hidden = r.stats.total - len(r.entries)
    if hidden <= 0:
        return ""
    entries = "entry is" if hidden == 1 else "entries are"
    return f"The period's {hidden} earlier {entries} counted above, not listed."


# --- Markdown ----------------------------------------------------------------------------------


_MD_INLINE = frozenset("\\`*_[]<>#|~&!")  # emphasis, code, links, HTML, headings, tables


def md_text(text: str) -> str:
    """The person's text as Markdown that shows it as written: never a heading, list, link,
    emphasis, table cell, HTML or a control sequence. CommonMark lets any ASCII punctuation
    be escaped: the inline ones everywhere, and any at the start (a list or quote marker)."""
    safe = printable(" ".join(text.split()))
    out = "".join(f"\\{ch}" if ch in _MD_INLINE else ch for ch in safe)
    if out[:1].isascii() and out[:1] and not out[:1].isalnum() and out[0] != "\\":
        out = "\\" + out
    return out


def markdown(report: Report) -> str:
    t = md_text
    s = report.stats
    weekly = ", ".join(f"{d:%d %b}: {n}" for d, n in s.weeks)
    lines = [
        f"# {title(report)}",
        "",
        f"**Name:** {t(report.name) if report.name else '_' * 24}  ",
        f"**Date of birth:** {'_' * 16}",
        "",
        f"**{LABEL}** {made(report)}",
        "",
        "## Warning signs in this period",
        "",
        *(f"- {w}" for w in warnings(report)),
        "",
        "## How often",
        "",
        f"- {often(report)}",
        f"- Per week (week starting): {weekly}.",
        "",
        "## How long, how bad, when",
        "",
        *(f"- {x}" for x in (*severity(report), *pattern(report, t))),
        "",
        "## Medicines named in the diary",
        "",
        *(f"- {x}" for x in medicines(report, t)),
        "",
        "## What was tried",
        "",
        *(f"- {x}" for x in tried(report, t)),
        "",
        "## Entries",
        "",
    ]
    if report.entries:
        lines += ["| " + " | ".join(HEADS) + " |", "|" + "---|" * len(HEADS)]
        day = day_format(report)
        lines += ["| " + " | ".join(map(md_text, cells(c, day))) + " |" for c in report.entries]
        lines += [left_out(report)] if left_out(report) else []
    else:
        lines.append("No entries in this period.")
    lines += ["", "## Questions to ask", "", *(f"- {q}" for q in QUESTIONS), ""]
    lines.append("_Not medical advice._")
    return "\n".join(lines) + "\n"


# --- HTML --------------------------------------------------------------------------------------

STYLE = """@page{size:A4;margin:12mm}
*{box-sizing:border-box}
body{font:8.5pt/1.25 Georgia,serif;color:#000;margin:0 auto;max-width:186mm}
h1{font-size:13pt;margin:0 0 1mm}
h2{font-size:9.5pt;margin:2mm 0 .8mm;border-bottom:.3mm solid #888}
p,ul{margin:.5mm 0}ul{padding-left:4mm}
.who{display:flex;gap:8mm;margin:1mm 0}.who span{flex:1;border-bottom:.3mm solid #000}
.label{font-weight:bold;border:.5mm solid #000;padding:1mm 2mm;margin:1mm 0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:0 6mm}
.flag{font-weight:bold}
svg{display:block;margin:1mm 0}
.tables{display:flex;gap:3mm;align-items:flex-start}
table{border-collapse:collapse;font-size:7pt;flex:1}
th,td{border-bottom:.2mm solid #bbb;padding:0 .8mm;text-align:left;white-space:nowrap}
.small{font-size:7.5pt}"""


_LABEL = 'font-size="8" text-anchor="middle"'


LABEL_PX = 36  # room a date label needs: with more bars than that allows, every k-th is named
COUNT_PX = 12  # room a count above its bar needs


def _svg_bars(items: Sequence[tuple[str, int]], width: int, label: str) -> str:
    """A bar chart as inline SVG: one bar per item, labelled (every k-th when there are many),
    its count above it when there is room."""
    top = max((n for _, n in items), default=0) or 1
    slot = width / max(len(items), 1)
    bar_w = slot * 0.6
    every = math.ceil(LABEL_PX / slot)
    parts = [
        f'<svg width="{width}" height="{CHART_H + 24}" '
        f'viewBox="0 0 {width} {CHART_H + 24}" role="img" aria-label="{html.escape(label)}">'
    ]
    for i, (name, n) in enumerate(items):
        h = CHART_H * n / top
        x = i * slot + (slot - bar_w) / 2
        y = 10 + CHART_H - h
        centre = x + bar_w / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="#555"/>'
        )
        if slot >= COUNT_PX:
            parts.append(f'<text x="{centre:.1f}" y="{y - 1.5:.1f}" {_LABEL}>{n}</text>')
        if i % every == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{CHART_H + 21}" {_LABEL}>{html.escape(name)}</text>'
            )
    parts.append(
        f'<line x1="0" y1="{CHART_H + 10}" x2="{width}" y2="{CHART_H + 10}" stroke="#000"/>'
    )
    return "".join(parts) + "</svg>"


def _ul(items: Sequence[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _table(rows: Sequence[Cramp], day: str) -> str:
    head = "".join(f"<th>{h}</th>" for h in HEADS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells(r, day)) + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_text(text: str) -> str:
    """The person's text for HTML: controls and bidi overrides made visible, then escaped."""
    return html.escape(printable(text))


def page(report: Report) -> str:
    """A whole HTML page: one inline style sheet and inline SVG, no script, no image file,
    no link to anywhere."""
    e = html.escape
    t = html_text
    s = report.stats
    weekly = [(f"{d:%d %b}", n) for d, n in s.weeks]
    name = t(report.name) if report.name else "&nbsp;"
    rows = report.entries
    part = max(-(-len(rows) // TABLES), 12)  # a short diary: one table, not three stubs
    day = day_format(report)
    tables = "".join(_table(rows[i : i + part], day) for i in range(0, len(rows), part))
    body = [
        f"<h1>{e(title(report))}</h1>",
        f'<div class="who"><b>Name:</b><span>{name}</span>'
        "<b>Date of birth:</b><span>&nbsp;</span></div>",
        f'<p class="label">{e(LABEL)}</p>',
        f'<p class="small">{e(made(report))}</p>',
        "<h2>Warning signs in this period</h2>",
        _ul([e(w) for w in warnings(report)], "flag" if report.flags else ""),
        '<div class="grid"><div>',
        "<h2>How often</h2>",
        f"<p>{e(often(report))}</p>",
        _svg_bars(weekly, 320, "Cramps per week, by the Monday each week starts"),
        '<p class="small">Cramps per week (week starting).</p>',
        "</div><div>",
        "<h2>How long, how bad, when</h2>",
        _ul([e(x) for x in (*severity(report), *pattern(report, printable))]),
        _svg_bars(list(s.time_of_day.items()), 320, "Cramps by time of day"),
        "</div></div>",
        '<div class="grid"><div>',
        "<h2>Medicines named in the diary</h2>",
        _ul([e(x) for x in medicines(report, printable)]),
        "</div><div>",
        "<h2>What was tried</h2>",
        _ul([e(x) for x in tried(report, printable)]),
        "<h2>Questions to ask</h2>",
        _ul([e(q) for q in QUESTIONS], "small"),
        "</div></div>",
        "<h2>Entries</h2>",
        f'<div class="tables">{tables}</div>' if rows else "<p>No entries in this period.</p>",
        f'<p class="small">{e(left_out(report))}</p>' if left_out(report) else "",
        "<p><em>Not medical advice.</em></p>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">\n"
        f"<title>{e(title(report))}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        + "\n".join(b for b in body if b)
        + "\n</body>\n</html>\n"
    )


def window(now: datetime, weeks: int) -> tuple[datetime, datetime]:
    """The report's period: the ``weeks`` weeks up to now, as `check --from-diary` reads."""
    return now - timedelta(weeks=weeks), now
