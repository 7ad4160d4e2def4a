"""`crampcli import`: seed articles into your own knowledge base, atomically, with a backup."""

from __future__ import annotations

import datetime
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, SHARED, run
from crampcli.knowledge import atomic, importer
from crampcli.knowledge.validate import ID_RE, validate

SEED_IDS = {
    "000_4cd7bd3584bc0488.txt": "what-causes-leg-cramps-in-women",
    "002_928575cf141a7413.txt": "is-leg-cramps-during-sleep-due-to-calcium",
}
SEEDS = [SHARED / "seeds" / name for name in SEED_IDS]  # tests using them are marked shared


def seed_entry(path: Path) -> dict[str, Any]:
    return importer.parse_seed(importer.decode_seed(path.read_bytes(), path.name), path.name)


def bundled_article(entry_id: str) -> dict[str, Any]:
    doc = json.loads(DATA.read_text(encoding="utf-8"))
    found: dict[str, Any] = next(e for e in doc["entries"] if e["id"] == entry_id)
    return found


def assert_clean_failure(result: Any, code: int = 1) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr


# --- parsing --------------------------------------------------------------------------------


@pytest.mark.shared
def test_both_seeds_are_present() -> None:
    assert sorted(p.name for p in (SHARED / "seeds").glob("*.txt")) == sorted(SEED_IDS)


@pytest.mark.shared
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_gives_the_id_and_paragraphs_of_the_bundled_article(seed: Path) -> None:
    entry = seed_entry(seed)
    assert entry["id"] == SEED_IDS[seed.name]
    bundled = bundled_article(entry["id"])
    assert entry["title"] == bundled["title"]
    assert entry["paragraphs"] == bundled["paragraphs"]
    assert entry["file"] == seed.name == bundled["file"]
    assert entry["kind"] == "article" and entry["aliases"] == [] and entry["sources"] == []


@pytest.mark.shared
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_site_navigation_is_dropped(seed: Path) -> None:
    text = " ".join(seed_entry(seed)["paragraphs"])
    assert "<<:" not in text and ">>:" not in text and "Recommend" not in text
    assert "vagina" not in text and "chicken breast" not in text and "belly button" not in text


@pytest.mark.shared
def test_repeated_title_is_dropped_and_summary_is_the_first_sentence() -> None:
    entry = seed_entry(SEEDS[0])
    assert entry["paragraphs"][0].startswith("Calf cramps are a common condition")
    assert entry["summary"] == (
        "Calf cramps are a common condition encountered by many people in daily life."
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("What causes leg cramps in women", "what-causes-leg-cramps-in-women"),
        (
            "Is leg cramps during sleep due to calcium deficiency? How to relieve it?",
            "is-leg-cramps-during-sleep-due-to-calcium",
        ),
        ("  Crampes   nocturnes : causes & rem\u00e8des  ", "crampes-nocturnes-causes-remedes"),
        ("x" * 60, "x" * 48),
        ("a" * 47 + " " + "b" * 10, "a" * 47),
        ("\u5c0f\u817f\u62bd\u7b4b", ""),
        ("\x1b[2J [bold] \u202e", "2j-bold"),
    ],
)
def test_slugify(title: str, expected: str) -> None:
    assert importer.slugify(title) == expected


def test_id_falls_back_to_the_file_name_for_a_non_latin_title() -> None:
    entry = importer.parse_seed(
        "\u5c0f\u817f\u62bd\u7b4b\n\n\u8fd9\u662f\u6b63\u6587\u3002\n", "007_ab.txt"
    )
    assert entry["id"] == "007-ab" and ID_RE.match(entry["id"])
    assert entry["paragraphs"] == ["\u8fd9\u662f\u6b63\u6587\u3002"]


def test_windows_line_endings_and_wrapped_lines() -> None:
    text = "Title\r\n\r\nTitle\r\n\r\nFirst line\r\nsame paragraph.\r\n\r\nSecond.\r\n<<: nav\r\n"
    entry = importer.parse_seed(text, "w.txt")
    assert entry["paragraphs"] == ["First line same paragraph.", "Second."]


def test_long_first_sentence_is_clipped() -> None:
    body = "word " * 100 + "end."
    entry = importer.parse_seed(f"T\n\n{body}\n", "long.txt")
    assert len(entry["summary"]) <= importer.SUMMARY_MAX + 3
    assert entry["summary"].endswith("...")


