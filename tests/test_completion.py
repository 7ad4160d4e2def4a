"""Shell completion: `crampcli completion SHELL` prints that shell's script, and bash, zsh and
fish, started in a pseudo-terminal with it loaded, complete commands, option values, medicine
names and diary ids on Tab. `--install-completion zsh` installs zsh's, never bash's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from conftest import run

BIN = Path(sys.executable).parent
SHELLS = ("bash", "zsh", "fish")


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_prints_the_named_shells_script(shell: str) -> None:
    result = run("completion", shell)
    assert result.exit_code == 0
    marker = {"bash": "complete -o default -F", "zsh": "#compdef crampcli", "fish": "complete"}
    assert marker[shell] in result.stdout and f"complete_{shell}" in result.stdout
    assert run("--show-completion", shell).stdout == result.stdout


def test_an_unknown_shell_is_a_usage_error_with_a_suggestion() -> None:
    result = run("completion", "zhs")
    assert result.exit_code == 2 and "Did you mean: zsh?" in result.stderr


@pytest.mark.parametrize("shell", SHELLS)
def test_install_completion_installs_the_shell_named(shell: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(BIN / "crampcli"), "--install-completion", shell],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    made = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()}
    expected = {
        "bash": {".bashrc", ".bash_completions/crampcli.sh"},
        "zsh": {".zshrc", ".zfunc/_crampcli"},
        "fish": {".config/fish/completions/crampcli.fish"},
    }
    assert made == expected[shell]


# What is typed, then what Tab must bring: values of every kind the issue names.
TYPED = [
    ("crampcli diar", "diary"),
    ("crampcli check --sign swel", "swelling"),
    ("crampcli check --condition diab", "diabetes"),
    ("crampcli check --recent sweat", "sweating"),
    ("crampcli causes --when after-ex", "after-exercise"),
    ("crampcli causes --who preg", "pregnant"),
    ("crampcli log --leg ri", "right"),
    ("crampcli log --where thi", "thigh"),
    ("crampcli --country ", "IE"),  # several: the second Tab lists them
    ("crampcli meds lipi", "lipitor"),
    ("crampcli check --medicine atorv", "atorvastatin"),
    ("crampcli show calcium-def", "calcium-deficiency"),
    ("crampcli diary edit ", "edit 1"),  # the only entry: inserted
]


def _shell(name: str, home: Path, tmp_path: Path) -> pexpect.spawn:
    env = {
        "PATH": f"{BIN}{os.pathsep}/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TERM": "xterm",
        "CRAMPCLI_HOME": str(home),
        "CRAMPCLI_CACHE_DIR": str(tmp_path / "cache"),
        "LANG": "C.UTF-8",
    }
    argv = {
        "bash": ["bash", "--norc", "--noprofile", "-i"],
        "zsh": ["zsh", "-f", "-i"],
        "fish": ["fish", "--no-config", "-i"],
    }[name]
    child = pexpect.spawn(
        argv[0], argv[1:], env=env, encoding="utf-8", timeout=15, dimensions=(24, 200)
    )
    setup = {
        "bash": 'PS1="$ "; eval "$(crampcli completion bash)"',
        "zsh": 'PS1="$ "; autoload -Uz compinit && compinit -u; eval "$(crampcli completion zsh)"',
        "fish": "function fish_prompt; echo '$ '; end; crampcli completion fish | source",
    }[name]
    child.logfile_read = (tmp_path / f"{name}.log").open("w")  # what a failure saw
    child.sendline(setup)
    child.sendline("echo READY-$((1+1))" if name != "fish" else "echo READY-(math 1+1)")
    child.expect_exact("READY-2")
    return child


@pytest.mark.slow
@pytest.mark.parametrize("shell", SHELLS)
def test_tab_completes_in_a_real_shell(shell: str, tmp_path: Path) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed (.ci/run installs it)")
    home = tmp_path / "diary"
    assert run("log", "--minutes", "3", env={"CRAMPCLI_HOME": str(home)}).exit_code == 0
    child = _shell(shell, home, tmp_path)
    try:
        for typed, wanted in TYPED:
            child.send(typed + "\t")
            if typed.endswith(" "):  # several candidates: a second Tab lists them
                child.send("\t")
            child.expect_exact(wanted)
            time.sleep(0.3)  # the shell done drawing: then the line given up
            child.sendcontrol("c")
            child.expect_exact("$ ")
    finally:
        child.close(force=True)
