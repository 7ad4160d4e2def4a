"""Issue 20, what the third attack round found left: a CSV round trip that changed notes, a
killed export's private copy left behind, notes trimmed as they were logged, and files made
unreadable by a strict umask. Every test drives the installed command with its own diary and
cache folder."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import INSTALLED, installed


def crampcli(tmp_path: Path, *args: str, stdin: str | None = None):
    """The installed command with its own diary and cache in ``tmp_path``."""
    return installed(
        *args,
        stdin=stdin,
        CRAMPCLI_HOME=str(tmp_path / "home"),
        CRAMPCLI_CACHE_DIR=str(tmp_path / "cache"),
    )


def ok(tmp_path: Path, *args: str, stdin: str | None = None) -> str:
    result = crampcli(tmp_path, *args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    return result.stdout


def entries(tmp_path: Path) -> list[dict[str, object]]:
    return json.loads(ok(tmp_path, "diary", "export", "--format", "json"))["entries"]


# Notes as people type them, with what a terminal would act on and what only looks like it.
TRICKY = (
    "\x1b]52;c;ZXZpbA==\x07 real escapes \x1b[31m red \x9b1m",  # OSC 52, CSI, a C1 CSI
    r"typed, not real: \x1b[31m and \u202e and C:\new\x41 and a \\ pair",
    "\u0085 a NEL first, \u2028 line and \u2029 paragraph separators, a \u202e bidi override",
    "  spaces around, a tab\there and a newline\nsecond line, a trailing CR\r",
    "'quoted first",
    "=1+1 a formula",
)


# F5. A CSV export imports back as it was, and is still safe to print ----------------------


@pytest.mark.parametrize("how", ["export-file", "export-stdout", "diary-csv"])
def test_a_csv_export_imports_back_exactly(tmp_path: Path, how: str) -> None:
    for note in TRICKY:
        ok(tmp_path, "log", "--minutes", "2", "--trigger", r"heat \x07", "--note", note)
    if how == "export-file":
        out = tmp_path / "diary.csv"
        ok(tmp_path, "diary", "export", "-o", str(out))
        text = out.read_text(encoding="utf-8")
    elif how == "export-stdout":
        text = ok(tmp_path, "diary", "export", "--format", "csv")
    else:
        text = ok(tmp_path, "diary", "--csv")
    for raw in ("\x1b", "\x07", "\x9b", "\x85", "\u2028", "\u2029", "\u202e", "\r"):
        assert raw not in text  # printing the file cannot act on the terminal
    for row in csv.DictReader(io.StringIO(text)):
        assert row["note"][:1] not in ("=", "+", "-", "@")
    other = tmp_path / "other"
    other.mkdir()
    ok(other, "diary", "import", "-", "--format", "csv", stdin=text)
    after = entries(other)
    assert after == entries(tmp_path)
    assert [e["note"] for e in after] == list(TRICKY)


def test_a_hand_written_csv_has_its_escapes_read_and_other_backslashes_kept(
    tmp_path: Path,
) -> None:
    text = "at,note\n2026-01-05T03:00:00+00:00,C:\\new \\x41 \\\\ \\u00e9 \\ end\n"
    ok(tmp_path, "diary", "import", "-", "--format", "csv", stdin=text)
    assert entries(tmp_path)[0]["note"] == "C:\\new A \\ \u00e9 \\ end"


# C2. A note is stored as typed, and shown escaped --------------------------------------------


def test_a_note_is_kept_exactly_as_typed(tmp_path: Path) -> None:
    note = "\u0085\u2028  first and last are separators  \u2029\u0085"
    logged = crampcli(tmp_path, "log", "--note", note)
    assert logged.returncode == 0, logged.stderr
    assert entries(tmp_path)[0]["note"] == note
    ok(tmp_path, "diary", "edit", "1", "--note", f" {note} ")
    assert entries(tmp_path)[0]["note"] == f" {note} "
    shown = logged.stderr + logged.stdout + ok(tmp_path, "diary") + ok(tmp_path, "diary", "--json")
    for raw in ("\x85", "\u2028", "\u2029"):
        assert raw not in shown  # every way out shows them as escapes
    assert "\\x85" in logged.stdout + logged.stderr


# C1. A killed export leaves no private copy behind ----------------------------------------


def test_the_next_export_removes_a_killed_exports_copy_and_nothing_else(tmp_path: Path) -> None:
    ok(tmp_path, "log", "--minutes", "2", "--note", "private")
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "backup.json"
    stale = folder / ".backup.json.0badf00d.tmp"  # what a kill -9 mid-write leaves
    stale.write_text("private half-written export")
    stale.chmod(0o600)
    victim = tmp_path / "victim.txt"
    victim.write_text("not ours to delete")
    keep = {
        folder / ".backup.json.notahex!.tmp": "another name",
        folder / ".other.json.0badf00d.tmp": "another target's",
        folder / ".backup.json.0badf00d0.tmp": "nine hex digits",
        folder / "backup.json.0badf00d.tmp": "no dot in front",
    }
    for path, text in keep.items():
        path.write_text(text)
    link = folder / ".backup.json.feedbeef.tmp"
    link.symlink_to(victim)
    if os.geteuid() == 0:  # a file of the pattern someone else owns: theirs, left alone
        theirs = folder / ".backup.json.0ddba11e.tmp"
        keep[theirs] = "someone else's"
        theirs.write_text(keep[theirs])
        os.chown(theirs, 65534, 65534)
    ok(tmp_path, "diary", "export", "-o", str(target))
    assert not stale.exists()
    assert json.loads(target.read_text())["entries"][0]["note"] == "private"
    for path, text in keep.items():
        assert path.read_text() == text
    assert link.is_symlink() and victim.read_text() == "not ours to delete"


def test_a_copy_still_being_written_is_left_alone(tmp_path: Path) -> None:
    """A temporary file another export holds open (its lock is held) is not stale."""
    ok(tmp_path, "log", "--minutes", "2")
    target = tmp_path / "report.html"
    busy = tmp_path / ".report.html.12345678.tmp"
    with busy.open("w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        ok(tmp_path, "report", "--html", str(target))
        assert busy.exists()
    ok(tmp_path, "report", "--html", str(target))
    assert not busy.exists()


def test_a_killed_export_leaves_a_0600_copy_that_the_next_export_removes(tmp_path: Path) -> None:
    rows = "".join(f"2025-01-01T{n % 24:02d}:00:00+00:00,{n % 9},note {n}\n" for n in range(30000))
    ok(tmp_path, "diary", "import", "-", "--format", "csv", stdin="at,minutes,note\n" + rows)
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "CRAMPCLI_HOME": str(tmp_path / "home"), "CC": str(INSTALLED)}
    env["CRAMPCLI_CACHE_DIR"] = str(tmp_path / "cache")
    script = f'umask 777; exec "$CC" diary export -o {out / "backup.json"}'
    child = subprocess.Popen(["sh", "-c", script], env=env, stdin=subprocess.DEVNULL)
    left: list[Path] = []
    try:
        while child.poll() is None and not (left := list(out.glob(".backup.json.*.tmp"))):
            pass
        child.kill()  # SIGKILL, mid-write
    finally:
        child.wait()
    if child.returncode == 0:
        pytest.skip("the export finished before it could be killed")
    [copy] = left
    assert stat.S_IMODE(copy.lstat().st_mode) == 0o600
    ok(tmp_path, "diary", "export", "-o", str(out / "backup.json"))
    assert sorted(p.name for p in out.iterdir()) == ["backup.json"]


# C3. Private files are 0600 and folders 0700, whatever the umask ---------------------------


def _tree(root: Path) -> Iterator[tuple[Path, int]]:
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            yield path, stat.S_IMODE(path.lstat().st_mode)


@pytest.mark.parametrize("umask", ["777", "277"])
def test_private_files_are_0600_and_folders_0700_whatever_the_umask(
    tmp_path: Path, umask: str
) -> None:
    home, cache = tmp_path / "data" / "a" / "home", tmp_path / "caches" / "b" / "cache"
    script = " && ".join(
        [
            f"umask {umask}",
            '"$CC" log --minutes 2 --note "private"',
            '"$CC" diary',
            '"$CC" prevent --brief',
            '"$CC" diary export -o "$OUT/export.json"',
            '"$CC" report --html "$OUT/report.html"',
            '"$CC" diary backup "$OUT/backup.sqlite3"',
            '"$CC" diary stats',
        ]
    )
    out = tmp_path / "out"
    out.mkdir()
    result = subprocess.run(
        ["sh", "-c", script],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={
            **os.environ,
            "CC": str(INSTALLED),
            "OUT": str(out),
            "CRAMPCLI_HOME": str(home),
            "CRAMPCLI_CACHE_DIR": str(cache),
            "NO_COLOR": "1",
        },
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    made = [*_tree(tmp_path / "data"), *_tree(tmp_path / "caches"), *_tree(out)]
    assert any(p.name == "diary.sqlite3" for p, _ in made)
    assert any(p.parent.name == "render" for p, _ in made)  # the cache was written too
    wrong = [
        f"{oct(mode)} {p}" for p, mode in made if mode != (0o700 if p.is_dir() else 0o600)
    ]
    assert wrong == []


def test_a_note_answered_at_the_prompt_is_kept_as_typed(tmp_path: Path) -> None:
    import pexpect

    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "xterm", "TZ": "UTC"}
    env.update(CRAMPCLI_HOME=str(tmp_path / "home"), CRAMPCLI_CACHE_DIR=str(tmp_path / "cache"))
    child = pexpect.spawn(str(INSTALLED), ["log"], env=env, encoding="utf-8", timeout=10)
    child.expect_exact("When? (Enter: now")
    while True:
        child.sendline("")
        if child.expect_exact(["Anything else?", "?"]) == 0:
            break
    child.sendline("  two spaces around  ")
    child.expect_exact("Logged #1")
    child.expect(pexpect.EOF)
    child.close()
    assert entries(tmp_path)[0]["note"] == "  two spaces around  "


def test_a_knowledge_base_made_under_umask_777_stays_usable_by_its_owner(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_text("Night cramps in runners\n\nRunners often get calf cramps at night.\n")
    kb = tmp_path / "kb.json"
    script = f'umask 777; exec "$CC" import {seed} --into {kb}'
    env = {**os.environ, "CC": str(INSTALLED), "CRAMPCLI_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for made in (kb, tmp_path / ".kb.json.lock"):  # not private: owner's bits, the umask's rest
        assert stat.S_IMODE(made.stat().st_mode) == 0o600
