"""The knowledge.md Version 3 invariants, held over every answer token (hypothesis), not only
over the examples of issue 18: every sign has a floor, care is the highest of everything
raised, red flags carry their first aid, an emergency shows nothing else."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from crampcli.answers.check import Answers, CheckResult, check, values
from crampcli.knowledge import loading
from crampcli.knowledge.model import CARE_LEVELS
from crampcli.output import plain, views
from crampcli.output.document import DISCLAIMER, EMERGENCY_DISCLAIMER

KB = loading.load(loading.bundled_path())
MEDICINES = [e.id for e in KB.of_kind("medicine")]
NOT_A_SIGN = "none of your answers is a warning sign"


def _subset(topic: str, max_size: int = 3) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(values(topic)), max_size=max_size, unique=True).map(tuple)


answers = st.builds(
    Answers,
    where=st.none() | st.sampled_from(values("where")),
    when=st.none() | st.sampled_from(values("when")),
    legs=st.none() | st.sampled_from(values("legs")),
    lasts_min=st.none() | st.floats(0, 30),
    per_week=st.none() | st.integers(0, 10).map(float),
    age=st.none() | st.integers(0, 100).map(float),
    pregnant=st.booleans(),
    breastfeeding=st.booleans(),
    sport=st.booleans(),
    recent=_subset("recent"),
    sign=_subset("sign"),
    condition=_subset("condition"),
    medicines=st.lists(st.sampled_from(MEDICINES), max_size=2, unique=True).map(tuple),
)


def _text(result: CheckResult) -> str:
    return " ".join(plain.render(views.check_result(KB, result), 200).split())


def _severity(care: str) -> int:
    return CARE_LEVELS.index(care)


def test_every_sign_alone_raises_a_doctor_or_says_why_not() -> None:
    for sign in values("sign"):
        result = check(KB, Answers(sign=(sign,)))
        told = {n.when for n in result.notes}
        assert _severity(result.care) <= _severity("doctor") or f"sign:{sign}" in told, sign
        assert NOT_A_SIGN not in _text(result).lower(), sign


@settings(max_examples=300, deadline=None)
@given(answers=answers)
def test_after_any_sign_never_none_is_a_warning_sign(answers: Answers) -> None:
    result = check(KB, answers)
    if answers.sign:
        assert NOT_A_SIGN not in _text(result).lower()
    for sign in answers.sign:  # each sign raised something, or its note is shown
        token = f"sign:{sign}"
        raised = {t for r in (*result.red_flags, *result.look_alikes) for t in r.because}
        raised |= {t for f in (*result.red_flags, *result.medicines) for t in f.escalated_by}
        assert token in raised or token in {n.when for n in result.notes} or result.emergency


@settings(max_examples=300, deadline=None)
@given(answers=answers)
def test_care_is_the_highest_of_every_flag_medicine_and_look_alike(answers: Answers) -> None:
    result = check(KB, answers)
    levels = [f.care for f in (*result.red_flags, *result.medicines)]
    levels += [c.entry.care or "self-care" for c in result.look_alikes]
    assert result.care == min(levels, key=_severity, default="self-care")
    banner = _text(result).split("[care · ")[1].split("]")[0]
    assert banner == result.care  # the banner says the care level the boxes add up to


@settings(max_examples=300, deadline=None)
@given(answers=answers)
def test_an_emergency_shows_only_the_call_and_its_first_aid(answers: Answers) -> None:
    result = check(KB, answers)
    if not result.emergency:
        return
    out = _text(result)
    for flag in (f for f in result.red_flags if f.care == "emergency"):
        assert flag.entry.first_aid, flag.entry.id
        assert all(" ".join(step.split()) in out for step in flag.entry.first_aid)
    for flag in (f for f in result.red_flags if f.care != "emergency"):
        assert f"{flag.entry.title}:" not in out
    assert out.endswith(EMERGENCY_DISCLAIMER) and DISCLAIMER not in out
    assert "May be linked to" not in out and "What may help" not in out


@settings(max_examples=300, deadline=None)
@given(answers=answers)
def test_a_raised_flag_carries_its_first_aid_and_leaves_out_what_can_hurt(
    answers: Answers,
) -> None:
    result = check(KB, answers)
    out = _text(result)
    offered = {h.entry.id for h in result.helps} | {e.id for e in result.relief}
    for flag in result.red_flags:
        if flag.care in ("emergency", "urgent"):
            assert flag.entry.first_aid, flag.entry.id
        if flag.care == "emergency" or not result.emergency:
            assert all(" ".join(step.split()) in out for step in flag.entry.first_aid)
        assert not offered & set(flag.entry.leave_out), flag.entry.id


@settings(max_examples=200, deadline=None)
@given(answers=answers)
def test_an_unsupported_entry_is_never_what_helps(answers: Answers) -> None:
    result = check(KB, answers)
    for h in result.helps:
        assert h.entry.evidence is None or h.entry.evidence.grade != "not supported"


def test_no_emergency_first_aid_names_one_countrys_number() -> None:
    # The banner names the reader's number; the steps under it must not contradict it.
    for flag in KB.of_kind("red-flag"):
        for step in flag.first_aid:
            assert not re.search(r"\b(999|112|911)\b", step), (flag.id, step)
