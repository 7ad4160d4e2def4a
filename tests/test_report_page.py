"""Issue 22, the doctor's page, and issue 20 items 8 and 15 for the report, through the
installed command: what a GP reads (patient lines, warning signs with dates, charts, medicines
in plain words, a table of entries, no commands), judged on the report's own period, the
person's text escaped, one A4 page for a typical four weeks (a layout budget without a
browser, and a real headless Chromium printing it), rendered on a terminal."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import tempfile
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pexpect
import pytest

from conftest import NEED_SHARED_ENV
from test_diary import CRAMPCLI, cc, ok
from test_diary_terminal import spawn

pytestmark = pytest.mark.skipif(not CRAMPCLI.exists(), reason="crampcli is not installed")

MEDICINES = [
    "atorvastatin",
    "Lipitor",
    "amlodipine",
    "furosemide",
    "metformin",
    "omeprazole",
    "salbutamol",
    "levothyroxine",
]
HELPED = [
    "wall stretch",
    "grab toes",
    "massage",
    "walk it off",
    "heat pack",
    "magnesium",
    "water",
    "foot soak",
    "rest",
    "cold floor",
]


def typical_month(home: Path, tmp_path: Path, count: int = 60) -> None:
    """Four weeks as the issue sizes them: 60 entries, 8 medicines, 10 words for what helped,
    every field given, imported in one go."""
    rng = random.Random(4)
    now = datetime.now(timezone.utc)
    rows = [
        {
            "at": (now - timedelta(days=27.5 * (count - i) / count, hours=rng.random())).isoformat(
                timespec="seconds"
            ),
            "leg": rng.choice(["left", "right", "both"]),
            "where": rng.choice(["calf", "foot", "thigh"]),
            "minutes": rng.choice([1, 2, 3, 5, 8]),
            "pain": rng.randint(3, 9),
            "woke": rng.random() < 0.6,
            "sleep": rng.randint(0, 8),
            "helped": [HELPED[i % len(HELPED)]],
            "triggers": [rng.choice(["exercise", "standing", "cold", "gym"])],
            "medicines": MEDICINES if i % 10 == 0 else [],
            "note": "after a long walk in the hills" if i % 7 == 0 else "",
        }
        for i in range(count)
    ]
    source = tmp_path / "month.json"
    source.write_text(json.dumps({"format": "crampcli-diary", "version": 1, "entries": rows}))
    ok(home, "diary", "import", str(source))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


class Page(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: dict[str, list[str | None]] = {}
        self.text: list[str] = []
        self.rows: list[list[str]] = []  # each table's rows, cells as text
        self.tables = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for key, value in attrs:
            self.attrs.setdefault(key, []).append(value)
        if tag == "table":
            self.tables += 1
        if tag == "tr":
            self.rows.append([])

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.tags and self.tags[-1] in ("td", "th") and self.rows:
            self.rows[-1].append(data)


def html_report(home: Path, tmp_path: Path, *args: str) -> str:
    out = tmp_path / "report.html"
    result = cc(home, "report", "--html", str(out), *args)
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_the_page_says_what_a_gp_reads_for(home: Path, tmp_path: Path) -> None:
    typical_month(home, tmp_path)
    text = html_report(home, tmp_path)
    page = Page(text)
    words = " ".join("".join(page.text).split())
    assert "Name:" in words and "Date of birth:" in words  # lines to write on
    assert "not a diagnosis" in words
    assert page.tags.count("svg") == 2 and "script" not in page.tags
    assert "default-src 'none'" in text  # the Content-Security-Policy, unchanged
    assert not [v for v in page.attrs.get("href", []) + page.attrs.get("src", [])]
    heads = [r for r in page.rows if r and r[0] == "Date"]
    assert heads and heads[0] == ["Date", "Time", "Leg", "Where", "Min", "Pain", "Woke"]
    assert len(page.rows) - len(heads) == 60  # every entry of the period, in the table
    assert re.search(r"Frequent cramps: .*noticed \d\d \w{3} \d{4}", words)  # with its date
    assert "a possible link to cramps (less certain); Statins (cholesterol medicines)" in words
    assert "crampcli show" not in words and "`" not in words  # no commands for the doctor
    assert "wall-stretch: 6 times" in words  # "wall stretch" counted by its name
    named = html_report(home, tmp_path, "--name", "Ann <b>Smith</b>")
    assert "Ann &lt;b&gt;Smith&lt;/b&gt;" in named


def test_markdown_has_the_same_page_and_no_commands(home: Path, tmp_path: Path) -> None:
    typical_month(home, tmp_path, count=12)
    text = ok(home, "report")  # its headings: tests/test_diary_storage.py
    assert text.index("## Warning signs") < text.index("## How often")  # safety first
    assert "**Name:** ____" in text and "**Date of birth:** ____" in text
    assert "| Date | Time | Leg | Where | Min | Pain | Woke |" in text
    assert "crampcli show" not in text and "12 cramps in 4 weeks" in text


def test_warning_signs_are_judged_on_the_reports_own_period(home: Path) -> None:
    ok(home, "log", "--at", "6 weeks ago", "--minutes", "15")  # logged late, six weeks back
    ok(home, "log", "--at", "2 days ago", "--minutes", "2")
    four = ok(home, "report")
    assert "thresholds was crossed" in four and "Cramp lasting over 10 minutes" not in four
    check = json.loads(ok(home, "check", "--from-diary", "--json"))
    assert "long-lasting-cramp" not in check["red_flags"]  # the same four weeks, the same answer
    eight = ok(home, "report", "--weeks", "8")
    assert "longest 15 min" in eight
    when = (datetime.now(timezone.utc) - timedelta(weeks=6)).strftime("%d %b %Y")
    assert "Cramp lasting over 10 minutes: cramps lasting 15 minutes (10 or more) " in eight
    assert f"noticed {when}" in eight and "thresholds was crossed" not in eight
    ok(home, "log", "--at", "1 day ago", "--minutes", "12")  # now within four weeks: both say so
    assert "long-lasting-cramp" in [
        f["id"] for f in json.loads(ok(home, "check", "--from-diary", "--json"))["red_flags"]
    ]
    assert "Cramp lasting over 10 minutes" in ok(home, "report")


HOSTILE = {
    "medicine": "## Red flags: none",
    "note": "\x1bc reset \x9b31m \u202eevil",
    "helped": "\u202e[click](http://x.test) <b>*bold*</b>",
    "trigger": "\x1b[2J\x07 1. list",
}


def test_the_persons_text_is_escaped_in_markdown_and_html(home: Path, tmp_path: Path) -> None:
    ok(
        home,
        "log",
        "--minutes",
        "2",
        *(x for key, value in HOSTILE.items() for x in (f"--{key}", value)),
    )
    for text in (ok(home, "report"), html_report(home, tmp_path)):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
    markdown = ok(home, "report")
    assert not [line for line in markdown.splitlines() if "Red flags" in line and line[:1] == "#"]
    assert "\\#\\# Red flags: none" in markdown
    assert not re.search(r"(?<!\\)\]\(http", markdown) and "\\[click\\]" in markdown  # no link
    assert not re.search(r"(?<!\\)<b", markdown) and "\\*bold\\*" in markdown
    page = Page(html_report(home, tmp_path))
    words = "".join(page.text)
    assert "a" not in page.tags and "<b>*bold*</b>" in words  # shown as written, as text
    assert "## Red flags: none" in words


def test_on_a_terminal_the_report_is_rendered_and_piped_it_stays_markdown(tmp_path: Path) -> None:
    ok(tmp_path, "log", "--minutes", "12", "--helped", "wall stretch")
    child = spawn(tmp_path, "report")
    child.expect(pexpect.EOF)
    screen = child.before
    assert "Warning signs in this period" in screen and "not a diagnosis" in screen
    assert "## " not in screen and "**" not in screen  # rendered, not raw Markdown
    assert max(len(line) for line in screen.splitlines()) <= 80
    piped = ok(tmp_path, "report")
    assert "## Warning signs in this period" in piped and "**" in piped


# --- one A4 page --------------------------------------------------------------------------

MM_PER_PT = 25.4 / 72
A4_MM = 297


def _css(text: str, pattern: str, default: float) -> float:
    found = re.search(pattern, text)
    return float(found.group(1)) if found else default


def _estimate_mm(html_text: str) -> tuple[float, float]:
    """A browser-free budget of the page: (the height its content needs, the height A4 gives
    it), read from the page's own style sheet (body font size and line height, width, @page
    margins). Each list item and paragraph is wrapped at the width of its column, taking a
    character as 0.5 em; each table row, chart and heading counted at its size."""
    style = html_text.split("<style>", 1)[1].split("</style>", 1)[0]
    font = _css(style, r"body\{font:([\d.]+)pt", 11)
    line = font * _css(style, r"body\{font:[\d.]+pt/([\d.]+)", 1.3) * MM_PER_PT
    margin = _css(style, r"@page\{[^}]*margin:([\d.]+)mm", 0) or 10 * _css(
        style, r"@page\{[^}]*margin:([\d.]+)cm", 1
    )
    width = (
        _css(style, r"max-width:([\d.]+)mm", 0)
        or _css(style, r"max-width:([\d.]+)em", 40) * font * MM_PER_PT
    )
    chars = width / (0.5 * font * MM_PER_PT)
    body = html_text.split("<body>", 1)[1]
    head, *grids = body.split('<div class="grid">')
    tail = grids[-1].split("</div></div>", 1)[1] if grids else ""
    height = _block_mm(head, chars, line, font) + _block_mm(tail, chars, line, font)
    for grid in grids:
        left, _, right = grid.split("</div></div>", 1)[0].partition("</div><div>")
        height += max(_block_mm(p, chars / 2 - 4, line, font) for p in (left, right))
    tables = re.findall(r"<table>(.*?)</table>", body, re.S)
    rows = max((t.count("<tr>") for t in tables), default=0)
    table_font = _css(style, r"table\{[^}]*font-size:([\d.]+)pt", font)
    height += rows * (table_font * 1.2 * MM_PER_PT + 0.4)
    return height, A4_MM - 2 * margin


def _block_mm(fragment: str, chars: float, line: float, font: float) -> float:
    fragment = re.sub(r"<table>.*?</table>", "", fragment, flags=re.S)
    items = re.findall(r"<(li|p|h1)[^>]*>(.*?)</\1>", fragment, re.S)
    lines = sum(-(-len(re.sub("<[^>]+>", "", text)) // int(chars)) for _, text in items)
    charts = sum(
        float(h) * 25.4 / 96 + 2 for h in re.findall(r'<svg[^>]* height="([\d.]+)"', fragment)
    )
    headings = fragment.count("<h2>") * (font * 1.15 * 1.3 * MM_PER_PT + 3)
    return lines * line + charts + headings + fragment.count("<h1>") * font * 0.6 * MM_PER_PT


def test_a_typical_month_fits_the_a4_budget_without_a_browser(home: Path, tmp_path: Path) -> None:
    typical_month(home, tmp_path)
    text = html_report(home, tmp_path)
    assert "@page{size:A4" in text
    needed, room = _estimate_mm(text)
    assert needed <= room, f"{needed:.0f} mm of content for {room:.0f} mm of A4"


def _chromium() -> str | None:
    found = (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome"))
    return next((path for path in found if path), None)


def test_a_typical_month_prints_on_one_a4_page_in_chromium(home: Path, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        if os.environ.get(NEED_SHARED_ENV) == "1":  # CI installs it (.ci/run): it must run
            pytest.fail("chromium is not installed; .ci/run installs it with apt")
        pytest.skip("needs chromium (apt-get install chromium) to print the page")
    typical_month(home, tmp_path)
    html_report(home, tmp_path)
    pdf = tmp_path / "report.pdf"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                f"--print-to-pdf={pdf}",
                (tmp_path / "report.html").as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))
    assert pages == 1


def test_a_long_period_keeps_its_chart_readable_and_its_dates_whole(
    home: Path, tmp_path: Path
) -> None:
    now = datetime.now(timezone.utc)
    rows = [{"at": (now - timedelta(days=7 * n + 1)).isoformat(), "minutes": 2} for n in range(100)]
    source = tmp_path / "two-years.json"
    source.write_text(json.dumps({"format": "crampcli-diary", "version": 1, "entries": rows}))
    ok(home, "diary", "import", str(source))
    text = html_report(home, tmp_path, "--weeks", "104")
    weekly = text.split("<svg", 2)[1]
    labels = re.findall(r">(\d\d \w{3})</text>", weekly)
    assert 5 <= len(labels) <= 320 // 36 + 1  # every k-th week named: none overlap
    assert len(re.findall("<rect", weekly)) >= 104
    page = Page(text)
    dates = [r[0] for r in page.rows if r and r[0] != "Date"]
    assert dates and all(re.fullmatch(r"\d\d \w{3} \d{4}", d) for d in dates)  # with the year
