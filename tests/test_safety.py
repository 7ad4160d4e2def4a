"""Issue 11's safety defects, each through the installed command: a red flag stops everything
else, advice that can hurt this person carries its caution or is not given, an unsupported
remedy is never offered as what helps, medicines raise care, and the missing red flags exist."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from conftest import INSTALLED, installed
from crampcli.answers.check import LABELS, Answers, check
from crampcli.knowledge import loading

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")
KB = loading.load(loading.bundled_path())


def crampcli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return installed(*args, stdin=stdin)


def checked(*args: str) -> dict[str, Any]:
    result = crampcli("check", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def help_ids(out: dict[str, Any]) -> list[str]:
    return [h["id"] for h in out["helps"]]


# --- 1. an emergency stops the questionnaire and shows first --------------------------------


def test_questionnaire_stops_at_the_first_emergency_answer() -> None:
    # The first question is breathlessness or chest pain; chest pain is an emergency on its
    # own. Two lines of input (yes; which: 2): were another question asked, input would end.
    result = crampcli("check", "-i", stdin="y\n2\n")
    assert result.returncode == 0, result.stderr
    assert "Where do you get cramps?" not in result.stderr
    assert result.stdout.startswith("EMERGENCY")
    assert "may be linked to" not in result.stdout.lower()  # no causes under an emergency


@pytest.mark.parametrize(
    "answers",
    [
        ["--sign", "chest-pain", "--recent", "one-position", "--when", "night"],
        ["--sign", "breathlessness", "--sign", "swelling", "--pregnant"],
        ["--sign", "groin-numbness", "--sign", "back-pain"],
    ],
)
def test_an_emergency_shows_nothing_else(answers: list[str]) -> None:
    out = checked(*answers)
    assert out["care"] == "emergency"
    assert out["causes"] == [] and out["helps"] == [] and out["look_alikes"] == []
    text = crampcli("check", *answers).stdout
    assert text.startswith("EMERGENCY")
    assert "Sleeping position" not in text and "What may help" not in text


# --- 2. advice that can hurt this person carries its caution, or is left out ----------------


@pytest.mark.parametrize(
    ("answers", "entry"),
    [
        (["--condition", "kidney", "--recent", "sweating"], "replace-fluids-salts"),
        (["--condition", "dialysis", "--recent", "dehydration"], "stay-hydrated"),
        (["--condition", "heart-failure", "--recent", "sweating"], "replace-fluids-salts"),
    ],
)
def test_fluid_advice_carries_the_fluid_limit_caution(answers: list[str], entry: str) -> None:
    out = checked(*answers)
    helps = {h["id"]: h["caution"] for h in out["helps"]}
    left = {o["id"] for o in out["left_out"]}
    assert entry in helps or entry in left
    if entry in helps:
        assert helps[entry] and "fluid" in helps[entry].lower()


def test_magnesium_is_never_offered_with_kidney_disease() -> None:
    for condition in ("kidney", "dialysis"):
        answers = Answers(condition=(condition,), when="night", age=70, pregnant=True)
        assert "magnesium" not in [h.entry.id for h in check(KB, answers).helps]


def test_foot_soak_is_never_offered_for_numb_or_diabetic_feet() -> None:
    for answers in (
        ["--condition", "diabetes"],
        ["--sign", "numbness"],
        ["--condition", "neuropathy"],
    ):
        out = checked(*answers, "--when", "night", "--recent", "cold")
        assert "warm-foot-soak" not in help_ids(out)


def test_every_help_for_a_person_carries_each_caution_that_concerns_them() -> None:
    """Over every single answer and every pair with a condition: a help whose entry has a
    caution for these answers shows it, and an 'avoid' caution drops it."""
    tokens = [t for t in LABELS if t.split(":")[0] in ("condition", "sign", "recent", "who")]
    for token in tokens:
        for extra in ("when:night", "recent:sweating", "when:exercise"):
            answers = _answers_from({token, extra})
            result = check(KB, answers)
            given = answers.tokens()
            for help_ in result.helps:
                cautions = help_.entry.cautions_for(given.__contains__)
                assert not any(c.avoid for c in cautions), (token, help_.entry.id)
                if cautions:
                    assert help_.caution, (token, help_.entry.id)


def _answers_from(tokens: set[str]) -> Answers:
    fields: dict[str, Any] = {"recent": (), "sign": (), "condition": ()}
    for token in tokens:
        topic, value = token.split(":", 1)
        if topic == "who":
            fields[value] = True
        elif topic in ("when", "where", "legs"):
            fields[topic] = value
        else:
            fields[topic] = (*fields[topic], value)
    return Answers(**fields)


@pytest.mark.parametrize(
    ("command", "needle"),
    [
        (["show", "stay-hydrated"], "fluid"),
        (["show", "painkillers-for-soreness"], "ibuprofen"),
        (["show", "warm-foot-soak"], "numb"),
        (["show", "magnesium"], "kidney"),
        (["prevent"], "fluid"),
        (["relieve"], "ibuprofen"),
    ],
)
def test_cautions_are_printed_where_the_advice_is(command: list[str], needle: str) -> None:
    result = crampcli(*command)
    assert result.returncode == 0, result.stderr
    cautions = [line for line in result.stdout.splitlines() if "Caution" in line]
    assert cautions, result.stdout[:500]
    assert needle in result.stdout.lower()


def test_painkillers_for_a_pregnant_person_say_paracetamol_not_ibuprofen() -> None:
    entry = KB.get("painkillers-for-soreness")
    assert entry is not None
    cautions = entry.cautions_for(frozenset({"who:pregnant"}).__contains__)
    text = " ".join(c.text for c in cautions).lower()
    assert "paracetamol" in text and "ibuprofen" in text


# --- 3. nothing unsupported is offered, nothing rare is scored up for everyone ---------------


@pytest.mark.parametrize(
    "answers",
    [
        ["--pregnant", "--when", "night"],
        ["--age", "70", "--when", "night"],
        ["--recent", "cold", "--when", "night"],
        ["--recent", "one-position", "--when", "night", "--age", "80", "--pregnant"],
        ["--condition", "low-calcium"],
    ],
)
def test_check_never_lists_an_unsupported_entry_as_what_helps(answers: list[str]) -> None:
    out = checked(*answers)
    for help_id in help_ids(out):
        entry = KB.get(help_id)
        assert entry is not None and entry.evidence is not None
        assert entry.evidence.grade != "not supported", help_id


def test_calcium_is_not_scored_up_for_every_pregnant_or_older_person() -> None:
    for answers in (["--pregnant"], ["--age", "65"], ["--pregnant", "--age", "61"]):
        out = checked(*answers, "--when", "night")
        assert "calcium-deficiency" not in [c["id"] for c in out["causes"]]
    out = checked("--condition", "low-calcium")
    assert out["causes"][0]["id"] == "calcium-deficiency"  # a blood test result still counts


def test_cold_is_never_scored_up() -> None:
    out = checked("--recent", "cold", "--when", "night")
    assert "cold-exposure" not in [c["id"] for c in out["causes"]]


# --- 4. medicines raise care, and nobody is told to stop one -------------------------------


def test_a_statin_with_night_cramps_means_see_a_doctor() -> None:
    out = checked("--medicine", "atorvastatin", "--when", "night")
    assert out["care"] in ("doctor", "urgent", "emergency")
    assert [m["id"] for m in out["medicines"]] == ["statins"]


@pytest.mark.parametrize("sign", ["dark-urine", "severe-pain"])
def test_a_statin_with_dark_urine_or_severe_pain_is_urgent(sign: str) -> None:
    out = checked("--medicine", "Lipitor", "--sign", sign)
    assert out["care"] in ("urgent", "emergency")


@pytest.mark.parametrize("name", ["furosemide", "bendroflumethiazide", "salmeterol", "Ventolin"])
def test_a_diuretic_or_inhaler_means_talk_to_the_doctor_or_pharmacist(name: str) -> None:
    out = checked("--medicine", name, "--recent", "new-medicine")
    assert out["care"] in ("doctor", "urgent")
    text = crampcli("check", "--medicine", name).stdout.lower()
    assert "pharmacist" in text and "do not stop" in text


def test_no_text_tells_anyone_to_stop_a_medicine_on_their_own() -> None:
    for entry in KB.entries:
        if entry.kind == "article":
            continue
        texts = (entry.summary, *entry.details, *(c.text for c in entry.cautions), *entry.first_aid)
        # The one exception is the NHS statin rule, in the statin entry's what_to_do line.
        if entry.id != "statins" and entry.what_to_do:
            texts += (entry.what_to_do,)
        for text in texts:
            lowered = text.lower()
            for at in _find_all(lowered, "stop taking"):
                before = lowered[max(0, at - 40) : at]
                assert any(w in before for w in ("not ", "never", "n't", "without")), text


def _find_all(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


# --- 5. the missing red flags ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "flag", "care"),
    [
        (["--recent", "heat", "--sign", "confusion"], "heat-illness", "emergency"),
        (["--recent", "heat", "--sign", "collapse", "--when", "exercise"], "heat-illness",
         "emergency"),
        (["--sign", "back-pain", "--sign", "groin-numbness"], "cauda-equina", "emergency"),
        (["--sign", "bladder-bowel-change"], "cauda-equina", "emergency"),
        (["--sign", "cold-pale-leg"], "cold-pale-leg", "emergency"),
        (["--sign", "dark-urine", "--sign", "severe-pain"], "muscle-breakdown", "urgent"),
        (["--sign", "dark-urine", "--sign", "weakness"], "muscle-breakdown", "urgent"),
    ],
)  # fmt: skip
def test_new_red_flags(answers: list[str], flag: str, care: str) -> None:
    out = checked(*answers)
    assert flag in [f["id"] for f in out["red_flags"]]
    assert out["care"] == care


def test_tenderness_alone_after_a_cramp_is_not_a_clot() -> None:
    out = checked("--sign", "tenderness", "--when", "night")
    assert "swollen-red-calf" not in [f["id"] for f in out["red_flags"]]
    assert out["care"] == "self-care"
    out = checked("--sign", "tenderness", "--sign", "swelling")
    assert "swollen-red-calf" in [f["id"] for f in out["red_flags"]]


# --- 6. the seed articles: a correcting note first, and entries rank above them ------------


@pytest.mark.parametrize("article", [e.id for e in KB.of_kind("article")])
def test_an_article_view_starts_with_what_the_references_say(article: str) -> None:
    result = crampcli("show", article)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("What the references say differently")
    assert "Read instead:" in result.stdout


@pytest.mark.parametrize(
    "query",
    [
        "leg cramps",
        "what causes leg cramps",
        "leg cramps at night",
        "calcium deficiency leg cramps during sleep",
        "how to relieve leg cramps",
        "why do I get cramps in my legs",
    ],
)
def test_ordinary_questions_rank_entries_above_the_articles(query: str) -> None:
    result = crampcli("search", *query.split(), "--json")
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout)["results"]
    assert results and results[0]["kind"] != "article", results[:2]


# --- crampcli meds ---------------------------------------------------------------------------


def test_meds_answers_generic_brand_typo_and_unknown_names() -> None:
    result = crampcli("meds", "lipitor", "lasx", "ventolin", "paracetamol", "--json")
    assert result.returncode == 0, result.stderr
    found = {m["query"]: m for m in json.loads(result.stdout)["medicines"]}
    assert (found["lipitor"]["match"], found["lipitor"]["id"]) == ("atorvastatin", "statins")
    assert found["lipitor"]["link"] == "weak" and found["lipitor"]["care"] == "urgent"
    assert (found["lasx"]["match"], found["lasx"]["id"]) == ("furosemide", "diuretics")
    assert found["ventolin"]["id"] == "asthma-inhalers"
    assert found["paracetamol"] == {
        "query": "paracetamol", "id": None, "kind": None, "title": None, "match": None,
        "brand": None,
        "link": "none-known", "care": "self-care",
    }  # fmt: skip


def test_meds_says_not_in_our_list_never_not_linked() -> None:
    out = crampcli("meds", "paracetamol").stdout.lower()
    assert "not in our list" in out and "not linked" not in out


@pytest.mark.parametrize("name", ["atorvastatin 20mg", "Zocor", "simvastain", "SYMBICORT"])
def test_meds_matches_doses_case_and_typos(name: str) -> None:
    result = crampcli("meds", name, "--json")
    assert json.loads(result.stdout)["medicines"][0]["id"] is not None, name


def test_meds_with_only_blank_names_is_a_usage_error() -> None:
    result = crampcli("meds", "", " ")
    assert result.returncode == 2 and result.stdout == ""
    assert "give a medicine name" in result.stderr
