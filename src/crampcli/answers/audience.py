"""``--who``: the people a list is for, in the words people use ("runners", "elderly").

One meaning on every command: what is only for other people is left out, and what is for
these people comes first. Entries tagged with no audience are for everyone and stay, and a
warning sign is never left out: its audiences say who is most at risk, not who can have it.
"""

from __future__ import annotations

from collections.abc import Iterable

from crampcli.errors import did_you_mean
from crampcli.knowledge.model import AUDIENCES, Entry

WORDS = {
    "women": ("woman", "female", "females", "lady", "ladies"),
    "pregnant": ("pregnancy", "expecting", "expectant", "pregnant-women"),
    "older": (
        "old",
        "elderly",
        "elder",
        "senior",
        "seniors",
        "aged",
        "ageing",
        "aging",
        "older-people",
    ),
    "athletes": (
        "athlete",
        "runner",
        "runners",
        "running",
        "sport",
        "sports",
        "sporty",
        "exercisers",
        "cyclist",
        "cyclists",
        "swimmer",
        "swimmers",
    ),
}
_CANONICAL = {a: a for a in AUDIENCES} | {w: a for a, words in WORDS.items() for w in words}


class UnknownAudience(ValueError):
    def __init__(self, word: str) -> None:
        shown = ", ".join(AUDIENCES)
        hint = did_you_mean(word, _CANONICAL)
        super().__init__(
            f"{word!r} is not one of: {shown} (runners, sport, elderly work too).{hint}"
        )


def audiences(values: Iterable[str]) -> list[str]:
    """The audiences named by ``values`` (repeatable, comma-separated), each once, in order."""
    found: dict[str, None] = {}
    for value in values:
        for word in value.split(","):
            key = word.strip().lower().replace(" ", "-")
            if not key:
                continue
            if key not in _CANONICAL:
                raise UnknownAudience(word.strip())
            found.setdefault(_CANONICAL[key])
    return list(found)


def for_them(entries: Iterable[Entry], who: list[str]) -> list[Entry]:
    """``entries`` for these people: theirs first, then those for everyone (order kept)."""
    if not who:
        return list(entries)
    wanted = set(who)
    theirs, everyone = [], []
    for entry in entries:
        if not wanted.isdisjoint(entry.audiences):
            theirs.append(entry)
        elif not entry.audiences or entry.kind == "red-flag":
            everyone.append(entry)
    return theirs + everyone


def concerns(entry: Entry, who: list[str]) -> bool:
    """Whether ``entry`` is for these people (or for everyone, or a warning sign)."""
    if not who or not entry.audiences or entry.kind == "red-flag":
        return True
    return not set(who).isdisjoint(entry.audiences)
