"""On-disk caches of work that grows with a knowledge base's size: its checked document
(parsing and validating JSON) here, and through ``cached`` the search index
(``answers/index_cache.py``: the index belongs to search, and this package imports nothing
above it).

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

Trust: what comes back skipped validation, so it is served only from a directory that is
ours and that no one else can write (made 0700), from a regular file (never a FIFO, device or
symlink: read through a descriptor of that directory, at most its size) that is ours and
0600-like; anything else means no cache at all. The document cache is keyed to the exact
bytes that were validated (checksum and length). What is read back is checked for shape
before use (``rows.well_formed``, ``index_cache.usable``): a damaged or forged payload is
rebuilt, never a crash. Someone running as us could still forge a well-formed cache; they
could as well edit the code.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from crampcli.knowledge import reading
from crampcli.knowledge.checksum import digest

if TYPE_CHECKING:
    from crampcli.knowledge.rows import Rows

T = TypeVar("T")
CACHE_ENV = "CRAMPCLI_CACHE_DIR"
FORMAT = 2  # bump when the file layout changes
MAGIC = b"crampcli-index\n"
# Smaller knowledge bases are handled directly. The bound is on bytes, not entries: the cost
# follows the amount of text. Parsing, checking and making rows of the bundled file (~144 KiB)
# take ~5 ms against ~2 ms to read its checked rows back (and the checker is then not imported).
DOCUMENT_MIN_BYTES = 64 * 1024
_PACKAGE = Path(__file__).resolve().parents[1]  # module names below are relative to it
MAX_BYTES = reading.MAX_FILE_BYTES
_HEADER = len(MAGIC) + 16  # then the payload length and its CRC-32, 8 hex digits each


def rows_for(path: str, raw: bytes, make: Callable[[], Rows]) -> Rows:
    """A knowledge-base file, checked and as rows (``rows.to_rows``): ``make()`` parses and
    validates it; for large files its result is cached, so that happens once per change."""
    if len(raw) < DOCUMENT_MIN_BYTES:
        return make()
    code = (
        "knowledge/loading",
        "knowledge/rows",
        "knowledge/validate",
        "knowledge/vocabulary",
        "knowledge/model",
    )
    key = f"{digest(raw)}-{len(raw)}"  # the exact bytes that were validated
    rows: Rows = cached("document", path, key, code, make, _as_is, _if_well_formed)
    return rows


def _as_is(value: Any) -> Any:
    return value


def _if_well_formed(rows: Any) -> Rows | None:
    from crampcli.knowledge.rows import well_formed

    return rows if well_formed(rows) else None


def cached(
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
        folder = cache_dir()
        name = _file_name(kind, source)
        key = _key(kind, source, data_digest, code)
        stored = _read(folder, name, key) if folder is not None else None
        if stored is not None:
            try:
                value = unpack(stored)
            except Exception:  # anything unexpected inside: treat as damaged
                value = None
            if value is not None:
                return value
        value = make()
        if folder is not None:
            _write(folder, name, key, pack(value))
        return value
    finally:
        if was_enabled:
            gc.enable()


def cache_dir(environ: dict[str, str] | None = None) -> Path | None:
    """Where index files go, or None when there is no usable place (the render cache's folder
    is inside it: one place to look, one to clear)."""
    from crampcli.rendercache import base_folder

    base = base_folder(os.environ if environ is None else environ)
    return Path(base) if base else None


def _file_name(kind: str, source: str) -> str:
    return f"{kind}-{digest(_resolved(source).encode('utf-8', 'surrogateescape'))}"


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


def _private_dir(folder: Path) -> int | None:
    """A descriptor of ``folder`` if it is a directory that is ours and that no one else can
    write (else anyone could forge what we would serve without checking); None otherwise.
    Files are then opened relative to it, so the directory cannot be swapped underneath."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        if reading.is_private(os.fstat(fd)):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _read(folder: Path, name: str, key: tuple[Any, ...]) -> Any:
    """The payload cached as ``name`` if it is trusted, intact and has ``key``; else None.
    Trusted: a regular file (never a FIFO, a device or a symlink), ours, that no one else can
    write, in a directory of the same kind; its size bounds the read."""
    fd = _private_dir(folder)
    if fd is None:
        return None
    try:
        blob = reading.read_regular(name, MAX_BYTES, dir_fd=fd, private=True)
    except OSError:
        return None
    finally:
        os.close(fd)
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


def _write(folder: Path, name: str, key: tuple[Any, ...], data: Any) -> None:
    """Store ``data`` as ``name`` atomically, in a private directory only (made 0700 if
    missing); give up quietly on any failure."""
    try:
        payload = marshal.dumps((key, data))
    except ValueError:  # an index field marshal cannot store: do without the cache
        return
    if len(payload) > min(0xFFFFFFFF, MAX_BYTES - _HEADER):
        return
    blob = b"".join(
        (MAGIC, f"{len(payload):08x}".encode(), f"{zlib.crc32(payload):08x}".encode(), payload)
    )
    from crampcli.folders import make_private  # only when writing: reading is the common case
    from crampcli.knowledge import atomic

    with contextlib.suppress(OSError):  # no cache is fine; a broken one never happens
        make_private(folder)
        fd = _private_dir(folder)
        if fd is None:  # someone else's, or open to others: write nothing there either
            return
        os.close(fd)
        atomic.write(folder / name, blob, private=True)


def _is_cache_file(name: str) -> bool:
    """A file this cache wrote: ``KIND-DIGEST``, or its temporary ``.KIND-DIGEST.TOKEN.tmp``."""
    if name.startswith(".") and name.endswith(".tmp"):
        name = name[1:].rsplit(".", 2)[0]
    kind, _, rest = name.partition("-")
    return (
        kind in ("document", "index")
        and len(rest) == 16
        and all(c in "0123456789abcdef" for c in rest)
    )


def clear() -> int:
    """Remove the files this cache wrote (and nothing else) from its folder, if it is ours;
    how many were removed."""
    folder = cache_dir()
    fd = _private_dir(folder) if folder is not None else None
    if fd is None:
        return 0
    removed = 0
    try:
        for name in os.listdir(fd):
            if _is_cache_file(name):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(name, dir_fd=fd)
                    removed += 1
    finally:
        os.close(fd)
    return removed
