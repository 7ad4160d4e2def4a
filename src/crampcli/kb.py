"""Finding, reading and checking a knowledge-base file, and turning it into dataclasses."""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path
from typing import Any

from crampcli.errors import DataError
from crampcli.model import CauseCheck, Entry, Evidence, FlagCheck, KnowledgeBase, Raise, Reference
from crampcli.validate import validate

DATA_ENV = "CRAMPCLI_DATA"
_HERE = Path(__file__).resolve().parent


def bundled_path() -> Path:
    """The knowledge base that ships with crampcli: inside the wheel, or at the repo root."""
    installed = _HERE / "data" / "articles.json"
    return installed if installed.exists() else _HERE.parents[1] / "data" / "articles.json"


def resolve_path(option: str | None, environ: dict[str, str] | None = None) -> Path:
    """``--data`` wins over ``$CRAMPCLI_DATA``, which wins over the bundled file."""
    environ = dict(os.environ) if environ is None else environ
    chosen = option or environ.get(DATA_ENV) or None
    return Path(chosen) if chosen else bundled_path()


def read_bytes(path: Path) -> bytes:
    """The bytes of a knowledge-base file; DataError with a plain message when unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(str(path), ["no such file"]) from None
    except IsADirectoryError:
        raise DataError(str(path), ["is a directory, not a JSON file"]) from None
    except OSError as exc:
        raise DataError(str(path), [exc.strerror or str(exc)]) from None
    if not raw.strip():
        raise DataError(str(path), ["the file is empty"])
    return raw


def parse(raw: bytes, path: Path) -> Any:
    """The JSON in ``raw``; DataError with a plain message otherwise."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(str(path), [f"not UTF-8 text (bad byte at offset {exc.start})"]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        raise DataError(str(path), [msg]) from None
    except RecursionError:
        raise DataError(str(path), ["not valid JSON: nested too deeply"]) from None
    except ValueError as exc:  # a number of more than 4300 digits
        raise DataError(str(path), [f"not usable JSON: {str(exc).split(':')[0]}"]) from None


def read_document(path: Path) -> tuple[Any, bytes]:
    """The parsed JSON of ``path`` and its raw bytes; DataError with a plain message otherwise."""
    raw = read_bytes(path)
    return parse(raw, path), raw


def problems_in(path: Path) -> tuple[Any, list[str]]:
    """The parsed document at ``path`` (None if unreadable) and every problem in it."""
    try:
        doc, _ = read_document(path)
    except DataError as exc:  # no such file, not UTF-8, not JSON
        return None, exc.problems
    return doc, validate(doc)


def load(path: Path) -> KnowledgeBase:
    """Read, check and build the knowledge base at ``path``."""
    from crampcli import cache

    # Parsing and building allocate millions of objects that all stay alive; the cyclic
    # garbage collector would rescan them again and again (quadratic on big files) and free none.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        raw = read_bytes(path)
        doc = cache.document_for(str(path), raw, lambda: _checked(raw, path))
        return build(doc, str(path), raw)
    finally:
        if was_enabled:
            gc.enable()


def _checked(raw: bytes, path: Path) -> Any:
    doc = parse(raw, path)
    problems = validate(doc)
    if problems:
        raise DataError(str(path), problems)
    return doc


def build(doc: dict[str, Any], path: str, raw: bytes = b"") -> KnowledgeBase:
    """Dataclasses from a document that ``validate`` accepted; ``raw``: the bytes it came from."""
    from crampcli import cache

    return KnowledgeBase(
        name=doc["name"],
        version=doc["version"],
        reviewed=doc["reviewed"],
        language=doc["language"],
        path=path,
        references=tuple(Reference(r["id"], r["title"], r.get("url")) for r in doc["references"]),
        entries=tuple(_entry(e) for e in doc["entries"]),
        size=len(raw),
        digest=cache.digest(raw) if raw else "",
    )


def _entry(e: dict[str, Any]) -> Entry:
    evidence = e.get("evidence")
    check = e.get("check")
    kind = e["kind"]
    return Entry(
        id=e["id"],
        kind=kind,
        title=e["title"],
        summary=e["summary"],
        aliases=tuple(e["aliases"]),
        sources=tuple(e["sources"]),
        details=tuple(e.get("details", ())),
        evidence=Evidence(evidence["grade"], evidence["note"]) if evidence else None,
        audiences=tuple(e.get("audiences", ())),
        situations=tuple(e.get("situations", ())),
        helps=tuple(e.get("helps", ())),
        now_rank=e.get("now_rank"),
        care=e.get("care"),
        cause_check=_cause_check(check) if kind == "cause" and check else None,
        flag_check=_flag_check(check) if kind == "red-flag" and check else None,
        file=e.get("file"),
        paragraphs=tuple(e.get("paragraphs", ())),
    )


def _cause_check(check: dict[str, Any]) -> CauseCheck:
    raises = tuple(Raise(r["if"], float(r["weight"])) for r in check.get("raises", ()))
    return CauseCheck(prior=float(check.get("prior", 0.0)), raises=raises)


def _flag_check(check: dict[str, Any]) -> FlagCheck:
    escalate = check.get("escalate") or {}
    return FlagCheck(
        any=tuple(check.get("any", ())),
        all=tuple(check.get("all", ())),
        escalate_care=escalate.get("care"),
        escalate_any=tuple(escalate.get("any", ())),
    )
