"""The diary commands (`log`, `diary ...`, `report`): parse options, wire the diary library
to the writers. sqlite3 is imported only inside these commands, never at start-up."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from crampcli.commands import completing
from crampcli.commands.common import (
    JSON_OPTION,
    Command,
    State,
    between,
    emit,
    handles_errors,
    not_the_diary,
)
from crampcli.errors import UsageProblem

if TYPE_CHECKING:
    from datetime import datetime

    from crampcli.answers.check import Answers, RaisedFlag
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import Counts, Diary
    from crampcli.diary.times import When
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
NOTE = typer.Option(
    None,
    "--note",
    metavar="TEXT",
    help="Anything else. Other users of this machine can see it in the process list (ps) "
    "while crampcli runs; `crampcli log` with no options asks for it instead.",
)
YES = typer.Option(False, "--yes", "-y", help="Do not ask.")
MAX_LIMIT = 2**31 - 1  # SQLite takes up to 2**63 - 1; no diary holds more than this


def _now() -> datetime:
    """Now, in the local time zone; a TZ of 24 hours or more from UTC (valid POSIX, such as
    `UTC-24`, but no datetime can hold it) is said in one line."""
    from datetime import datetime

    try:
        return datetime.now().astimezone()
    except ValueError:
        from crampcli.errors import CrampError

        zone = os.environ.get("TZ", "")
        raise CrampError(
            f"the time zone TZ={zone!r} is 24 hours or more from UTC, which no date can use; "
            "set TZ to a zone such as Europe/London"
        ) from None


@contextmanager
def _open(create: bool = True, read_only: bool = False) -> Iterator[Diary]:
    """The diary; ``read_only`` for a command that only reads (it then works on a read-only
    file system or a full disk, and never creates a file)."""
    from crampcli.diary.files import default_path
    from crampcli.diary.store import Diary

    _now()  # every listing and figure is in local time: a zone no date can use is said first
    with Diary.open(default_path(), create=create, read_only=read_only) as diary:
        yield diary


def _time(text: str | None, option: str, now: datetime) -> When | None:
    """The time ``text`` names. One a diary cannot hold ("999999999 days ago", year 1) is a
    bad value, never a crash."""
    if text is None:
        return None
    from crampcli.diary import times
    from crampcli.diary.model import FIRST, LAST
    from crampcli.errors import BadValue

    try:
        when = times.read(text, now, option)
        if not FIRST <= when.moment <= LAST:
            raise OverflowError
    except (OverflowError, ValueError):
        raise BadValue(
            option, f"{text!r} is out of range (from {FIRST.year} to {LAST.year})"
        ) from None
    return when


def _bound(text: str | None, option: str, now: datetime, end: bool = False) -> datetime | None:
    """--since or --until: a day alone runs from its midnight to the next; a time beyond what
    a diary can hold is clamped to it."""
    if text is None:
        return None
    from crampcli.diary import times
    from crampcli.diary.model import FIRST, LAST

    try:
        return min(max(times.bound(text, now, option, end), FIRST), LAST)
    except (OverflowError, ValueError):
        return FIRST if option == "since" else LAST


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
    from crampcli.diary.model import Cramp

    state: State = ctx.obj
    env, now = state.env, _now()
    when = _time(at, "at", now)
    answers: dict[str, Any] = {
        "at": when.moment if when else now,
        "time_known": when.time_known if when else True,
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
    if nothing_given:
        if not (env.stdin_isatty and env.stdout_isatty):
            raise UsageProblem(
                "nothing to log and no terminal to ask on: give what you know, e.g. "
                "crampcli log --minutes 3 --pain 6 (or run it on a terminal to be asked)"
            )
        from crampcli.interactive import log_questions

        answers = log_questions.ask(env, now, _last_medicines())
    cramp = Cramp(**answers).checked()  # every value checked before the diary is opened
    from crampcli.errors import CrampError

    with _open() as diary:
        stored = diary.add(cramp)
        try:
            alert = _threshold(state, diary, stored, now)
        except CrampError as exc:  # stored: say so first, then why nothing more was read
            from crampcli.output import diary_views as views
            from crampcli.output.safe import printable

            print(printable(f"Logged {views.summary(stored)}"), file=env.stderr)
            raise CrampError(
                f"the entry is stored, but its warning signs were not checked: {exc}"
            ) from None
    from crampcli.output import diary_views as views

    emit(
        env,
        views.logged_dict(stored, alert) if as_json else views.logged(stored, alert, state.where),
    )


def _last_medicines() -> tuple[str, ...]:
    """The medicines of the latest entry: what the questions offer to keep."""
    from crampcli.diary.files import default_path

    if not default_path().exists():  # asking creates nothing: Ctrl-C leaves no file behind
        return ()
    with _open(create=False, read_only=True) as diary:
        last = diary.entries(last=1)
    return last[0].medicines if last else ()


def _recent_counts(diary: Diary, now: datetime) -> Counts:
    """The last 4 weeks, as `log`, `check --from-diary` and a 4-week report judge them."""
    from datetime import timedelta

    from crampcli.diary.stats import CHECK_WEEKS, middle

    start = now - timedelta(weeks=CHECK_WEEKS)
    return diary.counts(start, now, middle(start, now))


def _threshold(
    state: State, diary: Diary, latest: Cramp, now: datetime
) -> tuple[RaisedFlag, Answers] | None:
    """The most serious red flag (or linked medicine) the last 4 weeks of the diary raise,
    with the answers it was judged on; a red flag comes before a medicine of the same care."""
    from crampcli.answers.check import check
    from crampcli.diary.stats import CHECK_WEEKS, answers_from, medicine_names
    from crampcli.knowledge.model import CARE_LEVELS

    kb = state.kb()
    counts = _recent_counts(diary, now)
    answers = _with_medicines(kb, answers_from(counts, CHECK_WEEKS, latest), medicine_names(counts))
    result = check(kb, answers)
    raised = sorted((*result.red_flags, *result.medicines), key=lambda f: CARE_LEVELS.index(f.care))
    return (raised[0], answers) if raised else None


def _with_medicines(kb: KnowledgeBase, answers: Answers, names: list[str]) -> Answers:
    """The medicines named, matched as `crampcli meds` matches them."""
    if not names:
        return answers
    from dataclasses import replace

    from crampcli.answers.medicines import entry_ids, match_names

    return replace(answers, medicines=entry_ids(match_names(kb, names)))


def answers_with_diary(kb: KnowledgeBase, answers: Answers) -> Answers:
    """For `check --from-diary`: the last 4 weeks fill what the options left unanswered."""
    from dataclasses import replace

    from crampcli.diary.stats import CHECK_WEEKS, answers_from, medicine_names

    now = _now()
    with _open(create=False, read_only=True) as diary:
        counts = _recent_counts(diary, now)
    found = answers_from(counts, CHECK_WEEKS)
    if not answers.medicines:
        found = _with_medicines(kb, found, medicine_names(counts))
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
    from crampcli.diary.files import default_path
    from crampcli.output import diary_views as views

    state: State = ctx.obj
    now = _now()
    start, end = _bound(since, "since", now), _bound(until, "until", now, end=True)
    found = []
    if default_path().exists():  # no diary yet: no entries, said in words (or [] in JSON)
        with _open(create=False, read_only=True) as d:
            found = d.entries(start, end, last=limit)
    if as_csv:
        from crampcli.diary.transfer import export

        _write(state, None, export(found, "csv"))
    else:
        empty = views.NONE_IN_WINDOW if (since or until) else views.NO_ENTRIES
        emit(state.env, views.listing_dict(found) if as_json else views.listing(found, empty))


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


SQLITE_MAX_ID = 2**63 - 1  # any id a diary holds, even one an older crampcli gave past MAX_ID


def _entry_id(text: str) -> int:
    digits = text.lstrip("#")
    if not (digits.isascii() and digits.isdigit()) or not 1 <= int(digits) <= SQLITE_MAX_ID:
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
    when = _time(at, "at", _now())
    if when is not None:
        changes["at"], changes["time_known"] = when.moment, when.time_known
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
        shown = d.get(entry_id)
        _confirm(state.env, printable(f"Delete {views.summary(shown)}?"), yes)
        gone = d.delete(entry_id, shown=shown)  # the entry asked about, or nothing
    print(printable(f"Deleted {views.summary(gone)}"), file=state.env.stderr)


@diary_app.command(cls=Command)
@handles_errors
def undo(ctx: typer.Context, yes: bool = YES) -> None:
    """Take back the last change: a log, an edit, a delete or an import (on a terminal it
    says which and asks first)."""
    from crampcli.output import diary_views as views

    state: State = ctx.obj
    env = state.env
    with _open(create=False) as d:
        pending = None
        if not yes and env.stdin_isatty and env.stdout_isatty:
            pending = d.last_change()
            if pending is not None:
                _confirm(env, f"Undo {views.change_words(pending)}?", yes)
        emit(env, views.changed(d.undo(shown=pending)))  # what was asked about, or nothing


@diary_app.command(cls=Command)
@handles_errors
def path(ctx: typer.Context) -> None:
    """Where the diary lives (whether or not it exists yet)."""
    from crampcli.diary.files import default_path

    state: State = ctx.obj
    state.env.stdout.write(f"{default_path()}\n")


@diary_app.command(cls=Command)
@handles_errors
def backup(
    ctx: typer.Context,
    file: str = typer.Argument(
        ..., metavar="FILE", help="The copy to write (readable by you only)."
    ),
) -> None:
    """A consistent copy of the whole diary, made while it may be in use (SQLite's online
    backup). It holds the undo journal too: entries you deleted or edited, as they were,
    until that change is undone or the diary is wiped (an export does not). Put it back with
    `crampcli diary restore FILE`."""
    from crampcli.diary.copies import backup as copy
    from crampcli.errors import BadValue, CrampError
    from crampcli.knowledge.reading import special_kind
    from crampcli.output.safe import printable

    state: State = ctx.obj
    if not file.strip():
        raise BadValue("FILE", "is empty")
    # A backup is a new file: never one that replaces a device, a FIFO, a socket or a folder
    kind = "a folder" if _names_a_folder(file) else special_kind(file)
    if kind:
        raise CrampError(f"cannot write the backup {file}: it is {kind}; give a file name")
    not_the_diary(file)
    with _interruptible(), _open(create=False, read_only=True) as d:
        copy(d, Path(file))
    print(printable(f"Wrote {file}"), file=state.env.stderr)


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """SIGTERM and SIGHUP (a closed terminal, `kill`) end a backup or restore as Ctrl-C does:
    its temporary copy is removed on the way out, and it exits 130 without a traceback."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        # One is enough: a second while cleaning up would cut the cleanup short. A handler
        # that does nothing, not SIG_IGN: Python reports a signal already on its way to a
        # handler that became SIG_IGN as an OSError ("ignored due to race condition").
        for sig in old:
            signal.signal(sig, lambda *_: None)
        raise KeyboardInterrupt

    old = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _names_a_folder(output: str) -> bool:
    """Whether ``output`` names a folder: an existing one, or "d.json/" and "e.json/."
    (Path() would drop the "/" and write d.json)."""
    return Path(output).is_dir() or os.path.basename(output) in ("", ".", "..")


