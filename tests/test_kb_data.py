"""The bundled knowledge base: follows the schema, the spec's ids, and cites its sources."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest

from conftest import DATA, REPO
from crampcli.knowledge import loading
from crampcli.knowledge.validate import validate

SPEC_IDS = {
    "cause": [
        "calcium-deficiency", "heavy-sweating", "muscle-overwork", "fatigue", "cold-exposure",
        "sleeping-posture", "ageing", "pregnancy", "chronic-disease", "vascular-disease",
        "lumbar-disc-herniation", "medication", "unknown-cause",
    ],
    "relief": ["grab-toes", "wall-stretch", "rest-after-cramp"],
    "prevention": [
        "warm-foot-soak", "keep-legs-warm", "calcium-vitamin-d-foods",
        "avoid-smoking-alcohol-strong-tea", "warm-up", "replace-fluids-salts",
    ],
    "red-flag": [
        "swollen-red-calf", "long-lasting-cramp", "toxin-or-wound", "frequent-cramps",
        "numbness-weakness", "walking-pain",
    ],
}  # fmt: skip
SPEC_CARE = {
    "swollen-red-calf": "urgent", "long-lasting-cramp": "urgent", "toxin-or-wound": "urgent",
    "frequent-cramps": "doctor", "numbness-weakness": "doctor", "walking-pain": "doctor",
}  # fmt: skip
ALL_SPEC_IDS = [i for ids in SPEC_IDS.values() for i in ids]
SEEDS = {"000_4cd7bd3584bc0488.txt", "002_928575cf141a7413.txt"}


def test_bundled_file_matches_json_schema(kb_doc: dict[str, Any]) -> None:
    schema = json.loads((REPO / "data" / "articles.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(kb_doc)]
    assert errors == []


def test_bundled_file_passes_crampcli_validation(kb_doc: dict[str, Any]) -> None:
    assert validate(kb_doc) == []


def test_schema_rejects_what_validate_rejects(kb_doc: dict[str, Any]) -> None:
    schema = json.loads((REPO / "data" / "articles.schema.json").read_text(encoding="utf-8"))
    kb_doc["entries"][0]["kind"] = "rumour"
    kb_doc["entries"][1]["sources"] = "NHS"
    assert len(validate(kb_doc)) >= 2
    assert not jsonschema.Draft202012Validator(schema).is_valid(kb_doc)


@pytest.mark.parametrize("kind", list(SPEC_IDS))
def test_spec_ids_exist_with_their_kind(kind: str) -> None:
    base = loading.load(DATA)
    for entry_id in SPEC_IDS[kind]:
        entry = base.get(entry_id)
        assert entry is not None, entry_id
        assert entry.kind == kind


def test_red_flag_care_levels_follow_the_spec() -> None:
    base = loading.load(DATA)
    for entry_id, care in SPEC_CARE.items():
        assert base.get(entry_id).care == care  # type: ignore[union-attr]
    swollen = base.get("swollen-red-calf")
    assert swollen is not None and swollen.flag_check is not None
    assert [x.care for x in swollen.flag_check.escalations] == ["emergency"]


def test_articles_come_from_both_seeds_without_navigation() -> None:
    base = loading.load(DATA)
    articles = base.of_kind("article")
    assert {a.file for a in articles} == SEEDS
    for article in articles:
        text = "\n".join(article.paragraphs)
        assert "<<:" not in text and ">>:" not in text and "Recommend" not in text
        assert len(article.paragraphs) >= 5


def test_every_entry_names_sources_and_evidence() -> None:
    base = loading.load(DATA)
    for entry in base.entries:
        if entry.kind == "article":
            continue
        assert entry.sources, entry.id
        assert entry.evidence is not None and entry.evidence.note, entry.id
        assert entry.aliases, entry.id


def test_references_disagreeing_with_the_articles_are_graded() -> None:
    base = loading.load(DATA)
    grades = {e.id: e.evidence.grade for e in base.entries if e.evidence}
    for entry_id in ("cold-exposure", "warm-foot-soak", "keep-legs-warm"):
        assert grades[entry_id] != "supported", entry_id
    assert grades["calcium-vitamin-d-foods"] != "supported"
    calcium = base.get("calcium-deficiency")
    assert calcium is not None and calcium.evidence is not None
    assert calcium.evidence.grade != "supported"


def test_text_never_tells_people_what_they_have() -> None:
    base = loading.load(DATA)
    for entry in base.entries:
        if entry.kind == "article":
            continue
        for text in (entry.title, entry.summary, *entry.details):
            assert not re.search(r"\byou have\b", text, re.I), (entry.id, text)


def test_review_date_and_version_are_recorded(kb_doc: dict[str, Any]) -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", kb_doc["reviewed"])
    assert kb_doc["version"]


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.shared
def test_entries_are_written_in_our_own_words() -> None:
    from conftest import SHARED

    sources = [*(SHARED / "seeds").glob("*.txt"), SHARED / "spec" / "references.md"]
    assert all(p.exists() for p in sources) and len(sources) >= 3
    copied = set().union(*(_shingles(p.read_text(encoding="utf-8")) for p in sources))
    base = loading.load(DATA)
    for entry in base.entries:
        if entry.kind == "article":
            continue  # articles are stored as written, by design
        notes = (*entry.first_aid, *(n.text for n in entry.notes), entry.what_to_do or "")
        evidence = entry.evidence.note if entry.evidence else ""
        for text in (entry.summary, *entry.details, evidence, *notes):
            shared = _shingles(text) & copied
            assert not shared, (entry.id, " ".join(next(iter(shared))))
