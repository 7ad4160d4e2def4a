"""The command line: parses options, wires the library to the writers. No medical logic here."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer import _click as click
from typer.core import TyperCommand

from crampcli import __version__, rendercache
from crampcli.env import Env
from crampcli.errors import CrampError, ExitCode, NotFound
from crampcli.knowledge.model import Entry, KnowledgeBase
from crampcli.streams import cannot_write, silence_stdout

if TYPE_CHECKING:  # imported where used: --help does not need it
    from pathlib import Path

    from crampcli.answers.emergency import Numbers
    from crampcli.output.document import Document

DEBUG_ENV = "CRAMPCLI_DEBUG"

app = typer.Typer(
    name="crampcli",
    help="Leg cramps, offline: why they happen, what to do now, how to prevent them, "
    "when to worry. Not medical advice.\n\nCramping right now? Run: crampcli relieve --now",
    add_completion=True,  # --install-completion, --show-completion: measured at < 0.5 ms a run
    pretty_exceptions_enable=False,  # they print local variables
    rich_markup_mode=None,  # plain help: fast, and the same on every terminal
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


@dataclass
class State:
    env: Env
    data: str | None
    traceback: bool
    country: str | None = None  # two-letter code, from --country, CRAMPCLI_COUNTRY or the locale

    def kb(self, path: Path | None = None) -> KnowledgeBase:
        """The knowledge base at ``path``, else the one chosen with --data or CRAMPCLI_DATA."""
        from crampcli.knowledge import loading

        kb = loading.load(path or loading.resolve_path(self.data))
        rendercache.read(kb.path, kb.digest)
        return kb

    @property
    def where(self) -> Numbers:
        """The numbers to call in the reader's country."""
        from crampcli.answers import emergency

        return emergency.numbers(self.country)


F = TypeVar("F", bound=Callable[..., Any])


