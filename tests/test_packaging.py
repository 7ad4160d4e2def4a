"""The packages: metadata, what the sdist carries, and the wheel in a new venv outside the
checkout running every README example (slow: builds and installs)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from test_docs import README, _examples

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    return out


def test_wheel_metadata(dist: Path) -> None:
    wheel = next(dist.glob("crampcli-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta = zf.read(next(n for n in names if n.endswith("/METADATA"))).decode()
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert "crampcli/py.typed" in names
    assert any(n.startswith("crampcli/schemas/") for n in names)
    assert any(n.startswith("crampcli/topics/") for n in names)
    assert "License-Expression: MIT" in meta and "License-File: LICENSE" in meta
    assert "Author: The crampcli maintainers" in meta
    assert "Keywords:" in meta
    for classifier in (
        "Environment :: Console",
        "Intended Audience :: End Users/Desktop",
        "Topic :: Scientific/Engineering :: Medical Science Apps.",
        "Programming Language :: Python :: 3.10",
        "Typing :: Typed",
    ):
        assert f"Classifier: {classifier}" in meta
    assert "http" not in meta.split("\n\n", 1)[0]  # no invented project URLs


def test_sdist_runs_its_own_doc_tests(dist: Path, tmp_path: Path) -> None:
    """What the tests read is in the sdist (.ci/run, docs, LICENSE), and its doc tests pass."""
    sdist = next(dist.glob("crampcli-*.tar.gz"))
    with tarfile.open(sdist) as tf:
        tf.extractall(tmp_path, filter="data")
    root = next(tmp_path.glob("crampcli-*"))
    for name in (".ci/run", "LICENSE", "CHANGELOG.md", "docs/guide.md", "data/articles.json"):
        assert (root / name).exists(), name
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "not slow",
            "tests/test_docs.py",
            "tests/test_help_topics.py",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root / "src"), "CRAMPCLI_TESTS_NEED_SHARED": "0"},
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_wheel_outside_the_checkout_runs_every_readme_example(dist: Path, tmp_path: Path) -> None:
    wheel = next(dist.glob("crampcli-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    examples = _examples()
    blocks = examples.BLOCK_RE.findall(README)
    assert len(blocks) >= 6
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for number, block in enumerate(blocks):
        home = tmp_path / f"home{number}"  # each block: a new, empty diary
        shown = ""
        for command in examples.commands(block):
            line, _, head = command.partition("| head -")
            argv = [str(env_dir / "bin" / "crampcli"), *examples.shlex.split(line)[1:]]
            env = {k: v for k, v in os.environ.items() if not k.startswith(("CRAMPCLI_", "NO_CO"))}
            env.update(COLUMNS="80", TZ="UTC", CRAMPCLI_HOME=str(home), PATH="/usr/bin:/bin")
            env.pop("FORCE_COLOR", None)
            done = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                cwd=elsewhere,
                env=env,
                stdin=subprocess.DEVNULL,
            )
            text = done.stdout + done.stderr
            if head:
                text = "".join(text.splitlines(keepends=True)[: int(head)])
            shown += f"$ {command}\n{text}"
        assert shown == block