# --- the command ----------------------------------------------------------------------------


@pytest.mark.shared
def test_import_both_seeds_into_a_new_file_then_validate_and_search(tmp_path: Path) -> None:
    kb = tmp_path / "mine.json"
    for seed in SEEDS:
        result = run("import", str(seed), "--into", str(kb))
        assert result.exit_code == 0, result.stderr
        assert SEED_IDS[seed.name] in result.stdout
    doc = json.loads(kb.read_text(encoding="utf-8"))
    assert validate(doc) == []
    assert doc["format"] == 1 and doc["version"] == "0" and doc["language"] == "en"
    assert doc["reviewed"] == datetime.date.today().isoformat()
    assert doc["references"] == [] and [e["id"] for e in doc["entries"]] == list(SEED_IDS.values())
    checked = run("validate", str(kb))
    assert checked.exit_code == 0 and checked.stdout.startswith(f"ok: {kb}: 2 entries")
    # searchable at once, through --data and through the environment variable
    found = run("--data", str(kb), "--data-alone", "search", "blanket", "--json").json()["results"]
    assert found and found[0]["id"] == "is-leg-cramps-during-sleep-due-to-calcium"
    found = run(
        "--data-alone", "search", "hyperlipidemia", "--json", env={"CRAMPCLI_DATA": str(kb)}
    )
    found = found.json()
    assert found["results"][0]["id"] == "what-causes-leg-cramps-in-women"
    for seed in SEEDS:
        shown = run(
            "--data", str(kb), "--data-alone", "show", SEED_IDS[seed.name], "--json"
        ).json()["entry"]
        assert shown["paragraphs"] == seed_entry(seed)["paragraphs"]
        assert "file" not in shown  # the file it came from is the knowledge base's business


@pytest.mark.shared
def test_imported_articles_show_and_list(tmp_path: Path) -> None:
    kb = tmp_path / "mine.json"
    assert run("import", str(SEEDS[1]), "--into", str(kb)).exit_code == 0
    listed = run("--data", str(kb), "--data-alone", "articles")
    assert listed.exit_code == 0 and "is-leg-cramps-during-sleep-due-to-calcium" in listed.stdout
    shown = run(
        "--data", str(kb), "--data-alone", "show", "is-leg-cramps-during-sleep-due-to-calcium"
    )
    assert shown.exit_code == 0 and "Cold stimulation" in shown.stdout


@pytest.mark.shared
def test_duplicate_is_refused_unless_replace_and_previous_file_is_kept(tmp_path: Path) -> None:
    kb = tmp_path / "mine.json"
    assert run("import", str(SEEDS[0]), "--into", str(kb)).exit_code == 0
    assert not (tmp_path / "mine.json.bak").exists()
    first = kb.read_bytes()
    again = run("import", str(SEEDS[0]), "--into", str(kb))
    assert_clean_failure(again)
    assert "--replace" in again.stderr and SEED_IDS[SEEDS[0].name] in again.stderr
    assert kb.read_bytes() == first
    # --replace: same id, the new text, the old file kept as .bak
    doc = json.loads(first)
    doc["entries"][0]["paragraphs"] = ["An edited paragraph."]
    kb.write_text(json.dumps(doc), encoding="utf-8")
    edited = kb.read_bytes()
    replaced = run("import", str(SEEDS[0]), "--into", str(kb), "--replace", "--json")
    assert replaced.exit_code == 0
    assert replaced.json()["action"] == "replaced" and replaced.json()["backup"] == f"{kb}.bak"
    assert (tmp_path / "mine.json.bak").read_bytes() == edited
    doc = json.loads(kb.read_text(encoding="utf-8"))
    assert len(doc["entries"]) == 1 and doc["entries"][0]["paragraphs"][0].startswith("Calf")


