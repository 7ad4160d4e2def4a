"""Issue 13, reliability and security: each test stands for an attack that broke crampcli once
(a hang, lost data, a crash, a forged cache believed). Work is bounded by construction and
checked with counters and memory peaks, never with a stopwatch."""

from __future__ import annotations

import contextlib
import errno
import json
import marshal
import os
import re
import stat
import subprocess
import sys
import threading
import tracemalloc
import zlib
from array import array
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, only_messages, run
from crampcli.answers import index_cache, search, text
from crampcli.answers.query import understand
from crampcli.answers.text import MAX_WORD_CHARS
from crampcli.knowledge import cache as cachemod
from crampcli.knowledge import importer, loading, reading
from crampcli.knowledge.model import NO_VOCABULARY
from crampcli.knowledge.validate import validate

MIB = 1024 * 1024
BIN = Path(sys.executable).parent


def crampcli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """The installed command in a subprocess (no terminal unless given), with extra ``env``;
    a generous timeout as a backstop, never as the measure."""
    full_env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **(env or {})}
    options: dict[str, Any] = {"stdin": subprocess.DEVNULL, "capture_output": True, **kwargs}
    if "stdout" in kwargs or "stderr" in kwargs:
        options.pop("capture_output")
        options.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [str(BIN / "crampcli"), *args], text=True, env=full_env, timeout=timeout, **options
    )


def one_line_error(result: subprocess.CompletedProcess[str], codes: tuple[int, ...]) -> str:
    assert result.returncode in codes, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    message = result.stderr.strip()
    assert message.startswith("crampcli: ") and len(message.splitlines()) == 1, message
    return message


# --- 2. long single-word queries ---------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> tuple[search.Index, loading.KnowledgeBase]:
    kb = loading.load(DATA)
    return search.build_index(kb.entries), kb


def peak_memory_of_search(bundled: tuple[search.Index, loading.KnowledgeBase], query: str) -> int:
    index, kb = bundled
    text.stem.cache_clear()  # what the stem cache keeps counts too
    tracemalloc.start()
    try:
        search.search(index, kb, query)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        text.stem.cache_clear()


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,  # every split point tried, every prefix kept: ~50 MiB before, 5 GB at 100k
        "abc" + "ness" * 2_500,  # "-ness" stripped by recursion: RecursionError, exit 70
        "leg" + "cramp" * 2_000,
        "\u00e9" * 10_000,
    ],
    ids=["x", "ness", "legcramp", "accents"],
)
def test_a_long_word_costs_no_more_than_its_own_bytes(
    bundled: tuple[search.Index, loading.KnowledgeBase], query: str
) -> None:
    assert peak_memory_of_search(bundled, query) < 1 * MIB


def test_a_long_word_is_not_looked_up_at_all() -> None:
    none = NO_VOCABULARY
    assert [c.said for c in understand("x" * 100 + " calcium", none).concepts] == ["calcium"]
    longest = "y" * MAX_WORD_CHARS
    assert [c.said for c in understand(longest, none).concepts] == [longest]


def test_stem_of_a_long_word_in_the_data_does_not_recurse() -> None:
    word = "abc" + "ness" * 5_000  # a knowledge base may hold one: indexing must not crash
    assert text.stem(word) == word  # too long to be a real word: kept as it is
    assert text.stem("abcnessness") == "abc"  # real-sized words stem as before


def test_longest_terms_of_the_bundled_data_are_searchable(
    bundled: tuple[search.Index, loading.KnowledgeBase],
) -> None:
    index, _ = bundled
    assert max(map(len, index.vocabulary)) < MAX_WORD_CHARS


def test_100k_letter_query_in_a_real_process_stays_small() -> None:
    """The issue's attack, as a user runs it: peak memory of the child, from the kernel."""
    probe = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, timeout=120)\n"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(BIN / "crampcli"), "search", "x" * 100_000],
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
    code, max_rss_kib = map(int, result.stdout.split())
    assert code == 0  # no match: an empty answer (crampcli help exit-codes)
    assert max_rss_kib * 1024 < 100 * MIB


# --- 3 and 4. import: concurrent writers, symlinks ---------------------------------------------


def article(tmp_path: Path, n: int) -> Path:
    """A small article in the seed format, made up for the test."""
    path = tmp_path / f"article-{n}.txt"
    path.write_text(
        f"Test note number {n}\n\nTest note number {n}\n\n"
        f"This made-up note {n} exists only to be imported. It says nothing medical.\n\n"
        "A second short paragraph.\n\n<<: previous page\n",
        encoding="utf-8",
    )
    return path


