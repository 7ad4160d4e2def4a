"""What every command shares: the run's state, the one error boundary, the way output is
written, and the options that mean the same on every command."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer import _click as click
from typer.core import TyperCommand

from crampcli import rendercache
from crampcli.commands import completing
from crampcli.env import Env
from crampcli.errors import BadValue, CrampError, ExitCode
from crampcli.interrupts import Run, until_said
from crampcli.streams import cannot_write, silence_stdout

if TYPE_CHECKING:  # imported where used: --help does not need them
    from pathlib import Path

    from crampcli.answers.emergency import Numbers
    from crampcli.knowledge.model import KnowledgeBase
    from crampcli.output.document import Document

DEBUG_ENV = "CRAMPCLI_DEBUG"


@dataclass
class State:
    env: Env
    data: str | None
    traceback: bool
    country: str | None = None  # two-letter code, from --country, CRAMPCLI_COUNTRY or the locale
    data_alone: bool = False  # --data-alone: your file without the bundled one beneath

    def kb(self, path: Path | None = None) -> KnowledgeBase:
        """The knowledge base at ``path``; else your file (--data, CRAMPCLI_DATA) on top of
        the bundled one, or alone with --data-alone; else the bundled one."""
        from crampcli.knowledge import loading
        from crampcli.knowledge.checksum import digest

        kb, layers = (
            (loading.load(path), []) if path else loading.load_chosen(self.data, self.data_alone)
        )
        if not layers:
            rendercache.read(kb.path, kb.digest)
        for layer, raw in layers:  # a replay must check both files
            rendercache.read(str(layer), digest(raw))
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
        command_path = "crampcli"
        for value in (*args, *kwargs.values()):
            # Typer >= 0.26 passes its vendored click Context, not a typer.Context subclass.
            if isinstance(getattr(value, "obj", None), State):
                state, command_path = value.obj, value.command_path
        env = state.env if state else Env.from_system()
        run = Run()
        try:  # a change's message is said before a signal held while it was made lands
            with until_said(env.stdout, env.stderr) as run:
                return _run(command, env, state, command_path, *args, **kwargs)
        except KeyboardInterrupt:
            if not run.interrupted:  # else it said so, on a line of its own
                print("", file=env.stderr)  # past the ^C the terminal echoed
            raise typer.Exit(ExitCode.INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


def _run(
    command: Callable[..., Any],
    env: Env,
    state: State | None,
    command_path: str,
    *args: Any,
    **kwargs: Any,
) -> Any:
    try:
        result = command(*args, **kwargs)
        env.stdout.flush()
        return result
    except CrampError as exc:
        from crampcli.output.safe import printable  # a path or id may hold escape codes

        hint = f" (see: {command_path} -h)" if isinstance(exc, BadValue) else ""
        print(f"crampcli: {printable(str(exc))}{hint}", file=env.stderr)
        raise typer.Exit(exc.exit_code) from None
    except BrokenPipeError:
        rendercache.veto()
        silence_stdout()
        raise typer.Exit(ExitCode.OK) from None
    except OSError as exc:  # stdout on a full disk or /dev/full, a vanished terminal
        raise typer.Exit(cannot_write(env.stderr, exc)) from None
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


def emit(env: Env, output: Document | dict[str, Any], page: bool = True) -> None:
    """Data to stdout: JSON for machines, panels on a terminal, plain text in a pipe; long
    text on a terminal through the pager (unless ``page`` is False). Off a terminal, what is
    said to the person (the "not medical advice" line) goes to stderr: stdout stays data."""
    said = ""
    if not isinstance(output, dict) and not env.stdout_isatty:
        output, said = _messages_apart(output, env.width)
        if not output.blocks:  # only a message: nothing for stdout
            env.stderr.write(said)
            return
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
    if said:
        env.stdout.flush()
        env.stderr.write(said)


def _messages_apart(output: Document, width: int) -> tuple[Document, str]:
    """The document without its messages, and the messages as plain text."""
    from crampcli.output import plain
    from crampcli.output.document import Document, Line

    said = [b for b in output.blocks if isinstance(b, Line) and b.message]
    if not said:
        return output, ""
    data = Document([b for b in output.blocks if not (isinstance(b, Line) and b.message)])
    return data, plain.render(Document(list(said)), width)


def none_matched(env: Env, message: str) -> None:
    """A query or filter that matched nothing: a valid, empty answer (exit 0, with --json
    too, as the search contract says); what to try instead goes to stderr."""
    from crampcli.output.safe import printable

    print(f"crampcli: {printable(message)}", file=env.stderr)


JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of text.")


def between(low: float, high: float | None = None) -> Callable[[Any], Any]:
    """An option check that says "must be 1-1000" in words: click's own ranges print
    "1<=x<=1000" in the help."""

    def check(value: Any) -> Any:
        if value is not None and (value < low or (high is not None and value > high)):
            wanted = (
                f"between {_shown(low)} and {_shown(high)}"
                if high is not None
                else f"at least {_shown(low)}"
            )
            raise typer.BadParameter(f"{_shown(value)} is not {wanted}")
        return value

    return check


def _shown(number: float) -> str:
    """A bound as written: 2147483647, not 2.14748e+09 (a huge one shortened: 1e+20)."""
    return str(int(number)) if float(number).is_integer() and abs(number) < 1e15 else f"{number:g}"


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
    autocompletion=completing.who,
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


class Command(TyperCommand):
    """Usage lines as people write them: ``show ID``, not Typer's ``show {ID}``; options that
    contradict each other refused."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, args)
        if ctx.params.get("as_json") and ctx.params.get("brief"):
            from typer._click.exceptions import UsageError

            raise UsageError("--json and --brief do not go together: give one", ctx)
        return rest

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [
            p[1:-1] if p[:1] == "{" and p[-1:] == "}" else p
            for p in super().collect_usage_pieces(ctx)
        ]


def not_the_diary(output: str) -> None:
    """Refuse an output that would replace the diary or a file SQLite keeps beside it."""
    from pathlib import Path

    from crampcli.diary.copies import diary_part
    from crampcli.diary.files import default_path
    from crampcli.errors import CrampError

    diary = default_path()
    part = diary_part(Path(output), diary)
    if part is not None:
        what = "the diary itself" if not part else f"the diary's {part} file"
        raise CrampError(f"cannot write {output}: it is {what} ({diary}); give another file name")