@pytest.mark.shared
def test_import_adds_to_an_existing_knowledge_base(tmp_path: Path) -> None:
    kb = tmp_path / "copy.json"
    doc = json.loads(DATA.read_text(encoding="utf-8"))
    doc["entries"] = [e for e in doc["entries"] if e["id"] != SEED_IDS[SEEDS[0].name]]
    for e in doc["entries"]:  # nothing may cite the removed article any more
        e["sources"] = [s for s in e["sources"] if s != SEED_IDS[SEEDS[0].name]]
    kb.write_text(json.dumps(doc), encoding="utf-8")
    before = len(doc["entries"])
    assert run("import", str(SEEDS[0]), "--into", str(kb)).exit_code == 0
    assert run("validate", str(kb)).stdout.startswith(f"ok: {kb}: {before + 1} entries")
    refused = run("import", str(SEEDS[1]), "--into", str(kb), "--replace")  # no: bundled id is
    assert refused.exit_code == 0  # an article, so --replace may overwrite it
    cause_clash = tmp_path / "clash.txt"
    cause_clash.write_text("Calcium deficiency\n\nSome text.\n", encoding="utf-8")
    clash = run("import", str(cause_clash), "--into", str(kb), "--replace")
    assert_clean_failure(clash)
    assert "only articles can be replaced" in clash.stderr


@pytest.mark.shared
def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    kb = tmp_path / "mine.json"
    for seed in SEEDS:
        run("import", str(seed), "--into", str(kb))
    run("import", str(SEEDS[0]), "--into", str(kb), "--replace")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == [
        ".mine.json.lock",  # the advisory lock: kept, empty
        "mine.json",
        "mine.json.bak",
    ]


@pytest.mark.shared
def test_failed_write_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = tmp_path / "mine.json"
    assert run("import", str(SEEDS[0]), "--into", str(kb)).exit_code == 0
    before = kb.read_bytes()

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", no_space)
    result = run("import", str(SEEDS[1]), "--into", str(kb))
    assert_clean_failure(result)
    assert "cannot write" in result.stderr and "No space left" in result.stderr
    assert kb.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.shared
def test_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    kb = tmp_path / "mine.json"
    run("import", str(SEEDS[0]), "--into", str(kb))
    kb.chmod(0o640)
    run("import", str(SEEDS[1]), "--into", str(kb))
    assert stat.S_IMODE(kb.stat().st_mode) == 0o640


@pytest.mark.shared
def test_missing_into_directory(tmp_path: Path) -> None:
    result = run("import", str(SEEDS[0]), "--into", str(tmp_path / "no" / "such" / "kb.json"))
    assert_clean_failure(result)
    assert "does not exist" in result.stderr


@pytest.mark.shared
def test_into_path_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    result = run("import", str(SEEDS[0]), "--into", str(tmp_path / "plain.txt" / "kb.json"))
    assert_clean_failure(result)


@pytest.mark.shared
def test_into_is_a_directory(tmp_path: Path) -> None:
    result = run("import", str(SEEDS[0]), "--into", str(tmp_path))
    assert_clean_failure(result)
    assert "is a directory" in result.stderr


@pytest.mark.shared
def test_unwritable_into_directory(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes anywhere a mode allows; /sys refuses even root
        target = Path("/sys/crampcli-kb.json")
        if not Path("/sys").is_dir():
            pytest.skip("no /sys to stand in for an unwritable directory")
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        target = locked / "kb.json"
    result = run("import", str(SEEDS[0]), "--into", str(target))
    assert_clean_failure(result)
    assert "cannot write" in result.stderr
    assert not target.exists()


@pytest.mark.shared
def test_into_an_invalid_knowledge_base_writes_nothing(tmp_path: Path) -> None:
    kb = tmp_path / "broken.json"
    kb.write_text('{"format": 1, "entries": []}', encoding="utf-8")
    result = run("import", str(SEEDS[0]), "--into", str(kb))
    assert_clean_failure(result)
    assert "missing required key 'name'" in result.stderr
    assert kb.read_text(encoding="utf-8") == '{"format": 1, "entries": []}'
    assert not (tmp_path / "broken.json.bak").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n \t\n", "the file is empty"),
        ("Titre \u00e9t\u00e9\n\nTexte.\n".encode("latin-1"), "not UTF-8"),
        (b"\xff\xfe\x00\x01binary", "not UTF-8"),
        (b"Only a title\n\nOnly a title\n\n<<: nav\n\nRecommend\n", "no article text"),
        (b"<<: nav first\n\nRecommend\n", "no article text"),
    ],
    ids=["empty", "blank", "latin-1", "binary", "title-only", "navigation-only"],
)
def test_bad_seed_files(tmp_path: Path, content: bytes, message: str) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_bytes(content)
    kb = tmp_path / "kb.json"
    result = run("import", str(seed), "--into", str(kb))
    assert_clean_failure(result)
    assert message in result.stderr
    assert not kb.exists()


