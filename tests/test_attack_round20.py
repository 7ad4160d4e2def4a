"""Issue 20, what the twentieth attack round found. S1, S3: a file crampcli rewrites for you
(`~/.bashrc` by `--install-completion`, a knowledge base by `import --into`) was written as
0666 less the umask (or what a folder's default ACL gives) and made 0600 only once whole:
another user who opened it meanwhile read it, or added a line that ran in your next shell.
S2: `import --into` wrote a knowledge base where the diary's -journal goes, which the next
diary command deleted."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

import pytest

from conftest import INSTALLED
from crampcli.knowledge import atomic
from test_diary_round4 import cc


@pytest.mark.parametrize("existing", [None, 0o600, 0o644])
def test_a_file_being_written_is_only_ours_until_it_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: int | None
) -> None:
    target = tmp_path / ".bashrc"
    if existing is not None:
        target.write_text("secret\n")
        target.chmod(existing)
    writing = atomic._write_all
    while_written: list[int] = []

    def watched(fd: int, chunks: Iterable[bytes]) -> None:
        while_written.append(stat.S_IMODE(os.fstat(fd).st_mode))
        writing(fd, chunks)

    monkeypatch.setattr(atomic, "_write_all", watched)
    old_umask = os.umask(0)  # the loosest: what others could open it with, had it been so
    try:
        atomic.write(target, b"secret\ncompletion\n")
    finally:
        os.umask(old_umask)
    assert while_written == [0o600]
    assert stat.S_IMODE(target.stat().st_mode) == (existing if existing is not None else 0o666)


@pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")
@pytest.mark.parametrize("side", ["-journal", "-wal", "-shm"])
def test_a_knowledge_base_is_never_written_as_the_diarys_side_file(
    tmp_path: Path, side: str
) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    article = tmp_path / "article.txt"
    article.write_text("Leg cramps\n\nSome text.\n")
    into = home / f"diary.sqlite3{side}"
    done = cc(home, "import", str(article), "--into", str(into))
    assert done.returncode == 1 and f"the diary's {side} file" in done.stderr, done.stderr
    assert not into.exists()
