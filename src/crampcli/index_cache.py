"""Gives the search index for a knowledge base, from an on-disk cache when that pays.

Building the index tokenises every word of the knowledge base, which grows with its size;
reading a prebuilt one back with ``marshal`` is far cheaper. The cache is a convenience, never
a source of errors: a missing, corrupt, truncated, stale or unreadable cache file is ignored
(and rebuilt), and a cache directory that cannot be written just means no caching.

Where: ``$CRAMPCLI_CACHE_DIR``, else ``$XDG_CACHE_HOME/crampcli``, else ``~/.cache/crampcli``;
never next to the data or inside the package. One file per knowledge-base path, named from a
checksum of its resolved path. Each file holds a header (magic, payload length and checksum)
and a ``marshal`` payload (plain data only: unlike pickle it cannot run code on load) keyed by
the cache format, the Python and marshal versions, a fingerprint of the code that builds the
index, the knowledge base's path and the digest of its bytes (``KnowledgeBase.digest``).
Writes go to a temporary file in the same directory, are fsynced, then renamed over the old
file, so a reader sees the old index or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import sys
import zlib
from dataclasses import fields
from pathlib import Path
from typing import Any

from crampcli.model import KnowledgeBase
from crampcli.search import Index, build_index

CACHE_ENV = "CRAMPCLI_CACHE_DIR"
FORMAT = 1  # bump when the file layout changes
MAGIC = b"crampcli-index\n"
# Knowledge bases smaller than this are indexed directly. The bound is on bytes, not entries:
# build time follows the amount of text, and the bundled file (a few dozen entries with long
# articles, ~64 KiB) takes ~20 ms to index against ~1 ms to read back.
CACHE_MIN_BYTES = 32 * 1024
_HEADER = len(MAGIC) + 16  # then the payload length and its CRC-32, 8 hex digits each


def index_for(kb: KnowledgeBase) -> Index:
    """The search index of ``kb``: cached on disk for large knowledge bases."""
    path = _cache_file(kb)
    if path is None:
        return build_index(kb.entries)
    # Millions of small tuples that all stay alive: spare them the cyclic collector's rescans.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        key = _key(kb)
        index = _read(path, key, kb)
        if index is None:
            index = build_index(kb.entries)
            _write(path, key, index)
        return index
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


def _cache_file(kb: KnowledgeBase) -> Path | None:
    if not kb.digest or kb.size < CACHE_MIN_BYTES:
        return None
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"index-{_checksum(_resolved(kb.path).encode('utf-8', 'surrogateescape'))}"


def _resolved(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return os.path.abspath(path)


def _checksum(data: bytes) -> str:
    """A 64-bit checksum as hex: CRC-32 and Adler-32 together (zlib is already loaded)."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _code_fingerprint() -> str:
    """Changes whenever the code that builds an index does, so an old index is not reused."""
    from crampcli import __version__, search, text

    parts = [__version__.encode()]
    for module in (search, text):
        try:
            parts.append(Path(module.__file__ or "").read_bytes())
        except OSError:
            parts.append(b"?")
    return _checksum(b"\0".join(parts))


def _key(kb: KnowledgeBase) -> tuple[Any, ...]:
    return (
        FORMAT,
        sys.version_info[:2],
        marshal.version,
        _code_fingerprint(),
        _resolved(kb.path),
        kb.digest,
    )


def _read(path: Path, key: tuple[Any, ...], kb: KnowledgeBase) -> Index | None:
    """The cached index at ``path`` if it is intact and current; None otherwise."""
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
        if stored_key != key:
            return None  # stale: other data, other code, or another Python
        index = Index(**data)
    except Exception:  # anything unexpected inside: treat as damaged
        return None
    if len(index.ids) != len(kb.entries) or index.ids != [e.id for e in kb.entries]:
        return None
    return index


def _write(path: Path, key: tuple[Any, ...], index: Index) -> None:
    """Store ``index`` at ``path`` atomically; give up quietly on any failure."""
    data = {f.name: getattr(index, f.name) for f in fields(index)}
    try:
        payload = marshal.dumps((key, data))
    except ValueError:  # an index field marshal cannot store: do without the cache
        return
    if len(payload) > 0xFFFFFFFF:
        return
    blob = b"".join(
        (MAGIC, f"{len(payload):08x}".encode(), f"{zlib.crc32(payload):08x}".encode(), payload)
    )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return
    _sync_dir(path.parent)


def _sync_dir(folder: Path) -> None:
    """Make the rename durable too, where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