def ids_in(kb: Path) -> list[str]:
    doc = json.loads(kb.read_text(encoding="utf-8"))
    assert validate(doc) == []
    return [e["id"] for e in doc["entries"]]


def test_two_imports_at_once_both_land(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The read-modify-write window held open on purpose: without a lock, the second writer
    overwrites the first (last writer wins)."""
    kb = tmp_path / "mine.json"
    add = importer.add_article
    inside = threading.Barrier(2, timeout=2)

    def slow_add(*args: Any) -> str:
        with contextlib.suppress(threading.BrokenBarrierError):  # locked: the other waits
            inside.wait()
        return add(*args)

    monkeypatch.setattr(importer, "add_article", slow_add)
    threads = [
        threading.Thread(target=importer.import_file, args=(article(tmp_path, n), kb))
        for n in (1, 2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(ids_in(kb)) == ["test-note-number-1", "test-note-number-2"]


def test_many_processes_importing_into_one_file_lose_nothing(tmp_path: Path) -> None:
    kb = tmp_path / "mine.json"
    seeds = [article(tmp_path, n) for n in range(16)]
    procs = [
        subprocess.Popen(
            [str(BIN / "crampcli"), "import", str(seed), "--into", str(kb)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for seed in seeds
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * len(seeds), errors
    assert sorted(ids_in(kb)) == sorted(f"test-note-number-{n}" for n in range(16))


def test_into_a_symlink_writes_through_to_the_real_file(tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "kb.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)  # dangling until the first import creates the file
    for n in (1, 2):
        result = run("import", str(article(tmp_path, n)), "--into", str(link))
        assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert ids_in(real) == ["test-note-number-1", "test-note-number-2"]
    assert (real_dir / "kb.json.bak").exists()  # the backup sits beside the real file
    assert not (tmp_path / "link.json.bak").exists()
    assert sorted(p.name for p in real_dir.iterdir() if not p.name.endswith(".lock")) == [
        "kb.json",
        "kb.json.bak",
    ]


def test_a_symlink_chain_is_followed_to_its_end(tmp_path: Path) -> None:
    real = tmp_path / "kb.json"
    (tmp_path / "a.json").symlink_to(real)
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    assert (
        run("import", str(article(tmp_path, 1)), "--into", str(tmp_path / "b.json")).exit_code == 0
    )
    assert (tmp_path / "a.json").is_symlink() and (tmp_path / "b.json").is_symlink()
    assert ids_in(real) == ["test-note-number-1"]


def test_a_symlink_loop_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    result = run("import", str(article(tmp_path, 1)), "--into", str(tmp_path / "a.json"))
    assert result.exit_code == 1 and "internal error" not in result.stderr
    assert result.stderr.startswith("crampcli: ") and (tmp_path / "a.json").is_symlink()


# --- 6. output that cannot be written, input that is not there ---------------------------------


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("causes",), {}),
        (("causes", "--json"), {}),
        (("causes",), {"FORCE_COLOR": "1"}),
        (("search", "cramp"), {}),
        (("relieve", "--now"), {}),
        (("validate", str(DATA)), {}),
        (("--version",), {}),
    ],
    ids=["plain", "json", "fancy", "search", "relieve-now", "validate", "version"],
)
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(
    args: tuple[str, ...], env: dict[str, str]
) -> None:
    with open("/dev/full", "w") as full:
        result = crampcli(*args, stdout=full, env=env)
    message = one_line_error(result, (1,))
    assert "No space left on device" in message


def test_a_full_disk_on_stdout_and_stderr_is_still_quiet() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [str(BIN / "crampcli"), "causes"],
            stdin=subprocess.DEVNULL,
            stdout=full,
            stderr=full,
            timeout=60,
        )
    assert result.returncode == 1


def test_check_interactive_with_stdin_closed_says_so_and_asks_nothing() -> None:
    result = crampcli("check", "-i", stdin=None, preexec_fn=_close_0)
    message = one_line_error(result, (1, 2))
    assert "input" in message
    assert "warning signs" not in result.stderr  # no question was asked into the void


def _close_0() -> None:
    os.close(0)


def test_a_terminal_that_goes_away_mid_questions_is_a_clean_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from crampcli.answers.check import Answers
    from crampcli.env import Env
    from crampcli.interactive import questionnaire

    def hung_up(*args: object) -> Answers:
        raise OSError(errno.EIO, "Input/output error")  # what read() gives after a hang-up

    monkeypatch.setattr(questionnaire, "_ask", hung_up)
    env = Env.from_system()
    with pytest.raises(questionnaire.InputEnded, match=r"cannot read answers.*Input/output"):
        questionnaire.ask(env, loading.load(DATA), Answers())


# --- 5. the cache is not trusted blindly; no read can hang or eat memory -----------------------

CARE = 12  # position of `care` in a rows.to_rows entry row


def payload_of(stored: Path) -> tuple[Any, Any]:
    """(key, data) of a cache file: MAGIC, 8 hex digits of length, 8 of CRC-32, marshal."""
    return marshal.loads(stored.read_bytes()[len(cachemod.MAGIC) + 16 :])  # type: ignore[no-any-return]


def forge(stored: Path, key: Any, data: Any) -> None:
    """A cache file with a perfect header, checksum and key: what someone who can write the
    cache directory can make."""
    payload = marshal.dumps((key, data))
    header = f"{len(payload):08x}{zlib.crc32(payload):08x}".encode()
    stored.write_bytes(cachemod.MAGIC + header + payload)


@pytest.fixture
def cached_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled knowledge base at a path of its own, with both caches on for it."""
    monkeypatch.setattr(cachemod, "DOCUMENT_MIN_BYTES", 1)
    monkeypatch.setattr(index_cache, "INDEX_MIN_BYTES", 1)
    path = tmp_path / "kb.json"
    path.write_bytes(DATA.read_bytes())
    return path


def cache_dir() -> Path:
    folder = cachemod.cache_dir()
    assert folder is not None
    return folder


def forged_care_levels(path: Path) -> Path:
    """Load once (the document cache is written), then forge it: every red flag self-care."""
    loading.load(path)
    [stored] = cache_dir().glob("document-*")
    key, (meta, refs, entries, triggers, vocabulary) = payload_of(stored)
    forged = tuple(
        (*row[:CARE], "self-care", *row[CARE + 1 :]) if row[1] == "red-flag" else row
        for row in entries
    )
    forge(stored, key, (meta, refs, forged, triggers, vocabulary))
    return stored


def care_levels(path: Path) -> set[str | None]:
    return {e.care for e in loading.load(path).of_kind("red-flag")}


def test_forged_document_cache_is_served_only_from_a_private_directory(cached_kb: Path) -> None:
    real = care_levels(cached_kb)
    assert "urgent" in real
    forged_care_levels(cached_kb)
    assert care_levels(cached_kb) == {"self-care"}  # the forgery works: only we can write here


@pytest.mark.parametrize(
    "exposure",
    ["dir-others-write", "dir-group-write", "file-others-write", "file-other-owner", "symlink"],
)
def test_forged_document_cache_that_others_could_write_is_not_served(
    cached_kb: Path, exposure: str, tmp_path: Path
) -> None:
    real = care_levels(cached_kb)
    stored = forged_care_levels(cached_kb)
    if exposure == "dir-others-write":
        cache_dir().chmod(0o777)
    elif exposure == "dir-group-write":
        cache_dir().chmod(0o770)
    elif exposure == "file-others-write":
        stored.chmod(0o666)
    elif exposure == "file-other-owner":
        if os.geteuid() != 0:
            pytest.skip("only root can give a file to another user")
        os.chown(stored, 65534, 65534)
    else:  # the cache file is a link to a forged file anyone could have put elsewhere
        elsewhere = tmp_path / "planted"
        stored.rename(elsewhere)
        stored.symlink_to(elsewhere)
    assert care_levels(cached_kb) == real


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda row: (*row[:CARE], "none", *row[CARE + 1 :]), id="unknown-care"),
        pytest.param(lambda row: (*row[:CARE], 3, *row[CARE + 1 :]), id="care-a-number"),
        pytest.param(lambda row: row[:5], id="short-row"),
        pytest.param(lambda row: (None, *row[1:]), id="id-none"),
        pytest.param(lambda row: (row[0], "rumour", *row[2:]), id="unknown-kind"),
    ],
)
def test_forged_document_cache_that_fails_structural_checks_is_ignored(
    cached_kb: Path, change: Any
) -> None:
    real = loading.load(cached_kb)
    [stored] = cache_dir().glob("document-*")
    key, (meta, refs, entries, triggers, vocabulary) = payload_of(stored)
    forge(stored, key, (meta, refs, tuple(change(row) for row in entries), triggers, vocabulary))
    assert loading.load(cached_kb).entries == real.entries


