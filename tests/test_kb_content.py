"""Knowledge base 2.0 content: the contract's v1 and v2 ids with their kinds and care levels,
own words (no sentence of the seeds or references.md repeated), a public source for every
entry, answer tokens from schema 2's list only, named medicines, and a file the installed
``crampcli validate`` accepts."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, SHARED
from crampcli.knowledge import loading
from crampcli.knowledge.model import LINKS, Entry
from test_kb_data import SPEC_IDS

KB = loading.load(DATA)
CRAMPCLI = Path(sys.executable).with_name("crampcli")

V1_IDS = SPEC_IDS  # the version 1 contract, as tests/test_kb_data.py checks it
V2_IDS = {
    "medicine": [
        "statins", "diuretics", "asthma-inhalers", "calcium-channel-blockers",
        "hormone-medicines", "nerve-pain-and-sleep-medicines",
    ],
    "cause": [
        "kidney-disease", "liver-disease", "diabetes", "thyroid-disease", "low-electrolytes",
        "exercise-in-heat", "nerve-and-muscle-disease",
    ],
    "look-alike": [
        "restless-legs", "claudication", "blood-clot", "sciatica", "spinal-stenosis",
        "growing-pains",
    ],
    "red-flag": ["heat-illness", "cauda-equina", "cold-pale-leg", "muscle-breakdown"],
    "prevention": ["untuck-bedcovers", "supportive-shoes", "light-exercise-before-bed"],
    "guide": ["seeing-a-doctor"],
}  # fmt: skip
CARE = {
    "swollen-red-calf": "urgent", "long-lasting-cramp": "urgent", "toxin-or-wound": "urgent",
    "frequent-cramps": "doctor", "numbness-weakness": "doctor", "walking-pain": "doctor",
    "heat-illness": "emergency", "cauda-equina": "emergency", "cold-pale-leg": "emergency",
    "muscle-breakdown": "urgent", "blood-clot": "urgent",
    **dict.fromkeys(V2_IDS["medicine"], "doctor"),
    "statins": "urgent",  # NHS: unexplained cramps on a statin, call straight away (issue 18)
}  # fmt: skip

# The answer tokens schema 2 lists (/work/schema2.md), plus the numeric comparisons.
SIGNS = (
    "dark-urine", "severe-pain", "confusion", "vomiting", "hot-skin", "collapse", "groin-numbness",
    "bladder-bowel-change", "cold-pale-leg", "twitching", "urge-to-move", "swelling", "redness",
    "warmth", "tenderness", "numbness", "tingling", "weakness", "back-pain", "walking-pain",
    "breathlessness", "chest-pain", "wound", "toxin",
)  # fmt: skip
CONDITIONS = (
    "dialysis", "neuropathy", "heart-failure", "heart", "diabetes", "kidney", "liver", "thyroid",
    "circulation", "high-cholesterol", "low-calcium", "ulcer", "asthma",
)  # fmt: skip
RECENT = (
    "vomiting-diarrhoea", "sweating", "heat", "hard-exercise", "cold", "one-position",
    "new-medicine", "alcohol", "dehydration", "tired",
)  # fmt: skip
TOKENS = {
    *(f"sign:{s}" for s in SIGNS),
    *(f"condition:{c}" for c in CONDITIONS),
    *(f"recent:{r}" for r in RECENT),
    *(f"medicine:{e.id}" for e in KB.of_kind("medicine")),  # a group: any of its names
    "who:pregnant", "who:sport", "where:calf", "where:foot", "where:thigh",
    *(f"when:{w}" for w in ("night", "exercise", "after-exercise", "rest")),
    # Version 3 (knowledge.md, issue 18)
    *(f"sign:{s}" for s in ("sudden", "stiff-jaw", "seizure", "palpitations", "fever", "limp")),
    *(f"recent:{r}" for r in ("gave-birth", "surgery", "long-journey")),
    "condition:ulcer", "condition:asthma", "legs:one", "legs:both", "who:breastfeeding",
}  # fmt: skip
NUMERIC = re.compile(r"^(age|lasts-min|per-week|woke-per-week)(>=|<)\d+(\.\d+)?$")


def _texts(entry: Entry) -> list[str]:
    """Every piece of our own prose in an entry (articles are the seeds, stored as written)."""
    out = [entry.title, entry.summary, *entry.details, *(c.text for c in entry.cautions)]
    if entry.evidence:
        out.append(entry.evidence.note)
    for section in entry.sections:
        out += [section.heading, *section.items]
    if entry.corrections:
        out.append(entry.corrections.note)
    return out


def _rule_tokens(entry: Entry) -> list[str]:
    tokens = [c for caution in entry.cautions for c in caution.when]
    if entry.cause_check:
        tokens += [r.when for r in entry.cause_check.raises]
    if entry.flag_check:
        rule = entry.flag_check
        tokens += [*rule.any, *rule.all, *rule.also_any, *rule.unless]
        tokens += [t for x in rule.escalations for t in x.any]
    return tokens


@pytest.mark.parametrize(
    ("kind", "entry_id"),
    [(k, i) for ids in (V1_IDS, V2_IDS) for k, v in ids.items() for i in v],
)
def test_every_contract_id_exists_with_its_kind(kind: str, entry_id: str) -> None:
    entry = KB.get(entry_id)
    assert entry is not None, entry_id
    assert entry.kind == kind
    if entry_id in CARE:
        assert entry.care == CARE[entry_id]
    if kind in ("look-alike", "medicine"):
        assert entry.care in ("emergency", "urgent", "doctor", "self-care")


def _sentences(text: str) -> list[str]:
    """Sentences of 8 words or more, normalised: lower case, punctuation gone."""
    out = []
    for sentence in re.split(r"(?<=[.!?;:])\s+|\n+", text):
        words = re.findall(r"[a-z0-9]+", sentence.lower())
        if len(words) >= 8:
            out.append(" ".join(words))
    return out


def test_no_entry_sentence_repeats_a_seed_or_reference_sentence() -> None:
    sources = [*sorted((SHARED / "seeds").glob("*.txt")), SHARED / "spec" / "references.md"]
    if len(sources) < 3 or not all(p.exists() for p in sources):
        pytest.skip("../shared (seeds and spec/references.md) is not beside this checkout")
    theirs = {s for p in sources for s in _sentences(p.read_text(encoding="utf-8"))}
    copied = [
        (e.id, s)
        for e in KB.entries
        if e.kind != "article"
        for text in _texts(e)
        for s in _sentences(text)
        if s in theirs or any(s in t for t in theirs if len(t) > len(s))
    ]
    assert copied == []


def test_every_entry_cites_a_public_reference() -> None:
    references = {r.id for r in KB.references}
    for entry in KB.entries:
        if entry.kind != "article":
            assert references.intersection(entry.sources), entry.id


def test_every_reference_is_cited_and_named() -> None:
    cited = {s for e in KB.entries for s in e.sources}
    for ref in KB.references:
        assert ref.id in cited, f"unused reference {ref.id}"
        assert ref.title.strip()


def test_every_rule_and_caution_token_is_a_schema_2_token() -> None:
    for entry in KB.entries:
        for token in _rule_tokens(entry):
            assert token in TOKENS or NUMERIC.match(token), (entry.id, token)


def test_every_medicine_has_a_name_and_a_link() -> None:
    for entry in KB.of_kind("medicine"):
        assert entry.medicines, entry.id
        for medicine in entry.medicines:
            assert medicine.name and medicine.name == medicine.name.lower(), entry.id
            assert medicine.link in LINKS, (entry.id, medicine.name)
        assert any("do not stop it yourself" in d.lower() for d in entry.details), entry.id


def test_medicine_link_grades_follow_garrison_and_afp() -> None:
    links = {m.name: m.link for e in KB.of_kind("medicine") for m in e.medicines}
    for strong in ("salmeterol", "formoterol", "spironolactone", "amiloride", "indapamide",
                   "chlortalidone", "raloxifene", "teriparatide", "naproxen"):  # fmt: skip
        assert links[strong] == "strong", strong
    for weak in ("atorvastatin", "simvastatin", "rosuvastatin", "furosemide", "bumetanide"):
        assert links[weak] == "weak", weak


def test_statins_are_urgent_with_the_nhs_stop_line() -> None:
    statins = KB.get("statins")
    assert statins is not None and statins.care == "urgent"
    assert "stop taking it and call a doctor or 111 straight away" in (statins.what_to_do or "")


def test_medication_and_chronic_disease_link_their_split_out_entries() -> None:
    medication, chronic = KB.get("medication"), KB.get("chronic-disease")
    assert medication is not None and chronic is not None
    assert set(V2_IDS["medicine"]) <= set(medication.related)
    assert set(V2_IDS["cause"]) - {"exercise-in-heat"} <= set(chronic.related)
    vascular = KB.get("vascular-disease")
    assert vascular is not None and "varicose veins" not in vascular.aliases


def test_causes_and_look_alikes_say_how_common_and_relief_steps_are_ordered() -> None:
    for entry in (*KB.of_kind("cause"), *KB.of_kind("look-alike")):
        assert entry.how_common in ("common", "less common", "rare"), entry.id
    for common in ("unknown-cause", "muscle-overwork", "ageing", "pregnancy", "medication"):
        entry = KB.get(common)
        assert entry is not None and entry.how_common == "common", common
    ranked = sorted((e for e in KB.of_kind("relief") if e.now_rank), key=lambda e: e.now_rank or 0)
    assert [e.id for e in ranked] == ["rest-after-cramp", "grab-toes", "wall-stretch"]


def test_the_seed_articles_carry_corrections_and_their_text_is_unchanged() -> None:
    seeds = SHARED / "seeds"
    for article in KB.of_kind("article"):
        assert article.corrections is not None and article.corrections.see, article.id
        if (seeds / (article.file or "")).exists():
            seed = " ".join((seeds / (article.file or "")).read_text(encoding="utf-8").split())
            for paragraph in article.paragraphs:
                assert " ".join(paragraph.split()) in seed, (article.id, paragraph[:60])


def test_advice_that_can_hurt_carries_its_caution() -> None:
    def cautions(entry_id: str, token: str) -> list[bool]:
        entry = KB.get(entry_id)
        assert entry is not None
        return [c.avoid for c in entry.cautions_for(frozenset({token}).__contains__)]

    for token in ("condition:kidney", "condition:dialysis", "condition:heart-failure"):
        assert cautions("stay-hydrated", token) and cautions("replace-fluids-salts", token)
    for token in ("condition:diabetes", "condition:neuropathy", "sign:numbness"):
        assert cautions("warm-foot-soak", token) == [True]
        assert cautions("heat-after-cramp", token)
    for token in ("condition:kidney", "condition:dialysis"):
        assert cautions("magnesium", token) == [True]
        assert cautions("painkillers-for-soreness", token)
    assert cautions("painkillers-for-soreness", "who:pregnant")
    assert cautions("quinine-not-recommended", "who:pregnant")


@pytest.mark.skipif(not CRAMPCLI.exists(), reason="crampcli is not installed")
def test_installed_crampcli_validates_the_bundled_file() -> None:
    result = subprocess.run(
        [str(CRAMPCLI), "validate", str(DATA)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_text_tells_anyone_what_they_have() -> None:
    for entry in KB.entries:
        if entry.kind == "article":
            continue
        for text in _texts(entry):
            assert not re.search(r"\byou have\b", text, re.I), (entry.id, text)


def test_causes_list_the_common_ones_first_in_the_order_that_matters() -> None:
    causes = [e.id for e in KB.of_kind("cause")]
    first = ["unknown-cause", "muscle-overwork", "ageing", "pregnancy", "medication"]
    assert causes[: len(first)] == first
    levels = ["common", "less common", "rare"]
    ranks = [levels.index(e.how_common or "rare") for e in KB.of_kind("cause")]
    assert ranks == sorted(ranks)
