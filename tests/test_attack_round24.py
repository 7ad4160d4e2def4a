"""Issue 20, what the twenty-fourth attack round found. S1: the previous version kept as
`kb.json.bak`, copied where it could not be hard-linked, took the setgid folder's group (or
the current group, or the folder's default ACL): another user read it. S2: a signal blocked
since crampcli started, held through a COMMIT, was said to interrupt the command, which
then went on and exited 0."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from test_attack_round23 import _acl, logged
from test_diary_round19 import SIGNALLED_AT_COMMIT


def test_a_copied_previous_version_keeps_the_old_files_group_and_no_inherited_acl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.knowledge import atomic

    if os.geteuid() != 0:
        pytest.skip("needs root to give the folder another group")
    folder = tmp_path / "kb"
    folder.mkdir()
    os.chown(folder, -1, 65534)
    folder.chmod(0o2755)  # setgid: new files take the folder's group
    old = folder / "kb.json"
    old.write_text("{}\n")
    os.chown(old, -1, os.getegid())
    old.chmod(0o640)
    user_obj, user, group_obj, mask, other = 0x01, 0x02, 0x04, 0x10, 0x20
    try:  # then a default ACL that would let uid 65534 read new files
        os.setxattr(
            folder,
            "system.posix_acl_default",
            _acl(
                (user_obj, 7, 0), (user, 4, 65534), (group_obj, 5, 0), (mask, 5, 0), (other, 0, 0)
            ),
        )
    except OSError:
        pytest.skip("this file system has no ACLs")

    def refused(*args: object, **kwargs: object) -> None:  # as protected_hardlinks refuses
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", refused)
    kept = atomic.write(old, b'{"new": 1}\n', backup=True)
    assert kept == folder / "kb.json.bak" and kept.read_text() == "{}\n"
    info = kept.stat()
    assert info.st_gid == os.getegid() and stat.S_IMODE(info.st_mode) == 0o640
    with pytest.raises(OSError):  # no access ACL: the folder's default gave none to it
        os.getxattr(kept, "system.posix_acl_access")


def test_a_signal_blocked_since_the_start_is_not_said_to_interrupt(tmp_path: Path) -> None:
    home = logged(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", SIGNALLED_AT_COMMIT, "log", "--minutes", "3", "--note", "NEW"],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "CRAMPCLI_HOME": str(home),
            "NO_COLOR": "1",
            "SIG": str(int(signal.SIGTERM)),
        },
        preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}) and None,
        timeout=30,
    )
    assert done.returncode == 0 and "Logged #2" in done.stdout + done.stderr
    assert "interrupted" not in done.stderr
