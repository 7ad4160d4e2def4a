"""What every prompt shares: a line edited as in a shell (arrow keys, history), and answers
read as people type them: a list's number, its name, or its name with a typo; yes or no."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from crampcli.env import Env

YES = ("y", "yes", "yeah", "yep")
NO = ("n", "no", "nope")


def line_editing(env: Env) -> bool:
    """Turn on readline (arrow keys move, Up brings back earlier answers) when a person types
    on this terminal; whether it is on. Not when stdout is a file or a pipe: readline writes
    its terminal codes there, and stdout is the answer."""
    if not (env.stdin_isatty and env.stdout_isatty and env.stdin is sys.stdin):
        return False
    try:
        import readline  # noqa: F401  input() edits lines through it once it is imported
    except ImportError:  # Python built without it: plain lines still work
        return False
    return True


def read_line(env: Env, prompt: str) -> str:
    """One answer, the prompt on stderr; "" at the end of input, else the line with "\\n"."""
    env.stderr.write(prompt)
    env.stderr.flush()
    if line_editing(env):
        try:
            return input() + "\n"
        except EOFError:
            return ""
    return env.stdin.readline()


def choice(word: str, options: Sequence[str]) -> str | None:
    """The option ``word`` stands for: its number in the list, its name, or its name with a
    typo ("nigth", "calff"); None when it is none of them or could be more than one."""
    word = word.strip().lower()
    if word.isdigit():
        n = int(word)
        return options[n - 1] if 1 <= n <= len(options) else None
    if word in options:
        return word
    from rapidfuzz.distance import OSA

    budget = 0 if len(word) < 4 else 1 if len(word) < 8 else 2
    close = [o for o in options if OSA.distance(word, o) <= budget]
    return close[0] if len(close) == 1 else None


def yes_no(word: str) -> bool | None:
    """True for yes, False for no (their usual forms, a typo in a longer one); else None."""
    if word.strip().isdigit():  # a number picks from a list, and this is not one
        return None
    picked = choice(word, (*YES, *NO))
    return None if picked is None else picked in YES


def numbered(options: Sequence[str]) -> str:
    """``1 left, 2 right, 3 both``: the list as a prompt shows it."""
    return ", ".join(f"{n} {o}" for n, o in enumerate(options, 1))
