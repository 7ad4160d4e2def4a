"""The package's layers import downwards only: the knowledge layer knows nothing above it."""

from __future__ import annotations

import ast

from conftest import REPO

ABOVE_KNOWLEDGE = ("answers", "commands", "output", "interactive", "diary", "cli")


def _imports(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_knowledge_imports_nothing_above_it() -> None:
    for path in sorted((REPO / "src" / "crampcli" / "knowledge").glob("*.py")):
        upward = {
            name
            for name in _imports(path.read_text(encoding="utf-8"))
            if name.startswith(tuple(f"crampcli.{layer}" for layer in ABOVE_KNOWLEDGE))
        }
        assert not upward, f"{path.name} imports {sorted(upward)}"
