"""`crampcli log` on a terminal with no options: a few one-line questions, Enter skips each
(for the medicines, Enter keeps those of the last entry; "none" clears them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from crampcli.diary import times
from crampcli.diary.model import LEGS, PLACES, Cramp, InvalidValue
from crampcli.env import Env
from crampcli.interactive.choosing import choice, numbered, read_line, yes_no
from crampcli.output.safe import printable


def _number(kind: type[int] | type[float]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            return kind(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None

    return parse


def _yes(text: str) -> bool:
    answer = yes_no(text)
    if answer is None:
        raise ValueError(f"{text!r}: answer yes or no")
    return answer


def _one_of(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        picked = choice(text, options)
        if picked is None:
            raise ValueError(f"{text!r} is not one of: {numbered(options)}")
        return picked

    return parse


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(",") if w.strip())


QUESTIONS: tuple[tuple[str, str, Callable[[str], Any]], ...] = (
    ("at", 'When? (Enter: now; e.g. "2h ago", "last night 3am")', str),
    ("leg", f"Which leg? ({numbered(LEGS)})", _one_of(LEGS)),
    ("where", f"Where? ({numbered(PLACES)})", _one_of(PLACES)),
    ("minutes", "How many minutes did it last?", _number(float)),
    ("pain", "How bad, 0-10?", _number(int)),
    ("woke", "Did it wake you? (y/N)", _yes),
    ("sleep", "How much did it disturb your sleep, 0-10?", _number(int)),
    ("triggers", "What set it off? (comma-separated)", _words),
    ("helped", "What helped? (comma-separated)", _words),
    ("medicines", "Medicines you take? (comma-separated)", _words),
    ("note", "Anything else?", str),
)


NO_MEDICINES = ("none", "no", "-")  # clear the medicines the last entry named


def ask(env: Env, now: datetime, medicines: tuple[str, ...] = ()) -> dict[str, Any]:
    """The answers as Cramp fields; a bad answer is said and asked again. ``medicines``: those
    of the last entry, kept when the person presses Enter (people take the same ones)."""
    answers: dict[str, Any] = {"at": now, "medicines": medicines}
    env.stderr.write("Log a cramp (Enter skips a question, Ctrl-C stops):\n")
    for name, question, parse in QUESTIONS:
        if name == "medicines" and medicines:
            question = f"Medicines you take? (Enter: {', '.join(medicines)}; none: no medicines)"
        while True:
            text = read_line(env, f"  {printable(question)} ")
            if not text:  # end of input: stop asking, keep what was given
                return answers
            typed = text.removesuffix("\n")  # a note is kept as typed; the rest is tidied
            text = text.strip()
            if not text:
                break
            value: Any
            try:
                if name == "at":
                    when = times.read(text, now)
                    value, answers["time_known"] = when.moment, when.time_known
                elif name == "medicines" and text.lower() in NO_MEDICINES:
                    value = ()
                else:
                    value = parse(typed if name == "note" else text)
                Cramp(**{**answers, name: value}).checked()
            except (InvalidValue, ValueError) as exc:
                # The question says which value it asks for: show only what is wrong with it.
                env.stderr.write(f"  {exc.problem if isinstance(exc, InvalidValue) else exc}\n")
                continue
            answers[name] = value
            break
    return answers
