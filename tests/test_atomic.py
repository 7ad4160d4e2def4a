"""knowledge/atomic.py: the walk from ``/`` through folder descriptors, and writes that a
folder swapped after the check cannot redirect (issue 20, attack round 4, F2 and F3)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from crampcli.knowledge import atomic

OTHER = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path.resolve()


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_the_walk_follows_our_own_links_relative_absolute_and_back_up(root: Path) -> None:
    (root / "a" / "b").mkdir(parents=True)
    (root / "rel").symlink_to("a/b")
    (root / "abs").symlink_to(root / "a")
    place = atomic.walk(root / "rel" / ".." / "new.json")  # ".." after a link: physical
    os.close(place.folder)
    assert (place.path, place.rest) == (root / "a", ["new.json"])
    assert atomic.trusted_path(root / "abs" / "b" / "f") == root / "a" / "b" / "f"
    assert atomic.trusted_path(root / "abs" / "b") == root / "a" / "b"


def test_a_dangling_link_of_ours_leads_to_where_its_target_will_be(root: Path) -> None:
    (root / "out.json").symlink_to("real.json")
    written = atomic.write_private(root / "out.json", b"data")
    assert written == root / "real.json" and written.read_bytes() == b"data"
    assert (root / "out.json").is_symlink()


def test_the_walk_stops_at_what_is_missing_and_writes_refuse_it(root: Path) -> None:
    place = atomic.walk(root / "no" / "such" / "f")
    os.close(place.folder)
    assert (place.path, place.rest) == (root, ["no", "such", "f"])
    (root / "file").write_text("x")
    with pytest.raises(FileNotFoundError):
        atomic.write_private(root / "no" / "f", b"x")
    with pytest.raises(NotADirectoryError):
        atomic.write_private(root / "file" / "f", b"x")
    with pytest.raises(IsADirectoryError):
        atomic.write_private(root, b"x")
    assert sorted(p.name for p in root.iterdir()) == ["file"]


def test_a_loop_of_links_is_refused(root: Path) -> None:
    (root / "one").symlink_to("two")
    (root / "two").symlink_to("one")
    with pytest.raises(OSError) as caught:
        atomic.write_private(root / "one" / "f", b"x")
    assert caught.value.errno == errno.ELOOP


def test_the_walk_leaves_no_descriptor_open(root: Path) -> None:
    (root / "a" / "b").mkdir(parents=True)
    (root / "loop").symlink_to("loop")
    before = _open_fds()
    for _ in range(50):
        atomic.write_private(root / "a" / "b" / "f", b"x")
        atomic.trusted_path(root / "a" / ".." / "a" / "b" / "missing" / "f")
        with pytest.raises(OSError):
            atomic.write_private(root / "loop" / "f", b"x")
    assert _open_fds() == before


def test_a_special_file_is_never_replaced(root: Path) -> None:
    fifo = root / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file \\(a FIFO\\)"):
        atomic.write_private(fifo, b"x")
    with pytest.raises(OSError, match="a FIFO"):
        atomic.write(fifo, b"x", backup=True)
    assert fifo.is_fifo() and sorted(p.name for p in root.iterdir()) == ["fifo"]


def test_a_folder_swapped_after_the_check_cannot_redirect_the_write(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder is swapped for a symlink to someone's files between the check and the
    write (here at the first step after it): the write lands in the folder that was checked."""
    victim, shared = root / "victim", root / "shared"
    victim.mkdir()
    (victim / "out.json").write_text("keep")
    (shared / "sub").mkdir(parents=True)
    real_remove_stale = atomic._remove_stale

    def swap_then_clean(*args: object) -> None:
        (shared / "sub").rename(shared / "moved")
        (shared / "sub").symlink_to(victim)
        real_remove_stale(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic, "_remove_stale", swap_then_clean)
    atomic.write_private(shared / "sub" / "out.json", b"export")
    assert (victim / "out.json").read_text() == "keep"
    assert sorted(p.name for p in victim.iterdir()) == ["out.json"]
    assert (shared / "moved" / "out.json").read_bytes() == b"export"


