"""The root command: global options, and the commands, loaded only when they run (see
crampcli.commands). Usage errors become one line here; library errors at each command's
boundary (crampcli.commands.common.handles_errors). No medical logic here."""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from collections.abc import Iterator, MutableMapping, Sequence
from typing import Any

import typer
import typer.main
from typer import _click as click
from typer._click import _textwrap
from typer._click.exceptions import ClickException, UsageError
from typer.core import TyperCommand, TyperGroup

from crampcli import __version__, help_examples, rendercache
from crampcli.commands import MODULES, completing
from crampcli.commands.common import Command, State
from crampcli.env import Env
from crampcli.errors import CrampError, ExitCode, did_you_mean
from crampcli.streams import cannot_write, silence_stdout

# click's words for a value of the wrong type, in the words of the rest of crampcli.
_TYPE_WORDS = (
    ("is not a valid int", "is not a whole number"),
    ("is not a valid float", "is not a number"),
)


class _WholeWords(_textwrap.TextWrapper):
    """Help text wrapped between words only: a value such as "hard-exercise" is never split
    at its hyphen (what people copy must stay whole)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "break_on_hyphens": False})


_textwrap.TextWrapper = _WholeWords  # type: ignore[misc]  # what click's wrap_text builds


class _Commands(MutableMapping[str, click.Command]):
    """The root's commands by name: a command's module is imported, and only that command
    turned into a click command, the first time it is looked up."""

    def __init__(self) -> None:
        self._built: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._built:
            module = importlib.import_module(f"crampcli.commands.{MODULES[name]}")
            self._built[name] = _build(name, module.app)
        return self._built[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(MODULES)

    def __len__(self) -> int:
        return len(MODULES)


def _build(name: str, module_app: typer.Typer) -> click.Command:
    """One command (or the `diary` group) of a module's app, with its help examples."""
    for info in module_app.registered_commands:
        callback = info.callback
        if (info.name or (callback.__name__ if callback else "")) == name:
            info.short_help = help_examples.SHORT_HELP.get(name, info.short_help)
            info.epilog = help_examples.epilog(name)
            if info.cls in (None, TyperCommand):
                info.cls = Command
            return typer.main.get_command_from_info(
                info, pretty_exceptions_short=True, rich_markup_mode=None
            )
    group = next(g for g in module_app.registered_groups if g.name == name)
    group.short_help = help_examples.SHORT_HELP.get(name, group.short_help)
    group.epilog = help_examples.epilog(name)
    for sub in group.typer_instance.registered_commands if group.typer_instance else ():
        full = f"{name} {sub.name or (sub.callback.__name__ if sub.callback else '')}"
        sub.short_help = help_examples.SHORT_HELP.get(full, sub.short_help)
        sub.epilog = help_examples.epilog(full)
    return typer.main.get_group_from_info(
        group, pretty_exceptions_short=True, suggest_commands=True, rich_markup_mode=None
    )


COMPLETION_OPTIONS = ("--install-completion", "--show-completion")


