"""The render cache: a command run again with everything the same prints what it printed
before, without importing Typer, Rich or the knowledge base code (start-up is a budget).

"Everything the same" is the key, and nothing is parsed to make it: the exact arguments, the
working directory, every environment variable that shapes the output (``CRAMPCLI_*``, width,
colour, locale, pager), which streams are terminals and the terminal's size, the Python
that runs, and the code (size and mtime of every crampcli module and of each site-packages
directory, which an install or upgrade changes). An entry also names the knowledge-base files
the run read with a digest of their bytes, checked again before a replay: output is served
only for the exact bytes that were validated when it was made.

Only commands that read nothing but their arguments and the knowledge base are stored
(``check``, ``import``, ``validate`` and the countdown of ``relieve --now`` on a terminal
never are), only when they succeeded, wrote nothing to stderr and finished writing. The
cache lives in ``render/`` under the index cache directory; a directory or file that another
user owns or can write, a file that is not a regular file or is larger than MAX_BYTES, is
ignored. ``CRAMPCLI_RENDER_CACHE=0`` turns it off. Any problem means a normal run.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import zlib

TYPE_CHECKING = False  # not `from typing import ...`: importing typing costs ~2 ms a run
if TYPE_CHECKING:
    from typing import Any, TextIO

SWITCH = "CRAMPCLI_RENDER_CACHE"
FORMAT = 2  # 2: what went to stderr is stored and replayed too
MAX_BYTES = 4 * 1024 * 1024
MAX_ENTRIES = 256  # files in the directory before it is emptied
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
    stamps = []
    for folder, _, names in os.walk(_PACKAGE):
        if "__pycache__" in folder:
            continue
        for name in names:
            if name.endswith((".py", ".json")):
                info = os.stat(os.path.join(folder, name))
                stamps.append((os.path.join(folder, name), info.st_size, info.st_mtime_ns))
    for entry in sys.path:
        if entry.endswith("-packages") and os.path.isdir(entry):
            stamps.append((entry, 0, os.stat(entry).st_mtime_ns))
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


def _directory() -> str | None:
    environ = os.environ
    base = environ.get("CRAMPCLI_CACHE_DIR")
    if not base:
        xdg = environ.get("XDG_CACHE_HOME")
        if xdg and os.path.isabs(xdg):
            base = os.path.join(xdg, "crampcli")
        else:
            home = environ.get("HOME") or os.path.expanduser("~")
            if not home or home == "~":
                return None
            base = os.path.join(home, ".cache", "crampcli")
    return os.path.join(base, "render")


def _safe(info: os.stat_result) -> bool:
    """Ours alone: owned by us, writable by no one else."""
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _file_for(cache_key: bytes) -> str | None:
    folder = _directory()
    if folder is None:
        return None
    return os.path.join(folder, _digest(cache_key) + f"{zlib.crc32(cache_key[::-1]):08x}")


def _read(path: str) -> bytes | None:
    folder = os.path.dirname(path)
    try:
        if not _safe(os.stat(folder)):
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _safe(info) or info.st_size > MAX_BYTES:
            return None
        return os.read(fd, MAX_BYTES + 1)
    finally:
        os.close(fd)


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
        path = _file_for(cache_key)
        raw = _read(path) if path else None
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
        path = _file_for(cache_key)
        if path is None:
            return
        folder = os.path.dirname(path)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if not _safe(os.stat(folder)):
            return
        if len(os.listdir(folder)) >= MAX_ENTRIES:
            for name in os.listdir(folder):
                os.unlink(os.path.join(folder, name))
        blob = marshal.dumps(
            (FORMAT, cache_key, rec.deps, "".join(rec.chunks), rec.paged, said)
        )
        if len(blob) > MAX_BYTES:
            return
        temp = f"{path}.{os.getpid()}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(temp, path)
    except OSError:
        return