# --- another user's links and swaps (root runs the other user with setpriv) -----------------


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A temp folder another user can reach (pytest's own is private to this user)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to act as another user")
    path = Path(tempfile.mkdtemp(prefix="crampcli-atomic-")).resolve()
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


def _theirs(path: Path) -> None:
    os.lchown(path, 65534, 65534)


@pytest.mark.parametrize("where", ["folder", "file", "chain"])
def test_a_link_someone_else_owns_is_refused_wherever_it_stands(open_dir: Path, where: str) -> None:
    target = open_dir / "target"
    target.mkdir()
    (target / "out.json").write_text("keep")
    link = open_dir / "link"
    if where == "folder":
        link.symlink_to(target)
        output = link / "out.json"
    elif where == "file":
        link.symlink_to(target / "out.json")
        output = link
    else:  # ours -> theirs -> the target
        link.symlink_to(target / "out.json")
        (open_dir / "mine").symlink_to(link)
        output = open_dir / "mine"
    _theirs(link)
    with pytest.raises(PermissionError, match="someone else owns"):
        atomic.write_private(output, b"export")
    with pytest.raises(PermissionError, match="someone else owns"):
        atomic.trusted_path(output)
    assert (target / "out.json").read_text() == "keep"


def _python_for_other_user() -> str:
    """An interpreter the other user may run (this one may sit in a folder private to us)."""
    for python in (sys.executable, "/usr/bin/python3"):
        probe = subprocess.run([*OTHER, python, "-c", "pass"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return python
    pytest.skip("no Python the other user (uid 65534) may run")


SWAP = """
import os, sys, time
os.chdir(sys.argv[1])
while True:  # a real folder for 0.5 ms (it passes a check), then a link to the victim's
    try:
        if os.path.islink("sub"):
            os.unlink("sub")
        os.rename("real", "sub")
        time.sleep(0.0005)
        os.rename("sub", "real")
        os.symlink(sys.argv[2], "sub")
        time.sleep(0.003)
    except OSError:
        pass
"""


def test_a_swap_loop_by_another_user_never_reaches_the_victims_file(open_dir: Path) -> None:
    """Attack round 4, F2: the other user swaps a folder they own for their symlink to our
    folder, again and again, while we write into it. The write lands in their folder or is
    refused, never in ours (before: our file was replaced within a few hundred writes)."""
    victim, shared = open_dir / "docs", open_dir / "shared"
    victim.mkdir()
    (victim / "out.json").write_text("IMPORTANT")
    (shared / "real").mkdir(parents=True)
    for folder in (shared, shared / "real"):
        os.chown(folder, 65534, 65534)
        folder.chmod(0o777)
    swapper = subprocess.Popen(
        [*OTHER, _python_for_other_user(), "-c", SWAP, str(shared), str(victim)]
    )
    written = 0
    try:
        for _ in range(3000):
            try:
                atomic.write_private(shared / "sub" / "out.json", b"EXPORT")
                written += 1
            except OSError:
                pass  # their link at that moment: refused
            assert (victim / "out.json").read_text() == "IMPORTANT"
            assert sorted(p.name for p in victim.iterdir()) == ["out.json"]
    finally:
        swapper.kill()
        swapper.wait()
    assert written  # the swap loop left room for writes: the race was run, not avoided


def test_a_folder_we_may_pass_through_but_not_list_is_no_obstacle(open_dir: Path) -> None:
    """A 0711 home (enter, not list) on the way: the walk passes it (O_PATH), as a path did."""
    home, inbox = open_dir / "home", open_dir / "home" / "inbox"
    inbox.mkdir(parents=True)
    home.chmod(0o711)
    inbox.chmod(0o777)
    src = Path(atomic.__file__).resolve().parents[2]
    setup = f"import sys; sys.path.insert(0, {str(src)!r}); from crampcli.knowledge import atomic"
    python = _python_for_other_user()
    if subprocess.run([*OTHER, python, "-c", setup], capture_output=True, timeout=60).returncode:
        pytest.skip(f"uid 65534 cannot import crampcli from {src} (a private folder on the way?)")
    out = inbox / "out.json"
    code = f"{setup}; atomic.write_private(__import__('pathlib').Path({str(out)!r}), b'x')"
    done = subprocess.run([*OTHER, python, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == b"x"
