"""The diary commands (`log`, `diary ...`, `report`): parse options, wire the diary library
to the writers. sqlite3 is imported only inside these commands, never at start-up."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from crampcli.commands import completing
from crampcli.commands.common import JSON_OPTION, Command, State, between, emit, handles_errors
from crampcli.errors import UsageProblem

if TYPE_CHECKING:
    from datetime import datetime

    from crampcli.answers.check import Answers, RaisedFlag
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import Diary
    from crampcli.env import Env
    from crampcli.knowledge.model import KnowledgeBase

app = typer.Typer()  # log and report
diary_app = typer.Typer(
    help="Your cramp diary, kept on this machine only: list, edit, stats, export, wipe.",
    no_args_is_help=False,
    rich_markup_mode=None,
)
app.add_typer(diary_app, name="diary")

LEG = typer.Option(
    None, "--leg", metavar="SIDE", autocompletion=completing.leg, help="left, right or both."
)
WHERE = typer.Option(
    None,
    "--where",
    metavar="PLACE",
    autocompletion=completing.place,
    help="calf, foot, thigh, shin, toes or other.",
)
MINUTES = typer.Option(None, "--minutes", metavar="N", help="How many minutes it lasted.")
PAIN = typer.Option(None, "--pain", metavar="0-10", help="How bad: 0 none, 10 worst.")
SLEEP = typer.Option(None, "--sleep", metavar="0-10", help="How much it disturbed your sleep.")
TRIGGER = typer.Option(None, "--trigger", metavar="WHAT", help="What set it off (repeatable).")
HELPED = typer.Option(None, "--helped", metavar="WHAT", help="What helped (repeatable).")
MEDICINE = typer.Option(
    None,
    "--medicine",
    metavar="NAME",
    autocompletion=completing.medicine,
    help="A medicine you take (repeatable).",
)
NOTE = typer.Option(None, "--note", metavar="TEXT", help="Anything else.")
YES = typer.Option(False, "--yes", "-y", help="Do not ask.")
MAX_LIMIT = 2**31 - 1  # SQLite takes up to 2**63 - 1; no diary holds more than this


def _now() -> datetime:
    from datetime import datetime

    return datetime.now().astimezone()


@contextmanager
def _open(create: bool = True, read_only: bool = False) -> Iterator[Diary]:
    """The diary; ``read_only`` for a command that only reads (it then works on a read-only
    file system or a full disk, and never creates a file)."""
    from crampcli.diary.store import Diary, default_path

    with Diary.open(default_path(), create=create, read_only=read_only) as diary:
        yield diary


@contextmanager
def _read() -> Iterator[Diary | None]:
    """The diary to read from, or None when this machine has none yet: an empty diary is
    something to show (no entries), not something missing."""
    from crampcli.diary.store import default_path

    if not default_path().exists():
        yield None
        return
    with _open(create=False, read_only=True) as diary:
        yield diary


def _time(text: str | None, option: str, now: datetime) -> datetime | None:
    """The time ``text`` names. One a diary cannot hold ("999999999 days ago", year 1) is a
    bad value, never a crash; as a bound of a listing (--since, --until) it is clamped."""
    if text is None:
        return None
    from crampcli.diary import times
    from crampcli.diary.model import FIRST, LAST
    from crampcli.errors import BadValue

    try:
        moment = times.parse(text, now, option)
        if moment is not None and not FIRST <= moment <= LAST:
            if option in ("since", "until"):
                return min(max(moment, FIRST), LAST)
            raise OverflowError
    except (OverflowError, ValueError):
        raise BadValue(
            option, f"{text!r} is out of range (from {FIRST.year} to {LAST.year})"
        ) from None
    return moment


@app.command()
@handles_errors
def log(
    ctx: typer.Context,
    leg: str | None = LEG,
    where: str | None = WHERE,
    minutes: float | None = MINUTES,
    pain: int | None = PAIN,
    woke: bool = typer.Option(False, "--woke", help="It woke you up."),
    sleep: int | None = SLEEP,
    trigger: list[str] | None = TRIGGER,
    helped: list[str] | None = HELPED,
    medicine: list[str] | None = MEDICINE,
    note: str | None = NOTE,
    at: str | None = typer.Option(
        None, "--at", metavar="WHEN", help='When: "now" (default), "2h ago", "last night 3am", ISO.'
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record a cramp in one line; on a terminal with no options it asks (Enter skips)."""
    from datetime import timedelta

    from crampcli.diary.model import Cramp
    from crampcli.diary.stats import CHECK_WEEKS

    state: State = ctx.obj
    env, now = state.env, _now()
    answers: dict[str, Any] = {
        "at": _time(at, "at", now) or now,
        "leg": leg,
        "where": where,
        "minutes": minutes,
        "pain": pain,
        "woke": woke,
        "sleep": sleep,
        "triggers": tuple(trigger or ()),
        "helped": tuple(helped or ()),
        "medicines": tuple(medicine or ()),
        "note": note or "",
    }
    values = (at, leg, where, minutes, pain, sleep, note)
    nothing_given = all(v is None for v in values) and not (woke or trigger or helped or medicine)
    if nothing_given and env.stdin_isatty and env.stdout_isatty:
        from crampcli.interactive import log_questions

        answers = log_questions.ask(env, now)
    cramp = Cramp(**answers).checked()  # every value checked before the diary is opened
    with _open() as diary:
        stored = diary.add(cramp)
        history = diary.entries(since=now - timedelta(weeks=CHECK_WEEKS))
    alert = _threshold(state, history, stored, now)
    from crampcli.output import diary_views as views

    emit(
        env,
        views.logged_dict(stored, alert) if as_json else views.logged(stored, alert, state.where),
    )