def handles_errors(command: F) -> F:
    """The one boundary where library errors become a message on stderr and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        state: State | None = None
        for value in (*args, *kwargs.values()):
            # Typer >= 0.26 passes its vendored click Context, not a typer.Context subclass.
            if isinstance(getattr(value, "obj", None), State):
                state = value.obj
        env = state.env if state else Env.from_system()
        try:
            result = command(*args, **kwargs)
            env.stdout.flush()
            return result
        except CrampError as exc:
            from crampcli.output.safe import printable  # a path or id may hold escape codes

            print(f"crampcli: {printable(str(exc))}", file=env.stderr)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            rendercache.veto()
            silence_stdout()
            raise typer.Exit(ExitCode.OK) from None
        except OSError as exc:  # stdout on a full disk or /dev/full, a vanished terminal
            raise typer.Exit(cannot_write(env.stderr, exc)) from None
        except KeyboardInterrupt:
            print("", file=env.stderr)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except typer.Exit:
            raise
        except Exception as exc:
            if (state and state.traceback) or os.environ.get(DEBUG_ENV):
                raise
            print(
                f"crampcli: internal error: {type(exc).__name__}: {exc}\n"
                f"Please report it; run with --traceback (or {DEBUG_ENV}=1) to see where.",
                file=env.stderr,
            )
            raise typer.Exit(ExitCode.INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def emit(env: Env, output: Document | dict[str, Any], page: bool = True) -> None:
    """Data to stdout: JSON for machines, panels on a terminal, plain text in a pipe; long
    text on a terminal through the pager (unless ``page`` is False)."""
    if isinstance(output, dict):
        import json

        text = json.dumps(output, indent=2, ensure_ascii=True) + "\n"
    elif env.fancy:
        import dataclasses
        import io

        from crampcli.output import fancy

        buffer = io.StringIO()
        fancy.render(output, dataclasses.replace(env, stdout=buffer))
        text = buffer.getvalue()
    else:
        from crampcli.output import plain

        text = plain.render(output, env.width)
    pager = env.pager if page and not isinstance(output, dict) else None
    rendercache.wrote(text, pager)
    if pager:
        from crampcli.output.pager import show

        show(text, pager, env.stdout)
    else:
        env.stdout.write(text)


def _version(kb_state: State) -> str:
    try:
        kb = kb_state.kb()
    except CrampError:
        return f"crampcli {__version__} (knowledge base unreadable)"
    return f"crampcli {__version__} (knowledge base {kb.version}, reviewed {kb.reviewed})"


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    data: str | None = typer.Option(
        None,
        "--data",
        metavar="PATH",
        help="Knowledge-base JSON file to use instead of the bundled one [env: CRAMPCLI_DATA].",
    ),
    version: bool = typer.Option(False, "--version", "-V", help="Show versions and exit."),
    traceback: bool = typer.Option(
        False, "--traceback", help="Show the full traceback of an internal error."
    ),
    no_pager: bool = typer.Option(
        False, "--no-pager", help="Never send long output through a pager [env: PAGER=cat]."
    ),
    country: str | None = typer.Option(
        None,
        "--country",
        metavar="CODE",
        help="Your country (GB, IE, US, AU, ...), for the emergency numbers shown "
        "[env: CRAMPCLI_COUNTRY; default: from the locale].",
    ),
) -> None:
    from crampcli.answers import emergency

    if country is not None and emergency.normalise(country) is None:
        raise typer.BadParameter(
            f"{country!r} is not a two-letter country code", param_hint="--country"
        )
    where = emergency.country(country, os.environ)
    ctx.obj = State(env=Env.from_system(), data=data, traceback=traceback, country=where)
    if no_pager:
        ctx.obj.env.pager = None
    rendercache.command(ctx.invoked_subcommand, ctx.obj.env.stdout_isatty)
    if version:
        from crampcli.output.safe import printable  # the version string comes from the data file

        print(printable(_version(ctx.obj)), file=ctx.obj.env.stdout)
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        print(ctx.get_help(), file=ctx.obj.env.stdout)
        raise typer.Exit()


class When(str, Enum):
    night = "night"
    exercise = "exercise"
    after_exercise = "after-exercise"
    rest = "rest"
    cold = "cold"
    heat = "heat"


JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of text.")


def between(low: float, high: float | None = None) -> Callable[[Any], Any]:
    """An option check that says "must be 1-1000" in words: click's own ranges print
    "1<=x<=1000" in the help."""

    def check(value: Any) -> Any:
        if value is not None and (value < low or (high is not None and value > high)):
            wanted = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            raise typer.BadParameter(f"{value:g} is not {wanted}")
        return value

    return check


def _who(values: list[str] | None) -> list[str]:
    from crampcli.answers.audience import audiences

    try:
        return audiences(values or ())
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


# The options several commands share, so that each means the same everywhere.
WHO_OPTION = typer.Option(
    None,
    "--who",
    metavar="WHO",
    callback=_who,
    help="For these people (repeatable, values combine): women, pregnant, older, athletes "
    "(runners, sport, elderly work too). What is only for others is left out; "
    "warning signs never are.",
)
BRIEF_OPTION = typer.Option(False, "--brief", help="One line per item, never wrapped.")


def limit_option(default: int | None) -> Any:
    shown = f" [default: {default}]" if default else ""
    return typer.Option(
        default,
        "--limit",
        "-n",
        metavar="N",
        callback=between(1, 1000),
        show_default=False,
        help=f"At most N items (1-1000).{shown}",
    )


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
    from crampcli.answers.audience import for_them
    from crampcli.output import views

    state: State = ctx.obj
    kb = state.kb()
    every = views.by_how_common(kb.of_kind("cause"))
    found = [e for e in for_them(every, who or []) if when is None or when.value in e.situations]
    found = found[:limit]
    if as_json:
        emit(state.env, views.entries_dict(kb, "causes", found))
        return
    if not found:
        filters = [f"--{name}" for name, given in (("who", who), ("when", when)) if given]
        if not filters or not every:
            raise NotFound("this knowledge base lists no causes")
        raise NotFound(f"no cause matches those filters; try without {'/'.join(filters)}")
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
    from crampcli.answers.audience import for_them
    from crampcli.output.views import by_evidence

    state: State = ctx.obj
    kb = state.kb()
    found = for_them(by_evidence(kb.of_kind("prevention")), who or [])[:limit]
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
    """A list of entries: ``{key: [...]}`` as JSON, or panels (after the urgent signs)."""
    from crampcli.output import views

    if as_json:
        emit(state.env, views.entries_dict(kb, key, entries))
    else:
        emit(state.env, views.listing(kb, entries, brief=brief, banner=banner, where=state.where))


@app.command()
@handles_errors
def articles(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """The source articles; read one with `crampcli show ID`."""
    from crampcli.output import views

    state: State = ctx.obj
    kb = state.kb()
    found = kb.of_kind("article")
    if as_json:
        emit(state.env, {"articles": [views.entry_dict(kb, a) for a in found]})
        return
    emit(state.env, views.articles(kb))


def _complete_ids(ctx: click.Context, incomplete: str) -> list[str]:
    """Entry ids for shell completion of ``crampcli show``; none when the data cannot be read."""
    from crampcli.knowledge import loading

    try:
        kb = loading.load(loading.resolve_path(ctx.find_root().params.get("data")))
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
        emit(state.env, views.entry_dict(kb, entry))
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
    from crampcli.knowledge import cache
    from crampcli.output import views

    state: State = ctx.obj
    kb = state.kb()
    text = " ".join(query)
    keep = None
    if who:
        from crampcli.answers.audience import concerns

        keep = functools.partial(concerns, who=who)
    result = engine.search(cache.index_for(kb), kb, text, limit=limit, keep=keep)
    if as_json:
        emit(state.env, views.search_dict(result, explain))
        return
    if not result.hits:
        raise NotFound(views.no_match(result))
    emit(state.env, views.search_result(result, explain, brief))


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


class Sign(str, Enum):
    swelling = "swelling"
    redness = "redness"
    warmth = "warmth"
    tenderness = "tenderness"
    numbness = "numbness"
    tingling = "tingling"
    weakness = "weakness"
    back_pain = "back-pain"
    walking_pain = "walking-pain"
    breathlessness = "breathlessness"
    chest_pain = "chest-pain"
    wound = "wound"
    toxin = "toxin"
    dark_urine = "dark-urine"
    severe_pain = "severe-pain"
    confusion = "confusion"
    vomiting = "vomiting"
    hot_skin = "hot-skin"
    collapse = "collapse"
    groin_numbness = "groin-numbness"
    bladder_bowel_change = "bladder-bowel-change"
    cold_pale_leg = "cold-pale-leg"
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
CHECK_AGE = typer.Option(
    None, "--age", metavar="N", callback=between(0, 130), help="Your age in years."
)
CHECK_PREGNANT = typer.Option(False, "--pregnant", help="You are pregnant.")
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
    None, "--medicine", metavar="NAME", help="A medicine you take, generic or brand (repeatable)."
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
    lasts_min: float | None = CHECK_LASTS,
    per_week: int | None = CHECK_PER_WEEK,
    age: int | None = CHECK_AGE,
    pregnant: bool = CHECK_PREGNANT,
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
        lasts_min=lasts_min,
        per_week=per_week,
        age=age,
        pregnant=pregnant,
        sport=sport,
        recent=tuple(dict.fromkeys(r.value for r in recent or ())),
        sign=tuple(dict.fromkeys(s.value for s in sign or ())),
        condition=tuple(dict.fromkeys(c.value for c in condition or ())),
        medicines=_medicine_ids(state, kb, medicine or []),
    )
    if from_diary:  # the last 4 weeks fill --per-week, --lasts-min, --when, --where not given
        from crampcli.diary_cli import answers_with_diary

        answers = answers_with_diary(answers)
    if interactive or (answers.is_empty() and env.stdin_isatty and env.stdout_isatty):
        from crampcli.interactive import questionnaire

        answers = questionnaire.ask(env, kb, answers)
    elif answers.is_empty():
        raise UsageProblem(CHECK_HINT)
    result = engine.check(kb, answers)
    emit(env, views.check_dict(result) if as_json else views.check_result(kb, result, state.where))


def _medicine_ids(state: State, kb: KnowledgeBase, names: list[str]) -> tuple[str, ...]:
    """The medicine entries these names belong to; a note on stderr for names not in our list."""
    from crampcli.answers.medicines import match_names
    from crampcli.output.safe import printable

    found = match_names(kb, names)
    for m in found:
        if m.entry is None:
            note = f"crampcli: {m.query!r} is not in our list of medicines linked to cramps"
            print(printable(note), file=state.env.stderr)
    return tuple(dict.fromkeys(m.entry.id for m in found if m.entry))


@app.command()
@handles_errors
def meds(
    ctx: typer.Context,
    names: list[str] = typer.Argument(
        ..., metavar="NAME...", help="Medicine names, generic or brand (typos are fine)."
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
    emit(state.env, views.entry_dict(kb, entry) if as_json else views.show(kb, entry, state.where))


@app.command("validate")
@handles_errors
def validate_file(
    ctx: typer.Context,
    path: str = typer.Argument(..., metavar="PATH", help="The knowledge-base JSON file to check."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check a knowledge-base file: every problem with its JSON path; exit 1 if there is any."""
    from pathlib import Path

    from crampcli.knowledge import loading
    from crampcli.output import views

    state: State = ctx.obj
    doc, problems = loading.problems_in(Path(path))
    if as_json:
        emit(state.env, views.validation_dict(path, doc, problems))
    else:  # one line each, never wrapped: made to be read, and to be grepped
        from crampcli.output.safe import printable

        lines = problems or [views.valid_line(path, doc)]
        state.env.stdout.write("".join(printable(line) + "\n" for line in lines))
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise NotFound(f"{path} is not a valid knowledge base: {count}")


