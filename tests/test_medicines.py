"""Issue 18, medicines: the missing groups, blood thinners known and not linked, quinine's danger
signs, a matcher that takes typos but never a distinct drug, and the painkiller cautions (NHS
ibuprofen: paracetamol first), each through the installed command."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from conftest import INSTALLED, REPO, installed

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")


def matched(*names: str) -> list[dict[str, Any]]:
    result = installed("meds", *names, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["medicines"]  # type: ignore[no-any-return]


def meds_text(*names: str) -> str:
    result = installed("meds", *names)
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.split())  # unwrapped


def checked(*args: str) -> subprocess.CompletedProcess[str]:
    result = installed("check", *args)
    assert result.returncode == 0, result.stderr
    return result


# --- the missing medicines ------------------------------------------------------------------

LABA_BRANDS = [
    "Relvar", "Breo", "Trelegy", "Anoro", "Flutiform", "Trimbow", "Trixeo", "Ultibro", "Duaklir",
    "Bevespi", "Spiolto", "Striverdi", "Onbrez", "Dulera",
    "Sirdupla", "Fobumix", "Luforbec", "Atectura", "Enerzair", "Atimos",
]  # fmt: skip
STRONG = {
    **{b: "asthma-inhalers" for b in LABA_BRANDS},
    "iron sucrose": "iron-infusions",
    "Venofer": "iron-infusions",
    **dict.fromkeys(
        ("eplerenone", "co-amilofruse", "co-amilozide", "Moduretic", "Dyazide"), "diuretics"
    ),
}
WEAK = {
    **{n: "dementia-medicines" for n in ("donepezil", "Aricept", "rivastigmine", "galantamine")},
    **{n: "stomach-acid-medicines" for n in ("omeprazole", "Losec", "Nexium", "lansoprazole")},
    "denosumab": "denosumab",
    "Prolia": "denosumab",
    "cisplatin": "platinum-chemotherapy",
    "carboplatin": "platinum-chemotherapy",
}


@pytest.mark.parametrize(("name", "entry", "link"), [
    *((n, e, "strong") for n, e in STRONG.items()), *((n, e, "weak") for n, e in WEAK.items()),
])  # fmt: skip
def test_meds_knows_the_missing_medicines(name: str, entry: str, link: str) -> None:
    [found] = matched(name)
    assert (found["id"], found["link"]) == (entry, link), found
    assert found["care"] == "doctor"


BLOOD_THINNERS = ["warfarin", "apixaban", "Eliquis", "rivaroxaban", "Xarelto", "edoxaban",
                  "dabigatran", "clopidogrel", "aspirin"]  # fmt: skip


@pytest.mark.parametrize("name", BLOOD_THINNERS)
def test_blood_thinners_are_known_and_not_linked_with_the_painkiller_caution(name: str) -> None:
    [found] = matched(name)
    assert (found["id"], found["link"], found["care"]) == ("blood-thinners", "none", "self-care")
    text = meds_text(name)
    assert "not linked to cramps" in text and "not in our list" not in text
    assert "paracetamol" in text and "ibuprofen" in text


@pytest.mark.parametrize("name", ["quinine", "Qualaquin", "tonic water"])
def test_quinine_and_tonic_water_carry_the_danger_signs(name: str) -> None:
    [found] = matched(name)
    assert found["id"] == "quinine"
    text = meds_text(name).lower()
    for sign in ("bruising", "bleeding", "rash", "ringing", "blurred", "palpitations", "fever"):
        assert sign in text, sign
    assert "urgent" in text and "too weak to treat cramps" in text
    # the general rule never contradicts the danger signs printed above it
    assert "apart from its danger signs" in text


def test_salmeterol_is_not_called_a_reliever() -> None:
    assert "reliever" not in meds_text("salmeterol").lower()


@pytest.mark.parametrize("name", ["brown inhaler", "preventer inhaler", "Clenil", "Pulmicort"])
def test_steroid_preventers_are_not_the_beta_agonist_family(name: str) -> None:
    [found] = matched(name)
    assert (found["id"], found["link"]) == ("steroid-inhalers", "none")


def test_searching_brown_inhaler_finds_the_steroid_inhalers_first() -> None:
    result = installed("search", "brown", "inhaler", "--json")
    assert json.loads(result.stdout)["results"][0]["id"] == "steroid-inhalers"


def test_the_pill_carries_the_clot_line() -> None:
    text = meds_text("the pill").lower()
    assert "blood clot" in text and "same day" in text


# --- the matcher: typos yes, a distinct drug a syllable away no -----------------------------


@pytest.mark.parametrize("name", ["estriol", "nimodipine"])
def test_a_distinct_real_drug_never_matches_a_close_spelling(name: str) -> None:
    # estriol is not estradiol, nimodipine is not nifedipine: other medicines, not typos
    assert matched(name)[0]["match"] is None


def test_no_name_matches_itself_with_a_syllable_added() -> None:
    # Distinct drugs close in spelling differ by a syllable (estr-ad-iol, predniso-lo-ne): over
    # every generic name in our list, one with two letters added in the middle is not a typo.
    from crampcli.answers.medicines import names
    from crampcli.knowledge import loading

    generics = sorted({m.name for _, m, b in names(loading.load(loading.bundled_path())).values()
                       if b is None and len(m.name) >= 7})  # fmt: skip
    changed = [f"{n[: len(n) // 2]}ab{n[len(n) // 2 :]}" for n in generics]
    found = matched(*changed)
    assert [f["query"] for f in found if f["match"] is not None] == []


@pytest.mark.parametrize(("typed", "name"), [
    ("omeprazol", "omeprazole"), ("aricpet", "donepezil"), ("warfrin", "warfarin"),
    ("eplerenon", "eplerenone"), ("umeclidinium vilanterol", "umeclidinium and vilanterol"),
])  # fmt: skip
def test_typos_and_a_left_out_word_still_match(typed: str, name: str) -> None:
    assert matched(typed)[0]["match"] == name


@pytest.mark.parametrize(("typed", "entry"), [
    ("Symbicort Turbohaler", "asthma-inhalers"), ("Seretide 250 Accuhaler", "asthma-inhalers"),
    ("warfarin sodium", "blood-thinners"), ("Nexium Control", "stomach-acid-medicines"),
])  # fmt: skip
def test_a_device_or_salt_word_after_the_name_does_not_hide_it(typed: str, entry: str) -> None:
    assert matched(typed)[0]["id"] == entry


# --- check: the unknown line, a medicine not linked, the painkiller cautions -----------------


def test_check_unknown_medicine_line_says_what_meds_says() -> None:
    result = checked("--medicine", "zzqqxx", "--when", "night")
    assert "not proof of no link" in result.stderr
    assert "not proof of no link" in meds_text("zzqqxx")


def test_a_blood_thinner_raises_nothing_and_is_not_listed_as_linked() -> None:
    result = checked("--medicine", "warfarin", "--when", "night", "--json")
    note = " ".join(result.stderr.split())
    assert "warfarin: not linked to cramps" in note and "use paracetamol" in note
    out = json.loads(result.stdout)
    assert out["care"] == "self-care" and out["medicines"] == []


@pytest.mark.parametrize(("answers", "words"), [
    (["--medicine", "warfarin"], "blood thinner"),
    (["--medicine", "Eliquis"], "blood thinner"),
    (["--age", "70"], "over 65"),
    (["--condition", "ulcer"], "stomach ulcer"),
    (["--condition", "liver"], "liver disease"),
    (["--condition", "kidney"], "kidney disease"),
    (["--condition", "heart"], "heart problem"),
    (["--condition", "asthma"], "asthma"),
    (["--pregnant"], "pregnant"),
])  # fmt: skip
def test_ibuprofen_carries_the_caution_that_concerns_this_person(
    answers: list[str], words: str
) -> None:
    out = json.loads(checked("--recent", "hard-exercise", *answers, "--json").stdout)
    [pain] = [h for h in out["helps"] if h["id"] == "painkillers-for-soreness"]
    assert pain["caution"] and words in pain["caution"].lower(), pain


def test_no_caution_for_someone_it_does_not_concern_and_paracetamol_comes_first() -> None:
    out = json.loads(checked("--recent", "hard-exercise", "--age", "40", "--json").stdout)
    [pain] = [h for h in out["helps"] if h["id"] == "painkillers-for-soreness"]
    assert pain["caution"] is None
    text = " ".join(checked("--recent", "hard-exercise", "--age", "40").stdout.split())
    assert "paracetamol first" in text.lower()


def test_validate_rejects_a_caution_on_a_medicine_group_that_does_not_exist(
    kb_doc: dict[str, Any], tmp_path: Any
) -> None:
    pain = next(e for e in kb_doc["entries"] if e["id"] == "painkillers-for-soreness")
    pain["cautions"].append({"if": ["medicine:no-such-group"], "text": "Never shown."})
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(kb_doc), encoding="utf-8")
    result = installed("validate", str(path))
    assert result.returncode != 0
    assert "'medicine:no-such-group' names no medicine entry" in result.stderr + result.stdout


def test_the_medicines_page_shows_real_output() -> None:
    # `python docs/readme_examples.py docs/medicines.md` refreshes it
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("examples", REPO / "docs" / "readme_examples.py")
    assert spec and spec.loader
    examples = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = examples
    spec.loader.exec_module(examples)
    page = (REPO / "docs" / "medicines.md").read_text(encoding="utf-8")
    blocks = examples.BLOCK_RE.findall(page)
    assert len(blocks) >= 2 and all(examples.render(b) == b for b in blocks)


@pytest.mark.parametrize(("name", "words"), [
    ("the pill", "blood clot"), ("Premarin", "blood clot"), ("Qualaquin", "danger signs"),
])  # fmt: skip
def test_check_shows_a_named_medicines_own_caution(name: str, words: str) -> None:
    text = " ".join(checked("--medicine", name, "--when", "night").stdout.split()).lower()
    assert words in text.split("caution:", 1)[1].split("do not stop")[0]


def test_the_diary_report_says_a_blood_thinner_is_not_linked() -> None:
    logged = installed("log", "--minutes", "2", "--pain", "5", "--medicine", "warfarin")
    assert logged.returncode == 0, logged.stderr
    text = " ".join(installed("report").stdout.split())
    assert "warfarin: not linked to cramps" in text and "none link" not in text
