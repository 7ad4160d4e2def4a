"""The reading commands: causes, relieve, prevent, warning-signs, articles, show, search."""

from __future__ import annotations

import functools
from enum import Enum
from typing import TYPE_CHECKING

import typer
from typer import _click as click

from crampcli.commands.common import (
    BRIEF_OPTION,
    JSON_OPTION,
    WHO_OPTION,
    State,
    between,
    emit,
    handles_errors,
    limit_option,
    none_matched,
)
from crampcli.errors import CrampError, NotFound

if TYPE_CHECKING:
    from crampcli.knowledge.model import Entry, KnowledgeBase

app = typer.Typer()


class When(str, Enum):
    night = "night"
    exercise = "exercise"
    after_exercise = "after-exercise"
    rest = "rest"
    cold = "cold"
    heat = "heat"


@app.command()
@handles_errors
def causes(
    ctx: typer.Context,
    who: list[str] | None = WHO_OPTION,
    when: When | None = typer.Option(
        None,
        "--when",
        metavar="WHEN",
        help=f"Only causes linked to this situation: {', '.join(w.value for w in When)}.",
    ),
    brief: bool = BRIEF_OPTION,
    limit: int | None = limit_option(None),
    as_json: bool = JSON_OPTION,
) -> None:
    """Why leg cramps happen: every cause, with what helps and the sources."""
    from crampcli.output import views

    state: State = ctx.obj
    kb = state.kb()
    every = kb.of_kind("cause")
    found = views.causes_for(kb, who or [])
    found = [e for e in found if when is None or when.value in e.situations][:limit]
    if as_json:
        emit(state.env, views.entries_dict(kb, "causes", found))
    if not found:  # with --json too: one rule for an empty answer (help exit-codes)
        filters = [f"--{name}" for name, given in (("who", who), ("when", when)) if given]
        if not filters or not every:
            raise NotFound("nothing to show: this knowledge base lists no causes")
        none_matched(state.env, f"no cause matches those filters; try without {'/'.join(filters)}")
        return
    if as_json:
        return
    emit(state.env, views.listing(kb, found, brief=brief, banner=True, where=state.where))


