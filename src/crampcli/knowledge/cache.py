"""On-disk caches of work that grows with a knowledge base's size: its checked document
(parsing and validating JSON) and its search index (tokenising every word).

Reading either back with ``marshal`` is far cheaper than redoing it. The cache is a
convenience, never a source of errors: a missing, corrupt, truncated, stale or unreadable
cache file is ignored (and rebuilt), and a cache directory that cannot be written just means
no caching.

Where: ``$CRAMPCLI_CACHE_DIR``, else ``$XDG_CACHE_HOME/crampcli``, else ``~/.cache/crampcli``;
never next to the data or inside the package. One file per kind and knowledge-base path,
named from a checksum of its resolved path. Each file holds a header (magic, payload length
and checksum) and a ``marshal`` payload (plain data only: unlike pickle it cannot run code on
load) keyed by the cache format, the Python and marshal versions, a fingerprint of the code
that made the content, the knowledge base's path and a digest of its bytes. Writes go to a
temporary file in the same directory, are fsynced, then renamed over the old file, so a
reader sees the old content or the new, never half of it.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import sys
import zlib
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from crampcli.knowledge.checksum import digest
from crampcli.knowledge.model import KnowledgeBase

if TYPE_CHECKING:  # imported by index_for: loading a knowledge base needs no search code
    from crampcli.answers.search import Index
    from crampcli.knowledge.rows import Rows

T = TypeVar("T")
CACHE_ENV = "CRAMPCLI_CACHE_DIR"
FORMAT = 2  # bump when the file layout changes
MAGIC = b"crampcli-index\n"
# Smaller knowledge bases are handled directly. The bound is on bytes, not entries: the cost
# follows the amount of text. The bundled file (a few dozen entries with long articles, ~64
# KiB) takes ~20 ms to index against ~1 ms to read back; parsing and checking it takes ~3 ms.
INDEX_MIN_BYTES = 32 * 1024
DOCUMENT_MIN_BYTES = 1024 * 1024
_PACKAGE = Path(__file__).resolve().parents[1]  # module names below are relative to it
_HEADER = len(MAGIC) + 16  # then the payload length and its CRC-32, 8 hex digits each


def index_for(kb: KnowledgeBase) -> Index:
    """The search index of ``kb``: cached on disk for large knowledge bases."""
    from crampcli.answers.search import Index, build_index

    if not kb.digest or kb.size < INDEX_MIN_BYTES:  # small, or built without its bytes
        return build_index(kb.entries)

    def unpack(data: Any) -> Index | None:
        index = Index(**data)
        return index if index.ids == [e.id for e in kb.entries] else None

    return _cached(
        "index",
        kb.path,
        kb.digest,
        ("answers/search", "answers/text"),
        make=lambda: build_index(kb.entries),
        pack=lambda index: {f.name: getattr(index, f.name) for f in fields(index) if f.init},
        unpack=unpack,
    )


def rows_for(path: str, raw: bytes, make: Callable[[], Rows]) -> Rows:
    """A knowledge-base file, checked and as rows (``rows.to_rows``): ``make()`` parses and
    validates it; for large files its result is cached, so that happens once per change."""
    if len(raw) < DOCUMENT_MIN_BYTES:
        return make()
    code = ("knowledge/loading", "knowledge/rows", "knowledge/validate")
    rows: Rows = _cached("document", path, digest(raw), code, make, _as_is, _as_is)
    return rows


def _as_is(value: Any) -> Any:
    return value


def _cached(
    kind: str,
    source: str,
    data_digest: str,
    code: tuple[str, ...],
    make: Callable[[], T],
    pack: Callable[[T], Any],
    unpack: Callable[[Any], T | None],
) -> T:
    """``make()``'s result, read back from the cache file of ``kind`` when it is current."""
    # Millions of small objects that all stay alive: spare them the cyclic collector's rescans.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        path = _cache_file(kind, source)
        key = _key(kind, source, data_digest, code)
        if path is not None:
            stored = _read(path, key)
            if stored is not None:
                try:
                    value = unpack(stored)
                except Exception:  # anything unexpected inside: treat as damaged
                    value = None
                if value is not None:
                    return value
        value = make()
        if path is not None:
            _write(path, key, pack(value))
        return value
    finally:
        if was_enabled:
            gc.enable()


def cache_dir(environ: dict[str, str] | None = None) -> Path | None:
    """Where index files go, or None when there is no usable place."""
    env = os.environ if environ is None else environ
    chosen = env.get(CACHE_ENV)
    if chosen:
        return Path(chosen)
    xdg = env.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec says to ignore relative paths
        return Path(xdg) / "crampcli"
    try:
        return Path.home() / ".cache" / "crampcli"
    except (RuntimeError, KeyError):  # no home directory
        return None


def _cache_file(kind: str, source: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"{kind}-{digest(_resolved(source).encode('utf-8', 'surrogateescape'))}"


def _resolved(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return os.path.abspath(path)


def _code_fingerprint(modules: tuple[str, ...]) -> str:
    """Changes whenever the code that makes a cached value does, so an old one is not reused."""
    from crampcli import __version__

    parts = [__version__.encode()]
    for name in modules:
        try:
            parts.append((_PACKAGE / f"{name}.py").read_bytes())
        except OSError:
            parts.append(b"?")
    return digest(b"\0".join(parts))


def _key(kind: str, source: str, data_digest: str, code: tuple[str, ...]) -> tuple[Any, ...]:
    return (
        FORMAT,
        kind,
        sys.version_info[:2],
        marshal.version,
        _code_fingerprint(code),
        _resolved(source),
        data_digest,
    )


def _read(path: Path, key: tuple[Any, ...]) -> Any:
    """The payload cached at ``path`` if it is intact and has ``key``; None otherwise."""
    try:
        blob = path.read_bytes()
    except (OSError, ValueError):
        return None
    if len(blob) < _HEADER or not blob.startswith(MAGIC):
        return None
    head = blob[len(MAGIC) : _HEADER]
    payload = memoryview(blob)[_HEADER:]
    try:
        length, check = int(head[:8], 16), head[8:].decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return None
    if length != len(payload) or f"{zlib.crc32(payload):08x}" != check:
        return None  # truncated or damaged
    try:
        stored_key, data = marshal.loads(payload)
    except Exception:  # anything unexpected inside: treat as damaged
        return None
    return data if stored_key == key else None  # else stale: other data, code or Python


def _write(path: Path, key: tuple[Any, ...], data: Any) -> None:
    """Store ``data`` at ``path`` atomically; give up quietly on any failure."""
    try:
        payload = marshal.dumps((key, data))
    except ValueError:  # an index field marshal cannot store: do without the cache
        return
    if len(payload) > 0xFFFFFFFF:
        return
    blob = b"".join(
        (MAGIC, f"{len(payload):08x}".encode(), f"{zlib.crc32(payload):08x}".encode(), payload)
    )
    from crampcli.knowledge import atomic  # only when writing: reading the cache is the common case

    with contextlib.suppress(OSError):  # no cache is fine; a broken one never happens
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic.write(path, blob, mode=0o600)
