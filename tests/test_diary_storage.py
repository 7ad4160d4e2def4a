"""Issue 12: nothing is ever lost. 20 processes at once, kill -9 in a write, corrupt and
foreign files, a read-only folder; export/import round trips; the doctor report, parsed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from test_diary import CRAMPCLI, FULL, cc, entries, ok

pytestmark = pytest.mark.skipif(not CRAMPCLI.exists(), reason="crampcli is not installed")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_twenty_processes_logging_at_once_all_land(home: Path) -> None:
    env = {**os.environ, "CRAMPCLI_HOME": str(home), "TZ": "UTC"}
    procs = [
        subprocess.Popen(
            [str(CRAMPCLI), "log", "--minutes", str(n)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(20)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    assert all(code == 0 for code, _, _ in results), [err for _, _, err in results]
    assert sorted(e["minutes"] for e in entries(home)) == list(range(20))
    assert sorted(e["id"] for e in entries(home)) == list(range(1, 21))


HOLD_WRITE = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
for n in range(500):
    db.execute("INSERT INTO cramps (at, logged, note) VALUES ('2026-01-01T00:00:00+00:00', "
               "'2026-01-01T00:00:00+00:00', 'half-written')")
print("holding", flush=True)
time.sleep(60)
"""


def test_kill_9_in_a_write_keeps_every_earlier_entry(home: Path) -> None:
    for n in range(3):
        ok(home, "log", "--minutes", str(n + 1))
    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE, str(home / "diary.sqlite3")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdout.readline() == "holding\n"
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert [e["minutes"] for e in entries(home)] == [1, 2, 3]
    ok(home, "log", "--minutes", "4")  # the lock died with the process
    assert [e["minutes"] for e in entries(home)] == [1, 2, 3, 4]


def _foreign_db(path: Path) -> None:
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE people (name TEXT)")
    db.execute("INSERT INTO people VALUES ('someone')")
    db.commit()
    db.close()


@pytest.mark.parametrize(
    "make",
    [
        lambda p: (p.parent.mkdir(parents=True), p.write_bytes(os.urandom(5000))),
        lambda p: (p.parent.mkdir(parents=True), p.write_bytes(b"SQLite format 3\x00" + bytes(9))),
        lambda p: (p.parent.mkdir(parents=True), p.write_text("my notes\n", encoding="utf-8")),
        _foreign_db,
    ],
    ids=["random-bytes", "damaged-sqlite", "text-file", "foreign-database"],
)
@pytest.mark.parametrize(
    "command", [("log", "--minutes", "2"), ("diary",), ("diary", "wipe", "--yes")]
)
def test_a_file_that_is_not_our_diary_is_refused_and_left_as_it_is(
    home: Path, make: Any, command: tuple[str, ...]
) -> None:
    path = home / "diary.sqlite3"
    make(path)
    before = path.read_bytes()
    result = cc(home, *command)
    assert result.returncode == 1, result.stderr
    assert str(path) in result.stderr and "left as it is" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in home.iterdir()) == ["diary.sqlite3"]