@diary_app.command(cls=Command)
@handles_errors
def restore(
    ctx: typer.Context,
    file: str = typer.Argument(..., metavar="FILE", help="A copy `crampcli diary backup` wrote."),
    yes: bool = YES,
) -> None:
    """Put a backup's entries in place of the diary's (asks first). The backup is checked
    first: a whole crampcli diary whose every entry passes the checks `diary import` makes
    (else nothing changes and the bad rows are named). Only its entries are copied, into
    crampcli's own tables (its triggers, views and other tables never are); the undo journal
    starts empty. The diary as it was is kept beside it. A `log` running meanwhile waits up
    to 30 s and lands in the kept copy or in the restored diary; after that it says the diary
    is busy and logs nothing."""
    from crampcli.diary import copies, files
    from crampcli.output.safe import printable

    state: State = ctx.obj
    if not file.strip():
        from crampcli.errors import BadValue

        raise BadValue("FILE", "is empty")
    try:  # the name as typed: "b.sqlite3/" is no file (Path() would drop the "/" and read it)
        os.stat(file)
    except OSError as exc:
        from crampcli.errors import CrampError

        raise CrampError(f"cannot read the backup {file}: {exc.strerror or exc}") from None
    path = files.default_path()
    with _interruptible(), copies.checked_backup(Path(file), path) as checked:
        entries = "entry" if checked.entries == 1 else "entries"
        question = (
            f"Replace the diary {path} with the backup {file} ({checked.entries} {entries})? "
            "The diary as it is now is kept beside it."
        )
        _confirm(state.env, printable(question), yes)
        kept = copies.restore(path, checked)
        print(  # said before the backup's work copy is removed: a Ctrl-C then comes after
            printable(f"Restored {checked.entries} {entries} from {file} to {path}.")
            + " Nothing to undo: the undo journal starts afresh.",
            file=state.env.stderr,
        )
        for copy in kept:
            print(
                printable(f"The diary as it was is kept in {copy} (delete it once you are sure)."),
                file=state.env.stderr,
            )


