"""Exit codes and the errors the library raises; the CLI turns them into one clean message."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crampcli.problems import Problems


class ExitCode(IntEnum):
    OK = 0
    NOT_FOUND = 1  # also: invalid data, nothing to show
    USAGE = 2
    INTERNAL = 70  # a bug: EX_SOFTWARE from sysexits.h
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """" Did you mean: X?" for the choices close to ``word`` (as commands get), else ""."""
    import difflib

    close = difflib.get_close_matches(word.strip().lower(), list(choices), n=3, cutoff=0.6)
    return f" Did you mean: {', '.join(close)}?" if close else ""


class CrampError(Exception):
    """An error a user can act on; ``str(error)`` is the message shown to them."""

    exit_code: ExitCode = ExitCode.NOT_FOUND


class NotFound(CrampError):
    exit_code = ExitCode.NOT_FOUND


class Interrupted(CrampError):
    """Ctrl-C (or a `kill`) stopped a command that has something to say about what it left."""

    exit_code = ExitCode.INTERRUPTED


class UsageProblem(CrampError):
    exit_code = ExitCode.USAGE


class BadValue(UsageProblem):
    """A value given to an option that cannot be used. It reads as click's own "invalid value"
    errors do; the CLI adds where to get help, as it does for those."""

    def __init__(self, option: str, problem: str) -> None:
        self.option = option  # without the dashes: "pain"
        self.problem = problem
        super().__init__(f"invalid value for '--{option}': {problem}")


class DataError(CrampError):
    """A knowledge-base file that cannot be read or does not follow the format."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, path: str, problems: Problems | list[str]) -> None:
        from crampcli.problems import Problems

        self.path = path
        self.problems = problems if isinstance(problems, Problems) else Problems(problems)
        if len(self.problems) == 1:  # one line: "no such file", "not a regular file (a FIFO)"
            super().__init__(f"cannot use knowledge base {path}: {self.problems.kept[0]}")
            return
        listed = self.problems.listed(5)
        more = " (crampcli validate lists more)" if len(self.problems) > 5 else ""
        super().__init__(f"cannot use knowledge base {path}:\n{listed}{more}")
