"""Finding, reading and checking a knowledge-base file, and turning it into dataclasses."""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crampcli.errors import DataError
from crampcli.knowledge import reading
from crampcli.knowledge.model import KnowledgeBase
from crampcli.knowledge.rows import from_rows, to_rows

if TYPE_CHECKING:
    from crampcli.problems import Problems

DATA_ENV = "CRAMPCLI_DATA"
_PACKAGE = Path(__file__).resolve().parents[1]  # src/crampcli, or crampcli in a wheel


def bundled_path() -> Path:
    """The knowledge base that ships with crampcli: inside the wheel, or at the repo root."""
    installed = _PACKAGE / "data" / "articles.json"
    return installed if installed.exists() else _PACKAGE.parents[1] / "data" / "articles.json"


def resolve_path(option: str | None, environ: dict[str, str] | None = None) -> Path:
    """``--data`` wins over ``$CRAMPCLI_DATA``, which wins over the bundled file."""
    environ = dict(os.environ) if environ is None else environ
    chosen = option or environ.get(DATA_ENV) or None
    return Path(chosen) if chosen else bundled_path()


def read_bytes(path: Path) -> bytes:
    """The bytes of a knowledge-base file; DataError with a plain message when unreadable."""
    try:
        raw = reading.read_regular(path)
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


def chosen_path(option: str | None, environ: dict[str, str] | None = None) -> Path | None:
    """Your own file, from ``--data`` or ``$CRAMPCLI_DATA``; None when neither is given."""
    environ = dict(os.environ) if environ is None else environ
    chosen = option or environ.get(DATA_ENV) or None
    return Path(chosen) if chosen else None


def read_document(path: Path) -> tuple[Any, bytes]:
    """The parsed JSON of ``path`` and its raw bytes; DataError with a plain message otherwise."""
    raw = read_bytes(path)
    return parse(raw, path), raw


def problems_in(path: Path) -> tuple[Any, Problems]:
    """The parsed document at ``path`` (None if unreadable) and every problem in it."""
    try:
        doc, _ = read_document(path)
    except DataError as exc:  # no such file, not UTF-8, not JSON
        return None, exc.problems
    from crampcli.knowledge.validate import validate

    return doc, validate(doc)


def load(path: Path) -> KnowledgeBase:
    """Read, check and build the knowledge base at ``path``."""
    from crampcli.knowledge import cache

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


def load_chosen(
    option: str | None, alone: bool = False
) -> tuple[KnowledgeBase, list[tuple[Path, bytes]]]:
    """Your file (--data, CRAMPCLI_DATA) on top of the bundled one, or ``alone``; with none,
    the bundled one. Also the layers' paths and bytes when there are two (else none)."""
    own = chosen_path(option)
    if own is None or alone:
        return load(own or bundled_path()), []
    return load_layered(own)


def load_layered(own: Path) -> tuple[KnowledgeBase, list[tuple[Path, bytes]]]:
    """Your file on top of the bundled one: its entries and references added, the ids it
    repeats replaced. Also each layer's path and bytes (what the result depends on)."""
    from crampcli.knowledge import cache

    base = bundled_path()
    own_raw, base_raw = read_bytes(own), read_bytes(base)

    def make() -> Any:
        base_doc = parse(base_raw, base)
        below = {x["id"]: x["kind"] for x in base_doc["entries"]}
        below.update((x["id"], "reference") for x in base_doc["references"])
        return to_rows(layered(base_doc, _checked(own_raw, own, below)))

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        both = own_raw + b"\0" + base_raw  # the layered rows change when either file does
        rows = cache.rows_for(f"{own} on {base}", both, make)
        return from_rows(rows, str(own), both), [(own, own_raw), (base, base_raw)]
    finally:
        if was_enabled:
            gc.enable()


def layered(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """``own`` on top of ``base`` (both valid documents): its metadata, and its entries and
    references by id, replacing those of ``base`` in place and adding the others at the end."""
    out = {**base, **{k: own[k] for k in ("name", "version", "reviewed", "language")}}
    for key in ("references", "entries"):
        mine = {x["id"]: x for x in own[key]}
        kept = [mine.pop(x["id"], x) for x in base[key]]
        out[key] = kept + [x for x in own[key] if x["id"] in mine]
    return out


def _checked(raw: bytes, path: Path, elsewhere: dict[str, str] | None = None) -> Any:
    from crampcli.knowledge.validate import validate  # only when the cache does not know the file

    doc = parse(raw, path)
    problems = validate(doc, elsewhere)
    if problems:
        raise DataError(str(path), problems)
    return doc


def build(doc: dict[str, Any], path: str, raw: bytes = b"") -> KnowledgeBase:
    """Dataclasses from a document that ``validate`` accepted; ``raw``: the bytes it came from."""
    return from_rows(to_rows(doc), path, raw)
