"""crampcli's side of shell completion, loaded only when a shell asks or a script is installed:
Typer's bash, zsh, fish and PowerShell completers with every value and description made inert
first, and an install that never leaves a start-up file half written."""

from __future__ import annotations

import codecs
import os
import re
import shlex
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from typer._click.shell_completion import CompletionItem, ShellComplete, add_completion_class
from typer._completion_classes import (
    BashComplete,
    FishComplete,
    PowerShellComplete,
    ZshComplete,
)

from crampcli.errors import CrampError

# zsh evaluates what crampcli prints (twice: `eval`, then _arguments), bash globs and splits it,
# fish splits it on tabs and newlines. Values and descriptions come from diaries and knowledge
# bases someone may have sent: only letters, digits and punctuation no shell reads as syntax
# reach a shell: no backslash, `$`, backquote, quote, glob, brace, redirection or control
# character, whatever escaping the shell's completer would or would not add. A colon only in a
# description (03:00), which Typer escapes for zsh; there no backslash can come before it.
_VALUE = re.compile(r"[\w.,+/@=-]+(?: [\w.,+/@=-]+)*")  # "co amilofruse": one space between
_NOT_IN_HELP = re.compile(r"[^\w .,:;+/()-]+")


def _utf8_out() -> bool:
    """Letters beyond ASCII only where they go out as UTF-8, whose bytes never look like ASCII
    (in Big5 or Shift JIS the second byte of a letter can be a backslash)."""
    try:
        return codecs.lookup(sys.stdout.encoding or "ascii").name == "utf-8"
    except LookupError:
        return False


def inert_value(value: str, utf8: bool = True) -> bool:
    """Whether ``value`` can be offered to a shell as it is (one that cannot is not offered:
    completing it changed would complete something else)."""
    return bool(_VALUE.fullmatch(value)) and (utf8 or value.isascii())


def inert_help(text: str, utf8: bool = True) -> str:
    """``text`` with every run of characters a shell could read as syntax made one space."""
    kept = _NOT_IN_HELP.sub(" ", text if utf8 else text.encode("ascii", "replace").decode())
    return " ".join(kept.split())


class _Inert(ShellComplete):
    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        utf8 = _utf8_out()
        return [
            CompletionItem(item.value, item.type, help=inert_help(item.help, utf8) or None)
            if item.help
            else item
            for item in super().get_completions(args, incomplete)
            if inert_value(str(item.value), utf8)
        ]


class _Bash(_Inert, BashComplete):
    pass


class _Zsh(_Inert, ZshComplete):
    pass


class _Fish(_Inert, FishComplete):
    pass


class _PowerShell(_Inert, PowerShellComplete):
    pass


def register() -> None:
    """Make the shells crampcli answers these classes (Typer's ``completion_init``, inert)."""
    for name, cls in (
        ("bash", _Bash),
        ("zsh", _Zsh),
        ("fish", _Fish),
        ("powershell", _PowerShell),
        ("pwsh", _PowerShell),
    ):
        add_completion_class(cls, name)


# Where each shell loads a completion script from, and the lines its start-up file needs for
# that (as Typer's own install: bash has no folder it reads by itself, zsh needs ~/.zfunc).
# fish reads $XDG_CONFIG_HOME/fish, zsh $ZDOTDIR/.zshrc, when set (absolute: XDG ignores a
# relative one, and so do we for ZDOTDIR). A path written into a start-up file is quoted for
# that shell: a home holding a quote, `$(...)`, a space or a newline stays one word, inert.
def _places(
    shell: str, home: Path, environ: Mapping[str, str]
) -> tuple[Path, Path, Path | None, tuple[str, ...]]:
    """The folder every folder made for the script is under, the script, the start-up file
    and its lines."""
    from crampcli.folders import xdg_home

    if shell == "bash":
        script = home / ".bash_completions" / "crampcli.sh"
        return home, script, home / ".bashrc", (f"source {shlex.quote(str(script))}",)
    if shell == "zsh":
        lines = ("fpath+=~/.zfunc; autoload -Uz compinit; compinit",)
        rc = Path(xdg_home(environ, "ZDOTDIR") or home) / ".zshrc"
        return home, home / ".zfunc" / "_crampcli", rc, lines
    config = Path(xdg_home(environ, "XDG_CONFIG_HOME") or home / ".config")
    return config, config / "fish" / "completions" / "crampcli.fish", None, ()


@dataclass(frozen=True)
class Installed:
    script: Path
    start_up: Path | None  # the file that loads it (every link resolved), if the shell has one


