"""Issue 20, what the fourteenth attack round found. S1: a wipe killed right after it emptied
the diary left its -wal with every wiped entry (and Ctrl-\\ was not held). S2: a restore
opened and closed the diary file while its own transaction held it, which drops all of the
process's POSIX locks, SQLite's too: another crampcli closing meanwhile removed the WAL under
it, and an entry logged then was lost. S3, S4: a command that waited for a wipe made a new
empty diary file with SQLite's mode (0644), which another user could open and keep reading.
S5: in a folder it cannot write, a wipe emptied the diary, then said it was kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round4 import cc
from test_diary_round5 import backed_up, notes

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")

# A crampcli killed while it had the diary open: its last entry stays in the -wal file.
KILLED_WRITER = """
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("INSERT INTO cramps (at, note, logged) VALUES ('2026-12-01T03:00:00+00:00', "
           "'SECRET IN WAL', '2026-12-01T03:00:00+00:00')")
os._exit(0)
"""


def test_a_wipe_killed_after_emptying_the_diary_leaves_no_entry_in_its_wal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S1: stopped before its first removal, the wipe had emptied only the diary file."""
    from crampcli.diary import copies

    home, _ = backed_up(tmp_path, "SECRET")
    path = home / "diary.sqlite3"
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path)], check=True, timeout=30)
    assert b"SECRET IN WAL" in Path(f"{path}-wal").read_bytes()

    def killed(name: str, folder: int) -> bool:
        raise KeyboardInterrupt  # as a kill -9 just before the first removal

    monkeypatch.setattr(copies, "_unlinked", killed)
    with pytest.raises(KeyboardInterrupt):
        copies.wipe(path)
    assert not [p.name for p in home.iterdir() if b"SECRET" in p.read_bytes()]


def test_ctrl_backslash_waits_like_ctrl_c_while_files_are_replaced_or_removed() -> None:
    """S1: SIGQUIT (Ctrl-\\) was not held, so it could stop a wipe between two steps."""
    from crampcli.interrupts import signals_held

    with signals_held():
        held = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    assert {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT} <= held


# Whether another process can take SQLite's lock bytes of the diary for writing: it cannot
# while any connection (here: the restore's transaction) holds the diary.
TAKE_LOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 512, 0x40000000)
except OSError:
    sys.exit(1)
"""


def test_a_restore_keeps_its_locks_on_the_diary_until_it_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S2: reading the diary for the kept copy opened and closed the file inside the
    restore's transaction, which dropped the transaction's locks."""
    from crampcli.diary import copies

    home, good = backed_up(tmp_path, "from backup")
    path = home / "diary.sqlite3"
    assert cc(home, "log", "--minutes", "2", "--note", "not in backup").returncode == 0
    copying = copies.backup
    free: list[int] = []

    def then_try_the_lock(*args: object, **kwargs: object) -> object:
        done = copying(*args, **kwargs)  # type: ignore[arg-type]
        taken = subprocess.run([sys.executable, "-c", TAKE_LOCK, str(path)], timeout=30)
        free.append(taken.returncode)
        return done

    monkeypatch.setattr(copies, "backup", then_try_the_lock)
    with copies.checked_backup(good, path) as checked:
        kept = copies.restore(path, checked)
    assert free == [1], "another process could lock the diary during the restore"
    assert notes(path) == ["from backup"] and notes(kept[0]) == ["from backup", "not in backup"]


def test_a_restore_keeps_its_locks_on_a_damaged_diary_while_it_keeps_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S2, the same on the damaged path: the bytes were read through a descriptor closed
    while the transaction still held the diary, before the file was removed."""
    from crampcli.diary import copies
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import Diary
    from test_diary_round10 import MOMENT, _damage

    home, good = backed_up(tmp_path, "from the backup")
    path = home / "diary.sqlite3"
    with Diary.open(path) as diary:  # an undo journal long enough to damage in its middle
        for i in range(300):
            diary.add(Cramp(MOMENT, minutes=1, note=f"{i} " + "x" * 400))
    _damage(path, "changes", None)
    keeping = copies._keep_bytes
    free: list[int] = []

    def then_try_the_lock(*args: object) -> Path:
        copy = keeping(*args)  # type: ignore[arg-type]
        taken = subprocess.run([sys.executable, "-c", TAKE_LOCK, str(path)], timeout=30)
        free.append(taken.returncode)
        return copy

    monkeypatch.setattr(copies, "_keep_bytes", then_try_the_lock)
    with copies.checked_backup(good, path) as checked:
        kept = copies.restore(path, checked)
    assert free == [1], "another process could lock the diary while its bytes were kept"
    assert notes(path) == ["from the backup"] and kept


@pytest.mark.parametrize("read_only", [True, False])
def test_an_open_that_finds_the_diary_wiped_makes_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_only: bool
) -> None:
    """S3, S4: a command that waited for a wipe let SQLite make a new, empty diary file,
    0644 under umask 022: one another user could open and read later entries through."""
    from crampcli.diary import store
    from crampcli.diary.store import Diary
    from crampcli.errors import CrampError

    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    path = home / "diary.sqlite3"
    path.touch(mode=0o600)  # an empty diary: not a current one, so opened for writing
    checking = store.own_private

    def wiped_meanwhile(real: Path, reading: bool = False) -> None:
        checking(real, reading)
        if not reading:  # the check before opening for writing
            real.unlink()  # the wipe this open waited for ends here

    monkeypatch.setattr(store, "own_private", wiped_meanwhile)
    with pytest.raises(CrampError, match=r"no diary|wiped"):
        Diary.open(path, create=False, read_only=read_only)
    assert list(home.iterdir()) == []


REFUSED_WIPE = """
import sys
from pathlib import Path
from crampcli.diary import copies
from crampcli.errors import CrampError
try:
    copies.wipe(Path(sys.argv[1]))
except CrampError as exc:
    print(exc)
    sys.exit(1)
"""


def test_a_wipe_in_a_folder_it_cannot_write_is_refused_before_anything_goes(
    open_dir: Path,
) -> None:
    """S5: the wipe emptied the diary, failed to remove it, and said it was kept."""
    other = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    if os.geteuid() != 0 or subprocess.run(["which", "setpriv"], capture_output=True).returncode:
        pytest.skip("needs root and setpriv to act as another user")
    probe = subprocess.run([*other, sys.executable, "-c", "import crampcli"], capture_output=True)
    if probe.returncode:
        pytest.skip("the other user (uid 65534) cannot run this checkout's Python")
    home, _ = backed_up(open_dir, "keep me")
    path = home / "diary.sqlite3"
    for file in [home, *home.iterdir()]:
        os.chown(file, 65534, 65534)
    (home / ".diary.sqlite3.lock").touch(mode=0o600)  # a killed run's, so the lock is taken
    os.chown(home / ".diary.sqlite3.lock", 65534, 65534)
    home.chmod(0o500)
    done = subprocess.run(
        [*other, sys.executable, "-c", REFUSED_WIPE, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    home.chmod(0o700)
    assert done.returncode == 1 and "nothing was deleted" in done.stdout, done.stdout + done.stderr
    assert notes(path) == ["keep me"]