@app.command()
@handles_errors
def relieve(
    ctx: typer.Context,
    now: bool = typer.Option(False, "--now", help="Cramping right now: the quickest steps only."),
    who: list[str] | None = WHO_OPTION,
    timer: bool = typer.Option(
        True, "--timer/--no-timer", help="With --now on a terminal: a hold-the-stretch countdown."
    ),
    seconds: int = typer.Option(
        30, "--seconds", metavar="N", callback=between(5, 300), help="Countdown length (5-300 s)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """What to do during a cramp, then how to prevent the next one and when to get help."""
    from crampcli.output import views

    state: State = ctx.obj
    kb = state.kb()
    if as_json:
        emit(state.env, views.relieve_dict(kb, now, who or []))
        return
    if now:  # never an empty panel: what this knowledge base lacks comes from the bundled one
        from crampcli.knowledge import loading

        bundled = None if views.ready_for_now(kb, who) else state.kb(loading.bundled_path())
        emit(state.env, views.relieve_now(kb, state.where, who, bundled), page=False)
    else:
        emit(state.env, views.relieve(kb, now, state.where, who or []))
    if now and timer and state.env.stdout_isatty:
        from crampcli.interactive import countdown

        state.env.stdout.flush()
        countdown.run(state.env, seconds)


@app.command()
@handles_errors
def prevent(
    ctx: typer.Context,
    who: list[str] | None = WHO_OPTION,
    brief: bool = BRIEF_OPTION,
    limit: int | None = limit_option(None),
    as_json: bool = JSON_OPTION,
) -> None:
    """How to make cramps less likely, best supported first, with cautions."""
    from crampcli.output.views import prevention_for

    state: State = ctx.obj
    kb = state.kb()
    found = prevention_for(kb, who or [])[:limit]
    _emit_entries(state, kb, "prevention", found, as_json, banner=True, brief=brief)


@app.command("warning-signs")
@handles_errors
def warning_signs(
    ctx: typer.Context, brief: bool = BRIEF_OPTION, as_json: bool = JSON_OPTION
) -> None:
    """When a cramp is not just a cramp: red flags, most serious first, with their care level."""
    from crampcli.output.views import by_severity

    state: State = ctx.obj
    kb = state.kb()
    flags = by_severity(kb.of_kind("red-flag"))
    _emit_entries(state, kb, "red_flags", flags, as_json, banner=False, brief=brief)


def _emit_entries(
    state: State,
    kb: KnowledgeBase,
    key: str,
    entries: list[Entry],
    as_json: bool,
    banner: bool,
    brief: bool = False,
) -> None:
    """A list of entries: ``{key: [...]}`` as JSON, or panels (after the urgent signs). Empty,
    it says why: none for those options (exit 0), or none in this knowledge base (exit 1)."""
    from crampcli.output import views

    if as_json:
        emit(state.env, views.entries_dict(kb, key, entries))
    elif entries:
        emit(state.env, views.listing(kb, entries, brief=brief, banner=banner, where=state.where))
    if entries:
        return
    what = key.replace("_", " ")
    if kb.of_kind({"prevention": "prevention", "red_flags": "red-flag"}[key]):
        none_matched(state.env, f"no {what} for those options; try without them")
        return
    raise NotFound(f"nothing to show: this knowledge base has no {what}")


@app.command()
@handles_errors
def articles(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """The source articles; read one with `crampcli show ID`."""
    from crampcli.output import views

    state: State = ctx.obj
    kb = state.kb()
    found = kb.of_kind("article")
    if as_json:
        emit(state.env, views.entries_dict(kb, "articles", found))
    elif found:
        emit(state.env, views.articles(kb))
    if not found:
        raise NotFound("nothing to show: this knowledge base has no articles")


def _complete_ids(ctx: click.Context, incomplete: str) -> list[str]:
    """Entry ids for shell completion of ``crampcli show``; none when the data cannot be read."""
    from crampcli.knowledge import loading

    try:
        root = ctx.find_root().params
        kb, _ = loading.load_chosen(root.get("data"), bool(root.get("data_alone")))
    except CrampError:
        return []
    return [e.id for e in kb.entries if e.id.startswith(incomplete)]


@app.command()
@handles_errors
def show(
    ctx: typer.Context,
    entry_id: str = typer.Argument(
        ...,
        metavar="ID",
        help="An entry id, e.g. calcium-deficiency.",
        autocompletion=_complete_ids,
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """One entry in full, with its sources."""
    from crampcli.output import views

    state: State = ctx.obj
    kb = state.kb()
    entry = kb.get(entry_id.strip().lower())
    if entry is None:
        raise NotFound(_unknown_id(kb, entry_id))
    if as_json:
        emit(state.env, {"entry": views.entry_dict(kb, entry)})
        return
    emit(state.env, views.show(kb, entry, state.where))


def _unknown_id(kb: KnowledgeBase, entry_id: str) -> str:
    from rapidfuzz import process

    ids = [e.id for e in kb.entries]
    close = [i for i, _, _ in process.extract(entry_id, ids, limit=3, score_cutoff=60)]
    hint = f" Did you mean: {', '.join(close)}?" if close else " See: crampcli search WORDS"
    return f"no entry with id {entry_id!r}.{hint}"


@app.command()
@handles_errors
def search(
    ctx: typer.Context,
    query: list[str] = typer.Argument(
        ..., metavar="WORDS...", help="What to look for, in your own words."
    ),
    who: list[str] | None = WHO_OPTION,
    brief: bool = BRIEF_OPTION,
    limit: int = limit_option(10),
    explain: bool = typer.Option(
        False, "--explain", help="Show why each result scored what it did."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Search causes, relief, prevention, warning signs and articles (typos are fine)."""
    from crampcli.answers import search as engine
    from crampcli.answers.index_cache import index_for
    from crampcli.output import views

    state: State = ctx.obj
    kb = state.kb()
    text = " ".join(query)
    keep = None
    if who:
        from crampcli.answers.audience import concerns

        keep = functools.partial(concerns, who=who)
    result = engine.search(index_for(kb), kb, text, limit=limit, keep=keep)
    if as_json:
        emit(state.env, views.search_dict(result, explain))
    if not result.hits:  # an empty answer, exit 0 with --json too: `crampcli help exit-codes`
        none_matched(state.env, views.no_match(result))
        return
    if as_json:
        return
    emit(state.env, views.search_result(result, explain, brief))