def install(shell: str, script_text: str, environ: Mapping[str, str] = os.environ) -> Installed:
    """Install SHELL's completion script (``script_text``) and add what loads it to the shell's
    start-up file. Each file is written whole beside itself, then renamed over the old one (a
    symlinked start-up file: its target), so a full disk or a kill leaves the old file byte for
    byte. Lines already there are not added again. Every folder written into or made on the
    way, and the start-up file, must be ours alone: a file someone else owns (``sudo`` keeping
    HOME) would become ours, and one others can write (or a folder they can write, where they
    could swap the script) would run their commands in our next shell. Missing folders are
    made 0700. Everything is checked and written through descriptors (``atomic``)."""
    base, script, rc, lines = _places(shell, Path.home(), environ)
    checked = _check_folders(base, script.parent)  # refused before anything is written
    if checked is not None:
        os.close(checked)
    if rc is not None:
        _add_lines(shell, rc, lines, write=False)  # refused before anything is written
    folder = _own_folder(base, script.parent)
    try:  # the script first: a start-up file must never source a script that is not there
        _write(folder, script, f"{script_text.strip()}\n".encode(), private=True)
    finally:
        os.close(folder)
    start_up = _add_lines(shell, rc, lines) if rc is not None else None
    return Installed(script, start_up)


def _add_lines(shell: str, rc: Path, lines: tuple[str, ...], write: bool = True) -> Path:
    """Add the ``lines`` missing from the start-up file ``rc`` (only check that it may be,
    unless ``write``); the file it is (links resolved)."""
    from crampcli.knowledge import atomic, reading

    try:
        real = atomic.trusted_path(rc)
    except OSError as exc:
        raise CrampError(f"cannot read {rc}: {exc.strerror or exc}") from None
    folder = _own_folder(real.parent, real.parent)
    try:
        try:
            info = os.stat(real.name, dir_fd=folder, follow_symlinks=False)
            _ours_alone(real, info)
            # a FIFO or a device is refused, never read (it could block for ever) nor replaced
            old = reading.read_regular(real.name, dir_fd=folder)
        except FileNotFoundError:
            old = None
        except OSError as exc:
            raise CrampError(f"cannot read {real}: {exc.strerror or exc}") from None
        text = old or b""
        missing = [line for line in lines if line.encode() not in text]
        if shell == "zsh" and b"zstyle" not in text:  # a menu, unless they chose otherwise
            missing.append("zstyle ':completion:*' menu select")
        if missing and write:
            start = b"\n" if text and not text.endswith(b"\n") else b""
            data = text + start + "".join(f"{m}\n" for m in missing).encode()
            # a new one 0600: others must never be able to add lines that run as you
            _write(folder, real, data, private=old is None)
    finally:
        os.close(folder)
    return real


def _own_folder(base: Path, folder: Path) -> int:
    """An open descriptor of ``folder`` (``base`` itself or a folder in it) once ``base`` and
    every folder from it down to ``folder`` is ours alone; those missing are made 0700.
    CrampError, nothing made in a folder that is not, otherwise."""
    from crampcli.folders import make_private

    _check_folders(base, folder)  # before anything is made in them
    try:
        make_private(folder)
    except OSError as exc:
        raise CrampError(f"cannot make {folder}: {exc.strerror or exc}") from None
    fd = _check_folders(base, folder)
    if fd is None:  # removed as soon as made
        raise CrampError(f"cannot make {folder}")
    return fd


def _check_folders(base: Path, folder: Path) -> int | None:
    """Check each folder from ``base`` down to ``folder`` that exists (walked from ``/`` through
    descriptors, links someone else owns refused); the descriptor of ``folder``, or None if
    it is missing."""
    from crampcli.knowledge import atomic

    parts = folder.relative_to(base).parts
    for depth in range(len(parts) + 1):
        path = base.joinpath(*parts[:depth])
        try:
            place = atomic.walk(path)
        except OSError as exc:
            raise CrampError(f"cannot use {path}: {exc.strerror or exc}") from None
        found = False
        try:
            if place.rest:
                if len(place.rest) == 1 and _exists(place.folder, place.rest[0]):
                    raise CrampError(f"cannot use {path}: it is not a folder")
                return None
            _ours_alone(path, os.fstat(place.folder))
            found = depth == len(parts)
            if found:
                return place.folder
        finally:
            if not found:
                os.close(place.folder)
    return None  # pragma: no cover - the loop returns


def _exists(folder: int, name: str) -> bool:
    try:
        os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def _ours_alone(path: Path, info: os.stat_result) -> None:
    """Refuse a file or folder someone else owns, or that others can write."""
    if info.st_uid != os.geteuid():
        raise CrampError(
            f"{path} belongs to another user (uid {info.st_uid}): install completion as them"
        )
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise CrampError(
            f"others can write {path} (mode {stat.S_IMODE(info.st_mode):o}), so they could "
            f"change what your shell runs: make it yours alone (chmod go-w), then install again"
        )


def _write(folder: int, path: Path, data: bytes, private: bool = False) -> None:
    """Write ``path`` whole, in the folder already checked and open as ``folder`` (a
    ``private`` file exactly 0600, else with the mode of the file it replaces)."""
    from crampcli.knowledge import atomic

    try:
        atomic.write_at(folder, path.name, path.parent, data, private=private)
    except OSError as exc:
        raise CrampError(
            f"cannot write {path}: {exc.strerror or exc}; it was left as it was"
        ) from None
