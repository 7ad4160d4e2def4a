"""The render cache: a command run again with everything the same prints what it printed
before, without importing Typer, Rich or the knowledge base code (start-up is a budget).

"Everything the same" is the key, and nothing is parsed to make it: the exact arguments, the
working directory, every environment variable that shapes the output (``CRAMPCLI_*``, width,
colour, locale, pager), which streams are terminals and the terminal's size, the Python
that runs, and the code (a digest of the content of every crampcli module and data file, so a
release unpacked with the old sizes and times is still new code; and each site-packages
folder's times, which an install or upgrade changes). An entry also names the knowledge-base
files the run read with a digest of their bytes, checked again before a replay: output is
served only for the exact bytes that were validated when it was made.

Only commands that read nothing but their arguments and the knowledge base are stored
(``check``, ``import``, ``validate``, the diary and the countdown of ``relieve --now`` on a
terminal never are), only when they succeeded, wrote nothing to stderr and finished writing.

Where, and who may touch it: ``render/`` in the cache folder, made 0700 (its missing parents
too) and used only while it is a real folder (never a symlink, opened with ``O_NOFOLLOW``),
ours, that no one else can read or write; every file is opened relative to that descriptor.
Entries are 0600 files named with 24 hex digits: the cache reads, writes and removes those
and nothing else, so a folder someone else made, or files put beside them, are never deleted.
What is stored is what was printed: it can name a medicine or a search (docs/privacy.md);
``crampcli cache clear`` removes it and ``CRAMPCLI_RENDER_CACHE=0`` turns it off. Any problem
means a normal run.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import zlib

TYPE_CHECKING = False  # not `from typing import ...`: importing typing costs ~2 ms a run
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, TextIO

SWITCH = "CRAMPCLI_RENDER_CACHE"
FORMAT = 2  # 2: what went to stderr is stored and replayed too
MAX_BYTES = 4 * 1024 * 1024
MAX_ENTRIES = 256  # entries in the folder before they are removed
FOLDER = "render"
CACHEABLE = frozenset(
    (
        "causes",
        "relieve",
        "prevent",
        "warning-signs",
        "articles",
        "show",
        "search",
        "meds",
        "doctor",
    )
)
ENVIRON = (
    "COLUMNS",
    "LINES",
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "PAGER",  # and CRAMPCLI_PAGER, as every CRAMPCLI_ variable
    "LESS",
    "LANG",
    "LC_ALL",
    "LC_MESSAGES",
    "LC_CTYPE",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "XDG_CACHE_HOME",
    "HOME",
)
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def _digest(data: bytes) -> str:
    """The same digest the knowledge-base loader keys its caches with."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _code_stamp() -> list[tuple[str, int, int]]:
    """The code that makes the output, by content: a digest of every crampcli module and data
    file (~0.7 ms for ~280 KiB), so an upgrade that keeps sizes and times is still seen; and
    each site-packages folder's change time, which installing or upgrading a dependency moves."""
    stamps: list[tuple[str, int, int]] = []
    for folder, _, names in os.walk(_PACKAGE):
        if "__pycache__" in folder:
            continue
        for name in names:
            if name.endswith((".py", ".json")):
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    stamps.append((path, zlib.crc32(f.read()), 0))
    for entry in sys.path:
        if entry.endswith("-packages") and os.path.isdir(entry):
            info = os.stat(entry)
            stamps.append((entry, info.st_mtime_ns, info.st_ctime_ns))
    return sorted(stamps)


def key(argv: list[str]) -> bytes:
    """Everything that shapes a run's output, as bytes."""
    environ = os.environ
    shaping = sorted(
        (k, v) for k, v in environ.items() if k in ENVIRON or k.startswith("CRAMPCLI_")
    )
    ttys = tuple(_isatty(fd) for fd in (0, 1, 2))
    size: tuple[int, int] | None = None
    if ttys[1]:
        try:
            size = tuple(os.get_terminal_size(1))  # type: ignore[assignment]
        except OSError:
            size = None
    encoding = getattr(sys.stdout, "encoding", None)
    parts = (FORMAT, sys.version, sys.executable, os.getcwd(), argv, shaping, ttys, size, encoding)
    return repr((parts, _code_stamp())).encode("utf-8", "surrogatepass")


