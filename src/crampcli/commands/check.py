"""`crampcli check`, the symptom checker: its options are the engine's answer values."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import typer

from crampcli.commands import completing
from crampcli.commands.common import JSON_OPTION, State, between, emit, handles_errors

if TYPE_CHECKING:
    from crampcli.knowledge.model import KnowledgeBase

app = typer.Typer()


# `check`: the answer values, as option choices. They must equal answers.check.values(topic)
# (tests/test_check.py checks); they live here so that the engine is imported only by `check`.


class Where(str, Enum):
    calf = "calf"
    foot = "foot"
    thigh = "thigh"


class Timing(str, Enum):
    night = "night"
    exercise = "exercise"
    after_exercise = "after-exercise"
    rest = "rest"


class Legs(str, Enum):
    one = "one"
    both = "both"


class Recent(str, Enum):
    sweating = "sweating"
    heat = "heat"
    hard_exercise = "hard-exercise"
    cold = "cold"
    one_position = "one-position"
    new_medicine = "new-medicine"
    alcohol = "alcohol"
    dehydration = "dehydration"
    tired = "tired"
    vomiting_diarrhoea = "vomiting-diarrhoea"
    gave_birth = "gave-birth"
    surgery = "surgery"
    long_journey = "long-journey"


class Sign(str, Enum):
    swelling = "swelling"
    redness = "redness"
    warmth = "warmth"
    tenderness = "tenderness"
    numbness = "numbness"
    tingling = "tingling"
    weakness = "weakness"
    sudden = "sudden"
    back_pain = "back-pain"
    walking_pain = "walking-pain"
    breathlessness = "breathlessness"
    chest_pain = "chest-pain"
    palpitations = "palpitations"
    wound = "wound"
    toxin = "toxin"
    stiff_jaw = "stiff-jaw"
    dark_urine = "dark-urine"
    severe_pain = "severe-pain"
    confusion = "confusion"
    seizure = "seizure"
    vomiting = "vomiting"
    hot_skin = "hot-skin"
    fever = "fever"
    collapse = "collapse"
    groin_numbness = "groin-numbness"
    bladder_bowel_change = "bladder-bowel-change"
    cold_pale_leg = "cold-pale-leg"
    limp = "limp"
    twitching = "twitching"
    urge_to_move = "urge-to-move"


class Condition(str, Enum):
    heart = "heart"
    heart_failure = "heart-failure"
    diabetes = "diabetes"
    kidney = "kidney"
    dialysis = "dialysis"
    liver = "liver"
    thyroid = "thyroid"
    circulation = "circulation"
    neuropathy = "neuropathy"
    high_cholesterol = "high-cholesterol"
    low_calcium = "low-calcium"
    ulcer = "ulcer"
    asthma = "asthma"


def _one_of(choices: type[Enum]) -> str:
    return ", ".join(c.value for c in choices)


CHECK_WHERE = typer.Option(
    None, "--where", metavar="PLACE", help=f"Where the cramp is: {_one_of(Where)}."
)
CHECK_WHEN = typer.Option(
    None, "--when", metavar="WHEN", help=f"When cramps come: {_one_of(Timing)}."
)
CHECK_LASTS = typer.Option(
    None, "--lasts-min", metavar="N", callback=between(0), help="How many minutes a cramp lasts."
)
CHECK_PER_WEEK = typer.Option(
    None, "--per-week", metavar="N", callback=between(0), help="How many cramps in a week."
)
CHECK_WOKE = typer.Option(
    None,
    "--woke-per-week",
    metavar="N",
    callback=between(0),
    help="How many times a week a cramp wakes you.",
)
CHECK_AGE = typer.Option(
    None, "--age", metavar="N", callback=between(0, 130), help="Your age in years."
)
CHECK_LEGS = typer.Option(
    None,
    "--legs",
    metavar="WHICH",
    help=f"Cramps, pain or swelling in one leg or both: {_one_of(Legs)}.",
)
CHECK_PREGNANT = typer.Option(False, "--pregnant", help="You are pregnant.")
CHECK_BREASTFEEDING = typer.Option(False, "--breastfeeding", help="You are breastfeeding.")
CHECK_SPORT = typer.Option(False, "--sport", help="You do sport regularly.")
CHECK_RECENT = typer.Option(
    None, "--recent", metavar="WHAT", help=f"Something recent (repeatable): {_one_of(Recent)}."
)
CHECK_SIGN = typer.Option(
    None,
    "--sign",
    metavar="SIGN",
    help=f"A warning sign you have noticed (repeatable): {_one_of(Sign)}.",
)
CHECK_CONDITION = typer.Option(
    None,
    "--condition",
    metavar="NAME",
    help=f"A long-term condition you have (repeatable): {_one_of(Condition)}.",
)
CHECK_MEDICINE = typer.Option(
    None,
    "--medicine",
    metavar="NAME",
    autocompletion=completing.medicine,
    help="A medicine you take, generic or brand (repeatable)."
)
CHECK_INTERACTIVE = typer.Option(
    False, "--interactive", "-i", help="Ask the questions, even with options or no terminal."
)
CHECK_HINT = (
    "no answers given and no terminal to ask on. Give some, e.g. "
    "`crampcli check --when night --age 67`, or see `crampcli check --help`."
)


@app.command()
@handles_errors
def check(
    ctx: typer.Context,
    where: Where | None = CHECK_WHERE,
    when: Timing | None = CHECK_WHEN,
    legs: Legs | None = CHECK_LEGS,
    lasts_min: float | None = CHECK_LASTS,
    per_week: int | None = CHECK_PER_WEEK,
    woke_per_week: int | None = CHECK_WOKE,
    age: int | None = CHECK_AGE,
    pregnant: bool = CHECK_PREGNANT,
    breastfeeding: bool = CHECK_BREASTFEEDING,
    sport: bool = CHECK_SPORT,
    recent: list[Recent] | None = CHECK_RECENT,
    sign: list[Sign] | None = CHECK_SIGN,
    condition: list[Condition] | None = CHECK_CONDITION,
    medicine: list[str] | None = CHECK_MEDICINE,
    interactive: bool = CHECK_INTERACTIVE,
    from_diary: bool = typer.Option(False, "--from-diary", help="Fill answers from your diary."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Symptom checker: red flags and care level first, then likely causes and what helps.

    With no options on a terminal it asks a few questions; otherwise give the answers as options.
    """
    from crampcli.answers import check as engine
    from crampcli.errors import UsageProblem
    from crampcli.output import views

    state: State = ctx.obj
    env = state.env
    kb = state.kb()  # a broken knowledge base fails before any question is asked
    answers = engine.Answers(
        where=where.value if where else None,
        when=when.value if when else None,
        legs=legs.value if legs else None,
        lasts_min=lasts_min,
        per_week=per_week,
        woke_per_week=woke_per_week,
        age=age,
        pregnant=pregnant,
        breastfeeding=breastfeeding,
        sport=sport,
        recent=tuple(dict.fromkeys(r.value for r in recent or ())),
        sign=tuple(dict.fromkeys(s.value for s in sign or ())),
        condition=tuple(dict.fromkeys(c.value for c in condition or ())),
        medicines=_medicine_ids(state, kb, medicine or []),
    )
    if from_diary:  # the last 4 weeks fill the answers not given, medicines named included
        from crampcli.commands.diary import answers_with_diary

        answers = answers_with_diary(kb, answers)
    if interactive or (answers.is_empty() and env.stdin_isatty and env.stdout_isatty):
        from crampcli.interactive import questionnaire

        answers = questionnaire.ask(env, kb, answers)
    elif answers.is_empty():
        raise UsageProblem(CHECK_HINT)
    result = engine.check(kb, answers)
    emit(env, views.check_dict(result) if as_json else views.check_result(kb, result, state.where))


def _medicine_ids(state: State, kb: KnowledgeBase, names: list[str]) -> tuple[str, ...]:
    """The medicine entries these names belong to; a note on stderr for a name not in our list
    (in `meds`'s words: not proof of no link) or known and not linked to cramps."""
    from crampcli.answers.medicines import entry_ids, match_names
    from crampcli.output.safe import printable
    from crampcli.output.views import medicine_note

    found = match_names(kb, names)
    for m in found:
        if m.entry is None or m.link == "none":
            print(printable(f"crampcli: {medicine_note(m)}"), file=state.env.stderr)
    return entry_ids(found)
