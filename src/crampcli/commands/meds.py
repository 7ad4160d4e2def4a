"""`crampcli meds` (is a medicine linked to cramps?) and `crampcli doctor` (the guide)."""

from __future__ import annotations

import typer

from crampcli.commands import completing
from crampcli.commands.common import JSON_OPTION, State, emit, handles_errors
from crampcli.errors import NotFound

app = typer.Typer()


@app.command()
@handles_errors
def meds(
    ctx: typer.Context,
    names: list[str] = typer.Argument(
        ...,
        metavar="NAME...",
        autocompletion=completing.medicine,
        help="Medicine names, generic or brand (typos are fine).",
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Is a medicine linked to cramps? How strongly, the source, and what to do."""
    from crampcli.answers.medicines import match_names
    from crampcli.output import views

    state: State = ctx.obj
    kb = state.kb()
    given = [n for n in names if n.strip()]
    if not given:
        from crampcli.errors import UsageProblem

        raise UsageProblem("give a medicine name, e.g. `crampcli meds atorvastatin`")
    found = match_names(kb, given)
    emit(state.env, views.meds_dict(found) if as_json else views.meds(kb, found, state.where))


GUIDE_ID = "seeing-a-doctor"


@app.command()
@handles_errors
def doctor(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Seeing a doctor about cramps: what to bring, what they may ask, check, test and offer."""
    from crampcli.output import views

    state: State = ctx.obj
    kb = state.kb()
    entry = kb.get(GUIDE_ID)
    if entry is None or entry.kind != "guide":
        raise NotFound(f"this knowledge base has no {GUIDE_ID!r} guide")
    emit(
        state.env,
        {"entry": views.entry_dict(kb, entry)} if as_json else views.show(kb, entry, state.where),
    )