@app.command("import")
@handles_errors
def import_article(
    ctx: typer.Context,
    file: str = typer.Argument(
        ..., metavar="FILE", help="An article saved from a health website (title, text, links)."
    ),
    into: str = typer.Option(
        ..., "--into", metavar="PATH", help="Knowledge-base JSON file; created if missing."
    ),
    replace: bool = typer.Option(False, "--replace", help="Overwrite an article with the same id."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a saved article to your own knowledge base (never to the bundled one)."""
    from pathlib import Path

    from crampcli.knowledge import importer
    from crampcli.output import views

    state: State = ctx.obj
    done = importer.import_file(Path(file), Path(into), replace)
    emit(state.env, views.imported_dict(done) if as_json else views.imported(done))


class _Command(TyperCommand):
    """Usage lines as people write them: ``show ID``, not Typer's ``show {ID}``."""

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [
            p[1:-1] if p[:1] == "{" and p[-1:] == "}" else p
            for p in super().collect_usage_pieces(ctx)
        ]


def _add_help_examples() -> None:
    """A short line in the command list and an EXAMPLES section in every ``--help``."""
    from crampcli import help_examples

    app.info.epilog = help_examples.epilog("")
    for info in app.registered_commands:
        name = info.name or (info.callback.__name__ if info.callback else "")
        info.short_help = help_examples.SHORT_HELP.get(name, info.short_help)
        info.epilog = help_examples.epilog(name)
        if info.cls in (None, TyperCommand):
            info.cls = _Command


def _register_diary() -> None:
    from crampcli import diary_cli  # log, diary, report: their modules load only when run

    diary_cli.register(app)


_register_diary()
_add_help_examples()


def main() -> None:
    """Console-script entry point."""
    rendercache.start(sys.argv[1:])
    try:
        app(prog_name="crampcli")
    except SystemExit as done:
        if done.code in (None, 0):
            rendercache.finish()
        raise
    except KeyboardInterrupt:  # pressed before a command started
        sys.exit(ExitCode.INTERRUPTED)
    except OSError as exc:  # --help, --version: written outside any command's boundary
        sys.exit(cannot_write(sys.stderr, exc))
    finally:
        _flush_stdout()


def _flush_stdout() -> None:
    """What is left of --help or --version, now: at exit, Python would only warn."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except OSError as exc:
        sys.exit(cannot_write(sys.stderr, exc))
