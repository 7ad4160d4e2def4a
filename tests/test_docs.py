"""The docs are checked against the code: examples, commands, exit codes, format keys."""

from __future__ import annotations

import importlib.util
import re
import sys
from types import ModuleType

import pytest

from conftest import REPO
from crampcli.answers import check
from crampcli.commands import MODULES
from crampcli.commands.common import DEBUG_ENV
from crampcli.errors import ExitCode
from crampcli.knowledge import cache, loading

README = (REPO / "README.md").read_text(encoding="utf-8")
GUIDE = (REPO / "docs" / "guide.md").read_text(encoding="utf-8")
FORMAT_DOC = (REPO / "docs" / "knowledge-base.md").read_text(encoding="utf-8")
INSTALL = "python3 -m venv .venv && . .venv/bin/activate && pip install . && crampcli causes"
TESTS = (
    'python3 -m venv .venv && . .venv/bin/activate && pip install ".[test]" && python -m pytest -q'
)


def _examples() -> ModuleType:
    path = REPO / "docs" / "readme_examples.py"
    spec = importlib.util.spec_from_file_location("readme_examples", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_readme_examples_are_real_output() -> None:
    """Every ```console block is run; `python docs/readme_examples.py` refreshes them."""
    examples = _examples()
    assert len(examples.BLOCK_RE.findall(README)) >= 6
    for page in examples.PAGES:
        for block in examples.BLOCK_RE.findall(page.read_text(encoding="utf-8")):
            assert examples.render(block) == block, page.name


def test_readme_is_a_landing_page() -> None:
    """Short; says how to install for the user, where the diary lives, how to turn on zsh
    completion; links to the docs pages, which exist."""
    assert len(README.splitlines()) <= 200
    assert "```sh\npipx install .\n```" in README
    assert "~/.local/share/crampcli/" in README and "diary export" in README
    assert 'eval "$(crampcli completion zsh)"' in README
    for page in re.findall(r"\]\((docs/[a-z-]+\.md)\)", README):
        assert (REPO / page).exists() or page == "docs/search.md", page
    assert "../shared" not in README


def test_search_page_shows_real_sentence_queries() -> None:
    """docs/search.md: at least three questions typed as sentences, with their real results
    (`python docs/readme_examples.py docs/search.md`)."""
    examples = _examples()
    page = (REPO / "docs" / "search.md").read_text(encoding="utf-8")
    blocks = examples.BLOCK_RE.findall(page)
    sentences = [c for b in blocks for c in examples.commands(b) if len(c.split()) >= 6]
    assert len(sentences) >= 3
    for block in blocks:
        assert examples.render(block) == block


def test_triage_page_examples_are_real_output() -> None:
    """docs/triage.md's ```console blocks: `python docs/readme_examples.py docs/triage.md`."""
    examples = _examples()
    blocks = examples.BLOCK_RE.findall((REPO / "docs" / "triage.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 3
    for block in blocks:
        assert examples.render(block) == block


def test_readme_has_the_two_commands_and_ci_runs_the_test_one() -> None:
    assert f"```sh\n{INSTALL}\n```" in README
    assert f"```sh\n{TESTS}\n```" in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert TESTS in ci.splitlines()


def test_readme_names_every_command() -> None:
    names = list(MODULES)
    assert len(names) >= 10
    for name in names:
        assert f"crampcli {name}" in README, name


def test_exit_code_table_matches_the_code() -> None:
    table = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", GUIDE, re.M))
    assert {int(code) for code in table} == {int(code) for code in ExitCode}


@pytest.mark.parametrize("variable", [loading.DATA_ENV, cache.CACHE_ENV, DEBUG_ENV])
def test_environment_variables_are_documented(variable: str) -> None:
    assert f"`{variable}`" in GUIDE


def test_format_doc_lists_every_answer_token() -> None:
    for token in check.LABELS:
        assert f"`{token}`" in FORMAT_DOC, token


def test_format_doc_describes_every_key_the_bundled_file_uses(kb_doc: dict[str, object]) -> None:
    keys = set(kb_doc)
    for entry in kb_doc["entries"]:  # type: ignore[attr-defined]
        keys |= set(entry)
    for key in keys:
        assert f"`{key}`" in FORMAT_DOC, key
