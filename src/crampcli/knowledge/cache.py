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
import stat
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Cleared:
    """What ``clear`` did: how many files it removed, and what it kept, each with why."""

    removed: int
    kept: tuple[tuple[str, str], ...]  # (what: a file, or files in a folder; why)


def clear() -> Cleared:
    """Remove the files the caches wrote: their own names (``_is_cache_file`` beside the
    render folder, ``rendercache.is_entry`` in it), regular files that are ours and have no
    other name, in folders that are ours, reached without following a link someone else
    owns (``atomic.walk``) and ``render/`` never through a link, whoever can read them (a
    ``chmod -R go+rX`` does not hide them). Nothing else is removed; what looks like ours but
    cannot be removed safely is kept and named with the reason."""
    from crampcli import rendercache
    from crampcli.knowledge import atomic

    folder = cache_dir()
    if folder is None:
        return Cleared(0, ())
    try:
        place = atomic.walk(folder)
    except OSError as exc:  # someone else's link on the way, or a loop
        return Cleared(0, ((str(folder), f"not opened ({exc.strerror or exc})"),))
    kept: list[tuple[str, str]] = []
    try:
        if place.rest:  # no cache folder (or a file in its place): nothing was written
            return Cleared(0, ())
        removed = _clear_in(place.folder, place.path, _is_cache_file, kept)
        try:
            render = os.open(
                rendercache.FOLDER,
                os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                dir_fd=place.folder,
            )
        except FileNotFoundError:
            return Cleared(removed, tuple(kept))
        except OSError as exc:  # a symlink (never followed), a file, or unreadable
            why = _kind_at(place.folder, rendercache.FOLDER) or exc.strerror or str(exc)
            kept.append((str(place.path / rendercache.FOLDER), f"not opened ({why})"))
            return Cleared(removed, tuple(kept))
        try:
            removed += _clear_in(
                render, place.path / rendercache.FOLDER, rendercache.is_entry, kept
            )
        finally:
            os.close(render)
        return Cleared(removed, tuple(kept))
    finally:
        os.close(place.folder)


def _clear_in(
    folder: int, path: Path, ours: Callable[[str], bool], kept: list[tuple[str, str]]
) -> int:
    """Remove the files named as ``ours`` says from the open ``folder``; how many. Where
    someone else could swap a file for theirs between the check and the removal (their
    folder, or one they may write that is not sticky like /tmp), nothing is removed."""
    me = os.geteuid()
    try:
        names = [name for name in os.listdir(folder) if ours(name)]
        info = os.fstat(folder)
    except OSError as exc:
        kept.append((str(path), f"not read ({exc.strerror or exc})"))
        return 0
    if not names:
        return 0
    files = f"{len(names)} cached file{'' if len(names) == 1 else 's'} in {path}"
    if info.st_uid != me:
        kept.append((files, "the folder belongs to someone else"))
        return 0
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not info.st_mode & stat.S_ISVTX:
        why = (
            "others can write to that folder, so one could be swapped for a file crampcli did "
            f"not write (make the folder yours alone with `chmod go-w {path}`, then clear again)"
        )
        kept.append((files, why))
        return 0
    removed = 0
    for name in names:
        try:
            entry = os.stat(name, dir_fd=folder, follow_symlinks=False)
            if not stat.S_ISREG(entry.st_mode):
                kept.append((str(path / name), reading.kind_name(entry.st_mode)))
            elif entry.st_uid != me:
                kept.append((str(path / name), "someone else's file"))
            elif entry.st_nlink != 1:
                kept.append((str(path / name), "it has other names (hard links)"))
            else:
                os.unlink(name, dir_fd=folder)
                removed += 1
        except FileNotFoundError:  # another crampcli removed it first
            pass
        except OSError as exc:
            kept.append((str(path / name), exc.strerror or str(exc)))
    return removed


def _kind_at(folder: int, name: str) -> str | None:
    """What ``name`` in ``folder`` is when it is not a folder ("a symlink", "a FIFO")."""
    try:
        mode = os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode
    except OSError:
        return None
    return None if stat.S_ISDIR(mode) else reading.kind_name(mode)
