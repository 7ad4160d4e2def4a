"""Which number to call: the emergency and urgent-care numbers of the reader's country.

The country comes from ``--country``, else ``CRAMPCLI_COUNTRY``, else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``: ``en_GB.UTF-8`` -> ``GB``). Where it is unknown, the lines name no
number of a country the reader may not be in.

Sources: NHS, "When to call 999" and "NHS 111" (https://www.nhs.uk/nhs-services/urgent-and-
emergency-care-services/); European Commission, "112, the single European emergency number"
(https://digital-strategy.ec.europa.eu/en/policies/112); 911.gov (https://www.911.gov/);
Triple Zero (https://www.triplezero.gov.au/); New Zealand Police, "Call 111"
(https://www.police.govt.nz/use-111).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # the order gettext reads them in
COUNTRY_VARIABLE = "CRAMPCLI_COUNTRY"
UNKNOWN_EMERGENCY = "your local emergency number"
UNKNOWN_NOTE = " (112 works in many countries)"  # said once, in the emergency line

# 112 is the emergency number in every EU country and in the EEA and Switzerland.
_EUROPE_112 = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IT LV LT LU MT NL PL PT RO SK SI ES SE IS NO CH LI"
)
ALIASES = {"UK": "GB", "EL": "GR"}  # common names that are not ISO 3166 codes


@dataclass
class Numbers:
    """What to call: ``emergency`` now, ``urgent`` for same-day help (None: see a doctor)."""

    country: str | None
    emergency: str
    urgent: str | None = None


_TABLE = {
    "GB": Numbers("GB", "999", "NHS 111"),
    "IE": Numbers("IE", "112"),
    "EU": Numbers("EU", "112"),
    "US": Numbers("US", "911"),
    "CA": Numbers("CA", "911"),
    "AU": Numbers("AU", "000"),
    "NZ": Numbers("NZ", "111"),
    **{code: Numbers(code, "112") for code in _EUROPE_112.split()},
}
UNKNOWN = Numbers(None, UNKNOWN_EMERGENCY)
_CODE = re.compile(r"[A-Za-z]{2}")
_LOCALE = re.compile(r"[A-Za-z]{2,3}_([A-Za-z]{2})(?:[.@]|$)")  # en_GB.UTF-8, de_AT@euro


def normalise(code: str) -> str | None:
    """``code`` as an upper-case two-letter country code, or None when it is not one."""
    code = code.strip()
    if not _CODE.fullmatch(code):
        return None
    upper = code.upper()
    return ALIASES.get(upper, upper)


def from_locale(environ: Mapping[str, str]) -> str | None:
    """The country of the first locale variable set, as gettext picks it (``C``: none)."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            match = _LOCALE.match(value)
            return normalise(match.group(1)) if match else None
    return None


def country(option: str | None, environ: Mapping[str, str]) -> str | None:
    """The reader's country: the option, else CRAMPCLI_COUNTRY, else the locale."""
    for given in (option, environ.get(COUNTRY_VARIABLE)):
        if given:
            return normalise(given)
    return from_locale(environ)


def known_countries() -> list[str]:
    """The codes whose numbers crampcli knows, and the other names it accepts for them."""
    return sorted({*_TABLE, *ALIASES} - {"EU"})


def numbers(code: str | None) -> Numbers:
    return _TABLE.get(code, UNKNOWN) if code else UNKNOWN


def care_text(care: str, where: Numbers) -> str:
    """The one line that says how soon to get help and whom to call."""
    if care == "emergency":
        return f"EMERGENCY: call {where.emergency} now{_note(where)}"
    if care == "urgent":
        same_day = f"call {where.urgent}" if where.urgent else "see a doctor or urgent care"
        return (
            f"URGENT: get medical help today: {same_day}; call {where.emergency} if it gets worse"
        )
    if care == "doctor":
        return "SEE A DOCTOR: book an appointment"
    return "SELF-CARE: you can look after this at home"


def call_hint(care: str | None, where: Numbers) -> str:
    """What to add to a one-line warning sign of this care level: whom to call."""
    if care == "emergency":
        return f"Call {where.emergency}{_note(where)}."
    if care == "urgent":
        worse = f"call {where.emergency} if it gets worse"
        return f"Call {where.urgent}; {worse}." if where.urgent else f"{worse.capitalize()}."
    return ""


def _note(where: Numbers) -> str:
    return "" if where.country else UNKNOWN_NOTE
