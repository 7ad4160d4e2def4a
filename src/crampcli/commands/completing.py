"""Values for shell completion (`crampcli completion SHELL`): what an option accepts, diary
ids and medicine names. Each runs only while a shell asks, and never fails: no data, no
diary, or an unreadable one means no suggestions."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from typer._click.core import Context


def words(values: Callable[[], Iterable[str]], upper: bool = False) -> Callable[[str], list[str]]:
    """Completion from a list of values, computed only when a shell asks; ``upper`` values
    (country codes) are offered in the case typed."""

    def complete(incomplete: str) -> list[str]:
        start = incomplete.lower()
        found = [v for v in values() if v.lower().startswith(start)]
        return [v.lower() for v in found] if upper and incomplete.islower() else found

    return complete


def _audiences() -> Iterable[str]:
    from crampcli.knowledge.model import AUDIENCES

    return AUDIENCES


def _countries() -> Iterable[str]:
    from crampcli.answers.emergency import known_countries

    return known_countries()


def _legs() -> Iterable[str]:
    from crampcli.diary.model import LEGS

    return LEGS


def _places() -> Iterable[str]:
    from crampcli.diary.model import PLACES

    return PLACES


who = words(_audiences)
country = words(_countries, upper=True)
leg = words(_legs)
place = words(_places)


def medicine(ctx: Context, incomplete: str) -> list[str]:
    """Generic and brand names of the medicines in the knowledge base in use."""
    from crampcli.answers.medicines import names
    from crampcli.errors import CrampError
    from crampcli.knowledge import loading

    try:
        root = ctx.find_root().params
        kb, _ = loading.load_chosen(root.get("data"), bool(root.get("data_alone")))
    except (CrampError, OSError):
        return []
    start = incomplete.lower()
    return sorted(n for n in names(kb) if n.startswith(start))


def diary_id(incomplete: str) -> list[tuple[str, str]]:
    """The latest diary entries' numbers, each with when it was and how long: never the
    note, lists or places, which are the person's own text (and a file someone sent them)."""
    from crampcli.diary.files import default_path
    from crampcli.diary.store import Diary
    from crampcli.errors import CrampError
    from crampcli.output.diary_views import when

    path = default_path()
    if not path.exists():
        return []
    try:
        with Diary.open(path, create=False, read_only=True, upgrade=False) as diary:
            latest = diary.entries(None, None, last=50)
    except (CrampError, OSError):
        return []
    return [
        (str(c.id), when(c) + ("" if c.minutes is None else f", {c.minutes:g} min"))
        for c in reversed(latest)
        if str(c.id).startswith(incomplete)
    ]
