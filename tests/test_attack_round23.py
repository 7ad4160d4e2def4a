"""Issue 20, what the twenty-third attack round found. S1: where a rewritten file's old group
could not be given, its copied ACL gave the group entries to the new group. S2: names of
descriptors other than 1 and 2 (`/proc/thread-self/fd/3`, `/dev/fd/./3`, a link) replaced
the file the shell opened to append to. S3: `diary backup /dev/stdout >> file` replaced the
file. S4: `-o out.csv > out.csv` wrote into the shell's 0644 file. S5: an ignored signal
held through a COMMIT was said to have interrupted the command. S6: `-o /dev/stdout` wrote
into a regular file someone else owns."""

from __future__ import annotations

import os
import stat
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round4 import cc

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")


def logged(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    assert cc(home, "log", "--minutes", "2", "--note", "SECRET").returncode == 0
    return home


def run(
    home: Path, *args: str, through: str | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """crampcli ARGS with its diary in ``home``; ``through`` a shell line, with crampcli as
    its $0 and ARGS as $1..."""
    shell = ["sh", "-c", through] if through else []
    return subprocess.run(
        [*shell, str(INSTALLED), *args],
        stderr=subprocess.PIPE,
        text=True,
        cwd=home.parent,
        env={**os.environ, "CRAMPCLI_HOME": str(home)},
        timeout=30,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize("name", ["/proc/thread-self/fd/3", "/dev/fd/./3", "link-to-fd3"])
def test_any_name_of_another_descriptor_appends_where_the_shell_appends(
    tmp_path: Path, name: str
) -> None:
    home = logged(tmp_path)
    (tmp_path / "link-to-fd3").symlink_to("/dev/fd/3")
    out = tmp_path / "all.txt"
    out.write_text("KEEP THIS\n")
    shell = 'exec "$0" diary export --format csv -o "$1" 3>>all.txt'  # the shell's fd 3 appends
    done = run(home, name, through=shell)
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("KEEP THIS\n") and "SECRET" in out.read_text()


def test_a_descriptor_another_program_has_open_is_refused(tmp_path: Path) -> None:
    home = logged(tmp_path)
    out = tmp_path / "theirs.txt"
    out.write_text("KEEP THIS\n")
    with out.open("a") as theirs:  # open in this process, not in crampcli
        name = f"/proc/{os.getpid()}/fd/{theirs.fileno()}"
        done = run(home, "diary", "export", "-o", name)
    assert done.returncode == 1 and "another program" in done.stderr
    assert out.read_text() == "KEEP THIS\n"


@pytest.mark.parametrize("name", ["/dev/stdout", "//dev/stdout", "/proc/self/fd/1"])
def test_a_backup_to_standard_output_is_refused_and_the_file_kept(
    tmp_path: Path, name: str
) -> None:
    home = logged(tmp_path)
    out = tmp_path / "all.txt"
    out.write_text("KEEP THIS\n")
    with out.open("a") as appended:
        done = run(home, "diary", "backup", name, stdout=appended)
    assert done.returncode == 1 and "descriptor, not a file" in done.stderr
    assert out.read_text() == "KEEP THIS\n"


def test_an_output_file_that_is_also_standard_output_is_still_made_private(
    tmp_path: Path,
) -> None:
    home = logged(tmp_path)
    out = tmp_path / "out.csv"
    out.write_text("")
    out.chmod(0o644)
    with out.open("w") as shell_opened:  # `-o out.csv > out.csv`
        done = run(home, "diary", "export", "-o", "out.csv", stdout=shell_opened)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and "SECRET" in out.read_text()


def test_a_regular_file_someone_else_owns_is_refused_through_a_descriptor(
    tmp_path: Path,
) -> None:
    from crampcli.knowledge import atomic

    if os.geteuid() != 0:
        pytest.skip("needs root to give a file to another user")
    theirs = tmp_path / "theirs.csv"
    theirs.write_text("")
    os.chown(theirs, 65534, 65534)
    with theirs.open("w") as opened, pytest.raises(PermissionError):
        atomic.write_fd(opened.fileno(), [b"notes"])
    assert theirs.read_text() == ""


def _acl(*entries: tuple[int, int, int]) -> bytes:
    """A POSIX access ACL as Linux stores it: version 2, then (tag, permissions, id)."""
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *e) for e in entries)


def test_a_group_that_cannot_be_kept_gets_nothing_from_the_copied_acl(tmp_path: Path) -> None:
    """S1: the old file is ours with a group we are not in (root's), 0640, with an ACL; the
    new copy gets our current group, which must not read it through the ACL's entries."""
    from crampcli.knowledge import atomic

    if os.geteuid() != 0:
        pytest.skip("needs root to make a file whose group its owner is not in")
    nobody = 65534
    folder = tmp_path / "home"
    folder.mkdir()
    os.chown(folder, nobody, nobody)
    old = folder / ".bashrc"
    old.write_text("# mine\n")
    os.chown(old, nobody, 0)
    old.chmod(0o640)
    user_obj, user, group_obj, mask, other = 0x01, 0x02, 0x04, 0x10, 0x20
    try:
        os.setxattr(
            old,
            "system.posix_acl_access",
            _acl((user_obj, 6, 0), (user, 4, 1), (group_obj, 4, 0), (mask, 4, 0), (other, 0, 0)),
        )
    except OSError:
        pytest.skip("this file system has no ACLs")
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    child = os.fork()
    if child == 0:  # as nobody, in group nogroup only: group root cannot be given
        try:
            os.setgroups([])
            os.setgid(nobody)
            os.setuid(nobody)
            atomic.write_at(fd, ".bashrc", folder, b"# mine\nsource it\n")
            os._exit(0)
        except BaseException:
            os._exit(1)
    os.close(fd)
    assert os.waitpid(child, 0)[1] == 0
    info = old.stat()
    assert old.read_text().endswith("source it\n") and info.st_gid == nobody
    assert stat.S_IMODE(info.st_mode) & 0o070 == 0  # with an ACL: its mask, so no group entry


def test_an_ignored_signal_held_through_a_commit_is_not_said_to_interrupt(
    tmp_path: Path,
) -> None:
    home = logged(tmp_path)
    script = (
        "import os, signal, sys\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"  # as `trap '' INT` or `nohup` would
        "from crampcli import cli\n"
        "from crampcli.diary import store\n"
        "connecting = store.connect\n"
        "def traced(target, uri):\n"
        "    db = connecting(target, uri)\n"
        "    db.set_trace_callback(lambda s: s == 'COMMIT' and os.kill(os.getpid(), 2))\n"
        "    return db\n"
        "store.connect = traced\n"
        "sys.argv[0] = 'crampcli'\n"
        "cli.main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "log", "--minutes", "3", "--note", "NEW"],
        capture_output=True,
        text=True,
        env={**os.environ, "CRAMPCLI_HOME": str(home), "NO_COLOR": "1"},
        timeout=30,
    )
    assert done.returncode == 0 and "Logged #2" in done.stdout + done.stderr
    assert "interrupted" not in done.stderr
