"""One JSON vocabulary: every command's --json is an object that its shipped JSON Schema
accepts; an entry is referred to as {id, kind, title} (or shown in full); a key has one shape;
"nothing found" has one exit code with and without --json."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from conftest import run

SCHEMAS = resources.files("crampcli") / "schemas"
ARTICLE = "Night cramps and calcium\n\nNight cramps and calcium\n\nCramps at night are common.\n"

# command line -> its schema; run in this order (log before the diary commands read it)
COMMANDS: list[tuple[str, list[str]]] = [
    ("causes", ["causes", "--json"]),
    ("causes", ["causes", "--who", "pregnant", "--json"]),
    ("prevent", ["prevent", "--json"]),
    ("warning-signs", ["warning-signs", "--json"]),
    ("articles", ["articles", "--json"]),
    ("relieve", ["relieve", "--json"]),
    ("relieve", ["relieve", "--now", "--json"]),
    ("show", ["show", "calcium-deficiency", "--json"]),
    ("show", ["show", "statins", "--json"]),
    ("show", ["show", "what-causes-leg-cramps-in-women", "--json"]),
    ("doctor", ["doctor", "--json"]),
    ("search", ["search", "calcium", "--json", "--explain"]),
    ("check", ["check", "--when", "night", "--age", "70", "--sign", "swelling", "--json"]),
    (
        "check",
        [
            "check",
            "--when",
            "night",
            "--pregnant",
            "--condition",
            "kidney",
            "--medicine",
            "atorvastatin",
            "--json",
        ],
    ),
    ("check", ["check", "--sign", "chest-pain", "--json"]),
    ("meds", ["meds", "lipitor", "lasx", "paracetamol", "--json"]),
    ("diary", ["diary", "--json"]),
    ("log", ["log", "--minutes", "12", "--pain", "6", "--medicine", "furosemide", "--json"]),
    ("log", ["log", "--minutes", "2", "--leg", "left", "--helped", "wall-stretch", "--json"]),
    ("diary", ["diary", "--json"]),
    ("diary-edit", ["diary", "edit", "1", "--minutes", "4", "--json"]),
    ("diary-stats", ["diary", "stats", "--json"]),
    ("validate", ["validate", "my.json", "--json"]),
]
ENTRY_LISTS = {
    "causes",
    "prevention",
    "red_flags",
    "articles",
    "now",
    "relief",
    "helps",
    "related",
    "see",
    "medicines",
    "look_alikes",
    "left_out",
    "results",
}


def _registry() -> Registry:
    resources_ = [
        Resource.from_contents(json.loads(f.read_text("utf-8")))
        for f in SCHEMAS.iterdir()
        if f.name.endswith(".json")
    ]
    return Registry().with_resources((r.id(), r) for r in resources_)  # type: ignore[misc]


def _outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.txt").write_text(ARTICLE, encoding="utf-8")
    done = run("import", "page.txt", "--into", "my.json", "--json")
    assert done.exit_code == 0, done.stderr
    out = [("import", done.json())]
    for schema, argv in COMMANDS:
        result = run(*argv)
        assert result.exit_code == 0, (argv, result.stderr)
        out.append((schema, result.json()))
    return out


@pytest.fixture
def outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    return _outputs(tmp_path, monkeypatch)


def test_every_command_with_json_has_a_schema_and_is_tested() -> None:
    shipped = {f.name[:-5] for f in SCHEMAS.iterdir() if f.name.endswith(".json")}
    assert shipped - {"vocabulary"} == {s for s, _ in COMMANDS} | {"import"}


def test_every_output_is_an_object_its_schema_accepts(outputs: list[tuple[str, Any]]) -> None:
    registry = _registry()
    for name, doc in outputs:
        assert isinstance(doc, dict), name
        schema = json.loads((SCHEMAS / f"{name}.json").read_text("utf-8"))
        Draft202012Validator(schema, registry=registry).validate(doc)


def _walk(value: Any, key: str, seen: dict[str, set[str]], where: str) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _walk(v, k, seen, where)
        shape = "object"
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                for k, v in item.items():
                    _walk(v, k, seen, where)
        kinds = {type(i).__name__ for i in value}
        shape = f"list of {'/'.join(sorted(kinds)) or 'anything'}"
        if key in ENTRY_LISTS:
            for item in value:  # an entry is referred to, or shown in full: never a bare id
                assert isinstance(item, dict), (where, key, item)
                assert {"id", "kind", "title"} <= set(item), (where, key, item)
    else:
        shape = "null" if value is None else type(value).__name__
    if shape not in ("null", "list of anything"):
        seen.setdefault(key, set()).add(shape.replace("int", "number").replace("float", "number"))


def test_a_key_has_one_shape_everywhere(outputs: list[tuple[str, Any]]) -> None:
    seen: dict[str, set[str]] = {}
    for name, doc in outputs:
        # a diary entry is the diary's own record: its keys are the export format's columns
        if name in ("diary", "diary-edit", "log"):
            doc = {k: v for k, v in doc.items() if k not in ("entries", "cramp")}
        _walk(doc, "", seen, name)
    mixed = {k: v for k, v in seen.items() if len(v) > 1}
    assert not mixed, mixed


def test_meds_says_id_and_check_gives_titles() -> None:
    meds = run("meds", "lipitor", "--json").json()["medicines"][0]
    assert meds["id"] == "statins" and "entry" not in meds and meds["title"]
    check = run("check", "--sign", "swelling", "--json").json()
    assert all(isinstance(f["title"], str) for f in check["red_flags"] + check["relief"])


@pytest.mark.parametrize("argv", [["show", "magnesium"], ["doctor"]])
def test_show_and_doctor_wrap_the_entry(argv: list[str]) -> None:
    doc = run(*argv, "--json").json()
    assert set(doc) == {"entry"} and doc["entry"]["id"]


def test_articles_do_not_leak_file_names() -> None:
    text = run("articles", "--json").stdout + run("show", "calcium-deficiency", "--json").stdout
    assert '"file"' not in text and ".txt" not in text


def test_empty_diary_is_an_empty_list() -> None:
    result = run("diary", "--json")
    assert result.exit_code == 0
    assert result.json() == {"entries": []}


MINI = str(Path(__file__).parent / "data" / "mini-kb.json")


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "qwxz"],
        ["--data", MINI, "--data-alone", "causes", "--when", "heat"],
    ],
)
def test_an_empty_answer_exits_0_with_and_without_json(argv: list[str]) -> None:
    text, as_json = run(*argv), run(*argv, "--json")
    assert text.exit_code == as_json.exit_code == 0  # the search contract: empty is valid
    assert text.stdout == "" and text.stderr.startswith("crampcli: ")
    assert as_json.stderr.startswith("crampcli: ")
    assert next(v for v in as_json.json().values() if isinstance(v, list)) == []


def test_nothing_to_show_exits_1_with_and_without_json(tmp_path: Path) -> None:
    articles_only = tmp_path / "articles.json"
    doc = json.loads(Path(MINI).read_text(encoding="utf-8"))
    doc["entries"] = [e for e in doc["entries"] if e["kind"] == "article"]
    articles_only.write_text(json.dumps(doc), encoding="utf-8")
    for command in ("warning-signs", "causes", "prevent"):
        argv = ["--data", str(articles_only), "--data-alone", command]
        text, as_json = run(*argv), run(*argv, "--json")
        assert text.exit_code == as_json.exit_code == 1, command
        assert text.stderr.startswith("crampcli: nothing to show"), command
        assert next(v for v in as_json.json().values() if isinstance(v, list)) == []


def _with_json() -> set[str]:
    """Every command and diary subcommand that takes --json, as schema names."""
    from typer.main import get_command

    from crampcli.cli import app

    root = get_command(app)
    ctx = root.make_context("crampcli", [], resilient_parsing=True)
    found: set[str] = set()
    for name in root.list_commands(ctx):  # type: ignore[attr-defined]
        command = root.get_command(ctx, name)  # type: ignore[attr-defined]
        subs = getattr(command, "commands", {})
        for sub_name, sub in [(name, command), *((f"{name}-{s}", c) for s, c in subs.items())]:
            if any("--json" in p.opts for p in sub.params):
                found.add(sub_name)
    return found


def test_every_command_that_takes_json_ships_a_schema() -> None:
    shipped = {f.name[:-5] for f in SCHEMAS.iterdir() if f.name.endswith(".json")}
    assert _with_json() == shipped - {"vocabulary"}
