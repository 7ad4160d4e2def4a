"""Emergency numbers: --country, CRAMPCLI_COUNTRY, else the locale; in every urgent line."""

from __future__ import annotations

import pytest

from conftest import run
from crampcli.answers import emergency
from test_installed import sh


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({"LANG": "en_GB.UTF-8"}, "GB"),
        ({"LANG": "de_AT@euro"}, "AT"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "en_GB.UTF-8"}, "US"),
        ({"LC_MESSAGES": "fr_FR", "LANG": "en_GB"}, "FR"),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "POSIX"}, None),
        ({}, None),
        ({"LANG": "en_GB", "CRAMPCLI_COUNTRY": "nz"}, "NZ"),
        ({"CRAMPCLI_COUNTRY": "uk"}, "GB"),
    ],
)
def test_country_from_environment(environ: dict[str, str], expected: str | None) -> None:
    assert emergency.country(None, environ) == expected


def test_option_beats_environment() -> None:
    assert emergency.country("ie", {"CRAMPCLI_COUNTRY": "US", "LANG": "en_GB"}) == "IE"


@pytest.mark.parametrize(
    "code, now, today",
    [
        ("GB", "999", "NHS 111"),
        ("IE", "112", "112"),
        ("FR", "112", "112"),
        ("EU", "112", "112"),
        ("US", "911", "911"),
        ("CA", "911", "911"),
        ("AU", "000", "000"),
        ("NZ", "111", "111"),
    ],
)
def test_every_emergency_and_urgent_line_has_the_number(code: str, now: str, today: str) -> None:
    for args in (["warning-signs"], ["relieve"], ["relieve", "--now", "--no-timer"], ["causes"]):
        out = run("--country", code, *args).stdout
        lines = [" ".join(p.split()) for p in out.split("\n\n") for p in p.split("\n- ")]
        marks = ("EMERGENCY", "URGENT", "may be a clot")
        heads = ("Call ", "Today (")  # relieve --now: one line per care level
        urgent = [p for p in lines if any(m in p for m in marks) or p.startswith(heads)]
        assert urgent, args
        for line in urgent:
            assert now in line or today in line, (args, line)


def test_unknown_country_names_no_foreign_number() -> None:
    out = run("--country", "JP", "check", "--sign", "chest-pain").stdout
    assert out.startswith(
        "EMERGENCY: call your local emergency number now (112 works in many countries)"
    )
    assert "999" not in out.split("\n")[0] and "911" not in out.split("\n")[0]


def test_check_emergency_uses_the_environment() -> None:
    out = run("check", "--sign", "chest-pain", env={"CRAMPCLI_COUNTRY": "US"}).stdout
    assert out.startswith("EMERGENCY: call 911 now")


def test_urgent_in_britain_names_nhs_111() -> None:
    out = run("--country", "GB", "check", "--sign", "swelling", "--sign", "warmth").stdout
    assert out.startswith("URGENT: get medical help today: call NHS 111; call 999 if it gets worse")


def test_a_bad_country_code_is_a_usage_error() -> None:
    result = run("--country", "Britain", "causes")
    assert result.exit_code == 2
    assert "two-letter country code" in result.stderr


def test_installed_command_reads_the_locale() -> None:
    result = sh("crampcli relieve --now --no-timer", LANG="en_AU.UTF-8", LC_ALL="")
    assert result.returncode == 0, result.stderr
    assert "Call 000 now" in " ".join(result.stdout.split())
