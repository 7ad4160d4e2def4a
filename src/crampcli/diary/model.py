"""One diary record, and the checks every way in (log, edit, import) goes through."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timezone
from typing import Any

from crampcli.errors import BadValue, did_you_mean

LEGS = ("left", "right", "both")
PLACES = ("calf", "foot", "thigh", "shin", "toes", "other")  # --where; the first three are check's
MAX_MINUTES = 24 * 60
MAX_TEXT = 2000
LIST_FIELDS = ("triggers", "helped", "medicines")
SEPARATOR = ";"  # joins a list field in the diary file and in CSV: no item may hold it
MAX_ID = 2**31 - 1  # far above any diary, far below SQLite's 2**63 - 1 (then `log` fails)
# Dates a diary can hold: every one can be shown in any time zone and counted in weeks.
FIRST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LAST = datetime(2199, 12, 31, tzinfo=timezone.utc)


class InvalidValue(BadValue):
    """A value a person gave that the diary cannot store; ``option`` is the field's name."""


@dataclass
class Cramp:
    """A cramp as recorded. ``at`` and ``logged`` are aware datetimes (UTC in the file)."""

    at: datetime
    leg: str | None = None
    where: str | None = None
    minutes: float | None = None
    pain: int | None = None  # 0-10
    woke: bool = False  # it woke them up
    sleep: int | None = None  # sleep disturbance 0-10 (Sebo 2019 diary)
    triggers: tuple[str, ...] = ()
    helped: tuple[str, ...] = ()
    medicines: tuple[str, ...] = ()  # as the person wrote them
    note: str = ""
    id: int | None = None  # None until stored
    logged: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    time_known: bool = True  # False: only the day was said ("yesterday"); ``at`` is its noon

    def checked(self) -> Cramp:
        """This record with its values tidied (a note is kept exactly as typed: outputs escape
        it); raises InvalidValue naming the first bad one."""
        leg = _choice("leg", self.leg, LEGS)
        where = _choice("where", self.where, PLACES)
        if self.minutes is not None and not (
            math.isfinite(self.minutes) and 0 <= self.minutes <= MAX_MINUTES
        ):
            raise InvalidValue("minutes", f"must be 0 to {MAX_MINUTES}, not {self.minutes:g}")
        if not isinstance(self.time_known, bool):
            raise InvalidValue("time_known", f"must be true or false, not {self.time_known!r}")
        for name in ("pain", "sleep"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, int) and 0 <= value <= 10):
                raise InvalidValue(name, f"must be a whole number 0 to 10, not {value}")
        if self.id is not None and not (
            isinstance(self.id, int) and not isinstance(self.id, bool) and 1 <= self.id <= MAX_ID
        ):
            raise InvalidValue("id", f"must be a whole number 1 to {MAX_ID}, not {self.id}")
        for name in ("at", "logged"):
            moment = getattr(self, name)
            if moment.tzinfo is None:
                raise InvalidValue(name, "needs a time zone")
            if not FIRST <= moment <= LAST:
                raise InvalidValue(name, f"must be between {FIRST.year} and {LAST.year}")
        if len(self.note) > MAX_TEXT:
            raise InvalidValue("note", f"is longer than {MAX_TEXT} characters")
        for name in ("note", *LIST_FIELDS):
            value = getattr(self, name)
            if not all(map(_is_text, [value] if isinstance(value, str) else value)):
                raise InvalidValue(
                    name.rstrip("s") if name != "note" else name,
                    "holds bytes that are not UTF-8 text (or a lone surrogate)",
                )
        return replace(
            self,
            leg=leg,
            where=where,
            triggers=_items("triggers", self.triggers),
            helped=_items("helped", self.helped),
            medicines=_items("medicines", self.medicines),
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, in field order: times as ISO 8601 UTC, lists as lists."""
        out: dict[str, Any] = {"id": self.id}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                value = iso(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out


FIELD_NAMES = ("id", *(f.name for f in fields(Cramp) if f.name != "id"))


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None or value.strip() == "":
        return None
    folded = value.strip().lower()
    if folded not in allowed:
        hint = did_you_mean(folded, allowed)
        raise InvalidValue(name, f"{value!r} is not one of: {', '.join(allowed)}.{hint}")
    return folded


def _items(name: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """Strip, drop empties and repeats; ``;`` separates items in CSV, so it cannot be in one."""
    out: list[str] = []
    for value in values:
        item = " ".join(value.split())
        if SEPARATOR in item or len(item) > 200:
            raise InvalidValue(name.rstrip("s"), f"{value!r}: no ';' and at most 200 characters")
        if item and item not in out:
            out.append(item)
    return tuple(out)
