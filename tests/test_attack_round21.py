"""Issue 20, what the twenty-first attack round found. S1: `--install-completion` made a
missing `~/.bashrc` or `~/.zshrc` 0666 less the umask: under umask 002 with a shared group,
another user added a line that ran as you. S2: a rewritten file took the access ACL of its
folder's default ACL, and setting its old mode then let the users it names read it. S3: a
failed install left a start-up file sourcing a script that was never written. S4: `diary
export -o /dev/stdout >> file` replaced `file` instead of appending to it."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import INSTALLED
from crampcli.errors import CrampError
from test_diary_round4 import cc


def test_a_start_up_file_completion_makes_is_only_yours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.commands import shells

    monkeypatch.setenv("HOME", str(tmp_path))
    old_umask = os.umask(0o002)  # a shared group may write what is made
    try:
        installed = shells.install(
            "bash", "complete -F _crampcli crampcli", {"HOME": str(tmp_path)}
        )
    finally:
        os.umask(old_umask)
    assert installed.start_up is not None
    assert stat.S_IMODE(installed.start_up.stat().st_mode) == 0o600


def test_a_failed_script_write_adds_no_line_to_the_start_up_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.commands import shells

    monkeypatch.setenv("HOME", str(tmp_path))
    rc = tmp_path / ".bashrc"
    rc.write_bytes(b"# mine\n")
    rc.chmod(0o600)

    writing = shells._write

    def full(folder: int, path: Path, data: bytes, private: bool = False) -> None:
        if path.name != "crampcli.sh":  # the start-up file can be written, the script not
            return writing(folder, path, data, private)
        raise CrampError(f"cannot write {path}: No space left on device; it was left as it was")

    monkeypatch.setattr(shells, "_write", full)
    with pytest.raises(CrampError):
        shells.install("bash", "complete -F _crampcli crampcli", {"HOME": str(tmp_path)})
    assert rc.read_bytes() == b"# mine\n"


@pytest.mark.skipif(shutil.which("setfacl") is None, reason="needs setfacl (the acl package)")
def test_a_rewritten_file_never_takes_its_folders_default_acl(tmp_path: Path) -> None:
    from crampcli.knowledge import atomic

    target = tmp_path / "kb.json"
    target.write_text("{}")
    target.chmod(0o640)
    done = subprocess.run(["setfacl", "-d", "-m", "u:65534:rwx", str(tmp_path)], check=False)
    if done.returncode:
        pytest.skip("this file system has no ACLs")
    atomic.write(target, b'{"a": 1}')
    shown = ["getfacl", "-n", "-p", str(target)]
    acl = subprocess.run(shown, capture_output=True, text=True).stdout
    assert "user:65534" not in acl and stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")
def test_an_export_to_dev_stdout_appends_where_the_shell_appends(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert cc(home, "log", "--minutes", "2", "--note", "NEW").returncode == 0
    out = tmp_path / "all.csv"
    out.write_text("KEEP THIS\n")
    with out.open("a") as appended:
        done = subprocess.run(
            [str(INSTALLED), "diary", "export", "--format", "csv", "-o", "/dev/stdout"],
            stdout=appended,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "CRAMPCLI_HOME": str(home)},
            timeout=30,
        )
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert text.startswith("KEEP THIS\n") and "NEW" in text