def base_folder(environ: Mapping[str, str] | None = None) -> str | None:
    """The cache folder the render cache's own folder goes in (the index cache's too)."""
    environ = os.environ if environ is None else environ
    base = environ.get("CRAMPCLI_CACHE_DIR")
    if not base:
        from crampcli.folders import xdg_home

        xdg = xdg_home(environ, "XDG_CACHE_HOME")
        if xdg:
            base = os.path.join(xdg, "crampcli")
        else:
            home = environ.get("HOME") or os.path.expanduser("~")
            if not home or home == "~":
                return None
            base = os.path.join(home, ".cache", "crampcli")
    return base


def is_entry(name: str) -> bool:
    """A file this cache wrote: 24 hex digits (an entry), or one with ``.PID.tmp`` after them
    (a write cut short). Nothing else in the folder is ever touched."""
    head, _, tail = name.partition(".")
    if tail and not (tail.endswith(".tmp") and tail[:-4].isdigit()):
        return False
    return len(head) == 24 and all(c in "0123456789abcdef" for c in head)


def open_folder(create: bool) -> int | None:
    """A descriptor of ``render/`` in the cache folder if it is ours alone: a real folder (never
    followed through a symlink), owned by us, that no one else can read or write. Everything
    in it is then opened relative to this descriptor, so it cannot be swapped underneath.
    With ``create`` it is made (0700, missing parents too); None when there is no such folder."""
    base = base_folder()
    if base is None:
        return None
    try:
        if create:
            from crampcli.folders import make_private

            make_private(base)
        base_fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            if create:
                old_umask = os.umask(0o077)  # exactly 0700, whatever the umask
                try:
                    os.mkdir(FOLDER, 0o700, dir_fd=base_fd)
                except FileExistsError:
                    pass
                finally:
                    os.umask(old_umask)
            flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
            fd = os.open(FOLDER, flags, dir_fd=base_fd)
        finally:
            os.close(base_fd)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if info.st_uid == os.geteuid() and not info.st_mode & 0o077:
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _safe(info: os.stat_result) -> bool:
    """Ours alone: owned by us, writable by no one else."""
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _name_for(cache_key: bytes) -> str:
    return _digest(cache_key) + f"{zlib.crc32(cache_key[::-1]):08x}"


def _read(name: str) -> bytes | None:
    folder = open_folder(create=False)
    if folder is None:
        return None
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
    except OSError:
        return None
    finally:
        os.close(folder)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _safe(info) or info.st_size > MAX_BYTES:
            return None
        return os.read(fd, MAX_BYTES + 1)
    finally:
        os.close(fd)


def _purge(folder: int) -> int:
    removed = 0
    for name in os.listdir(folder):
        if is_entry(name):
            try:
                os.unlink(name, dir_fd=folder)
                removed += 1
            except FileNotFoundError:  # another crampcli removed it first
                pass
    return removed


def _file_digest(path: str) -> str | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            return _digest(f.read())
    finally:
        os.close(fd)


