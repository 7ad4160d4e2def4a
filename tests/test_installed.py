"""The real installed command, in subprocesses: pipes, exit codes, and a wheel in a fresh venv."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

from conftest import REPO

BIN = Path(sys.executable).parent
CRAMPCLI = str(BIN / "crampcli")


def sh(command: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a shell pipeline with the installed crampcli first on PATH and no terminal."""
    full_env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **env}
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        text=True,
        env=full_env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_console_script_and_python_m_agree() -> None:
    a = sh("crampcli causes --brief")
    b = subprocess.run(
        [sys.executable, "-m", "crampcli", "causes", "--brief"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout


def test_relieve_now_piped_prints_steps_at_once_and_exits() -> None:
    start = time.monotonic()
    result = sh("crampcli relieve --now | cat")
    elapsed = time.monotonic() - start
    assert result.returncode == 0
    assert result.stdout.startswith("DO THIS NOW\n  1. ")
    assert elapsed < 10  # generous: the real check is that no 30 s countdown ran


@pytest.mark.parametrize("command", ["causes", "relieve", "search cramp", "warning-signs"])
def test_reader_closing_early_is_not_an_error(command: str) -> None:
    result = sh(f"crampcli {command} | head -1")
    assert result.returncode == 0, result.stderr
    assert "crampcli:" not in result.stderr  # no error (the disclaimer is a message there)
    assert len(result.stdout.splitlines()) == 1


def test_errors_go_to_stderr_and_data_to_stdout() -> None:
    result = sh("crampcli show nope")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("crampcli: no entry with id 'nope'")


def test_usage_error_exits_2_without_traceback() -> None:
    result = sh("crampcli causes --who aliens")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "invalid value" in result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"NO_COLOR": "1"},
        {"TERM": "dumb"},
        {"LANG": "C", "LC_ALL": "C"},
        {"PYTHONIOENCODING": "ascii"},
    ],
)
def test_terminal_environments(env: dict[str, str]) -> None:
    result = sh("crampcli prevent && crampcli show warm-foot-soak", **env)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "Traceback" not in result.stderr


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_runs(tmp_path: Path) -> None:
    """Build the wheel, install it outside the source tree, and run ``crampcli causes``."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("crampcli-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    result = subprocess.run(
        [str(env_dir / "bin" / "crampcli"), "causes", "--brief"],
        capture_output=True,
        text=True,
        cwd=workdir,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "calcium-deficiency" in result.stdout
    shipped = subprocess.run(
        [str(py), "-c", "import crampcli.knowledge.loading as k; print(k.bundled_path())"],
        capture_output=True,
        text=True,
        cwd=workdir,
    ).stdout
    assert str(env_dir) in shipped  # the data came from the wheel, not the source tree
    shutil.rmtree(env_dir)
