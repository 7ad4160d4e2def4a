"""`crampcli help [COMMAND|TOPIC]` and `crampcli completion SHELL`: about crampcli itself."""

from __future__ import annotations

from importlib import resources

import typer
from typer._click.core import Command, Context
from typer.core import TyperGroup as Group

from crampcli.commands.common import handles_errors
from crampcli.errors import UsageProblem, did_you_mean
from crampcli.help_examples import TOPICS

app = typer.Typer()

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_CRAMPCLI_COMPLETE"


def topic_text(name: str) -> str:
    """A help topic, as shipped in crampcli/topics/NAME.txt."""
    return (resources.files("crampcli") / "topics" / f"{name}.txt").read_text("utf-8")


def _complete_help(ctx: Context, incomplete: str) -> list[str]:
    from crampcli.commands import MODULES

    return [n for n in (*MODULES, *TOPICS) if n.startswith(incomplete)]


@app.command("help")
@handles_errors
def help_(
    ctx: typer.Context,
    names: list[str] | None = typer.Argument(
        None,
        metavar="[COMMAND|TOPIC]",
        help=f"A command (`diary stats` too), or a topic: {', '.join(TOPICS)}.",
        autocompletion=_complete_help,
    ),
) -> None:
    """Help on a command or a topic; with neither, the commands and topics."""
    root = ctx.find_root()
    words = [n.strip().lower() for n in names or [] if n.strip()]
    if not words:
        print(root.get_help())
        print(f"\nTopics (crampcli help TOPIC): {', '.join(TOPICS)}")
        return
    if len(words) == 1 and words[0] in TOPICS:
        print(topic_text(words[0]), end="")
        return
    command: Command = root.command
    parent = root
    for word in words:
        group = command if isinstance(command, Group) else None
        commands = group.list_commands(parent) if group else []
        found = group.get_command(parent, word) if group and word in commands else None
        if found is None:
            known = [*commands, *(TOPICS if parent is root else ())]
            where = "command or topic" if parent is root else f"command of {parent.command_path}"
            raise UsageProblem(f"no {where} {word!r}.{did_you_mean(word, known)}".rstrip("."))
        parent = found.make_context(word, [], parent=parent, resilient_parsing=True)
        command = found
    print(parent.get_help())


@app.command()
@handles_errors
def completion(
    shell: str = typer.Argument(
        ...,
        metavar="SHELL",
        help=f"One of: {', '.join(SHELLS)}.",
        autocompletion=lambda incomplete: [s for s in SHELLS if s.startswith(incomplete)],
    ),
) -> None:
    """The completion script for SHELL, to load from its start-up file (see the examples)."""
    print(completion_script(shell), end="")


def _shell(shell: str | None) -> str:
    """SHELL checked, or the shell this runs in when none is named."""
    if shell is None:
        from typer._completion_shared import _get_shell_name

        shell = _get_shell_name() or "(not detected)"
    name = shell.strip().lower()
    if name not in SHELLS:
        hint = did_you_mean(name, SHELLS)
        raise UsageProblem(f"no completion for shell {shell!r}: one of {', '.join(SHELLS)}.{hint}")
    return name


def completion_script(shell: str | None) -> str:
    """The script that makes SHELL complete crampcli's commands, options and values."""
    from typer._completion_shared import get_completion_script

    script = get_completion_script(
        prog_name="crampcli", complete_var=COMPLETE_VAR, shell=_shell(shell)
    )
    return script.strip() + "\n"


def install_completion(shell: str | None) -> str:
    """Install the script for SHELL (else this shell) where it loads; what was done."""
    from crampcli.commands import shells

    name = _shell(shell)
    done = shells.install(name, completion_script(name))
    loaded = f", loaded by {done.start_up}" if done.start_up else ""
    return (
        f"{name} completion installed in {done.script}{loaded}; "
        "it works in shells started from now on"
    )
