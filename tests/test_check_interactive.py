"""`crampcli check` on a real pseudo-terminal: the installed command, driven with pexpect."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

CRAMPCLI = Path(sys.executable).with_name("crampcli")
# A guard against a hang, not a speed check: on a loaded machine (2 CPUs shared by many test
# runs) the first start of crampcli was seen to take over 10 s.
TIMEOUT = 60

pytestmark = pytest.mark.skipif(not CRAMPCLI.exists(), reason="crampcli is not installed")


def spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "xterm"}
    return pexpect.spawn(
        str(CRAMPCLI),
        ["check", *args],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(40, 80),
    )


def answer(child: pexpect.spawn, prompt: str, reply: str) -> None:
    child.expect_exact(prompt)
    child.sendline(reply)


def test_questionnaire_on_a_terminal_shows_the_care_level_first() -> None:
    child = spawn()
    for _ in range(4):  # the emergency questions, each a yes/no
        answer(child, "[y/n] (n): ", "n")
    child.expect_exact("Other warning signs: have you noticed any of these?")
    answer(child, "Type their numbers, e.g. 1 3 (none): ", "swelling 3")
    answer(child, "Where do you get cramps? [calf/foot/thigh/skip] (skip): ", "calf")
    answer(child, "In one leg or both? [one/both/skip] (skip): ", "one")
    answer(child, "When do they come? [night/exercise/after-exercise/rest/skip]", "night")
    answer(child, "How many minutes does a cramp usually last? (skip): ", "")
    answer(child, "How many cramps do you get in a week? (skip): ", "2")
    answer(child, "How old are you? (skip): ", "70")
    answer(child, "Are you pregnant? [y/n] (n): ", "")
    answer(child, "Are you breastfeeding? [y/n] (n): ", "")
    answer(child, "Do you do sport regularly? [y/n] (n): ", "n")
    child.expect_exact("Recently, have you had any of these?")
    answer(child, "Type their numbers, e.g. 1 3 (none): ", "")
    child.expect_exact("Do you have any of these long-term conditions?")
    answer(child, "Type their numbers, e.g. 1 3 (none): ", "")
    answer(child, "Which medicines do you take? Names separated by commas (Enter: none): ", "")
    child.expect_exact("URGENT: get medical help today")
    child.expect_exact("because you said: a swollen calf; a warm calf")
    child.expect_exact("1. Getting older")
    child.expect_exact("During a cramp")
    child.expect_exact("Not medical advice.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")


def test_ctrl_c_exits_130_without_a_traceback() -> None:
    child = spawn()
    for _ in range(4):  # the emergency questions
        answer(child, "(n): ", "")
    child.expect_exact("Type their numbers")
    child.sendline("")
    child.expect_exact("Where do you get cramps?")
    child.sendline("foot")
    answer(child, "In one leg or both?", "")
    child.expect_exact("When do they come?")
    child.expect_exact("(skip): ")  # the whole prompt is out: it waits for the answer
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "")


def test_ctrl_d_ends_cleanly_without_a_traceback() -> None:
    child = spawn()
    child.expect_exact("[y/n] (n): ")
    child.sendeof()
    child.expect_exact("input ended before the questions were answered")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "Traceback" not in (child.before or "")


def test_an_emergency_sign_stops_the_questions_at_once() -> None:
    child = spawn()
    answer(child, "Are you breathless, or do you have chest pain? [y/n] (n): ", "y")
    answer(child, "Which: 1. breathlessness or 2. chest-pain?", "2")
    child.expect_exact("Stop here: one of your answers needs emergency help.")
    child.expect_exact("EMERGENCY: call your local emergency number now")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Where do you get cramps?" not in (child.before or "")


def test_medicines_typed_at_the_prompt_are_matched() -> None:
    child = spawn("-i", "--when", "night")
    for _ in range(4):  # the emergency questions
        child.expect_exact("(n): ")
        child.sendline("")
    for _ in range(4):  # signs; where; legs; when (kept)
        child.expect(r"\): ")
        child.sendline("")
    for _ in range(3):  # minutes, per week, age
        child.expect_exact("(skip): ")
        child.sendline("")
    for _ in range(3):  # pregnant, breastfeeding, sport
        child.expect_exact("(n): ")
        child.sendline("")
    for _ in range(2):  # recent, conditions
        child.expect_exact("(none): ")
        child.sendline("")
    answer(child, "(Enter: none): ", "lipitr, paracetamol")
    child.expect_exact("lipitr: atorvastatin")
    child.expect_exact("paracetamol: not in our list")
    child.expect_exact("URGENT")  # a statin: NHS, call straight away
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_options_on_a_terminal_do_not_ask() -> None:
    child = spawn("--when", "exercise", "--sign", "breathlessness")
    child.expect_exact("EMERGENCY: call your local emergency number now")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Where do you get cramps?" not in (child.before or "")
