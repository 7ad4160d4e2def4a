"""Issue 18's harmful cases and "wrong today" lines, each through the installed command.

Every test here failed on the commit before the triage work (checked against a checkout of
it with its own venv). Only the installed command and its JSON and text are used, so the file
runs unchanged against any version of crampcli.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import INSTALLED, installed

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")

LEVELS = ("self-care", "doctor", "urgent", "emergency")
NOT_A_SIGN = "none of your answers is a warning sign"
CLOT_RISKS = [
    ["--pregnant"],
    ["--recent", "gave-birth"],
    ["--recent", "surgery"],
    ["--recent", "long-journey"],
    ["--medicine", "estradiol"],
]


def checked(*args: str) -> dict[str, Any]:
    result = installed("check", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def text(*args: str) -> str:
    result = installed("--country", "GB", "check", *args)
    assert result.returncode == 0, result.stderr
    # what a person sees: the footer is a message, on stderr when stdout is not a terminal
    return " ".join((result.stdout + result.stderr).split())


def at_least(care: str, level: str) -> bool:
    return LEVELS.index(care) >= LEVELS.index(level)


def helps(out: dict[str, Any]) -> set[str]:
    return {h["id"] for h in out["helps"]}


def left_out(out: dict[str, Any]) -> dict[str, str]:
    return {o["id"]: o["reason"] for o in out["left_out"]}


# --- harmful 1: collapse ----------------------------------------------------------------------


def test_a_faint_alone_needs_a_doctor() -> None:
    args = ("--sign", "collapse", "--age", "50")
    assert checked(*args)["care"] == "doctor"
    assert NOT_A_SIGN not in text(*args).lower()


def test_collapse_with_heart_failure_on_a_water_tablet_is_an_emergency() -> None:
    args = ("--condition", "heart-failure", "--medicine", "furosemide", "--sign", "collapse")
    assert checked(*args, "--age", "80")["care"] == "emergency"


def test_a_faint_during_exercise_is_an_emergency() -> None:
    assert checked("--sign", "collapse", "--when", "exercise")["care"] == "emergency"


# --- harmful 2: confusion, possible low sodium --------------------------------------------------


def test_confusion_after_hard_exercise_is_an_emergency_without_drink_more() -> None:
    args = ("--sport", "--when", "exercise", "--recent", "hard-exercise", "--sign", "confusion")
    out = checked(*args, "--sign", "vomiting", "--age", "40")
    assert out["care"] == "emergency" and "stay-hydrated" not in helps(out)
    assert "plain water" in text(*args, "--sign", "vomiting")


def test_confusion_on_a_thiazide_is_an_emergency_and_water_is_not_the_answer() -> None:
    args = ("--age", "84", "--medicine", "bendroflumethiazide", "--sign", "confusion")
    assert checked(*args)["care"] == "emergency"
    out = text(*args)
    assert "Drink enough fluid" not in out and "more water makes it worse" in out


def test_vomiting_on_a_water_tablet_may_be_low_sodium() -> None:
    assert checked("--medicine", "bendroflumethiazide", "--sign", "vomiting")["care"] == (
        "emergency"
    )


# --- harmful 3 and the fluid-limit line: salt and fluids with a limit ---------------------------


@pytest.mark.parametrize("condition", ["liver", "dialysis", "heart-failure"])
def test_salt_is_left_out_and_fluids_keep_to_the_limit(condition: str) -> None:
    out = checked("--condition", condition, "--recent", "heat", "--recent", "sweating")
    assert "replace-fluids-salts" in left_out(out) and "replace-fluids-salts" not in helps(out)
    assert left_out(out)["stay-hydrated"].startswith("Keep to your fluid limit")


def test_cirrhosis_on_spironolactone_in_the_heat_is_not_told_salted_drinks_help() -> None:
    args = ("--condition", "liver", "--medicine", "spironolactone", "--recent", "heat")
    out = checked(*args, "--recent", "sweating", "--age", "58")
    assert "replace-fluids-salts" not in helps(out)
    assert at_least(out["care"], "doctor")


# --- harmful 4: statins -----------------------------------------------------------------------


@pytest.mark.parametrize("sign", ["dark-urine", "weakness", "tenderness", "severe-pain"])
def test_muscle_symptoms_on_a_statin_are_urgent_with_the_nhs_stop_line(sign: str) -> None:
    args = ("--medicine", "atorvastatin", "--sign", sign)
    assert checked(*args)["care"] == "urgent"
    out = text(*args)
    assert "stop taking it and call a doctor or 111 straight away" in out
    assert "Do not stop or change a prescribed medicine yourself" not in out


# --- harmful 5 and the clot banner: a possible clot ---------------------------------------------


@pytest.mark.parametrize("risk", CLOT_RISKS, ids=lambda r: r[-1])
def test_one_tender_calf_with_a_clot_risk_is_urgent(risk: list[str]) -> None:
    args = (*risk, "--where", "calf", "--sign", "tenderness")
    out = checked(*args)
    assert out["care"] == "urgent"
    assert not {"walk-it-off", "massage-the-muscle", "light-exercise-before-bed"} & helps(out)
    assert "Do not rub or massage the leg" in text(*args)


def test_pregnant_with_a_tender_painful_calf_is_never_told_to_walk() -> None:
    args = ("--pregnant", "--where", "calf", "--sign", "tenderness", "--sign", "severe-pain")
    out = checked(*args)
    assert out["care"] == "urgent" and "walk-it-off" not in helps(out)
    said = text(*args)
    assert "Do not rub or massage the leg" in said and "Stand on the leg" not in said


def test_under_a_clot_banner_rubbing_walking_and_the_bike_are_left_out() -> None:
    args = ("--sign", "swelling", "--sign", "redness", "--when", "night", "--age", "70")
    out = checked(*args)
    assert out["care"] == "urgent"
    assert not {"walk-it-off", "massage-the-muscle", "light-exercise-before-bed"} & helps(out)
    said = text(*args)
    assert "exercise bike" not in said.split("Not for you")[0]
    assert "firmly rub" not in said.lower() and "Do not rub or massage the leg" in said


# --- harmful 6: dark urine ----------------------------------------------------------------------


def test_dark_urine_after_a_hard_workout_with_tender_muscles_is_urgent() -> None:
    args = ("--recent", "hard-exercise", "--sign", "dark-urine", "--sign", "tenderness")
    assert checked(*args, "--age", "25")["care"] == "urgent"
    assert NOT_A_SIGN not in text(*args).lower()


def test_dark_urine_alone_needs_a_doctor() -> None:
    assert checked("--sign", "dark-urine")["care"] == "doctor"


# (with a statin, severe pain or weakness it was urgent already: tests/test_check.py)
@pytest.mark.parametrize("extra", ["heat", "hard-exercise"])
def test_dark_urine_after_heat_or_hard_exercise_is_urgent(extra: str) -> None:
    assert checked("--sign", "dark-urine", "--recent", extra)["care"] == "urgent"


# --- heat exhaustion and heatstroke -------------------------------------------------------------


@pytest.mark.parametrize("sign", ["vomiting", "hot-skin", "fever"])
def test_heat_exhaustion_is_urgent_with_cooling_steps(sign: str) -> None:
    args = ("--recent", "heat", "--sign", sign)
    assert checked(*args)["care"] == "urgent"
    out = text(*args)
    assert "Move somewhere cool" in out and "30 minutes" in out


@pytest.mark.parametrize("sign", ["confusion", "collapse", "seizure"])
def test_heatstroke_is_an_emergency_and_the_cooling_steps_still_print(sign: str) -> None:
    args = ("--recent", "heat", "--sign", sign)
    out = checked(*args)
    assert out["care"] == "emergency" and out["first_aid"]
    said = text(*args)
    assert said.startswith("EMERGENCY") and "Cool the skin" in said


# --- tetanus, stroke ----------------------------------------------------------------------------


def test_a_stiff_jaw_after_a_dirty_wound_is_an_emergency() -> None:
    assert checked("--sign", "wound", "--sign", "stiff-jaw")["care"] == "emergency"


def test_sudden_weakness_is_a_stroke_sign() -> None:
    args = ("--sign", "weakness", "--sign", "sudden")
    assert checked(*args)["care"] == "emergency"
    assert "FAST" in text(*args)


# --- children -----------------------------------------------------------------------------------


def test_a_childs_night_leg_aches_may_be_growing_pains_not_adult_advice() -> None:
    args = ("--age", "8", "--when", "night", "--legs", "both")
    out = checked(*args)
    assert [c["id"] for c in out["look_alikes"]] == ["growing-pains"]
    assert "unknown-cause" not in [c["id"] for c in out["causes"]]
    assert "light-exercise-before-bed" not in helps(out)
    assert "exercise bike" not in text(*args)


@pytest.mark.parametrize(
    "args",
    [["--legs", "one"], ["--sign", "swelling"], ["--sign", "limp"], ["--sign", "fever"]],
    ids=lambda a: a[-1],
)
def test_one_leg_swelling_a_limp_or_fever_in_a_child_is_urgent(args: list[str]) -> None:
    child = ("--age", "6", "--when", "night", *args)
    assert checked(*child)["care"] == "urgent"
    said = text(*child)
    assert "injury or an infection" in said and "blood clot" not in said.lower()


# --- banner and boxes agree; never "none is a warning sign" after a sign -------------------------


def test_restless_legs_banner_and_box_agree() -> None:
    args = ("--sign", "urge-to-move", "--when", "night")
    assert checked(*args)["care"] == "doctor"
    assert text(*args).startswith("SEE A DOCTOR")


@pytest.mark.parametrize("sign", ["tenderness", "twitching", "vomiting", "hot-skin", "limp"])
def test_a_sign_that_is_not_a_warning_sign_alone_says_why(sign: str) -> None:
    said = text("--sign", sign).lower()
    assert NOT_A_SIGN not in said and "warning sign" in said


# --- conditions and medicines that set a floor ---------------------------------------------------


@pytest.mark.parametrize("condition", ["dialysis", "liver", "low-calcium"])
def test_cramps_with_a_care_team_condition_need_at_least_a_doctor(condition: str) -> None:
    assert at_least(checked("--condition", condition)["care"], "doctor")


def test_high_cholesterol_alone_asks_about_statins_not_medicines_first() -> None:
    out = checked("--condition", "high-cholesterol")
    assert out["causes"][0]["id"] != "medication"
    assert "statin" in text("--condition", "high-cholesterol")


def test_neuropathy_is_not_read_as_diabetes() -> None:
    out = checked("--condition", "neuropathy")
    assert "diabetes" not in [c["id"] for c in out["causes"]]


def test_twitching_alone_never_names_motor_neurone_disease() -> None:
    assert "motor neurone" not in text("--sign", "twitching").lower()
    args = ("--sign", "twitching", "--sign", "weakness")
    assert checked(*args)["care"] == "doctor" and "motor neurone" in text(*args).lower()


def test_both_legs_swollen_with_heart_failure_is_the_heart_team_today_not_a_clot() -> None:
    args = ("--sign", "swelling", "--legs", "both", "--condition", "heart-failure")
    assert checked(*args)["care"] == "urgent"
    said = text(*args)
    assert "heart" in said and "blood clot (DVT)" not in said


@pytest.mark.parametrize("medicine", [[], ["--medicine", "amlodipine"]], ids=["unnamed", "named"])
def test_a_new_medicine_is_a_medicines_review(medicine: list[str]) -> None:
    args = ("--recent", "new-medicine", *medicine)
    assert at_least(checked(*args)["care"], "doctor")
    assert "medicines review with your doctor or pharmacist" in text(*args)


# --- the emergency footer, and the JSON echo ----------------------------------------------------


def test_an_emergency_ends_with_a_short_footer() -> None:
    said = text("--sign", "chest-pain")
    assert "See a doctor if cramps are frequent" not in said
    assert said.endswith("Not medical advice: if in doubt, call for help.")


def test_json_echoes_the_answers_it_used() -> None:
    out = checked("--age", "30", "--legs", "one", "--sign", "fever", "--breastfeeding")
    assert out["answers"]["age"] == 30 and out["answers"]["legs"] == "one"
    assert out["answers"]["sign"] == ["fever"] and out["answers"]["breastfeeding"] is True


# --- validate: a sign with no rule of its own is a broken knowledge base -------------------------


def test_validate_rejects_a_knowledge_base_where_a_sign_has_no_rule(
    kb_doc: dict[str, Any], tmp_path: Path
) -> None:
    for entry in kb_doc["entries"]:  # twitching's only rule is its note
        entry["notes"] = [n for n in entry.get("notes", []) if n["if"] != "sign:twitching"]
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(kb_doc), encoding="utf-8")
    result = installed("validate", str(path))
    assert result.returncode == 1
    assert "no rule of its own for sign:twitching" in result.stdout + result.stderr


# --- danger signs that a named medicine or a condition makes more serious ------------------------


@pytest.mark.parametrize("sign", ["palpitations", "fever"])
def test_a_quinine_danger_sign_is_urgent(sign: str) -> None:
    out = checked("--age", "75", "--medicine", "quinine", "--sign", sign)
    assert out["care"] == "urgent"


@pytest.mark.parametrize("condition", ["kidney", "dialysis"])
def test_palpitations_with_kidney_disease_are_urgent(condition: str) -> None:
    assert checked("--age", "63", "--condition", condition, "--sign", "palpitations")["care"] == (
        "urgent"
    )


def test_a_statin_beside_another_medicine_never_hears_do_not_stop() -> None:
    out = text("--medicine", "atorvastatin", "--medicine", "furosemide", "--sign", "weakness")
    assert "stop taking it" in out
    assert "Do not stop or change a prescribed medicine" not in out
    assert "For your other medicines" in out


@pytest.mark.parametrize("command", [["show", "heat-after-cramp"], ["relieve"]])
def test_heat_is_cautioned_for_a_red_calf_and_poor_circulation(command: list[str]) -> None:
    result = installed(*command)
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stdout.split())
    assert "Not on a calf that is swollen, red or warm" in said
    assert "poor circulation" in said


def test_the_most_serious_box_comes_first_whether_flag_or_medicine() -> None:
    out = text("--medicine", "atorvastatin", "--sign", "weakness")
    assert out.index("URGENT: Statins") < out.index("DOCTOR: Numbness")


@pytest.mark.parametrize("condition", ["kidney", "heart-failure"])
def test_cramps_with_kidney_disease_or_heart_failure_need_the_team(condition: str) -> None:
    out = checked("--age", "70", "--when", "night", "--condition", condition)
    assert out["care"] == "doctor"
    assert "cramps-with-a-care-team" in {f["id"] for f in out["red_flags"]}
