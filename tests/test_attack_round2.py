"""The second attack round (issue 20): nothing a file, a clock, a disk, another user or a
million entries does loses data, leaks it, or tells a lie. One test (or more) per point."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import INSTALLED, installed

HEX = "0123456789abcdef"


def crampcli(tmp_path: Path, *args: str, stdin: str | None = None, **env: str):
    """The installed command with its own diary and cache in ``tmp_path``."""
    return installed(
        *args,
        stdin=stdin,
        CRAMPCLI_HOME=str(tmp_path / "home"),
        CRAMPCLI_CACHE_DIR=str(tmp_path / "cache"),
        **env,
    )


# 1. The render cache deletes only what it wrote, never through a symlink ----------------------


def test_the_render_cache_never_deletes_files_it_did_not_write(tmp_path: Path) -> None:
    folder = tmp_path / "proj" / "render"
    folder.mkdir(parents=True, mode=0o700)
    folder.chmod(0o700)
    for n in range(300):
        (folder / f"notes-{n}.txt").write_text("mine")
    result = installed("prevent", "--brief", CRAMPCLI_CACHE_DIR=str(tmp_path / "proj"))
    assert result.returncode == 0
    assert len([p for p in folder.iterdir() if p.name.startswith("notes-")]) == 300


def test_a_render_symlink_in_a_shared_cache_folder_is_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir(mode=0o700)
    for n in range(300):
        (victim / f"{n:024x}").write_text("precious")  # even names the cache would use
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    (shared / "render").symlink_to(victim)
    for command in ("prevent", "causes", "search"):
        installed(
            command, "--brief" if command != "search" else "calf", CRAMPCLI_CACHE_DIR=str(shared)
        )
    assert len(list(victim.iterdir())) == 300
    assert (shared / "render").is_symlink()


# 2. Code identity comes from content, not size and mtime ---------------------------------------


def test_an_upgrade_that_keeps_sizes_and_times_is_new_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli import rendercache

    package = tmp_path / "crampcli"
    shutil.copytree(rendercache._PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(rendercache, "_PACKAGE", str(package))
    before = rendercache.key(["causes"])
    module = package / "errors.py"
    info = module.stat()
    text = module.read_bytes()
    module.write_bytes(text.replace(b"a", b"b", 1))  # same size
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))  # same time
    assert module.stat().st_size == info.st_size
    assert rendercache.key(["causes"]) != before


# 3. Privacy: `cache clear`, and wipe says what it does not remove ---------------------------


def test_cache_clear_removes_the_cached_pages_and_nothing_else(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert crampcli(tmp_path, "meds", "atorvastatin").returncode == 0
    assert crampcli(tmp_path, "search", "statin", "cramps").returncode == 0
    render = cache / "render"
    assert len(list(render.iterdir())) == 2
    (cache / "mine.txt").write_text("keep")
    (render / "mine.txt").write_text("keep")
    result = crampcli(tmp_path, "cache", "clear")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in render.iterdir()) == ["mine.txt"]
    assert (cache / "mine.txt").read_text() == "keep"
    assert not any(b"statin" in p.read_bytes() for p in cache.rglob("*") if p.is_file())


def test_wipe_says_what_it_does_not_remove(tmp_path: Path) -> None:
    assert crampcli(tmp_path, "log", "--minutes", "2").returncode == 0
    result = crampcli(tmp_path, "diary", "wipe", "--yes")
    assert result.returncode == 0
    assert "Deleted" in result.stderr
    assert "cache clear" in result.stderr and "export" in result.stderr


def test_the_privacy_page_says_what_is_stored_where() -> None:
    from conftest import REPO

    page = (REPO / "docs" / "privacy.md").read_text(encoding="utf-8")
    for words in ("diary.sqlite3", "render", "crampcli cache clear", "diary wipe", "0600"):
        assert words in page


# 4. Missing parents are made private whatever the umask ------------------------------------


@pytest.mark.parametrize("command", [("log", "--minutes", "1"), ("prevent", "--brief")])
def test_missing_parents_are_made_0700_under_umask_000(tmp_path: Path, command: tuple) -> None:
    home = tmp_path / "user"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "NO_COLOR": "1"}
    for name in ("CRAMPCLI_HOME", "CRAMPCLI_CACHE_DIR", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env.pop(name, None)
    subprocess.run(
        ["sh", "-c", 'umask 000; exec "$0" "$@"', str(INSTALLED), *command],
        env=env,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=True,
    )
    made = [p for p in home.rglob("*") if p.is_dir()]
    assert made
    for folder in made:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


# 5. A symlinked diary: created 0600, and wiped for real -------------------------------------


def test_a_dangling_symlink_as_the_diary_makes_a_private_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    target = tmp_path / "elsewhere.sqlite3"
    (home / "diary.sqlite3").symlink_to(target)
    assert crampcli(tmp_path, "log", "--minutes", "2").returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_wipe_on_a_symlinked_diary_removes_the_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    target = tmp_path / "synced" / "diary.sqlite3"
    target.parent.mkdir()
    (home / "diary.sqlite3").symlink_to(target)
    assert crampcli(tmp_path, "log", "--note", "secret words").returncode == 0
    result = crampcli(tmp_path, "diary", "wipe", "--yes")
    assert result.returncode == 0, result.stderr
    assert not target.exists() and not (home / "diary.sqlite3").is_symlink()
    assert list(target.parent.iterdir()) == []
    assert str(target) in result.stderr


# 6. Export and HTML report: a new 0600 file, never into someone else's file or symlink -------


def _logged(tmp_path: Path) -> None:
    assert crampcli(tmp_path, "log", "--minutes", "2", "--note", "private").returncode == 0


@pytest.mark.parametrize("args", [("diary", "export", "-o"), ("report", "--html")])
def test_an_existing_0666_file_is_replaced_by_a_new_private_one(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    _logged(tmp_path)
    planted = tmp_path / "out.json" if args[0] == "diary" else tmp_path / "out.html"
    planted.write_text("planted")
    planted.chmod(0o666)
    inode = planted.stat().st_ino
    result = crampcli(tmp_path, *args, str(planted))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(planted.stat().st_mode) == 0o600
    assert planted.stat().st_ino != inode  # a new file, not the planted one written into


def _as_other_user_symlink(link: Path, target: Path) -> None:
    link.symlink_to(target)
    os.lchown(link, 65534, 65534)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a symlink another user owns needs root")
@pytest.mark.parametrize("args", [("diary", "export", "-o"), ("report", "--html")])
def test_a_symlink_someone_else_owns_is_refused(tmp_path: Path, args: tuple[str, ...]) -> None:
    _logged(tmp_path)
    theirs = tmp_path / "theirs.txt"
    theirs.write_text("theirs")
    link = tmp_path / ("out.json" if args[0] == "diary" else "out.html")
    _as_other_user_symlink(link, theirs)
    result = crampcli(tmp_path, *args, str(link))
    assert result.returncode == 1
    assert "symlink" in result.stderr and "Traceback" not in result.stderr
    assert theirs.read_text() == "theirs" and link.is_symlink()


def test_a_symlink_you_own_is_followed_to_a_private_file(tmp_path: Path) -> None:
    _logged(tmp_path)
    target = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert crampcli(tmp_path, "diary", "export", "-o", str(link)).returncode == 0
    assert link.is_symlink() and json.loads(target.read_text())["entries"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


# 7. CSV formula injection; 8. terminal and document escapes ---------------------------------

EVIL = '=HYPERLINK("http://x")'
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"


def _evil_entry(tmp_path: Path) -> None:
    result = crampcli(
        tmp_path,
        "log",
        "--minutes",
        "2",
        "--trigger",
        "+cmd|' /C calc'!A0",
        "--helped",
        "-2+3",
        "--medicine",
        "@SUM(1)",
        "--note",
        f"{EVIL}\n#2 fake entry {OSC52}\x1b]0;title\x07\x1bc\x9b31m\u202eevil",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("args", [("diary", "--csv"), ("diary", "export", "--format", "csv")])
def test_csv_cells_never_start_a_formula_nor_hold_escapes(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    _evil_entry(tmp_path)
    out = crampcli(tmp_path, *args).stdout
    for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert bad not in out
    [row] = list(csv.DictReader(io.StringIO(out)))
    for name in ("note", "triggers", "helped", "medicines"):
        assert row[name][:1] not in ("=", "+", "-", "@"), row[name]
        assert row[name].startswith("'")
    # and what was typed comes back on import (the ' in front is taken off again)
    before = json.loads(crampcli(tmp_path, "diary", "export", "--format", "json").stdout)
    other = tmp_path / "other"
    other.mkdir()
    assert crampcli(other, "diary", "import", "-", "--format", "csv", stdin=out).returncode == 0
    after = json.loads(crampcli(other, "diary", "export", "--format", "json").stdout)
    [old], [new] = before["entries"], after["entries"]
    for name in ("triggers", "helped", "medicines"):
        assert old[name] == new[name]
    assert new["note"].startswith(EVIL)  # the formula is kept, as text


def test_the_json_export_escapes_c1_and_bidi_and_stays_lossless(tmp_path: Path) -> None:
    _evil_entry(tmp_path)
    out = crampcli(tmp_path, "diary", "export", "--format", "json").stdout
    for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert bad not in out
    assert "\\u202e" in out and "\\u009b" in out
    [entry] = json.loads(out)["entries"]
    assert "\x9b31m\u202eevil" in entry["note"]


def test_a_note_with_a_newline_never_prints_a_fake_entry_on_a_terminal(tmp_path: Path) -> None:
    _evil_entry(tmp_path)
    out = crampcli(tmp_path, "diary", FORCE_COLOR="1").stdout  # as on a terminal
    assert [line for line in out.splitlines() if line.startswith("#")] == [out.splitlines()[0]]
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out


# 9. An import racing a `log` is told apart from a damaged diary ---------------------------


def test_an_import_racing_a_log_is_never_called_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime, timezone

    from conftest import run
    from crampcli.diary import store
    from crampcli.diary.model import Cramp

    real_write = store.Diary.transaction
    raced: list[bool] = []

    def log_first(self: store.Diary):  # type: ignore[no-untyped-def]
        if not raced and self._db.execute("SELECT count(*) FROM _migrations").fetchone()[0]:
            raced.append(True)  # another crampcli logs just before the import writes
            with store.Diary.open(self.path) as other:
                other.add(Cramp(datetime.now(timezone.utc), minutes=9))
        return real_write(self)

    assert run("log", "--minutes", "1").exit_code == 0
    monkeypatch.setattr(store.Diary, "transaction", log_first)
    doc = {
        "format": "crampcli-diary",
        "version": 1,
        "entries": [{"id": 2, "at": "2026-01-01T00:00:00+00:00", "minutes": 3}],
    }
    (tmp_path / "in.json").write_text(json.dumps(doc))
    result = run("diary", "import", str(tmp_path / "in.json"))
    assert raced
    assert "damaged" not in result.stderr
    assert result.exit_code == 1 and "#2 is already in the diary" in result.stderr


# 10. A full disk says so and reads still work; a read-only file system can still be read ---

MOUNT = shutil.which("unshare") and shutil.which("mount")


def _in_own_mount(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    """``script`` (sh) in a private mount namespace with a 1 MiB tmpfs at $M."""
    mnt = tmp_path / "m"
    mnt.mkdir()
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if not MOUNT or probe.returncode != 0:
        pytest.skip("needs unshare -m and mount (root, or a user namespace)")
    env = {
        **os.environ,
        "M": str(mnt),
        "C": str(INSTALLED),
        "NO_COLOR": "1",
        "CRAMPCLI_HOME": str(mnt / "home"),
        "CRAMPCLI_CACHE_DIR": str(tmp_path / "cache"),
    }
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", f'mount -t tmpfs -o size=1m tmpfs "$M" && {script}'],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_a_full_disk_says_so_and_reads_still_work(tmp_path: Path) -> None:
    result = _in_own_mount(
        tmp_path,
        (
            '"$C" log --minutes 3 >/dev/null && '
            'dd if=/dev/zero of="$M/fill" bs=4k 2>/dev/null; '
            'echo "== diary"; "$C" diary; echo "rc=$?"; '
            'echo "== stats"; "$C" diary stats >/dev/null; echo "rc=$?"; '
            'echo "== log"; "$C" log --minutes 4 2>&1; echo "rc=$?"'
        ),
    )
    out = result.stdout
    assert "== diary\n#1 " in out and out.count("rc=0") == 2, out + result.stderr
    log = out.split("== log")[1]
    assert "disk is full" in log and "damaged" not in out and "rc=1" in log


def test_a_read_only_file_system_can_still_be_read(tmp_path: Path) -> None:
    result = _in_own_mount(
        tmp_path,
        (
            '"$C" log --minutes 3 >/dev/null && mount -o remount,ro "$M" && '
            'for a in "diary" "diary stats" "diary export" "report"; do '
            '$C $a >/dev/null || echo "failed: $a"; done; "$C" log --minutes 2; echo "log rc=$?"'
        ),
    )
    assert "failed" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert "log rc=1" in result.stdout and "read-only" in result.stderr


# 11. A FIFO as the diary path never hangs --------------------------------------------------


@pytest.mark.parametrize(
    "args", [("diary",), ("log", "--minutes", "1"), ("diary", "stats"), ("diary", "wipe", "--yes")]
)
def test_a_fifo_as_the_diary_is_refused_at_once(tmp_path: Path, args: tuple[str, ...]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    os.mkfifo(home / "diary.sqlite3")
    result = crampcli(tmp_path, *args)  # installed() times out (a failure) after 60 s
    assert result.returncode == 1
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr
    assert stat.S_ISFIFO((home / "diary.sqlite3").stat().st_mode)


# 12. Imported ids and dates the diary cannot hold: bad rows with their place, nothing added --


def _import(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "in.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return crampcli(tmp_path, "diary", "import", str(path))


AT = '"at": "2026-01-01T00:00:00+00:00"'


@pytest.mark.parametrize(
    "entry",
    [
        '{"id": 9223372036854775807, ' + AT + "}",
        '{"id": 9223372036854775808, ' + AT + "}",
        '{"id": -3, ' + AT + "}",
        '{"id": 0, ' + AT + "}",
        '{"at": "0001-01-01T00:00:00+00:00"}',
        '{"at": "9999-12-31T23:00:00+00:00"}',
        '{"at": "0001-01-01T00:00:00+23:59"}',
        '{"note": "\\ud800", ' + AT + "}",
        '{"minutes": 1' + "0" * 5000 + ", " + AT + "}",
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=[
        "id-2^63-1",
        "id-2^63",
        "negative-id",
        "id-0",
        "year-1",
        "year-9999",
        "offset",
        "surrogate",
        "5000-digits",
        "deep",
    ],
)
def test_import_reports_what_it_cannot_store_and_adds_nothing(tmp_path: Path, entry: str) -> None:
    assert crampcli(tmp_path, "log", "--minutes", "1").returncode == 0
    doc = '{"format": "crampcli-diary", "version": 1, "entries": [' + AT.join(["{", "}"]) + ", "
    result = _import(tmp_path, doc + entry + "]}")
    assert result.returncode == 1, result.stderr
    assert "nothing imported" in result.stderr and "Traceback" not in result.stderr
    assert "entry 2" in result.stderr or "not JSON" in result.stderr
    listed = json.loads(crampcli(tmp_path, "diary", "--json").stdout)["entries"]
    assert len(listed) == 1
    assert crampcli(tmp_path, "log", "--minutes", "2").returncode == 0  # later logs still work
    assert crampcli(tmp_path, "diary", "stats").returncode == 0


def test_a_null_woke_means_not_woken(tmp_path: Path) -> None:
    doc = {
        "format": "crampcli-diary",
        "version": 1,
        "entries": [{"at": "2026-01-01T00:00:00+00:00", "woke": None}],
    }
    assert _import(tmp_path, json.dumps(doc)).returncode == 0
    [entry] = json.loads(crampcli(tmp_path, "diary", "--json").stdout)["entries"]
    assert entry["woke"] is False


# 13. Huge or odd values on the command line are usage errors (exit 2), never exit 70 --------


@pytest.mark.parametrize(
    "args",
    [
        ("log", "--at", "999999999 days ago"),
        ("log", "--at", "0001-01-01"),
        ("diary", "--limit", "100000000000000000000"),
        ("diary", "--since", "99999999999 weeks ago"),
        ("diary", "edit", "100000000000000000000", "--minutes", "2"),
        ("diary", "delete", "100000000000000000000", "--yes"),
        ("report", "--html", ""),
        ("diary", "export", "-o", ""),
        ("diary", "export", "-o", "/"),
    ],
)
def test_odd_values_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    assert crampcli(tmp_path, "log", "--minutes", "1").returncode == 0
    result = crampcli(tmp_path, *args)
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("option", ["--note", "--trigger", "--medicine"])
def test_arguments_that_are_not_utf8_are_a_usage_error(tmp_path: Path, option: str) -> None:
    env = {**os.environ, "CRAMPCLI_HOME": str(tmp_path / "home"), "NO_COLOR": "1"}
    result = subprocess.run(
        [os.fsencode(INSTALLED), b"log", option.encode(), b"\xff\xfe"],
        capture_output=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert b"UTF-8" in result.stderr and b"internal error" not in result.stderr


# 16. validate: impossible dates, NaN and Infinity, references to the wrong kind -------------


def _kb_with(tmp_path: Path, kb_doc: dict, change) -> Path:  # type: ignore[no-untyped-def]
    change(kb_doc)
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(kb_doc), encoding="utf-8")  # NaN and Infinity as JSON writes them
    return path


def _first(kb_doc: dict, kind: str) -> dict:  # type: ignore[type-arg]
    return next(e for e in kb_doc["entries"] if e["kind"] == kind)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.update(reviewed="9999-99-99"), "$.reviewed"),
        (lambda d: _first(d, "cause")["check"].update(prior=float("nan")), "finite"),
        (lambda d: _first(d, "cause")["check"].update(prior=float("inf")), "finite"),
        (
            lambda d: _first(d, "cause").__setitem__("helps", [_first(d, "red-flag")["id"]]),
            "helps names relief or prevention",
        ),
        (
            lambda d: _first(d, "relief").__setitem__("sources", [_first(d, "cause")["id"]]),
            "sources names article or reference",
        ),
    ],
    ids=["impossible-date", "nan-prior", "infinite-prior", "helps-a-red-flag", "source-a-cause"],
)
def test_validate_refuses_what_would_mislead(
    tmp_path: Path,
    kb_doc: dict,
    change,
    words: str,  # type: ignore[no-untyped-def]
) -> None:
    from conftest import run

    path = _kb_with(tmp_path, kb_doc, change)
    result = run("validate", str(path))
    assert result.exit_code == 1, result.stdout
    assert words in result.stdout
    check = run("--data", str(path), "check", "--when", "night", "--json")
    assert check.exit_code == 1 and "NaN" not in check.stdout


# 17. A JSON backup of any size the export writes imports back (streamed) --------------------


def test_a_json_backup_over_256_mib_imports_back(tmp_path: Path) -> None:
    entry = '{"at": "2026-01-0%dT03:00:00+00:00", "minutes": 2.5}'
    path = tmp_path / "big.json"
    with path.open("w", encoding="utf-8") as f:
        f.write('{"format": "crampcli-diary", "version": 1, "entries": [' + entry % 1 + ",")
        pad = (" " * 1023 + "\n") * 1024
        for _ in range(260):  # 260 MiB of white space between the entries: valid JSON
            f.write(pad)
        f.write(entry % 2 + "]}\n")
    assert path.stat().st_size > 256 << 20
    result = crampcli(tmp_path, "diary", "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "Imported 2 entries" in result.stdout + result.stderr


def test_an_export_read_in_tiny_chunks_imports_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import run
    from crampcli.diary import jsonstream

    for n in range(1, 6):
        args = ("log", "--at", f"2026-01-0{n}T03:00", "--minutes", str(n * 1.25), "--pain", "7")
        assert run(*args, "--note", f'n\u00e9{n}\n"q"', "--trigger", "a b").exit_code == 0
    exported = run("diary", "export", "--format", "json").stdout
    path = tmp_path / "backup.json"
    path.write_text(exported, encoding="utf-8")
    monkeypatch.setattr(jsonstream, "CHUNK", 7)  # every value is cut by a chunk's end
    monkeypatch.setenv("CRAMPCLI_HOME", str(tmp_path / "other"))
    result = run("diary", "import", str(path))
    assert result.exit_code == 0, result.stderr
    assert run("diary", "export", "--format", "json").stdout == exported


# The sdist's tests run without the repository around them ---------------------------------


@pytest.mark.slow
def test_the_sdist_holds_what_its_tests_read(tmp_path: Path) -> None:
    import tarfile

    from conftest import REPO

    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    [sdist] = tmp_path.glob("crampcli-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert ".ci/run" in names and "docs/privacy.md" in names


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo"])
def test_a_diary_holding_year_1_or_9999_still_lists(tmp_path: Path, zone: str) -> None:
    """Rows an older crampcli imported: left out of listings and stats, kept in exports."""
    import sqlite3

    assert crampcli(tmp_path, "log", "--minutes", "1").returncode == 0
    with sqlite3.connect(tmp_path / "home" / "diary.sqlite3") as db:
        for at in ("0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00"):
            db.execute("INSERT INTO cramps (at, logged) VALUES (?, ?)", (at, at))
    for args in (("diary",), ("diary", "stats")):
        result = crampcli(tmp_path, *args, TZ=zone)
        assert result.returncode == 0, result.stderr
    exported = json.loads(crampcli(tmp_path, "diary", "export", TZ=zone).stdout)
    assert len(exported["entries"]) == 3
