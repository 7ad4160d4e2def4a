"""Issue 18, order and labels: evidence first and audience second in every list, unsupported
claims and quinine in labelled blocks, calf stretching first, the stop step and quinine's
pregnancy caution for every audience, and the articles' corrections and sources, each through
the installed command."""

from __future__ import annotations

import itertools
import json
import subprocess
from typing import Any

import pytest

from conftest import DATA, INSTALLED, installed
from crampcli.knowledge.model import AUDIENCES

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")
DOC = json.loads(DATA.read_text(encoding="utf-8"))  # which ids to ask the command about
WHO = [[], *([a] for a in AUDIENCES), *(list(p) for p in itertools.combinations(AUDIENCES, 2))]


def ok(*args: str) -> subprocess.CompletedProcess[str]:
    result = installed(*args)
    assert result.returncode == 0, result.stderr
    return result


def as_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json").stdout)


def flat(text: str) -> str:
    return " ".join(text.split())


def who_args(who: list[str]) -> list[str]:
    return [arg for a in who for arg in ("--who", a)]


def _tips_before_the_rest(entries: list[dict[str, Any]], where: str) -> None:
    """No `not supported` entry, nor one advised against, above a supported or mixed tip."""
    ranks = [
        2 if e["evidence"]["grade"] == "not supported" else 1 if e.get("advised_against") else 0
        for e in entries
    ]
    assert ranks == sorted(ranks), (where, [e["id"] for e in entries])


@pytest.mark.parametrize("who", WHO, ids=lambda w: ",".join(w) or "everyone")
def test_no_unsupported_entry_ranks_above_a_supported_one_in_any_list(who: list[str]) -> None:
    for command, key in (("causes", "causes"), ("prevent", "prevention")):
        _tips_before_the_rest(as_json(command, *who_args(who))[key], f"{command} {who}")
    relieve = as_json("relieve", *who_args(who))
    for key in ("relief", "prevention"):
        _tips_before_the_rest(relieve[key], f"relieve {key} {who}")


def test_show_lists_what_the_evidence_does_not_support_in_its_own_labelled_row() -> None:
    # every entry with helps: the "What helps" row holds no unsupported entry
    grade = {e["id"]: e.get("evidence", {}).get("grade") for e in DOC["entries"]}
    for entry in (e for e in DOC["entries"] if e.get("helps")):
        text = flat(ok("show", entry["id"]).stdout)
        helps = text.split("What helps:", 1)[1].split("See also:")[0].split("Evidence:")[0]
        tips, _, claims = helps.partition("Claims the evidence does not support:")
        for i in entry["helps"]:
            if grade[i] == "not supported":
                assert f"({i})" not in tips and f"({i})" in claims, (entry["id"], i)


def test_prevent_puts_unsupported_claims_and_quinine_in_labelled_blocks() -> None:
    text = ok("prevent").stdout
    tips, _, rest = text.partition("NOT RECOMMENDED")
    not_recommended, _, claims = rest.partition("CLAIMS THE EVIDENCE DOES NOT SUPPORT")
    assert "quinine-not-recommended" not in tips and "quinine-not-recommended" in not_recommended
    for claim in ("warm-foot-soak", "keep-legs-warm", "calcium-vitamin-d-foods", "magnesium"):
        assert f"· {claim}]" in claims and f"· {claim}]" not in tips, claim
    brief = ok("prevent", "--brief").stdout.splitlines()
    assert any(line.startswith("magnesium: [not supported]") for line in brief)
    assert any(line.startswith("quinine-not-recommended: [not recommended]") for line in brief)


@pytest.mark.parametrize("who", WHO, ids=lambda w: ",".join(w) or "everyone")
def test_calf_stretching_leads_prevention_for_everyone(who: list[str]) -> None:
    assert as_json("prevent", *who_args(who))["prevention"][0]["id"] == "calf-stretching"


def test_causes_for_pregnancy_never_put_low_calcium_above_no_clear_cause() -> None:
    ids = [c["id"] for c in as_json("causes", "--who", "pregnant")["causes"]]
    assert ids.index("unknown-cause") < ids.index("calcium-deficiency")


def test_show_pregnancy_does_not_list_magnesium_as_what_helps() -> None:
    text = flat(ok("show", "pregnancy").stdout)
    helps = text.split("What helps:", 1)[1].split("See also:")[0]
    assert "magnesium" not in helps.lower()


@pytest.mark.parametrize("who", WHO, ids=lambda w: ",".join(w) or "everyone")
def test_the_stop_step_shows_for_every_audience(who: list[str]) -> None:
    assert "pull over first if you are driving" in flat(
        ok("relieve", "--now", *who_args(who)).stdout
    )
    assert as_json("relieve", *who_args(who))["relief"][0]["id"] == "rest-after-cramp"


def test_quinines_pregnancy_caution_reaches_prevent_for_pregnant_people() -> None:
    text = flat(ok("prevent", "--who", "pregnant").stdout)
    assert "quinine must not be used for cramps because it can harm the baby" in text.lower()


# --- the two articles' corrections, and sources ----------------------------------------------


ARTICLE_CLAIMS = {
    "what-causes-leg-cramps-in-women": [
        "calcium tablets in pregnancy", "degeneration of spinal cord nerves",
    ],
    "is-leg-cramps-during-sleep-due-to-calcium": [
        "the elderly are prone to calcium deficiency", "40 °c", "numb", "diabetic",
        "poor circulation",
    ],
}  # fmt: skip


@pytest.mark.parametrize(("article", "words"), ARTICLE_CLAIMS.items())
def test_article_corrections_name_each_claim_the_references_dispute(
    article: str, words: list[str]
) -> None:
    text = flat(ok("show", article).stdout).lower()
    note = text.split("what the references say differently", 1)[1].split("read instead")[0]
    for word in words:
        assert word in note, word


def test_sources_the_audit_found_unsupported_are_fixed() -> None:
    assert "uncommon" not in ok("show", "calcium-channel-blockers").stdout
    nerve = as_json("show", "nerve-and-muscle-disease")["entry"]
    assert "parkinson" not in nerve["summary"].lower()
    sources = as_json("show", "warm-foot-soak")["entry"]["sources"]
    assert "mayo-muscle-cramp" not in [s["id"] for s in sources]
    quinine = flat(ok("show", "quinine-not-recommended").stdout)
    assert "El-Tawil" in quinine and "10.1002/14651858.CD005044.pub3" in quinine
    for ref in (
        "nidirect-leg-cramps",
        "grandner-2017",
        "cochrane-2020-magnesium",
        "fda-2010-quinine",
    ):
        title = next(r["title"] for r in DOC["references"] if r["id"] == ref)
        citing = next(e["id"] for e in DOC["entries"] if ref in e["sources"])
        assert f"{title} <https://" in flat(ok("show", citing).stdout), ref