def replay(argv: list[str]) -> int | None:
    """Print what this exact run printed before, if it is cached and still true: the exit
    code, or None when there is nothing to replay."""
    if os.environ.get(SWITCH) == "0" or not argv or "--help" in argv or "-h" in argv:
        return None
    try:
        cache_key = key(argv)
        raw = _read(_name_for(cache_key))
        if raw is None:
            return None
        fmt, stored_key, deps, text, paged, said = marshal.loads(raw)
        if fmt != FORMAT or stored_key != cache_key:
            return None
        if any(_file_digest(dep) != digest for dep, digest in deps):
            return None
    except (OSError, ValueError, EOFError, TypeError):
        return None
    stdout = sys.stdout
    if stdout is None:
        return None
    if hasattr(stdout, "reconfigure"):
        stdout.reconfigure(errors="replace")
    try:
        if paged and isinstance(paged, str):
            from crampcli.output import pager

            pager.show(text, paged, stdout)
        else:
            stdout.write(text)
        stdout.flush()
        if said and sys.stderr is not None:
            sys.stderr.write(said)
    except BrokenPipeError:
        from crampcli.streams import silence_stdout

        silence_stdout()
    except OSError as exc:  # a full disk, /dev/full
        from crampcli.streams import cannot_write

        return cannot_write(sys.stderr, exc)
    return 0


class _Watched:
    """stderr, keeping what was written to it (a message such as the disclaimer off a
    terminal is part of the run, replayed with it)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.chunks: list[str] = []

    def write(self, text: str) -> int:
        self.chunks.append(text)
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class Recording:
    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.command: str | None = None
        self.deps: list[tuple[str, str]] = []
        self.chunks: list[str] = []
        self.paged: str | None = None
        self.vetoed = False
        self.stderr: _Watched | None = None


current: Recording | None = None


def start(argv: list[str]) -> None:
    """Record this run, to store it when it succeeds."""
    global current
    if os.environ.get(SWITCH) == "0" or not argv or sys.stderr is None:
        return
    current = Recording(argv)
    if hasattr(sys.stderr, "reconfigure"):
        sys.stderr.reconfigure(errors="replace")
    current.stderr = _Watched(sys.stderr)
    sys.stderr = current.stderr


def command(name: str | None, stdout_isatty: bool) -> None:
    """The command being run: only some are stored (relieve only off a terminal: countdown)."""
    if current is not None:
        current.command = name
        if name not in CACHEABLE or (name == "relieve" and stdout_isatty):
            current.vetoed = True


def read(path: str, digest: str) -> None:
    """The run read the knowledge base at ``path`` with these bytes."""
    if current is not None:
        current.deps.append((os.path.abspath(path), digest))


def wrote(text: str, pager: str | None = None) -> None:
    if current is not None:
        current.chunks.append(text)
        current.paged = current.paged or pager


def veto() -> None:
    """This run must not be replayed (it was cut short, or asked something)."""
    if current is not None:
        current.vetoed = True


def finish() -> None:
    """Store the run that just succeeded, if it may be replayed. Never raises."""
    global current
    rec, current = current, None
    if rec is None:
        return
    if rec.stderr is not None:
        sys.stderr = rec.stderr._stream
    if rec.vetoed or rec.command is None or not rec.chunks:
        return
    said = "".join(rec.stderr.chunks) if rec.stderr else ""
    if len(rec.chunks) > 1 and rec.paged:
        return  # the pager was used for part of it
    try:
        cache_key = key(rec.argv)
        blob = marshal.dumps(
            (FORMAT, cache_key, rec.deps, "".join(rec.chunks), rec.paged, said)
        )
        if len(blob) > MAX_BYTES:
            return
        folder = open_folder(create=True)
        if folder is None:
            return
        try:
            _store(folder, _name_for(cache_key), blob)
        finally:
            os.close(folder)
    except OSError:
        return


def _store(folder: int, name: str, blob: bytes) -> None:
    if sum(map(is_entry, os.listdir(folder))) >= MAX_ENTRIES:
        _purge(folder)
    temp = f"{name}.{os.getpid()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(temp, flags, 0o600, dir_fd=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(fd, 0o600)  # exactly, whatever the umask
            f.write(blob)
        os.replace(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError:
        try:  # noqa: SIM105 - as above
            os.unlink(temp, dir_fd=folder)
        except OSError:
            pass
        raise
