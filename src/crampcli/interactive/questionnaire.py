"""The ``crampcli check`` questionnaire: one Rich prompt at a time, Enter skips.

Imported only by the check command. Prompts and hints go to stderr (the terminal), so the
result on stdout can still be piped or saved. Ctrl-C raises KeyboardInterrupt to the
command's error boundary (exit 130); end of input ends the questionnaire with a message.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.prompt import Confirm, InvalidResponse, Prompt, PromptBase
from rich.text import Text

from crampcli.answers.check import LABELS, Answers, values
from crampcli.env import Env
from crampcli.errors import CrampError, ExitCode
from crampcli.output.fancy import make_console

SKIP = "skip"


class InputEnded(CrampError):
    """Standard input closed (Ctrl-D, or a script ran out of answers) mid-questionnaire."""

    exit_code = ExitCode.NOT_FOUND


class _Number(PromptBase[float]):
    """A number in a range; Enter keeps the default (``skip``)."""

    response_type = float

    def __init__(self, prompt: str, *, console: Console, low: float, high: float) -> None:
        super().__init__(Text(prompt, style="prompt"), console=console)
        self.low, self.high = low, high
        self.validate_error_message = f"Please enter a number from {low:g} to {high:g}"

    def render_default(self, default: Any) -> Text:
        shown = f"{default:g}" if isinstance(default, float) else str(default)
        return Text(f"({shown})", "prompt.default")

    def process_response(self, value: str) -> float:
        try:
            number = float(value.strip())
        except ValueError:
            raise InvalidResponse(self.validate_error_message) from None
        if not self.low <= number <= self.high:
            raise InvalidResponse(self.validate_error_message)
        return number


class _Pick(PromptBase[tuple[str, ...]]):
    """Several of a numbered list: ``1 3``, ``1,3`` or names; Enter keeps the default."""

    response_type = tuple

    def __init__(self, prompt: str, *, console: Console, options: tuple[str, ...]) -> None:
        super().__init__(Text(prompt, style="prompt"), console=console)
        self.options = options

    def render_default(self, default: Any) -> Text:
        return Text(f"({', '.join(default) or 'none'})", "prompt.default")

    def process_response(self, value: str) -> tuple[str, ...]:
        picked: list[str] = []
        for word in re.split(r"[\s,;]+", value.strip().lower()):
            if word in ("", "none", "no", "-"):
                continue
            if word.isdigit() and 1 <= int(word) <= len(self.options):
                picked.append(self.options[int(word) - 1])
            elif word in self.options:
                picked.append(word)
            else:
                raise InvalidResponse(
                    f"{word!r} is not on the list: type numbers 1-{len(self.options)}, "
                    "names, or press Enter"
                )
        return tuple(dict.fromkeys(picked))

    def on_validate_error(self, value: str, error: InvalidResponse) -> None:
        # The message quotes what was typed: print it as text, never as Rich markup.
        message = error.message
        self.console.print(Text(message, "prompt.invalid") if isinstance(message, str) else message)


def ask(env: Env, given: Answers) -> Answers:
    """Ask every question, offering ``given`` as the defaults; the answers."""
    console = make_console(env, file=env.stderr)
    try:
        return _ask(console, given)
    except EOFError:
        console.print()
        raise InputEnded(
            "input ended before the questions were answered; nothing checked"
        ) from None


def _ask(console: Console, given: Answers) -> Answers:
    intro = "A few questions about your leg cramps. Press Enter to skip one; Ctrl-C stops."
    console.print(Text(intro, "bold"))
    # Warning signs first: someone with a hot swollen calf must not answer ten questions first.
    sign = _several(
        console, "First, warning signs: have you noticed any of these?", "sign", given.sign
    )
    where = _one_of(console, "Where do you get cramps?", "where", given.where, explain=False)
    when = _one_of(console, "When do they come?", "when", given.when, explain=True)
    lasts = _number(console, "How many minutes does a cramp usually last?", given.lasts_min, 1440)
    per_week = _number(console, "How many cramps do you get in a week?", given.per_week, 1000)
    age = _number(console, "How old are you?", given.age, 130)
    pregnant = _yes_no(console, "Are you pregnant?", given.pregnant)
    sport = _yes_no(console, "Do you do sport regularly?", given.sport)
    recent = _several(console, "Recently, have you had any of these?", "recent", given.recent)
    condition = _several(
        console, "Do you have any of these long-term conditions?", "condition", given.condition
    )
    console.print()
    return Answers(
        where=where,
        when=when,
        lasts_min=lasts,
        per_week=per_week,
        age=age,
        pregnant=pregnant,
        sport=sport,
        recent=recent,
        sign=sign,
        condition=condition,
    )


def _one_of(
    console: Console, question: str, topic: str, given: str | None, explain: bool
) -> str | None:
    """One of the topic's values, or None; with ``explain``, each value's meaning first."""
    console.print()
    for value in values(topic) if explain else ():
        console.print(Text(f"  {value:<16} {LABELS[f'{topic}:{value}']}", "dim"))
    choices = [*values(topic), SKIP]
    value = Prompt.ask(
        Text(question),
        console=console,
        choices=choices,
        default=given or SKIP,
        case_sensitive=False,
    )
    return None if value == SKIP else value


def _yes_no(console: Console, question: str, given: bool) -> bool:
    console.print()
    return Confirm.ask(Text(question), console=console, default=given)


def _number(console: Console, question: str, given: float | None, high: float) -> float | None:
    console.print()
    default: float | str = float(given) if given is not None else SKIP
    value = _Number(question, console=console, low=0, high=high)(default=default)
    return None if isinstance(value, str) else value


def _several(
    console: Console, question: str, topic: str, given: tuple[str, ...]
) -> tuple[str, ...]:
    console.print()
    console.print(Text(question, "bold"))
    options = values(topic)
    for n, value in enumerate(options, 1):
        console.print(Text(f"  {n:2}. {value:<16} {LABELS[f'{topic}:{value}']}"))
    prompt = _Pick("Type their numbers, e.g. 1 3", console=console, options=options)
    return prompt(default=given)