def _as_nobody(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``crampcli ARGS`` as another user when running as root (root writes through read-only
    modes), with its diary in ``home``."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        _skip_unless_runnable_by(prefix)
    env = {**os.environ, "CRAMPCLI_HOME": str(home), "HOME": str(home.parent)}
    return subprocess.run(
        [*prefix, str(CRAMPCLI), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def _skip_unless_runnable_by(prefix: list[str]) -> None:
    """Skip, saying why, when the other user cannot run this checkout's crampcli at all: its
    interpreter or code sits under a folder only we may enter (a clone in a 0700 home)."""
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import crampcli.cli"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or ["no reason given"])[-1]
        pytest.skip(
            f"uid 65534 cannot run {sys.executable} with this checkout (a parent folder is "
            f"private to us?): {reason}"
        )


def test_read_only_folder_gives_a_clear_error_and_keeps_the_diary(open_dir: Path) -> None:
    home = open_dir / "home"
    ok(home, "log", "--minutes", "3")
    path = home / "diary.sqlite3"
    path.chmod(0o644)  # readable by the other user, writable by nobody else
    home.chmod(0o555)
    before = path.read_bytes()
    try:
        result = _as_nobody(home, "log", "--minutes", "4")
    finally:
        home.chmod(0o755)
    assert result.returncode == 1, result.stderr
    # Another user's diary is refused before anything is tried (attack round 3, F3).
    assert "belongs to someone else" in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert [e["minutes"] for e in entries(home)] == [3]


def test_no_diary_in_a_read_only_folder_gives_a_clear_error(open_dir: Path) -> None:
    home = open_dir / "home"
    home.mkdir(mode=0o555)
    result = _as_nobody(home, "log", "--minutes", "4")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    # Someone else's folder is refused before anything is tried (attack round 4, F1).
    assert str(home) in result.stderr and "belongs to someone else" in result.stderr
    assert list(home.iterdir()) == []


# --- export and import ---------------------------------------------------------------------

TRICKY = 'comma, "quotes", a\nnew line, tab\t, ünïcode ✓ and 🦵'


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_import_round_trip_is_lossless(tmp_path: Path, fmt: str) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    ok(first, "log", *FULL, "--at", "2026-01-02T03:04:05Z")
    ok(
        first,
        "log",
        "--minutes",
        "0.1",
        "--note",
        TRICKY,
        "--medicine",
        "atorvastatin 20mg",
        "--medicine",
        "Lasix",
        "--sleep",
        "8",
        "--at",
        "yesterday 23:59",
    )
    ok(first, "log", "--at", "yesterday")  # a day without a time: kept so both ways
    ok(first, "diary", "delete", "3", "--yes")  # ids with a gap
    ok(first, "log", "--leg", "both")
    exported = ok(first, "diary", "export", "--format", fmt)
    path = tmp_path / f"diary.{fmt}"
    path.write_text(exported, encoding="utf-8")
    assert "Imported 3 entries" in " ".join(ok(second, "diary", "import", str(path)).split())
    assert ok(second, "diary", "export", "--format", fmt) == exported
    assert entries(second) == entries(first)
    again = " ".join(ok(second, "diary", "import", str(path)).split())
    assert "Imported 0 entries" in again and "3 already in the diary" in again  # idempotent
    assert len(entries(second)) == 3


def test_csv_round_trips_the_longest_notes_and_items_whatever_their_escapes(
    tmp_path: Path,
) -> None:
    """The limits (2,000 characters a note, 200 an item) apply to the text as typed, not to
    its CSV escapes, which can be six times longer: every entry the diary holds comes back."""
    first, second = tmp_path / "a", tmp_path / "b"
    notes = [("line\r\n" * 333)[:-2], "\u202e" * 2000, "\\" * 2000, "\x1b\\x1b" * 400]
    rows = [
        {"at": f"2026-12-0{n + 1}T03:00:00+00:00", "note": note, "triggers": [note[:200]]}
        for n, note in enumerate(notes)
    ]
    doc = tmp_path / "long.json"
    doc.write_text(json.dumps({"format": "crampcli-diary", "version": 1, "entries": rows}))
    ok(first, "diary", "import", str(doc))
    csv_file = tmp_path / "long.csv"
    csv_file.write_text(ok(first, "diary", "export", "--format", "csv"), encoding="utf-8")
    assert "Imported 4 entries" in " ".join(ok(second, "diary", "import", str(csv_file)).split())
    assert [e["note"] for e in entries(second)] == notes == [e["note"] for e in entries(first)]
    assert entries(second) == entries(first)


def test_export_to_a_file_is_private(home: Path, tmp_path: Path) -> None:
    ok(home, "log", "--minutes", "2")
    out = tmp_path / "backup.csv"
    ok(home, "diary", "export", "-o", str(out))
    assert out.stat().st_mode & 0o777 == 0o600 and out.read_text().startswith("id,at,")


def test_a_file_name_that_does_not_say_the_format(home: Path, tmp_path: Path) -> None:
    ok(home, "log", "--minutes", "2")
    backup = tmp_path / "backup"  # no ending: export writes JSON, import looks inside
    ok(home, "diary", "export", "-o", str(backup))
    assert json.loads(backup.read_text())["format"] == "crampcli-diary"
    as_csv = ok(home, "diary", "export", "--format", "csv")
    for n, (name, text) in enumerate((("backup", None), ("-", as_csv))):
        other = tmp_path / f"other{n}"
        done = cc(other, "diary", "import", str(backup) if text is None else name, stdin=text)
        assert done.returncode == 0 and "Imported 1 entry" in done.stdout, done.stderr
    odd = cc(home, "diary", "export", "-o", str(tmp_path / "backup.xml"))
    assert odd.returncode == 2 and "--format csv" in odd.stderr
    assert not (tmp_path / "backup.xml").exists()
    bad = cc(home, "diary", "export", "--format", "xml")
    assert bad.returncode == 2 and bad.stderr.startswith("crampcli: invalid value for '--format'")


def test_export_to_a_fifo_writes_through_and_keeps_the_fifo(home: Path, tmp_path: Path) -> None:
    import stat

    ok(home, "log", "--minutes", "2")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    try:
        ok(home, "diary", "export", "--format", "csv", "-o", str(fifo))
        got, _ = reader.communicate(timeout=30)
    finally:
        reader.kill()  # a FIFO replaced by a file leaves cat waiting for a writer
    assert got.startswith("id,at,")
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # never replaced by a file


BAD_CSV = """id,at,leg,where,minutes,pain,woke,sleep,triggers,helped,medicines,note,logged
,2026-01-01T03:00:00+00:00,left,calf,3,7,yes,,,,,,
,2026-01-02T03:00:00+00:00,left,calf,3,11,yes,,,,,,
,2026-01-03T03:00:00+00:00,middle,calf,3,7,yes,,,,,,
,not a time,left,calf,3,7,yes,,,,,,
,2026-01-04T03:00:00+00:00,left,calf,three,7,yes,,,,,,
"""


def test_import_reports_bad_rows_by_line_and_adds_nothing(home: Path, tmp_path: Path) -> None:
    ok(home, "log", "--minutes", "1")
    before = entries(home)
    path = tmp_path / "bad.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    result = cc(home, "diary", "import", str(path))
    assert result.returncode == 1 and "nothing imported" in result.stderr
    for line, field in ((3, "pain"), (4, "leg"), (5, "at"), (6, "minutes")):
        assert f"line {line}: {field}" in result.stderr
    assert "line 2" not in result.stderr
    assert entries(home) == before


def test_import_json_problems_by_entry(home: Path, tmp_path: Path) -> None:
    doc = {
        "format": "crampcli-diary",
        "version": 1,
        "entries": [{"at": "2026-01-01T03:00:00+00:00", "pain": "7"}, {"leg": "left"}],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = cc(home, "diary", "import", str(path))
    assert result.returncode == 1
    assert "entry 1: pain" in result.stderr and "entry 2: at" in result.stderr
    assert cc(home, "diary", "import", str(tmp_path / "none.json")).returncode == 1


def test_undo_takes_back_a_whole_import(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "good.csv"
    path.write_text(BAD_CSV.splitlines()[0] + "\n" + BAD_CSV.splitlines()[1] + "\n")
    ok(home, "log", "--minutes", "9")
    ok(home, "diary", "import", str(path))
    assert len(entries(home)) == 2
    assert "import" in ok(home, "diary", "undo")
    assert [e["minutes"] for e in entries(home)] == [9]


# --- the doctor report ---------------------------------------------------------------------


def _logged(home: Path) -> None:
    ok(home, "log", *FULL, "--at", "3 days ago")
    ok(
        home,
        "log",
        "--minutes",
        "12",
        "--pain",
        "9",
        "--leg",
        "right",
        "--at",
        "2 days ago",
        "--helped",
        "wall-stretch",
        "--note",
        "<script>alert(1)</script> [x](http://evil.test)",
    )
    ok(home, "log", "--minutes", "2", "--medicine", "paracetamol", "--at", "1h ago")


def test_report_markdown(home: Path) -> None:
    _logged(home)
    text = ok(home, "report")
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "Warning signs in this period",
        "How often",
        "How long, how bad, when",
        "Medicines named in the diary",
        "What was tried",
        "Entries",
        "Questions to ask",
    ]
    assert text.startswith("# Leg cramp diary, ") and "not a diagnosis" in text
    assert "3 cramps in 4 weeks" in text and "longest 12 min" in text
    assert "Cramp lasting over 10 minutes" in text and "crampcli show" not in text
    assert "wall-stretch: 2 times (67% of cramps)" in text
    assert "Not in crampcli's list of medicines linked to cramps: paracetamol" in text
    assert "<script" not in text and "](http" not in text  # a note never becomes markup
    assert "weeks" in ok(home, "report", "--weeks", "1")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_report_html_is_self_contained(home: Path, tmp_path: Path) -> None:
    _logged(home)
    out = tmp_path / "report.html"
    result = cc(home, "report", "--html", str(out))
    assert result.returncode == 0 and result.stdout == "" and str(out) in result.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    page = _Page()
    page.feed(out.read_text(encoding="utf-8"))
    assert "script" not in page.tags and not {"img", "link", "iframe", "a"} & set(page.tags)
    assert not [v for _, v in page.attrs if v and ("http" in v or "//" in v)]
    assert not [k for k, _ in page.attrs if k in ("src", "href") or k.startswith("on")]
    text = "".join(page.text)
    assert "not a diagnosis" in text and "Questions to ask" in text
    assert "<script>alert(1)</script>" not in out.read_text()  # the note, escaped
    assert page.tags.count("h2") == 7 and page.tags.count("svg") == 2
    assert "code" not in page.tags and "`" not in text


def test_report_names_medicines_linked_to_cramps(home: Path) -> None:
    ok(home, "log", "--medicine", "Lipitor", "--medicine", "paracetamol")
    ok(home, "log", "--medicine", "atorvastatn", "--medicine", "atorvastatin")
    text = ok(home, "report")
    link = "a possible link to cramps (less certain); Statins (cholesterol medicines)"
    assert f"- Lipitor (atorvastatin): {link}" in text
    assert f"- atorvastatn (read as atorvastatin): {link}" in text  # a typo, said so
    assert f"- atorvastatin: {link}" in text  # the generic name, not said twice
    assert "never stop or change a prescribed medicine on your own" in text
    assert "medicines linked to cramps: paracetamol." in text


def test_a_full_disk_gives_a_clear_error_and_keeps_what_was_there(tmp_path: Path) -> None:
    # SQLite's own limit on pages stands in for a full disk: it fails the same way (SQLITE_FULL).
    from datetime import datetime, timezone

    from crampcli.diary.files import DiaryError
    from crampcli.diary.model import Cramp
    from crampcli.diary.store import Diary

    path = tmp_path / "diary.sqlite3"
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with Diary.open(path) as diary:
        diary.add(Cramp(at=moment, minutes=1))
        pages = diary._db.execute("PRAGMA page_count").fetchone()[0]
        diary._db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(DiaryError, match="the disk is full: nothing was written"):
            diary.add_all([Cramp(at=moment, note="x" * 1500) for _ in range(200)])
    with Diary.open(path) as diary:
        assert [c.minutes for c in diary.entries()] == [1]


def test_migrations_run_once_in_order_and_a_newer_diary_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.diary import store
    from crampcli.diary.files import DiaryError

    path = tmp_path / "diary.sqlite3"
    with store.Diary.open(path):
        pass
    ran: list[str] = []
    known = [name for name, _ in store.MIGRATIONS]

    def m002_test(db: sqlite3.Connection) -> None:
        ran.append("m002")
        db.execute("ALTER TABLE cramps ADD COLUMN extra TEXT")

    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, ("m999_test", m002_test)])
    for _ in range(2):
        with store.Diary.open(path) as diary:
            names = [r[0] for r in diary._db.execute("SELECT name FROM _migrations")]
    assert ran == ["m002"] and names == [*known, "m999_test"]
    monkeypatch.setattr(store, "MIGRATIONS", store.MIGRATIONS[:1])
    before = path.read_bytes()
    with pytest.raises(DiaryError, match="newer crampcli"):
        store.Diary.open(path)
    assert path.read_bytes() == before


# --- attack round 3: links and files another user planted ------------------------------------


def _nobody(*args: str) -> None:
    """Run a plain command (``ln -s``, ``touch``) as the other user: the attacker."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to act as another user")
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    subprocess.run([*prefix, *args], check=True, timeout=30, stdin=subprocess.DEVNULL)


@pytest.fixture
def shared(open_dir: Path) -> Path:
    """A sticky world-writable folder (like /tmp) where the other user plants things."""
    path = open_dir / "shared"
    path.mkdir()
    path.chmod(0o1777)
    return path


def test_export_refuses_a_chain_of_links_through_someone_elses(
    open_dir: Path, shared: Path
) -> None:
    home, victim = open_dir / "home", open_dir / "victim.txt"
    victim.write_text("secret")
    ok(home, "log", "--minutes", "3")
    _nobody("ln", "-s", str(victim), str(shared / "hop"))
    mine = open_dir / "mine.json"
    mine.symlink_to(shared / "hop")
    result = cc(home, "diary", "export", "-o", str(mine))
    assert result.returncode == 1 and "someone else owns" in result.stderr
    assert victim.read_text() == "secret"


def test_export_refuses_a_folder_that_is_someone_elses_link(open_dir: Path, shared: Path) -> None:
    home, folder = open_dir / "home", open_dir / "folder"
    folder.mkdir()
    (folder / "out.json").write_text("keep")
    ok(home, "log", "--minutes", "3")
    _nobody("ln", "-s", str(folder), str(shared / "sub"))
    result = cc(home, "diary", "export", "-o", str(shared / "sub" / "out.json"))
    assert result.returncode == 1 and "someone else owns" in result.stderr
    assert (folder / "out.json").read_text() == "keep"


def test_a_diary_file_someone_else_made_never_receives_notes(shared: Path) -> None:
    home = shared / "home"
    _nobody("mkdir", str(home))
    _nobody("sh", "-c", f"umask 0; : > {home / 'diary.sqlite3'}")
    result = cc(home, "log", "--minutes", "1", "--note", "private")
    assert result.returncode == 1 and "belongs to someone else" in result.stderr
    assert (home / "diary.sqlite3").read_bytes() == b""


def test_our_own_loose_diary_file_is_made_private(open_dir: Path) -> None:
    home = open_dir / "home"
    ok(home, "log", "--minutes", "3")
    (home / "diary.sqlite3").chmod(0o644)
    ok(home, "log", "--minutes", "4")
    assert (home / "diary.sqlite3").stat().st_mode & 0o777 == 0o600


def test_wipe_refuses_a_diary_link_someone_else_planted(open_dir: Path, shared: Path) -> None:
    victim_home, home = open_dir / "victim", shared / "home"
    ok(victim_home, "log", "--minutes", "3")
    _nobody("mkdir", str(home))
    _nobody("ln", "-s", str(victim_home / "diary.sqlite3"), str(home / "diary.sqlite3"))
    result = cc(home, "diary", "wipe", "--yes")
    assert result.returncode == 1 and "someone else owns" in result.stderr
    assert (victim_home / "diary.sqlite3").exists()
