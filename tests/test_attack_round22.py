"""Issue 20, what the twenty-second attack round found. S2: round 21's fix for `-o
/dev/stdout >> file` knew five spellings only; `//dev/stdout`, `/dev/./stdout`,
`/proc/thread-self/fd/1` or a link to `/dev/stdout` still replaced the file. S3: written
through the descriptor, another user's FIFO got the diary (a FIFO named by `-o` is refused)."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round4 import cc


@pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")
@pytest.mark.parametrize(
    "name", ["//dev/stdout", "/dev/./stdout", "/proc/thread-self/fd/1", "link-to-stdout"]
)
def test_any_name_for_standard_output_appends_where_the_shell_appends(
    tmp_path: Path, name: str
) -> None:
    home = tmp_path / "home"
    assert cc(home, "log", "--minutes", "2", "--note", "NEW").returncode == 0
    (tmp_path / "link-to-stdout").symlink_to("/dev/stdout")
    out = tmp_path / "all.csv"
    out.write_text("KEEP THIS\n")
    with out.open("a") as appended:
        done = subprocess.run(
            [str(INSTALLED), "diary", "export", "--format", "csv", "-o", name],
            stdout=appended,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "CRAMPCLI_HOME": str(home)},
            timeout=30,
        )
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("KEEP THIS\n") and "NEW" in out.read_text()


def test_a_fifo_someone_else_owns_is_refused_through_a_descriptor_too(tmp_path: Path) -> None:
    from crampcli.knowledge import atomic

    if os.geteuid() != 0:
        pytest.skip("needs root to give a FIFO to another user")
    fifo = tmp_path / "theirs"
    os.mkfifo(fifo)
    os.chown(fifo, 65534, 65534)
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a reader and a writer: never blocks
    try:
        with pytest.raises(PermissionError):
            atomic.write_fd(fd, [b"notes"])
    finally:
        os.close(fd)


def test_a_rewritten_file_keeps_its_group_in_a_setgid_folder(tmp_path: Path) -> None:
    """S1: in a setgid folder (or with another current group) the rewritten file took the
    folder's group, which could then read (0640) or write (0660) it."""
    from crampcli.knowledge import atomic

    if os.geteuid() != 0:
        pytest.skip("needs root to give the folder another group")
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chown(folder, -1, 65534)
    folder.chmod(0o2755)  # setgid: new files take the folder's group
    target = folder / ".bashrc"
    target.write_text("# mine\n")
    os.chown(target, -1, os.getegid())
    target.chmod(0o640)
    atomic.write(target, b"# mine\nsource crampcli.sh\n")
    info = target.stat()
    assert info.st_gid == os.getegid() and stat.S_IMODE(info.st_mode) == 0o640
