"""The diary on a real pseudo-terminal (pexpect): `log` asks when given no options, and
`diary delete` asks before it deletes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pexpect
import pytest

from test_diary import CRAMPCLI, entries, ok

pytestmark = pytest.mark.skipif(not CRAMPCLI.exists(), reason="crampcli is not installed")


def spawn(home: Path, *args: str) -> pexpect.spawn:
    env = {
        **os.environ,
        "COLUMNS": "80",
        "NO_COLOR": "1",
        "TERM": "xterm",
        "TZ": "UTC",
        "CRAMPCLI_HOME": str(home),
    }
    return pexpect.spawn(
        str(CRAMPCLI), list(args), env=env, encoding="utf-8", timeout=10, dimensions=(40, 80)
    )


def test_log_with_no_options_asks_and_enter_skips(tmp_path: Path) -> None:
    child = spawn(tmp_path, "log")
    child.expect_exact("When? (Enter: now")
    child.sendline("")
    child.expect_exact("Which leg?")
    child.sendline("middle")  # wrong: said, and asked again
    child.expect_exact("  'middle' is not one of: 1 left, 2 right, 3 both")
    child.expect_exact("Which leg?")
    child.sendline("rght\x1b[D\x1b[D\x1b[Di")  # edited as in a shell: Left 3 times, then i
    child.expect_exact("Where? (1 calf, 2 foot")  # every list numbered
    child.sendline("calff")  # a typo is forgiven, as flags forgive them
    child.expect_exact("How many minutes")
    child.sendline("4")
    child.expect_exact("How bad, 0-10?")
    child.sendline("")
    child.expect_exact("Did it wake you?")
    child.sendline("yes")
    child.expect_exact("disturb your sleep")
    child.sendline("")
    child.expect_exact("What set it off?")
    child.sendline("heat, standing")
    child.expect_exact("What helped?")
    child.sendline("")
    child.expect_exact("Medicines you take?")
    child.sendline("")
    child.expect_exact("Anything else?")
    child.sendline("")
    child.expect_exact("Logged #1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    (entry,) = entries(tmp_path)
    assert (entry["leg"], entry["where"], entry["minutes"], entry["pain"]) == (
        "right",
        "calf",
        4,
        None,
    )
    assert entry["woke"] is True and entry["triggers"] == ["heat", "standing"]


def test_delete_asks_on_a_terminal(tmp_path: Path) -> None:
    ok(tmp_path, "log", "--minutes", "2")
    child = spawn(tmp_path, "diary", "delete", "1")
    child.expect_exact("Delete #1 ")
    child.expect_exact("[y/N] ")
    child.sendline("")  # the default is no
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1 and len(entries(tmp_path)) == 1
    child = spawn(tmp_path, "diary", "delete", "1")
    child.expect_exact("[y/N] ")
    child.sendline("Yes")  # any usual form of yes
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert json.loads(ok(tmp_path, "diary", "--json"))["entries"] == []