def _threshold(
    state: State, history: list[Cramp], latest: Cramp, now: datetime
) -> tuple[RaisedFlag, Answers] | None:
    """The most serious red flag (or linked medicine) the last 4 weeks of the diary raise,
    with the answers it was judged on; a red flag comes before a medicine of the same care."""
    from crampcli.answers.check import check
    from crampcli.diary.stats import answers_from_diary
    from crampcli.knowledge.model import CARE_LEVELS

    kb = state.kb()
    answers = _with_medicines(kb, answers_from_diary(history, now, latest), history)
    result = check(kb, answers)
    raised = sorted((*result.red_flags, *result.medicines), key=lambda f: CARE_LEVELS.index(f.care))
    return (raised[0], answers) if raised else None


def _with_medicines(kb: KnowledgeBase, answers: Answers, cramps: list[Cramp]) -> Answers:
    """The medicines these entries name, matched as `crampcli meds` matches them."""
    names = list(dict.fromkeys(m for c in cramps for m in c.medicines))
    if not names:
        return answers
    from dataclasses import replace

    from crampcli.answers.medicines import entry_ids, match_names

    return replace(answers, medicines=entry_ids(match_names(kb, names)))


def answers_with_diary(kb: KnowledgeBase, answers: Answers) -> Answers:
    """For `check --from-diary`: the last 4 weeks fill what the options left unanswered."""
    from dataclasses import replace
    from datetime import timedelta

    from crampcli.diary.stats import CHECK_WEEKS, answers_from_diary, recent

    now = _now()
    with _open(create=False, read_only=True) as diary:
        window = recent(diary.entries(since=now - timedelta(weeks=CHECK_WEEKS)), now)
    found = answers_from_diary(window, now)
    if not answers.medicines:
        found = _with_medicines(kb, found, window)
    if found.is_empty() and answers.is_empty():
        from crampcli.errors import NotFound

        raise NotFound(
            "your diary has no entries in the last 4 weeks to answer from; "
            "give the answers as options, e.g. --per-week 2"
        )
    names = ("where", "when", "lasts_min", "per_week", "woke_per_week", "medicines")
    filled = {n: getattr(found, n) for n in names if getattr(answers, n) in (None, ())}
    filled = {n: v for n, v in filled.items() if v not in (None, ())}
    return replace(answers, **filled, from_diary=frozenset(filled))


