"""Property-based tests: generated knowledge bases, queries and seed articles."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import run
from crampcli.knowledge import importer
from crampcli.knowledge.model import AUDIENCES, CARE_LEVELS, EVIDENCE_GRADES, SITUATIONS
from crampcli.knowledge.validate import ID_RE, validate

SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SGR = re.compile(r"\x1b\[[0-9;]*m")
# Control characters from the data must never reach stdout: ESC, CSI, bidi overrides, other C0.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

NASTY = [
    "[bold red]x[/]",
    "[/]",
    "[link=https://e.x]l[/link]",
    "[citation needed]",
    ":warning:",
    "\x1b]0;title\x07",
    "\x1b[2J",
    "\x9b31m",
    "\u202e",
    "\x00",
    "\r",
    "\t",
    "\x7f",
    "°C",
    "\u0301",
    "\ud7ff",
    "\U0001f600",
    "\u200b",
    "\\",
    '"',
    "{}",
    "%s",
    "\n",
]
# Any text but lone surrogates (a JSON file cannot hold them as UTF-8).
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
TEXT = (
    st.lists(st.one_of(st.text(ANY_CHAR, max_size=12), st.sampled_from(NASTY)), max_size=6)
    .map("".join)
    .filter(lambda s: bool(s.strip()))
)


def entry(kind: str, n: int, draw: Any, refs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": f"{kind}-{n}",
        "kind": kind,
        "title": draw(TEXT),
        "summary": draw(TEXT),
        "aliases": draw(st.lists(TEXT, max_size=2)),
        "sources": draw(st.lists(st.sampled_from(refs), max_size=2)) if refs else [],
    }
    if kind == "article":
        out.update(file=draw(TEXT), paragraphs=draw(st.lists(TEXT, max_size=3)))
        return out
    out.update(
        details=draw(st.lists(TEXT, max_size=2)),
        evidence={"grade": draw(st.sampled_from(EVIDENCE_GRADES)), "note": draw(TEXT)},
        audiences=draw(st.lists(st.sampled_from(AUDIENCES), max_size=2, unique=True)),
        situations=draw(st.lists(st.sampled_from(SITUATIONS), max_size=2, unique=True)),
    )
    if kind == "relief":
        out["now_rank"] = draw(st.one_of(st.none(), st.integers(1, 5)))
        if out["now_rank"] is None:
            del out["now_rank"]
    if kind == "red-flag":
        out["care"] = draw(st.sampled_from(CARE_LEVELS[:-1]))
    return out


@st.composite
def knowledge_bases(draw: Any) -> dict[str, Any]:
    refs = [
        {"id": f"ref-{i}", "title": draw(TEXT), "url": draw(TEXT)}
        for i in range(draw(st.integers(0, 2)))
    ]
    ref_ids = [r["id"] for r in refs]
    entries = []
    for kind in ("cause", "relief", "prevention", "red-flag", "article"):
        entries += [entry(kind, i, draw, ref_ids) for i in range(draw(st.integers(0, 2)))]
    reliefs = [e["id"] for e in entries if e["kind"] in ("relief", "prevention")]
    for e in entries:
        if e["kind"] == "cause" and reliefs:
            e["helps"] = draw(st.lists(st.sampled_from(reliefs), max_size=2))
    doc = {
        "format": 1,
        "name": draw(TEXT),
        "version": draw(TEXT),
        "reviewed": "2026-01-31",
        "language": "en",
        "references": refs,
        "entries": entries,
    }
    assert validate(doc) == [], validate(doc)
    return doc


def assert_clean(result: Any) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr
    found = RAW.findall(SGR.sub("", result.stdout))
    assert not found, found


@settings(SETTINGS, max_examples=60)  # 13 commands per example: keep the suite fast
@given(doc=knowledge_bases(), query=TEXT, fancy=st.booleans(), pick=st.integers(0, 100))
def test_every_command_survives_any_valid_knowledge_base(
    doc: dict[str, Any], query: str, fancy: bool, pick: int
) -> None:
    ids = [e["id"] for e in doc["entries"]] or ["nothing-here"]
    env = {"FORCE_COLOR": "1"} if fancy else {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kb.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        data = ["--data", str(path), "--data-alone"]
        commands = [
            ["causes"],
            ["causes", "--brief"],
            ["show", ids[pick % len(ids)]],
            ["search", query],
            ["warning-signs"],
            ["prevent"],
            ["relieve"],
            ["relieve", "--now"],
            ["articles"],
            ["--version"],
        ]
        for command in commands:
            assert_clean(run(*data, *command, env=env))
        assert_clean(run(*data, "show", ids[pick % len(ids)], "--json"))
        checked = run("validate", str(path))
        assert checked.exit_code == 0 and checked.stdout.startswith("ok: ")


@SETTINGS
@given(query=st.one_of(TEXT, st.text(ANY_CHAR, max_size=200)), fancy=st.booleans())
def test_any_query_against_the_bundled_knowledge_base(query: str, fancy: bool) -> None:
    result = run("search", query, env={"FORCE_COLOR": "1"} if fancy else {})
    assert_clean(result)
    assert not RAW.findall(result.stderr)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(ANY_CHAR, max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "format",
                    "name",
                    "entries",
                    "references",
                    "id",
                    "kind",
                    "title",
                    "summary",
                    "sources",
                    "aliases",
                    "check",
                    "evidence",
                    "care",
                    "x",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@SETTINGS
@given(doc=JSON_VALUES)
def test_validate_never_crashes_on_any_json(doc: Any) -> None:
    problems = validate(doc)
    assert all(isinstance(p, str) and p.startswith("$") for p in problems)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kb.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        result = run("validate", str(path))
        assert result.exit_code == (1 if problems else 0)
        assert_clean(result)
        assert_clean(run("--data", str(path), "--data-alone", "causes"))


# A line of a seed: any text without line breaks, stripped, not the navigation marker.
LINE = (
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=60)
    .map(str.strip)
    .filter(lambda s: bool(s) and not s.startswith(importer.NAVIGATION_MARK))
)


@SETTINGS
@given(title=LINE, paragraphs=st.lists(LINE, min_size=1, max_size=6), navigation=st.booleans())
def test_import_then_show_gives_back_the_paragraphs(
    title: str, paragraphs: list[str], navigation: bool
) -> None:
    text = f"{title}\n\n{title}\n\n" + "\n\n".join(paragraphs) + "\n"
    # What import refuses or rewrites on purpose (tests/test_hardening.py): a title with no
    # text once escapes and control characters are gone, NUL bytes, Markdown, JSON, HTML.
    assume(importer.clean_title(title) and "\x00" not in text and not title.startswith(("{", "[")))
    assume(not importer._MARKDOWN.search(text) and not importer._HTML.search(text))
    if navigation:
        text += (
            "\n<<:\u00a0Previous page\n\n>>:\u00a0Next page\n\nRecommend\n\nUnrelated headline\n"
        )
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed.txt"
        seed.write_text(text, encoding="utf-8")
        kb = Path(tmp) / "kb.json"
        imported = run("import", str(seed), "--into", str(kb), "--json")
        assert imported.exit_code == 0, imported.stderr
        entry_id = imported.json()["imported"]["id"]
        assert ID_RE.match(entry_id) and len(entry_id) <= importer.ID_MAX
        shown = run("--data", str(kb), "--data-alone", "show", entry_id, "--json")
        assert shown.exit_code == 0
        assert shown.json()["entry"]["paragraphs"] == paragraphs
        assert shown.json()["entry"]["title"] == importer.clean_title(title)
        assert_clean(
            run("--data", str(kb), "--data-alone", "show", entry_id, env={"FORCE_COLOR": "1"})
        )
        assert run("validate", str(kb)).exit_code == 0


@SETTINGS
@given(title=st.text(ANY_CHAR, max_size=120))
def test_slugify_always_gives_a_valid_id_or_nothing(title: str) -> None:
    slug = importer.slugify(title)
    assert slug == "" or ID_RE.match(slug)
    assert len(slug) <= importer.ID_MAX