@pytest.mark.parametrize("which", ["missing", "directory"])
def test_unreadable_seed_file(tmp_path: Path, which: str) -> None:
    seed = tmp_path / "nope.txt" if which == "missing" else tmp_path
    result = run("import", str(seed), "--into", str(tmp_path / "kb.json"))
    assert_clean_failure(result)
    assert "cannot read" in result.stderr


def test_markup_and_escapes_in_a_seed_are_kept_as_text_and_shown_harmlessly(tmp_path: Path) -> None:
    seed = tmp_path / "evil.txt"
    body = "Cramps [citation needed] :warning: [bold red]hot[/] \x1b]0;pwned\x07 \x1b[2J \u202eend."
    seed.write_text(f"Evil [/] title\n\nEvil [/] title\n\n{body}\n\n<<: nav\n", encoding="utf-8")
    kb = tmp_path / "kb.json"
    assert run("import", str(seed), "--into", str(kb)).exit_code == 0
    shown = run("--data", str(kb), "--data-alone", "show", "evil-title", "--json").json()["entry"]
    assert shown["paragraphs"] == [body]
    for env in ({}, {"FORCE_COLOR": "1", "COLUMNS": "100"}):
        out = run("--data", str(kb), "--data-alone", "show", "evil-title", env=env).stdout
        assert "[citation needed]" in out and ":warning:" in out and "[/]" in out
        assert "\x1b]" not in out and "\x1b[2J" not in out and "\u202e" not in out
        assert "\\x1b]0;pwned\\x07" in out and "\\u202e" in out


# --- the lock of --into (issue 20, round 5: N10) ----------------------------------------------


def _seed(tmp_path: Path) -> Path:
    seed = tmp_path / "seed.txt"
    seed.write_text("Night cramps and stretching\n\nA calf stretch before bed.\n", "utf-8")
    return seed


def test_a_held_lock_is_waited_for_a_bounded_time_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoever holds the lock (another crampcli, or someone else's `flock`) may never let it
    go: the import says it is waiting, then gives up with exit 1, nothing written. (Before,
    it waited silently: here until the holder lets go 5 s later.)"""
    import fcntl
    import threading

    monkeypatch.setattr(importer, "LOCK_WAIT_SECONDS", 0.5)
    kb = tmp_path / "mine.json"
    holder = os.open(tmp_path / ".mine.json.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)
    letting_go = threading.Timer(5, fcntl.flock, (holder, fcntl.LOCK_UN))
    letting_go.start()
    try:
        result = run("import", str(_seed(tmp_path)), "--into", str(kb))
    finally:
        letting_go.cancel()
        letting_go.join()
        os.close(holder)
    assert_clean_failure(result)
    assert "waiting for" in result.stderr and "another crampcli" in result.stderr
    assert "still holds" in result.stderr and "nothing was written" in result.stderr
    assert not kb.exists()
    assert run("import", str(_seed(tmp_path)), "--into", str(kb)).exit_code == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the lock file to another user")
def test_a_lock_file_someone_else_owns_is_refused(tmp_path: Path) -> None:
    """In a shared folder another user made the lock file first: they could hold it for ever."""
    kb = tmp_path / "mine.json"
    lock = tmp_path / ".mine.json.lock"
    lock.write_bytes(b"")
    os.chown(lock, 65534, 65534)
    result = run("import", str(_seed(tmp_path)), "--into", str(kb))
    assert_clean_failure(result)
    assert "belongs to someone else" in result.stderr and str(lock) in result.stderr
    assert not kb.exists()


@pytest.mark.parametrize("kind", ["a FIFO", "a folder"])
def test_a_lock_file_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    """Guards what main already did (never waits on, nor writes through, such a lock)."""
    kb = tmp_path / "mine.json"
    lock = tmp_path / ".mine.json.lock"
    if kind == "a FIFO":
        os.mkfifo(lock)
    else:
        lock.mkdir()
    result = run("import", str(_seed(tmp_path)), "--into", str(kb))
    assert_clean_failure(result)
    assert str(lock) in result.stderr or "Is a directory" in result.stderr
    assert not kb.exists()
