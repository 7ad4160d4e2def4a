"""Answers as people type them, at every prompt: a list's number, a name, a name with a typo,
yes or no in their usual forms."""

from __future__ import annotations

import pytest

from crampcli.interactive.choosing import choice, numbered, yes_no

LEGS = ("left", "right", "both")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("2", "right"), ("right", "right"), (" Right ", "right"), ("rihgt", "right"), ("4", None),
     ("middle", None), ("0", None)],
)  # fmt: skip
def test_a_choice_by_number_name_or_typo(typed: str, meant: str | None) -> None:
    assert choice(typed, LEGS) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("y", True), ("Yes", True), ("yeah", True), ("n", False), ("No", False), ("nope", False),
     ("", None), ("maybe", None), ("1", None)],
)  # fmt: skip
def test_yes_or_no(typed: str, meant: bool | None) -> None:
    assert yes_no(typed) is meant


def test_lists_are_numbered() -> None:
    assert numbered(LEGS) == "1 left, 2 right, 3 both"
