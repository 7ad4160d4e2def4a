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
        rows = cache.rows_for(str(path), raw, lambda: to_rows(_checked(raw, path)))
        return from_rows(rows, str(path), raw)
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
    return from_rows(to_rows(doc), path, raw)


# A checked document as plain tuples, in the dataclasses' field order: what the cache stores
# for a large knowledge base (marshal reads tuples back faster than dicts, and building from
# them is a positional call).
Rows = tuple[tuple[str, ...], tuple[tuple[Any, ...], ...], tuple[tuple[Any, ...], ...]]


def to_rows(doc: dict[str, Any]) -> Rows:
    meta = (doc["name"], doc["version"], doc["reviewed"], doc["language"])
    refs = tuple((r["id"], r["title"], r.get("url")) for r in doc["references"])
    return meta, refs, tuple(_entry_row(e) for e in doc["entries"])


def _entry_row(e: dict[str, Any]) -> tuple[Any, ...]:
    kind, evidence, check = e["kind"], e.get("evidence"), e.get("check")
    cause = flag = None
    if kind == "cause" and check:
        raises = tuple((r["if"], float(r["weight"])) for r in check.get("raises", ()))
        cause = (float(check.get("prior", 0.0)), raises)
    if kind == "red-flag" and check:
        escalate = check.get("escalate") or {}
        flag = (
            tuple(check.get("any", ())),
            tuple(check.get("all", ())),
            escalate.get("care"),
            tuple(escalate.get("any", ())),
        )
    return (
        e["id"],
        kind,
        e["title"],
        e["summary"],
        tuple(e["aliases"]),
        tuple(e["sources"]),
        tuple(e.get("details", ())),
        (evidence["grade"], evidence["note"]) if evidence else None,
        tuple(e.get("audiences", ())),
        tuple(e.get("situations", ())),
        tuple(e.get("helps", ())),
        e.get("now_rank"),
        e.get("care"),
        cause,
        flag,
        e.get("file"),
        tuple(e.get("paragraphs", ())),
    )


def from_rows(rows: Rows, path: str, raw: bytes = b"") -> KnowledgeBase:
    from crampcli import cache

    meta, refs, entries = rows
    name, version, reviewed, language = meta
    return KnowledgeBase(
        name=name,
        version=version,
        reviewed=reviewed,
        language=language,
        path=path,
        references=tuple(Reference(*r) for r in refs),
        entries=tuple(_entry(*row) for row in entries),
        size=len(raw),
        digest=cache.digest(raw) if raw else "",
    )


def _entry(*row: Any) -> Entry:
    (
        entry_id, kind, title, summary, aliases, sources, details, evidence,
        audiences, situations, helps, now_rank, care, cause, flag, file, paragraphs,
    ) = row  # fmt: skip
    return Entry(
        entry_id,
        kind,
        title,
        summary,
        aliases,
        sources,
        details,
        Evidence(*evidence) if evidence else None,
        audiences,
        situations,
        helps,
        now_rank,
        care,
        CauseCheck(cause[0], tuple(Raise(*r) for r in cause[1])) if cause else None,
        FlagCheck(*flag) if flag else None,
        file,
        paragraphs,
    )
