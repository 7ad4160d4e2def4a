"""The ``crampcli check`` questionnaire: one Rich prompt at a time, Enter skips.

Imported only by the check command. Prompts and hints go to stderr (the terminal), so the
result on stdout can still be piped or saved. Ctrl-C raises KeyboardInterrupt to the
command's error boundary (exit 130); end of input ends the questionnaire with a message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from rich.console import Console
from rich.prompt import Confirm, InvalidResponse, Prompt, PromptBase
from rich.text import Text

from crampcli.answers.check import LABELS, Answers, check, values
from crampcli.answers.medicines import match_names
from crampcli.env import Env
from crampcli.errors import CrampError, ExitCode
from crampcli.interactive.choosing import choice, line_editing, yes_no
from crampcli.knowledge.model import KnowledgeBase
from crampcli.output.fancy import make_console
from crampcli.output.views import medicine_note

SKIP = "skip"
GIVE_OPTIONS = "Give them as options instead (see crampcli check --help)."


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


class _One(Prompt):
    """One of a list, by name, number or with a typo; Enter keeps the default."""

    def process_response(self, value: str) -> str:
        picked = choice(value, self.choices or [])
        if picked is None:
            raise InvalidResponse(self.illegal_choice_message)
        return picked


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
            one = choice(word, self.options)
            if one is not None:
                picked.append(one)
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


def ask(env: Env, kb: KnowledgeBase, given: Answers) -> Answers:
    """Ask every question, offering ``given`` as the defaults; the answers. Stops asking the
    moment the answers so far raise an emergency: that person must not answer nine more."""
    if env.stdin is None:  # started with stdin closed (`<&-`): ask nothing into the void
        raise InputEnded(f"standard input is closed: no answers to read. {GIVE_OPTIONS}")
    console = make_console(env, file=env.stderr)
    line_editing(env)
    try:
        return _ask(console, kb, given)
    except EOFError:
        console.print()
        raise InputEnded(
            "input ended before the questions were answered; nothing checked"
        ) from None
    except OSError as exc:  # stdin is a directory, or a terminal that went away
        console.print()
        raise InputEnded(
            f"cannot read answers from standard input: {exc.strerror or exc}. {GIVE_OPTIONS}"
        ) from None


Question = Callable[[Console, Answers], dict[str, Any]]


def _ask(console: Console, kb: KnowledgeBase, given: Answers) -> Answers:
    intro = "A few questions about your leg cramps. Press Enter to skip one; Ctrl-C stops."
    console.print(Text(intro, "bold"))
    answers = given
    for question in _questions(kb):
        answers = replace(answers, **question(console, answers))
        if check(kb, answers).emergency:
            console.print()
            console.print(Text("Stop here: one of your answers needs emergency help.", "bold red"))
            break
    console.print()
    return answers


# The emergencies first, one short yes/no each: someone with chest pain must not read a list
# of thirty signs. "Yes" to a question that covers two signs asks which (Enter: both).
EMERGENCY_QUESTIONS = (
    ("Are you breathless, or do you have chest pain?", ("breathlessness", "chest-pain")),
    ("Have you collapsed or fainted, or are you confused?", ("collapse", "confusion")),
    ("Has a leg suddenly gone cold, pale and painful?", ("cold-pale-leg",)),
    (
        "Is there numbness around the groin or bottom, or new bladder or bowel trouble?",
        ("groin-numbness", "bladder-bowel-change"),
    ),
)
_ASKED_FIRST = tuple(s for _, signs in EMERGENCY_QUESTIONS for s in signs)


def _questions(kb: KnowledgeBase) -> list[Question]:
    # Warning signs first: someone with a hot swollen calf must not answer ten questions first.
    return [
        *(_emergency_question(text, signs) for text, signs in EMERGENCY_QUESTIONS),
        lambda c, a: {
            "sign": _several(
                c,
                "Other warning signs: have you noticed any of these?",
                "sign",
                a.sign,
                leave_out=_ASKED_FIRST,
            )
        },
        lambda c, a: {"where": _one_of(c, "Where do you get cramps?", "where", a.where, False)},
        lambda c, a: {"legs": _one_of(c, "In one leg or both?", "legs", a.legs, False)},
        lambda c, a: {"when": _one_of(c, "When do they come?", "when", a.when, True)},
        lambda c, a: {
            "lasts_min": _number(
                c, "How many minutes does a cramp usually last?", a.lasts_min, 1440
            )
        },
        lambda c, a: {
            "per_week": _number(c, "How many cramps do you get in a week?", a.per_week, 1000)
        },
        lambda c, a: {"age": _number(c, "How old are you?", a.age, 130)},
        lambda c, a: {"pregnant": _yes_no(c, "Are you pregnant?", a.pregnant)},
        lambda c, a: {"breastfeeding": _yes_no(c, "Are you breastfeeding?", a.breastfeeding)},
        lambda c, a: {"sport": _yes_no(c, "Do you do sport regularly?", a.sport)},
        lambda c, a: {
            "recent": _several(c, "Recently, have you had any of these?", "recent", a.recent)
        },
        lambda c, a: {
            "condition": _several(
                c, "Do you have any of these long-term conditions?", "condition", a.condition
            )
        },
        lambda c, a: {"medicines": _medicines(c, kb, a.medicines)},
    ]


def _emergency_question(text: str, signs: tuple[str, ...]) -> Question:
    def ask(console: Console, answers: Answers) -> dict[str, Any]:
        had = [s for s in signs if s in answers.sign]
        if not _yes_no(console, text, bool(had)):
            return {"sign": tuple(s for s in answers.sign if s not in signs)}
        picked = signs
        if len(signs) > 1:
            which = " or ".join(f"{n}. {s}" for n, s in enumerate(signs, 1))
            prompt = _Pick(f"Which: {which}?", console=console, options=signs)
            picked = prompt(default=tuple(had) or signs) or signs
        return {"sign": tuple(dict.fromkeys([*answers.sign, *picked]))}

    return ask


def _medicines(console: Console, kb: KnowledgeBase, given: tuple[str, ...]) -> tuple[str, ...]:
    """Medicine names, typed freely; the medicine entries they belong to."""
    console.print()
    typed = Prompt.ask(
        Text("Which medicines do you take? Names separated by commas (Enter: none)"),
        console=console,
        default="",
        show_default=False,
    )
    found = match_names(kb, [n.strip() for n in typed.split(",") if n.strip()])
    for m in found:
        console.print(Text(f"  {medicine_note(m)}"))
    return tuple(dict.fromkeys([*given, *(m.entry.id for m in found if m.entry)]))


def _one_of(
    console: Console, question: str, topic: str, given: str | None, explain: bool
) -> str | None:
    """One of the topic's values, or None; with ``explain``, each value's meaning first."""
    console.print()
    for n, value in enumerate(values(topic) if explain else (), 1):  # numbers are answers too
        console.print(Text(f"  {n}. {value:<16} {LABELS[f'{topic}:{value}']}", "dim"))
    choices = [*values(topic), SKIP]
    value = _One.ask(Text(question), console=console, choices=choices, default=given or SKIP)
    return None if value == SKIP else value


class _YesNo(Confirm):
    """Yes or no, in any of their usual forms or with a typo; Enter keeps the default."""

    validate_error_message = "Please answer yes or no (y or n)"

    def process_response(self, value: str) -> bool:
        answer = yes_no(value)
        if answer is None:
            raise InvalidResponse(self.validate_error_message)
        return answer


def _yes_no(console: Console, question: str, given: bool) -> bool:
    console.print()
    return _YesNo.ask(Text(question), console=console, default=given)


def _number(console: Console, question: str, given: float | None, high: float) -> float | None:
    console.print()
    default: float | str = float(given) if given is not None else SKIP
    value = _Number(question, console=console, low=0, high=high)(default=default)
    return None if isinstance(value, str) else value


def _several(
    console: Console,
    question: str,
    topic: str,
    given: tuple[str, ...],
    leave_out: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """Several of a topic's values; those in ``leave_out`` were asked already and are kept."""
    console.print()
    console.print(Text(question, "bold"))
    options = tuple(v for v in values(topic) if v not in leave_out)
    for line in _menu(options, topic):
        console.print(Text(line))
    prompt = _Pick("Type their numbers, e.g. 1 3", console=console, options=options)
    kept = tuple(v for v in given if v in leave_out)
    return tuple(dict.fromkeys([*kept, *prompt(default=tuple(v for v in given if v in options))]))


MENU_ROWS = 16  # with the question and the prompt, within an 80x24 terminal


def _menu(options: tuple[str, ...], topic: str) -> list[str]:
    """Numbered options with their meaning, one a line; in two columns of names when that
    many would scroll the question off an 80x24 terminal."""
    if len(options) <= MENU_ROWS:
        width = max(16, *map(len, options))  # the labels line up, whatever the longest value
        return [
            f"  {n:2}. {value:<{width}} {LABELS[f'{topic}:{value}']}"
            for n, value in enumerate(options, 1)
        ]
    rows = -(-len(options) // 2)
    cells = [f"{n:2}. {value}" for n, value in enumerate(options, 1)]
    return [
        f"  {cells[i]:<38}{cells[i + rows] if i + rows < len(cells) else ''}".rstrip()
        for i in range(rows)
    ]
