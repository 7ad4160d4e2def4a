"""The root command loads a command's module only when that command runs (start-up is a
budget), and the table it loads them from names every command the modules define."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crampcli.commands import MODULES


def test_table_names_exactly_the_commands_the_modules_define() -> None:
    defined: dict[str, str] = {}
    for module_name in set(MODULES.values()):
        app = importlib.import_module(f"crampcli.commands.{module_name}").app
        names = [
            c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands
        ]
        for name in [*names, *(g.name for g in app.registered_groups if g.name)]:
            defined[name.replace("_", "-")] = module_name
    assert defined == MODULES


# What every command shares: the state and options, and the (lazy) completion callbacks.
SHARED = {"common", "completing"}


def loaded_modules(home: Path, *args: str) -> set[str]:
    code = (
        "import sys, runpy; sys.argv = ['crampcli', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('crampcli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('MODULES:', *(m for m in sys.modules if m.startswith('crampcli.commands.')),"
        " file=sys.stderr)"
    )
    env = {**os.environ, "CRAMPCLI_HOME": str(home), "CRAMPCLI_RENDER_CACHE": "0"}
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    # the last line: messages (the disclaimer) may come before it
    return set(result.stderr.splitlines()[-1].split()[1:])


@pytest.mark.parametrize(
    ("args", "module"),
    [
        (["log", "--minutes", "1"], "diary"),
        (["search", "calcium"], "reading"),
        (["meds", "lipitor"], "meds"),
        (["check", "--when", "night"], "check"),
    ],
)
def test_a_command_loads_only_its_own_module(tmp_path: Path, args: list[str], module: str) -> None:
    loaded = loaded_modules(tmp_path, *args)
    assert {m.rsplit(".", 1)[1] for m in loaded} - SHARED == {module}


def test_help_lists_every_command(tmp_path: Path) -> None:
    loaded = loaded_modules(tmp_path, "--help")
    assert {m.rsplit(".", 1)[1] for m in loaded} - SHARED == set(MODULES.values())
