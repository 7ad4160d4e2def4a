"""crampcli's side of shell completion, loaded only when a shell asks or a script is installed:
Typer's bash, zsh, fish and PowerShell completers with every value and description made inert
first, and an install that never leaves a start-up file half written."""

from __future__ import annotations

import codecs
import os
import re
import sys
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
def _places(shell: str, home: Path) -> tuple[Path, Path | None, tuple[str, ...]]:
    if shell == "bash":
        script = home / ".bash_completions" / "crampcli.sh"
        return script, home / ".bashrc", (f"source '{script}'",)
    if shell == "zsh":
        lines = ("fpath+=~/.zfunc; autoload -Uz compinit; compinit",)
        return home / ".zfunc" / "_crampcli", home / ".zshrc", lines
    return home / ".config" / "fish" / "completions" / "crampcli.fish", None, ()


def install(shell: str, script_text: str) -> Path:
    """Install SHELL's completion script (``script_text``) and add what loads it to the shell's
    start-up file; the script's path. Each file is written whole beside itself, then renamed
    over the old one (a symlinked start-up file: its target), so a full disk or a kill leaves
    the old file byte for byte. Lines already there are not added again. Someone else's home
    folder or start-up file (``sudo`` keeping HOME) is refused: replaced by us, it would
    become ours, and they could no longer edit it."""
    from crampcli.knowledge import atomic

    home = Path.home()
    _not_theirs(home, home.stat() if home.exists() else None)
    script, rc, lines = _places(shell, home)
    if rc is not None:
        try:
            rc = atomic.trusted_path(rc)
            old = _read(rc)
        except OSError as exc:
            raise CrampError(f"cannot read {rc}: {exc.strerror or exc}") from None
        missing = [line for line in lines if line.encode() not in old]
        if shell == "zsh" and b"zstyle" not in old:  # a menu, unless they chose otherwise
            missing.append("zstyle ':completion:*' menu select")
        if missing:
            start = b"\n" if old and not old.endswith(b"\n") else b""
            _replace(rc, old + start + "".join(f"{m}\n" for m in missing).encode())
    _replace(script, f"{script_text.strip()}\n".encode(), ours=True)
    return script


def _read(path: Path) -> bytes:
    """The start-up file's bytes (none if it is not there); a FIFO or a device is refused,
    never read (it could block for ever) nor replaced."""
    from crampcli.knowledge.reading import open_regular

    try:
        with open_regular(path) as f:
            _not_theirs(path, os.fstat(f.fileno()))
            return f.read()
    except FileNotFoundError:
        return b""


def _not_theirs(path: Path, info: os.stat_result | None) -> None:
    if info is not None and info.st_uid != os.geteuid():
        raise CrampError(
            f"{path} belongs to another user (uid {info.st_uid}): install completion as them"
        )


def _replace(path: Path, data: bytes, ours: bool = False) -> None:
    """Write ``path`` whole; the folders of a script of ``ours`` are made if missing (never
    those of where a start-up file's symlink points)."""
    from crampcli.knowledge import atomic

    try:
        if ours:
            path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write(atomic.trusted_path(path), data)
    except OSError as exc:
        raise CrampError(
            f"cannot write {path}: {exc.strerror or exc}; it was left as it was"
        ) from None
