"""Keeps the README's and the guides' examples real: every ```console block is run and compared.

    python docs/readme_examples.py          # rewrite the outputs in README.md and PAGES
    python docs/readme_examples.py FILE...  # ... or in these files
    python -m pytest tests/test_docs.py     # fail if any output is out of date

A block holds one or more ``$ crampcli ...`` lines, each followed by its exact output
(stdout and stderr, as a terminal shows them) at 80 columns, piped (no colour). ``| head -N``
after a command keeps the first N lines. ```text blocks are shown, never run.
"""

from __future__ import annotations

import re
import shlex
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# The pages whose ```console blocks are real output (other docs pages keep their own checks).
PAGES = (README, *(ROOT / "docs" / name for name in ("guide.md", "diary.md", "json.md")))
BLOCK_RE = re.compile(r"```console\n(.*?)```", re.S)
ENV = {"COLUMNS": "80", "NO_COLOR": None, "FORCE_COLOR": None, "CRAMPCLI_DATA": None, "TZ": "UTC"}


def commands(block: str) -> list[str]:
    return [line[2:] for line in block.splitlines() if line.startswith("$ crampcli")]


def run(command: str, home: str) -> str:
    """What ``command`` prints, stdout then stderr."""
    from typer.testing import CliRunner

    from crampcli.cli import app

    head = None
    if "| head -" in command:
        command, _, n = command.partition("| head -")
        head = int(n)
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(app, args, env={**ENV, "CRAMPCLI_HOME": home})
    text = result.stdout + result.stderr
    if head is not None:
        text = "".join(text.splitlines(keepends=True)[:head])
    return text


def render(block: str) -> str:
    """A block's commands run in turn, with a new, empty diary of their own."""
    with tempfile.TemporaryDirectory() as home:
        return "".join(f"$ {c}\n{run(c, home)}" for c in commands(block))


def refreshed(text: str) -> str:
    return BLOCK_RE.sub(lambda m: f"```console\n{render(m.group(1))}```", text)


def main(paths: list[str]) -> int:
    for page in [Path(p) for p in paths] or PAGES:
        text = page.read_text(encoding="utf-8")
        new = refreshed(text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            print(f"{page.name} examples updated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