@diary_app.callback(invoke_without_command=True)
@handles_errors
def diary(
    ctx: typer.Context,
    since: str | None = typer.Option(None, "--since", metavar="WHEN", help='e.g. "2 weeks ago".'),
    until: str | None = typer.Option(None, "--until", metavar="WHEN", help="Up to this time."),
    limit: int = typer.Option(
        20,
        "--limit",
        "-n",
        metavar="N",
        callback=between(1, MAX_LIMIT),
        help="At most N (the latest).",
    ),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV instead of text."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Your recent diary entries, oldest first."""
    if ctx.invoked_subcommand is not None:
        _group_options(ctx, ctx.invoked_subcommand)
        return
    from crampcli.output import diary_views as views

    state: State = ctx.obj
    now = _now()
    start, end = _time(since, "since", now), _time(until, "until", now)
    with _read() as d:
        found = d.entries(start, end, last=limit) if d else []
    if as_csv:
        from crampcli.diary.transfer import export

        _write(state, None, export(found, "csv"))
    elif not found and not as_json:  # a message, not data; not an error either
        print(views.NO_ENTRIES, file=state.env.stderr)
    else:
        emit(state.env, views.listing_dict(found) if as_json else views.listing(found))


GROUP_JSON = "crampcli.diary.json"  # `diary --json stats`: the subcommand prints JSON
TAKES_JSON = ("stats", "edit")


def _group_options(ctx: typer.Context, sub: str) -> None:
    """The list's options given before a subcommand: --json passed on to one that takes it;
    the others refused, never silently ignored."""
    from typer._click.core import ParameterSource

    given = [
        p.opts[0]
        for p in ctx.command.params
        if p.name and ctx.get_parameter_source(p.name) not in (ParameterSource.DEFAULT, None)
    ]
    if "--json" in given and sub in TAKES_JSON:
        ctx.meta[GROUP_JSON] = True
        given.remove("--json")
    if given:
        which = "options" if len(given) > 1 else "an option"
        raise UsageProblem(
            f"{', '.join(given)}: {which} of the diary list, not of `diary {sub}` "
            f"(its own options go after it: crampcli diary {sub} -h)"
        )


def _entry_id(text: str) -> int:
    from crampcli.diary.model import MAX_ID

    digits = text.lstrip("#")
    if not (digits.isascii() and digits.isdigit()) or not 1 <= int(digits) <= MAX_ID:
        raise UsageProblem(f"ID: {text!r} is not an entry number (see `crampcli diary`)")
    return int(digits)


ID_ARG = typer.Argument(
    ...,
    metavar="ID",
    autocompletion=completing.diary_id,
    help="The entry number, as `crampcli diary` shows it.",
)


@diary_app.command(cls=Command)
@handles_errors
def edit(
    ctx: typer.Context,
    entry: str = ID_ARG,
    leg: str | None = LEG,
    where: str | None = WHERE,
    minutes: float | None = MINUTES,
    pain: int | None = PAIN,
    woke: bool | None = typer.Option(None, "--woke/--no-woke", help="It woke you up."),
    sleep: int | None = SLEEP,
    trigger: list[str] | None = TRIGGER,
    helped: list[str] | None = HELPED,
    medicine: list[str] | None = MEDICINE,
    note: str | None = NOTE,
    at: str | None = typer.Option(None, "--at", metavar="WHEN", help="When it happened."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Change an entry: only the options given (a repeatable one replaces the whole list)."""
    from crampcli.output import diary_views as views

    state: State = ctx.obj
    entry_id = _entry_id(entry)
    lists = {"triggers": trigger, "helped": helped, "medicines": medicine}
    changes: dict[str, Any] = {
        **{
            k: v
            for k, v in dict(
                leg=leg, where=where, minutes=minutes, pain=pain, woke=woke, sleep=sleep, note=note
            ).items()
            if v is not None
        },
        **{k: tuple(v) for k, v in lists.items() if v},
    }
    as_json = as_json or ctx.meta.get(GROUP_JSON, False)
    if at is not None:
        changes["at"] = _time(at, "at", _now())
    if not changes:
        raise UsageProblem("nothing to change: give an option, e.g. --minutes 4")
    with _open(create=False) as d:
        new = d.edit(entry_id, changes)
    emit(state.env, {"cramp": new.as_dict()} if as_json else views.listing([new]))


def _confirm(env: Env, question: str, yes: bool) -> None:
    """Go on with ``--yes``, or when the person says y on a terminal; else stop."""
    if yes:
        return
    if not (env.stdin_isatty and env.stdout_isatty):
        raise UsageProblem("no terminal to ask on: add --yes to go ahead")
    from crampcli.interactive.choosing import read_line, yes_no

    if not yes_no(read_line(env, f"{question} [y/N] ")):
        print("Nothing changed.", file=env.stderr)
        raise typer.Exit(1)


@diary_app.command(cls=Command)
@handles_errors
def delete(ctx: typer.Context, entry: str = ID_ARG, yes: bool = YES) -> None:
    """Delete an entry (asks first; `diary undo` brings it back)."""
    from crampcli.output import diary_views as views
    from crampcli.output.safe import printable

    state: State = ctx.obj
    entry_id = _entry_id(entry)
    with _open(create=False) as d:
        _confirm(state.env, printable(f"Delete {views.summary(d.get(entry_id))}?"), yes)
        gone = d.delete(entry_id)
    print(printable(f"Deleted {views.summary(gone)}"), file=state.env.stderr)


@diary_app.command(cls=Command)
@handles_errors
def undo(ctx: typer.Context) -> None:
    """Take back the last change: a log, an edit, a delete or an import."""
    from crampcli.output import diary_views as views

    state: State = ctx.obj
    with _open(create=False) as d:
        emit(state.env, views.changed(d.undo()))


@diary_app.command(cls=Command)
@handles_errors
def stats(
    ctx: typer.Context,
    weeks: int = typer.Option(
        8, "--weeks", metavar="N", callback=between(1, 520), help="Weeks in the chart (1-520)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Per week, time of day, duration, leg, sleep, triggers, what helped, the trend."""
    from crampcli.diary.stats import compute
    from crampcli.output import diary_views as views

    state: State = ctx.obj
    as_json = as_json or ctx.meta.get(GROUP_JSON, False)
    with _read() as d:
        result = compute(d.stat_rows() if d else [], _now(), weeks)
    emit(state.env, views.stats_dict(result) if as_json else views.stats(result))


FORMAT = typer.Option(
    None,
    "--format",
    metavar="csv|json",
    help="Default: the file name's ending; else export writes JSON and import looks inside.",
)


def _format(fmt: str | None, path: str | None) -> str | None:
    """``--format``, else the file name's ending (.csv, .json); None when neither says."""
    from crampcli.diary.transfer import FORMATS
    from crampcli.errors import BadValue

    if fmt is not None:
        if fmt.lower() not in FORMATS:
            raise BadValue("format", f"{fmt!r} is not one of: {', '.join(FORMATS)}")
        return fmt.lower()
    ending = Path(path).suffix.lstrip(".").lower() if path else ""
    return ending if ending in FORMATS else None


@diary_app.command("export", cls=Command)
@handles_errors
def export_entries(
    ctx: typer.Context,
    output: str | None = typer.Option(None, "--output", "-o", metavar="FILE", help="Not stdout."),
    fmt: str | None = FORMAT,
) -> None:
    """Every entry, as CSV or JSON (to stdout, or --output FILE, made readable by you only)."""
    from crampcli.diary.transfer import export

    state: State = ctx.obj
    chosen = _format(fmt, output)
    if chosen is None and output is not None and Path(output).suffix:
        from crampcli.errors import BadValue

        raise BadValue(
            "output", f"{output!r} does not end in .csv or .json; add --format csv or json"
        )
    with _open(create=False, read_only=True) as d:
        _write(state, output, export(d.each(), chosen or "json"))


def _write(
    state: State, output: str | None, text: str | Iterable[str], option: str = "output"
) -> None:
    """Text to stdout, or to the file ``output`` (a new file only you can read, replacing
    what was there; see atomic.write_private), in chunks as they come."""
    chunks = [text] if isinstance(text, str) else text
    if output is None:
        for chunk in chunks:
            state.env.stdout.write(chunk)
        return
    from crampcli.errors import BadValue, CrampError
    from crampcli.knowledge import atomic
    from crampcli.knowledge.reading import special_kind
    from crampcli.output.safe import printable

    if not output.strip():
        raise BadValue(option, "the file name is empty")
    if Path(output).is_dir():
        raise BadValue(option, f"{output!r} is a folder; give a file name")
    data = (chunk.encode("utf-8") for chunk in chunks)
    try:
        if special_kind(output):  # /dev/stdout, a FIFO: written to, never replaced by a file
            with open(output, "wb") as stream:
                for part in data:
                    stream.write(part)
        else:
            atomic.write_private(Path(output), data)
    except OSError as exc:
        raise CrampError(f"cannot write {output}: {exc.strerror or exc}") from None
    print(printable(f"Wrote {output}"), file=state.env.stderr)


@diary_app.command("import", cls=Command)
@handles_errors
def import_entries(
    ctx: typer.Context,
    file: str = typer.Argument(
        ..., metavar="FILE", help="A CSV or JSON diary export; - reads stdin."
    ),
    fmt: str | None = FORMAT,
) -> None:
    """Add the entries of an export; every row is checked first, and nothing is added on error."""
    import io

    from crampcli.diary.transfer import import_into
    from crampcli.errors import CrampError
    from crampcli.knowledge.reading import open_regular
    from crampcli.output import diary_views as views

    state: State = ctx.obj
    chosen = _format(fmt, None if file == "-" else file)  # a bad --format: before any reading
    try:
        # A regular file only (a FIFO or /dev/zero would never end), read as a stream: a
        # backup of any size the export writes can be imported.
        with (
            (
                contextlib.nullcontext(state.env.stdin)
                if file == "-"
                else io.TextIOWrapper(open_regular(file), encoding="utf-8", newline="")
            ) as stream,
            _open() as d,
        ):
            done = import_into(d, stream, chosen, file)
    except (OSError, UnicodeDecodeError) as exc:
        raise CrampError(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}") from None
    emit(state.env, views.imported(done, file))


@diary_app.command(cls=Command)
@handles_errors
def wipe(ctx: typer.Context, yes: bool = YES) -> None:
    """Delete the whole diary from this machine (asks first; cannot be undone)."""
    from crampcli.diary.store import default_path
    from crampcli.diary.store import wipe as remove
    from crampcli.output.safe import printable

    state: State = ctx.obj
    path = default_path()
    if path.exists():
        question = f"Delete the whole diary {path}? This cannot be undone."
        _confirm(state.env, printable(question), yes)
    removed = remove(path)
    if removed is None:
        print(printable(f"No diary at {path}"), file=state.env.stderr)
        return
    link = f" (and the link {path} to it)" if removed != path else ""
    print(
        printable(f"Deleted {removed}{link}.")
        + "\nNot removed: exports and HTML reports you wrote, and the pages crampcli keeps"
        "\nto start faster (`crampcli cache clear` removes those).",
        file=state.env.stderr,
    )


@app.command()
@handles_errors
def report(
    ctx: typer.Context,
    weeks: int = typer.Option(
        4, "--weeks", metavar="N", callback=between(1, 104), help="Weeks back (1-104)."
    ),
    html: str | None = typer.Option(
        None, "--html", metavar="FILE", help="Write a printable HTML page instead of Markdown."
    ),
) -> None:
    """A one-page summary for your doctor: Markdown to stdout, or --html FILE."""
    from crampcli.diary import report as doctor

    state: State = ctx.obj
    kb = state.kb()
    from datetime import timedelta

    now = _now()
    with _open(create=False, read_only=True) as d:
        window = d.stat_rows(since=now - timedelta(weeks=weeks), until=now)
        made = doctor.build(kb, d.entries(), window, now, weeks)
    if html is None:
        state.env.stdout.write(doctor.markdown(made))
    else:
        _write(state, html, doctor.page(made), option="html")