@diary_app.command(cls=Command)
@handles_errors
def stats(
    ctx: typer.Context,
    weeks: int = typer.Option(
        8,
        "--weeks",
        metavar="N",
        callback=between(1, 520),
        help="This week and the N-1 before (1-520), or before --until; --since overrides it.",
    ),
    since: str | None = typer.Option(None, "--since", metavar="WHEN", help='e.g. "2026-01-01".'),
    until: str | None = typer.Option(None, "--until", metavar="WHEN", help="Up to this time."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Every figure over one window: per week, time of day, duration, leg, sleep, triggers,
    what helped, and its later half against the earlier."""
    from crampcli.diary import words
    from crampcli.diary.stats import calendar_weeks, compute, middle
    from crampcli.output import diary_views as views

    state: State = ctx.obj
    as_json = as_json or ctx.meta.get(GROUP_JSON, False)
    now = _now()
    end = _bound(until, "until", now, end=True) or now
    start = _bound(since, "since", now) or calendar_weeks(end, weeks)
    if start >= end:
        from crampcli.errors import BadValue

        raise BadValue("since", "must be before --until")
    kb = state.kb()
    with _open(create=False, read_only=True) as d:
        counts = d.counts(start, end, middle(start, end))
    result = compute(counts, start, end, words.helped(kb), words.triggers(kb))
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
    if _names_a_folder(output):
        raise BadValue(option, f"{output!r} names a folder; give a file name")
    not_the_diary(output)
    data = (chunk.encode("utf-8") for chunk in chunks)
    try:
        # /dev/stdout, a FIFO: written to, never replaced by a file
        with _interruptible():  # a closed terminal or `kill` removes the partial copy too
            descriptor = atomic.stream_descriptor(output)
            if descriptor is not None:  # `>> file` appends to it, as the shell opened it
                atomic.write_fd(descriptor, data)
            elif not (special_kind(output) and atomic.write_into(Path(output), data)):
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
    from crampcli.diary.copies import wipe as remove
    from crampcli.diary.files import default_path
    from crampcli.output.safe import printable

    state: State = ctx.obj
    path = default_path()
    if path.exists():
        question = f"Delete the whole diary {path}? This cannot be undone."
        _confirm(state.env, printable(question), yes)

    def waiting() -> None:
        said = "Waiting for the other crampcli that has the diary open (30 s at most)..."
        print(said, file=state.env.stderr)

    removed = remove(path, waiting)
    if removed is None:
        print(printable(f"No diary at {path}"), file=state.env.stderr)
        return
    real = _diary_of(removed[0])  # the diary itself, or a side file a cut-short wipe left
    sides = [p.name.removeprefix(real.name) for p in removed if p.name.startswith(f"{real.name}-")]
    stale = [str(p) for p in removed if not p.name.startswith(real.name)]
    if real in removed:
        said = f"{real}" + (f" with its {', '.join(sides)} files" if sides else "")
    else:
        said = f"the {', '.join(sides)} files a wipe cut short left beside {real}"
    said += f" and the temporary copies {', '.join(stale)}" if stale else ""
    link = f" (and the link {path} to it)" if real != path else ""
    kept = sorted(real.parent.glob(f"{real.stem}-before-restore-*"))  # their side files too
    restored = ", ".join(map(str, kept))
    print(
        printable(f"Deleted {said}{link}.")
        + "\nNot removed: exports, backups and HTML reports you wrote, and the pages crampcli"
        "\nkeeps to start faster (`crampcli cache clear` removes those)."
        + (f"\nNor the copies `diary restore` kept: {printable(restored)}" if kept else ""),
        file=state.env.stderr,
    )


def _diary_of(file: Path) -> Path:
    """The diary whose file ``file`` is: itself, or the diary beside its side file."""
    from crampcli.diary.files import SIDE_FILES

    for suffix in SIDE_FILES:
        if file.name.endswith(suffix):
            return file.with_name(file.name.removesuffix(suffix))
    return file


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
    name: str | None = typer.Option(
        None, "--name", metavar="TEXT", help="Your name on the page (else a line to write it on)."
    ),
) -> None:
    """A one-page summary for your doctor: Markdown to stdout, or --html FILE."""
    from crampcli.diary import report as doctor
    from crampcli.diary import words
    from crampcli.diary.stats import compute, middle

    state: State = ctx.obj
    kb = state.kb()
    start, end = doctor.window(_now(), weeks)
    with _open(create=False, read_only=True) as d:
        counts = d.counts(start, end, middle(start, end))
        stats = compute(counts, start, end, words.helped(kb), words.triggers(kb))
        table = d.entries(start, end, last=doctor.TABLE_ROWS)

        def noticed(n: int, woke: bool, minutes: float) -> datetime | None:
            return d.nth(start, end, n, woke, minutes)

        made = doctor.build(kb, stats, counts, table, noticed, weeks, name)
    if html is not None:
        _write(state, html, doctor.page(made), option="html")
    elif state.env.fancy:  # a terminal: rendered, wrapped at word boundaries
        _show_markdown(state.env, doctor.markdown(made))
    else:
        state.env.stdout.write(doctor.markdown(made))


def _show_markdown(env: Env, text: str) -> None:
    import io
    from dataclasses import replace

    from rich.markdown import Markdown

    from crampcli.output.fancy import make_console

    buffer = io.StringIO()
    make_console(replace(env, stdout=buffer)).print(Markdown(text))
    emit_text = buffer.getvalue()
    if env.pager:
        from crampcli.output.pager import show

        show(emit_text, env.pager, env.stdout)
    else:
        env.stdout.write(emit_text)
