"""Where exports, reports, backups and imported articles may be written (issue 20, attack
round 4): never over the diary or a file SQLite keeps beside it (F5), a backup never over a
device, FIFO, socket or folder (F3), and `import --into` never through a link someone else
owns (F10). Every test drives the installed command with its own diary and cache folder."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SHARED, installed

SEED = SHARED / "seeds" / "000_4cd7bd3584bc0488.txt"


def crampcli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return installed(
        *args,
        CRAMPCLI_HOME=str(tmp_path / "home"),
        CRAMPCLI_CACHE_DIR=str(tmp_path / "cache"),
        TZ="UTC",
    )


def ok(tmp_path: Path, *args: str) -> str:
    result = crampcli(tmp_path, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    ok(tmp_path, "log", "--minutes", "3", "--note", "keep me")
    return tmp_path / "home" / "diary.sqlite3"


WRITES = {
    "export": ("diary", "export", "--format", "json", "-o"),
    "report": ("report", "--html"),
    "backup": ("diary", "backup"),
}


# F5. The diary and its side files are never an output ---------------------------------------


@pytest.mark.parametrize("command", WRITES)
@pytest.mark.parametrize(
    "spelling",
    ["same path", "through a link", "with ..", "hard link", "-wal", "-shm", "-journal"],
)
def test_the_diary_and_its_side_files_are_never_an_output(
    tmp_path: Path, diary: Path, command: str, spelling: str
) -> None:
    home = diary.parent
    output = {
        "same path": diary,
        "with ..": home / ".." / "home" / diary.name,
        "-wal": home / f"{diary.name}-wal",
        "-shm": home / f"{diary.name}-shm",
        "-journal": home / f"{diary.name}-journal",
    }.get(spelling)
    if spelling == "through a link":
        output = tmp_path / "link.json"
        output.symlink_to(diary)
    elif spelling == "hard link":
        output = tmp_path / "hard.json"
        os.link(diary, output)
    assert output is not None
    before = diary.read_bytes()
    result = crampcli(tmp_path, *WRITES[command], str(output))
    assert result.returncode == 1, result.stderr
    # a second name of the diary may be refused before anything is read (round 9, S5)
    refused = "cannot write" in result.stderr or "hard link" in result.stderr
    assert refused and "the diary" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert diary.read_bytes() == before
    for side in set(home.iterdir()) - {diary}:  # SQLite's own, never an export, page or copy
        assert not side.read_bytes().startswith((b"{", b"<", b"SQLite format 3")), side.name
    if spelling == "hard link":
        output.unlink()  # while the diary has two names, every command refuses it
    assert "keep me" in ok(tmp_path, "diary")


# F3. A backup never replaces a device, a FIFO, a socket or a folder -------------------------


def _special(kind: str, path: Path) -> None:
    if kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a null device of our own
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    else:
        path.mkdir()


@pytest.mark.parametrize("kind", ["device", "fifo", "socket", "folder"])
@pytest.mark.parametrize("through_a_link", [False, True])
def test_a_backup_never_replaces_a_special_file(
    tmp_path: Path, diary: Path, kind: str, through_a_link: bool
) -> None:
    special = tmp_path / "special"
    _special(kind, special)
    before = special.lstat()
    output = special
    if through_a_link:
        output = tmp_path / "link"
        output.symlink_to(special)
    result = crampcli(tmp_path, "diary", "backup", str(output))
    assert result.returncode == 1, result.stderr
    assert "cannot write the backup" in result.stderr and "Traceback" not in result.stderr
    after = special.lstat()
    assert (after.st_mode, after.st_ino, after.st_rdev) == (
        before.st_mode,
        before.st_ino,
        before.st_rdev,
    )
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_backup_to_a_new_file_still_works(tmp_path: Path, diary: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    ok(tmp_path, "diary", "backup", str(copy))
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert copy.read_bytes().startswith(b"SQLite format 3\x00")


# F10. `import --into` never follows a link someone else owns --------------------------------


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A sticky world-writable folder (like /tmp), where the other user's link stands."""
    if os.geteuid() != 0:
        pytest.skip("needs root to give a link to another user")
    path = Path(tempfile.mkdtemp(prefix="crampcli-into-")).resolve()
    path.chmod(0o1777)
    yield path
    shutil.rmtree(path)


@pytest.mark.shared
@pytest.mark.parametrize("where", ["file", "folder"])
def test_import_into_refuses_a_link_someone_else_owns(
    tmp_path: Path, shared_dir: Path, where: str
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    link = shared_dir / "kb"
    link.symlink_to(mine / "evil.json" if where == "file" else mine)
    os.lchown(link, 65534, 65534)  # the other user's link
    into = link if where == "file" else link / "evil.json"
    result = crampcli(tmp_path, "import", str(SEED), "--into", str(into))
    assert result.returncode == 1, result.stderr
    assert "someone else owns" in result.stderr and "Traceback" not in result.stderr
    assert list(mine.iterdir()) == []  # neither the file nor its lock


@pytest.mark.shared
def test_import_into_follows_our_own_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    link = tmp_path / "kb.json"
    link.symlink_to(real)
    ok(tmp_path, "import", str(SEED), "--into", str(link))
    assert link.is_symlink() and real.is_file()


# F2. Writing into a FIFO or /dev/stdout: never a regular file, never someone else's --------


@pytest.fixture
def as_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give a file to another user")


def test_a_fifo_someone_else_owns_never_receives_the_export(
    tmp_path: Path, diary: Path, as_root: None
) -> None:
    fifo = tmp_path / "theirs"
    os.mkfifo(fifo, 0o666)
    os.chown(fifo, 65534, 65534)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that a writer would not wait
    try:
        result = crampcli(tmp_path, "diary", "export", "--format", "json", "-o", str(fifo))
        assert result.returncode == 1, result.stderr
        assert "belongs to someone else" in result.stderr
        assert os.read(reader, 100) == b""  # no writer came: nothing was written
    finally:
        os.close(reader)


def test_a_fifo_swapped_for_someone_elses_link_is_never_truncated(
    tmp_path: Path, diary: Path, as_root: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output was a FIFO when it was looked at, and is the other user's link to our file
    when it is opened: the file is neither truncated nor written."""
    from conftest import run
    from crampcli.knowledge import reading

    victim = tmp_path / "victim.txt"
    victim.write_text("IMPORTANT")
    link = tmp_path / "out.json"
    link.symlink_to(victim)
    os.lchown(link, 65534, 65534)
    monkeypatch.setattr(reading, "special_kind", lambda path: "a FIFO")
    monkeypatch.setenv("CRAMPCLI_HOME", str(diary.parent))
    result = run("diary", "export", "--format", "json", "-o", str(link))
    assert result.exit_code == 1 and "someone else owns" in result.stderr
    assert victim.read_text() == "IMPORTANT"


# N13 (round 5). An output spelled as a folder ("d.json/", "e.json/.") is wrong usage: the
# kernel would say "Not a directory"; nothing is written, not even d.json --------------------


@pytest.mark.parametrize("command", ["export", "report"])
@pytest.mark.parametrize("spelling", ["d.json/", "e.json/.", "f.json/..", "g.json//"])
def test_an_output_spelled_as_a_folder_is_refused(
    tmp_path: Path, diary: Path, command: str, spelling: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = crampcli(tmp_path, *WRITES[command], str(out) + "/" + spelling)
    assert result.returncode == 2, result.stderr
    assert "names a folder" in result.stderr and "Wrote" not in result.stderr
    assert list(out.iterdir()) == []
