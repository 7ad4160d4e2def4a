"""Shared test helpers: run the CLI in-process with a fixed terminal width."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crampcli.cli import app

# Run in the background by a shell without job control, pytest starts with SIGINT ignored, and
# every crampcli it starts would inherit that: the Ctrl-C tests need the signal delivered.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "articles.json"
SHARED = REPO.parent / "shared"
# Tests marked ``shared`` read the seed articles, the spec or the search dev set from ../shared.
# A fresh clone has no such folder: they skip, with this reason. CI has it, and sets
# CRAMPCLI_TESTS_NEED_SHARED=1 (.ci/run) so that a missing folder there fails, never skips.
NEED_SHARED_ENV = "CRAMPCLI_TESTS_NEED_SHARED"
SHARED_FILES = ("seeds", "spec/references.md", "eval/search-dev.json")


def shared_missing() -> list[str]:
    """The parts of ../shared that are not there."""
    return [name for name in SHARED_FILES if not (SHARED / name).exists()]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = shared_missing()
    if not missing or os.environ.get(NEED_SHARED_ENV) == "1":
        return  # present, or required: the tests run (and fail loudly if it is missing)
    reason = f"needs {SHARED} beside the checkout (missing: {', '.join(missing)})"
    mark = pytest.mark.skip(reason=reason)
    for item in items:
        if item.get_closest_marker("shared"):
            item.add_marker(mark)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test starts from the same terminal: 80 columns, no colour overrides, own cache."""
    for name in ("NO_COLOR", "FORCE_COLOR", "CRAMPCLI_DATA", "CRAMPCLI_DEBUG", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name in ("CRAMPCLI_COUNTRY", "LC_ALL", "LC_MESSAGES"):  # the country: unknown
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("PAGER", "cat")  # a real terminal (pexpect) must not wait in less
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("CRAMPCLI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CRAMPCLI_HOME", str(tmp_path / "home"))  # never the real diary


class Run:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    def json(self) -> Any:
        return json.loads(self.stdout)


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Run:
    """Invoke ``crampcli ARGS`` in-process; stdout and stderr kept apart."""
    result = CliRunner().invoke(app, list(args), env=env, input=input)
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def kb_doc() -> dict[str, Any]:
    """A fresh copy of the bundled knowledge base as parsed JSON, to mutate in tests."""
    return json.loads(DATA.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def only_messages(stderr: str | bytes) -> bool:
    """No error on stderr: nothing, or the "not medical advice" line (a message off a terminal)."""
    from crampcli.output.document import DISCLAIMER

    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    return " ".join(text.split()) in ("", DISCLAIMER)


INSTALLED = Path(sys.executable).with_name("crampcli")


def installed(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed ``crampcli ARGS`` in a subprocess: no terminal (stdin from ``stdin`` or
    nothing), 80 columns, no colour, ``env`` on top of this process's environment."""
    return subprocess.run(
        [str(INSTALLED), *args],
        capture_output=True,
        text=True,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "80", "NO_COLOR": "1", **env},
        timeout=60,
    )


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A temp folder another user can reach (pytest's own is private to this user)."""
    path = Path(tempfile.mkdtemp(prefix="crampcli-diary-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)