class _Root(TyperGroup):
    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands()

    def _main_shell_completion(
        self, ctx_args: MutableMapping[str, Any], prog_name: str, complete_var: str | None = None
    ) -> None:
        """A shell asking for completions: crampcli's inert shells, registered only then."""
        if os.environ.get(complete_var or "_CRAMPCLI_COMPLETE"):
            from crampcli.commands import shells

            shells.register()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """``--install-completion [SHELL]`` and ``--show-completion [SHELL]``: the shell named,
        else the one running (an option with an optional value, which click cannot declare)."""
        if args and args[0] in COMPLETION_OPTIONS:
            shell = args[1] if len(args) > 1 and not args[1].startswith("-") else None
            _completion(args[0], shell)
        return super().parse_args(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """As click's, but a usage error is one line, like every other crampcli error."""
        run = functools.partial(
            super().main, args, prog_name, complete_var, False, windows_expand_args, **extra
        )
        if not standalone_mode:
            return run()
        try:
            result = run()
        except UsageError as exc:
            print(usage_line(exc), file=sys.stderr)
            sys.exit(ExitCode.USAGE)
        except ClickException as exc:
            print(f"crampcli: {exc.format_message()}", file=sys.stderr)
            sys.exit(exc.exit_code)
        except typer.Abort:  # end of input at a prompt
            print("", file=sys.stderr)
            sys.exit(ExitCode.INTERRUPTED)
        sys.exit(result if isinstance(result, int) else ExitCode.OK)


app = typer.Typer(
    name="crampcli",
    cls=_Root,
    help="Leg cramps, offline: why they happen, what to do now, how to prevent them, "
    "when to worry. Not medical advice.\n\nCramping right now? Run: crampcli relieve --now",
    epilog=help_examples.epilog(""),
    add_completion=False,  # ours take the shell as a value: _Root.parse_args
    pretty_exceptions_enable=False,  # they print local variables
    rich_markup_mode=None,  # plain help: fast, and the same on every terminal
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _completion(option: str, shell: str | None) -> None:
    from crampcli.commands import meta

    try:
        if option == "--show-completion":
            sys.stdout.write(meta.completion_script(shell))
        else:
            print(meta.install_completion(shell), file=sys.stderr)
    except CrampError as exc:
        print(f"crampcli: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    sys.exit(ExitCode.OK)


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
        help="Your own knowledge-base JSON file, on top of the bundled one: its entries "
        "added, the ids it repeats replaced [env: CRAMPCLI_DATA].",
    ),
    data_alone: bool = typer.Option(
        False, "--data-alone", help="Use the --data file alone, without the bundled one."
    ),
    version: bool = typer.Option(False, "--version", "-V", help="Show versions and exit."),
    traceback: bool = typer.Option(
        False, "--traceback", help="Show the full traceback of an internal error."
    ),
    no_pager: bool = typer.Option(
        False, "--no-pager", help="Never send long output through a pager [env: PAGER=cat]."
    ),
    plain: bool = typer.Option(
        False,
        "--plain",
        help="Plain text on a terminal too: no colour, no boxes, no moving bar, for screen "
        "readers [env: TERM=dumb].",
    ),
    install_completion: bool = typer.Option(
        False,
        "--install-completion",
        metavar="[SHELL]",
        help="Install completion, e.g. `--install-completion zsh` (bash, zsh or fish; "
        "default: this shell). `crampcli completion SHELL` prints the script instead.",
    ),
    show_completion: bool = typer.Option(
        False,
        "--show-completion",
        metavar="[SHELL]",
        help="Print the completion script, e.g. `--show-completion fish`.",
    ),
    country: str | None = typer.Option(
        None,
        "--country",
        metavar="CODE",
        autocompletion=completing.country,
        help="Your country (GB, IE, US, AU, ...), for the emergency numbers shown "
        "[env: CRAMPCLI_COUNTRY; default: from the locale].",
    ),
) -> None:
    from crampcli.answers import emergency

    if install_completion or show_completion:  # after other global options: this shell's
        _completion("--install-completion" if install_completion else "--show-completion", None)
    if country is not None and emergency.normalise(country) is None:
        raise typer.BadParameter(
            f"{country!r} is not a two-letter country code", param_hint="--country"
        )
    where = emergency.country(country, os.environ)
    if country is not None and emergency.numbers(where).country is None:
        print(
            f"crampcli: no numbers known for country {country.strip().upper()!r}: "
            f"'{emergency.UNKNOWN_EMERGENCY}' is shown "
            f"(known: {' '.join(emergency.known_countries())})",
            file=sys.stderr,
        )
    ctx.obj = State(
        env=Env.from_system(), data=data, traceback=traceback, country=where, data_alone=data_alone
    )
    if no_pager:
        ctx.obj.env.pager = None
    if plain:
        ctx.obj.env.fancy = ctx.obj.env.color = False
    rendercache.command(ctx.invoked_subcommand, ctx.obj.env.stdout_isatty)
    if version:
        from crampcli.output.safe import printable  # the version string comes from the data file

        print(printable(_version(ctx.obj)), file=ctx.obj.env.stdout)
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        print(help_examples.short_help(), file=ctx.obj.env.stdout)
        raise typer.Exit()


def usage_line(exc: UsageError) -> str:
    """A usage error in one line, as crampcli's other errors are, with where to get help."""
    message = exc.format_message().rstrip(".")
    for typed, plain in _TYPE_WORDS:
        message = message.replace(typed, plain)
    message += _suggestion(exc, message)
    command = exc.ctx.command_path if exc.ctx else "crampcli"
    hint = _global_hint(exc, message)
    return f"crampcli: {message[:1].lower()}{message[1:]} (see: {command} -h){hint}"


def _suggestion(exc: UsageError, message: str) -> str:
    """A value not among an option's choices: the close ones, as an unknown command gets."""
    choices = getattr(getattr(getattr(exc, "param", None), "type", None), "choices", None)
    typed = re.match(r".*?: '(.*?)' is not one of", message)
    if not choices or not typed:
        return ""
    return "." + did_you_mean(typed.group(1), [str(getattr(c, "value", c)) for c in choices])


def _global_hint(exc: UsageError, message: str) -> str:
    """A global option given after the command: where it goes."""
    option = re.match(r"No such option: (--[a-z-]+)", message, re.I)
    if not option or not exc.ctx or exc.ctx.parent is None:
        return ""
    name = option.group(1)
    found = [p for p in exc.ctx.find_root().command.params if name in p.opts]
    if not found:
        return ""
    value = f" {found[0].metavar}" if found[0].metavar else ""
    command = exc.ctx.command_path.removeprefix("crampcli ")
    return f"; it is a global option and goes first: crampcli {name}{value} {command} ..."


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