def forge_index(change: Any) -> None:
    [stored] = cache_dir().glob("index-*")
    key, data = payload_of(stored)
    change(data)
    forge(stored, key, data)


def _positions_out_of_range(data: dict[str, Any]) -> None:
    data["postings"]["calcium"] = (array("I", [10**6]).tobytes(), array("f", [1.0]).tobytes())


def _lengths_differ(data: dict[str, Any]) -> None:
    data["postings"]["calcium"] = (array("I", [0, 1]).tobytes(), array("f", [1.0]).tobytes())


def _odd_length(data: dict[str, Any]) -> None:
    data["postings"]["calcium"] = (b"\x00\x00\x00", b"\x00\x00")


def _not_a_number(data: dict[str, Any]) -> None:
    positions, impacts = data["postings"]["calcium"]
    nan = array("f", [float("nan")] * (len(impacts) // 4)).tobytes()
    data["postings"]["calcium"] = (positions, nan)


def _vocabulary_unknown(data: dict[str, Any]) -> None:
    data["vocabulary"] = sorted([*data["vocabulary"], "calciumx"])


def _not_a_tuple(data: dict[str, Any]) -> None:
    data["postings"]["calcium"] = 7


def _boost_out_of_range(data: dict[str, Any]) -> None:
    data["boosts"] = {10**6: 0.7}


def _surface_not_text(data: dict[str, Any]) -> None:
    data["surface"]["calcium"] = 5


@pytest.mark.parametrize(
    "change",
    [
        _positions_out_of_range,
        _lengths_differ,
        _odd_length,
        _not_a_number,
        _vocabulary_unknown,
        _not_a_tuple,
        _boost_out_of_range,
        _surface_not_text,
    ],
)
def test_forged_postings_never_crash_and_give_the_right_results(
    cached_kb: Path, change: Any
) -> None:
    expected = run("--data", str(cached_kb), "--data-alone", "search", "calcium", "--json")
    assert expected.exit_code == 0
    forge_index(change)
    for query in ("calcium", "calcum", "calci"):  # exact, typo and prefix look-ups
        result = run("--data", str(cached_kb), "--data-alone", "search", query, "--json")
        assert result.exit_code == 0, result.stderr
        if query == "calcium":
            assert result.json() == expected.json()


def test_cache_files_are_private() -> None:
    assert run("search", "calcium").exit_code == 0
    folder = cache_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}


# Each of these would block forever (a FIFO with no writer) or read without end (/dev/zero).


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.json"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("where", ["fifo", "/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("how", ["--data", "validate", "import", "--into", "diary import"])
def test_a_file_that_never_ends_is_refused_at_once(
    tmp_path: Path, fifo: Path, where: str, how: str
) -> None:
    path = str(fifo) if where == "fifo" else where
    args = {
        "--data": ("--data", path, "--data-alone", "causes"),
        "validate": ("validate", path),
        "import": ("import", path, "--into", str(tmp_path / "kb.json")),
        "--into": ("import", str(article(tmp_path, 1)), "--into", path),
        "diary import": ("diary", "import", path, "--format", "json"),
    }[how]
    result = crampcli(*args, env={"CRAMPCLI_HOME": str(tmp_path / "home")}, timeout=30)
    message = one_line_error(result, (1,))
    assert "not a regular file" in (result.stdout if how == "validate" else message)
    assert not list(tmp_path.glob(".*.lock"))  # --into: refused before a lock file is made


def test_a_fifo_in_place_of_a_cache_file_is_ignored(tmp_path: Path) -> None:
    env = {"CRAMPCLI_CACHE_DIR": str(tmp_path / "cache")}
    assert crampcli("search", "calcium", env=env).returncode == 0
    [stored] = (tmp_path / "cache").glob("index-*")
    stored.unlink()
    os.mkfifo(stored)
    result = crampcli("search", "calcium", env=env, timeout=30)
    assert result.returncode == 0 and only_messages(result.stderr)
    assert "calcium" in result.stdout.lower()


def test_a_huge_knowledge_base_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as f:
        f.truncate(reading.MAX_FILE_BYTES + 1)  # sparse: no disk used
    message = one_line_error(crampcli("--data", str(huge), "--data-alone", "causes"), (1,))
    assert "larger than" in message


# --- 7. import takes articles only, as text ----------------------------------------------------

RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Night cramps &amp; you</title>
<style>p { color: red }</style><script>alert("pwned")</script></head>
<body><nav><a href="/">Home</a></nav>
<h1>Night cramps &amp; you</h1>
<p>This made-up page is only a test. It has <b>bold</b> words
and a <a href="x">link</a>.</p>
<p>A second paragraph&nbsp;here.</p>
<ul><li>One point</li><li>Another point</li></ul>
<footer>Copyright</footer></body></html>
"""


def imported(tmp_path: Path, content: bytes, name: str = "page.txt") -> tuple[Any, Path]:
    source = tmp_path / name
    source.write_bytes(content)
    kb = tmp_path / "kb.json"
    return run("import", str(source), "--into", str(kb)), kb


def test_an_html_page_is_stored_as_text(tmp_path: Path) -> None:
    result, kb = imported(tmp_path, HTML_PAGE.encode(), "page.html")
    assert result.exit_code == 0, result.stderr
    [entry] = json.loads(kb.read_text(encoding="utf-8"))["entries"]
    assert entry["title"] == "Night cramps & you"
    text = " ".join(entry["paragraphs"])
    assert "<" not in text and "&amp;" not in text and "&nbsp;" not in text
    assert "alert" not in text and "color: red" not in text
    assert "This made-up page is only a test. It has bold words and a link." in entry["paragraphs"]
    assert "A second paragraph\u00a0here." in entry["paragraphs"] or (
        "A second paragraph here." in entry["paragraphs"]
    )


def test_a_file_with_nul_bytes_is_refused(tmp_path: Path) -> None:
    result, kb = imported(tmp_path, b"A title\n\nSome text\x00with a NUL byte.\n")
    assert result.exit_code == 1 and "NUL" in result.stderr and not kb.exists()
    assert len(result.stderr.strip().splitlines()) == 1


def test_control_characters_never_reach_a_title(tmp_path: Path) -> None:
    title = "Cramps \x1b]0;pwned\x07at \x1b[2Jnight\u202e \x08\x7f\x9b31m"
    result, kb = imported(tmp_path, f"{title}\n\nSome made-up text.\n".encode())
    assert result.exit_code == 0, result.stderr
    [entry] = json.loads(kb.read_text(encoding="utf-8"))["entries"]
    assert not RAW_CONTROL.search(entry["title"]), entry["title"]
    assert entry["title"] == "Cramps at night"
    assert entry["id"] == "cramps-at-night"


def test_a_readme_is_not_an_article(tmp_path: Path) -> None:
    from conftest import REPO

    result, kb = imported(tmp_path, (REPO / "README.md").read_bytes(), "README.md")
    assert result.exit_code == 1 and not kb.exists()
    assert "not an article" in result.stderr and "Markdown" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("# A heading\n\nText.\n", "Markdown"),
        ("A title\n\nText.\n\n```\ncode\n```\n", "Markdown"),
        ("A title\n\n" + "".join(f"Paragraph {n}.\n\n" for n in range(200)), "paragraphs"),
        ("A first line\nthat goes on\nand on\n\nText.\n", "title"),
        ("x" * 300 + "\n\nText.\n", "title"),
        ('{"format": 1, "entries": []}\n\nText.\n', "JSON"),
    ],
    ids=["heading", "code-fence", "200-paragraphs", "three-line-title", "long-title", "json"],
)
def test_files_that_are_not_articles_are_refused_with_the_reason(
    tmp_path: Path, content: str, why: str
) -> None:
    result, kb = imported(tmp_path, content.encode())
    assert result.exit_code == 1 and not kb.exists(), result.stderr
    assert "not an article" in result.stderr and why in result.stderr


@pytest.mark.parametrize("unit", ["</", "<?", "<!", "<<a"])
def test_malformed_html_costs_linear_work(tmp_path: Path, unit: str) -> None:
    """Python's HTML parser searches to the end of the page from each unfinished tag: 2 MB of
    these took minutes. The timeout is only a backstop."""
    page = tmp_path / "page.html"
    page.write_text("<p>x" + unit * ((importer.MAX_ARTICLE_BYTES - 8) // len(unit)))
    result = crampcli("import", str(page), "--into", str(tmp_path / "kb.json"), timeout=60)
    assert "not an article" in one_line_error(result, (1,))


def test_an_article_file_over_the_bound_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(importer.MAX_ARTICLE_BYTES + 1)
    result = crampcli("import", str(big), "--into", str(tmp_path / "kb.json"))
    assert "larger than 2 MiB" in one_line_error(result, (1,))
