"""The on-disk index cache: used when current, rebuilt when not, never a source of errors."""

from __future__ import annotations

import json
import marshal
import os
import zlib
from pathlib import Path
from typing import Any

import pytest

from crampcli.answers import index_cache
from crampcli.answers.search import Index, build_index
from crampcli.knowledge import cache as cachemod
from crampcli.knowledge import loading
from crampcli.knowledge.model import KnowledgeBase


@pytest.fixture
def kb_file(tmp_path: Path, kb_doc: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled knowledge base: its index is cached, its document is not (the
    document cache has tests of its own, below)."""
    monkeypatch.setattr(index_cache, "INDEX_MIN_BYTES", 1)
    monkeypatch.setattr(cachemod, "DOCUMENT_MIN_BYTES", 1 << 40)
    path = tmp_path / "data" / "kb.json"
    path.parent.mkdir()
    path.write_text(json.dumps(kb_doc), encoding="utf-8")
    return path


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "index-cache"
    monkeypatch.setenv(cachemod.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts real index builds: one entry per call of build_index."""
    calls: list[int] = []

    def counting(entries: Any) -> Index:
        calls.append(1)
        return build_index(entries)

    monkeypatch.setattr(index_cache, "build_index", counting)
    return calls


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


def test_second_use_reads_the_cache(kb_file: Path, cache: Path, builds: list[int]) -> None:
    base = loading.load(kb_file)
    first = index_cache.index_for(base)
    assert len(builds) == 1
    [stored] = cache_files(cache)
    assert stored.name.startswith("index-")

    again = index_cache.index_for(loading.load(kb_file))
    assert len(builds) == 1, "the cached index should have been used"
    assert again == first == build_index(base.entries)


def test_changed_data_invalidates(kb_file: Path, cache: Path, builds: list[int]) -> None:
    index_cache.index_for(loading.load(kb_file))
    doc = json.loads(kb_file.read_text(encoding="utf-8"))
    doc["entries"][0]["title"] = "Zebrafish quartz"
    kb_file.write_text(json.dumps(doc), encoding="utf-8")

    changed = loading.load(kb_file)
    index = index_cache.index_for(changed)
    assert len(builds) == 2
    assert "zebrafish" in index.postings
    assert index == build_index(changed.entries)
    assert len(cache_files(cache)) == 1  # replaced, not added to

    index_cache.index_for(loading.load(kb_file))
    assert len(builds) == 2


def test_changed_code_invalidates(
    kb_file: Path, cache: Path, builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    index_cache.index_for(loading.load(kb_file))
    monkeypatch.setattr(cachemod, "_code_fingerprint", lambda modules: "another-version")
    index_cache.index_for(loading.load(kb_file))
    assert len(builds) == 2


def test_one_file_per_knowledge_base(
    kb_file: Path, cache: Path, kb_doc: dict[str, Any], tmp_path: Path
) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps(kb_doc), encoding="utf-8")
    index_cache.index_for(loading.load(kb_file))
    index_cache.index_for(loading.load(other))
    assert len(cache_files(cache)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) // 2], id="truncated"),
        pytest.param(lambda b: b[:-1] + bytes([b[-1] ^ 0xFF]), id="flipped-byte"),
        pytest.param(lambda b: b"", id="empty"),
        pytest.param(lambda b: b"\x00" * 100, id="zeros"),
        pytest.param(lambda b: os.urandom(len(b)), id="random"),
        pytest.param(lambda b: b"crampcli-index\nzzzzzzzzzzzzzzzz" + b[31:], id="bad-header"),
    ],
)
def test_damaged_file_is_rebuilt(
    kb_file: Path, cache: Path, builds: list[int], damage: Any
) -> None:
    base = loading.load(kb_file)
    expected = index_cache.index_for(base)
    [stored] = cache_files(cache)
    stored.write_bytes(damage(stored.read_bytes()))

    assert index_cache.index_for(loading.load(kb_file)) == expected
    assert len(builds) == 2
    assert index_cache.index_for(loading.load(kb_file)) == expected  # and the repaired file is used
    assert len(builds) == 2


@pytest.mark.parametrize("data", [{"nope": 1}, [1, 2], None], ids=["dict", "list", "none"])
def test_intact_file_of_the_wrong_shape_is_rebuilt(
    kb_file: Path, cache: Path, builds: list[int], data: Any
) -> None:
    base = loading.load(kb_file)
    expected = index_cache.index_for(base)
    [stored] = cache_files(cache)
    key = cachemod._key("index", base.path, base.digest, ("search", "text"))
    payload = marshal.dumps((key, data))
    header = f"{len(payload):08x}{zlib.crc32(payload):08x}".encode()
    stored.write_bytes(cachemod.MAGIC + header + payload)
    assert index_cache.index_for(base) == expected
    assert len(builds) == 2


def test_unreadable_cache_file_is_ignored(kb_file: Path, cache: Path) -> None:
    base = loading.load(kb_file)
    expected = index_cache.index_for(base)
    [stored] = cache_files(cache)
    stored.unlink()
    stored.mkdir()  # reading it fails; so does replacing it
    assert index_cache.index_for(base) == expected
    assert [p.name for p in cache_files(cache)] == [stored.name]  # no temp file left behind


def test_unwritable_cache_dir_means_no_cache(
    kb_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builds: list[int]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(cachemod.CACHE_ENV, str(blocker / "cache"))
    base = loading.load(kb_file)
    assert index_cache.index_for(base) == build_index(base.entries)
    assert index_cache.index_for(base) == build_index(base.entries)
    assert len(builds) == 2
    assert blocker.read_text(encoding="utf-8") == "not a directory"


def test_read_only_cache_dir_means_no_cache(
    kb_file: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> int:
        raise PermissionError(13, "Permission denied")

    cache.mkdir()
    base = loading.load(kb_file)  # the knowledge base itself is read with os.open too
    monkeypatch.setattr(os, "open", refuse)
    assert index_cache.index_for(base) == build_index(base.entries)
    assert cache_files(cache) == []


def test_failed_rename_leaves_no_temp_file(
    kb_file: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    base = loading.load(kb_file)
    assert index_cache.index_for(base) == build_index(base.entries)
    assert cache_files(cache) == []


def test_write_is_atomic_and_leaves_only_the_index(
    kb_file: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renames: list[tuple[str, str]] = []
    synced: list[int] = []
    real_replace, real_fsync = os.replace, os.fsync

    def replace(src: Any, dst: Any, *, src_dir_fd: Any = None, dst_dir_fd: Any = None) -> None:
        renames.append((str(src), str(dst)))
        # names in one folder, by the descriptor that was checked: an atomic rename
        assert src_dir_fd is not None and src_dir_fd == dst_dir_fd and "/" not in src + dst
        assert synced, "data must reach the disk before the rename"
        real_replace(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

    def fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "fsync", fsync)
    index_cache.index_for(loading.load(kb_file))
    [stored] = cache_files(cache)
    assert renames == [(renames[0][0], stored.name)]
    assert not (stored.parent / renames[0][0]).exists()


def test_small_knowledge_bases_skip_the_cache(
    kb_file: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_cache, "INDEX_MIN_BYTES", kb_file.stat().st_size + 1)
    base = loading.load(kb_file)
    assert index_cache.index_for(base) == build_index(base.entries)
    assert not cache.exists()


def test_built_knowledge_base_without_bytes_skips_the_cache(
    kb_doc: dict[str, Any], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_cache, "INDEX_MIN_BYTES", 0)
    base: KnowledgeBase = loading.build(kb_doc, "in-memory")
    assert base.digest == ""
    assert index_cache.index_for(base) == build_index(base.entries)
    assert not cache.exists()


def test_the_cache_is_not_written_next_to_the_data(kb_file: Path, cache: Path) -> None:
    before = sorted(kb_file.parent.iterdir())
    index_cache.index_for(loading.load(kb_file))
    assert sorted(kb_file.parent.iterdir()) == before
    assert len(cache_files(cache)) == 1


def test_cache_dir_choice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cachemod.cache_dir({"CRAMPCLI_CACHE_DIR": "/x", "XDG_CACHE_HOME": "/y"}) == Path("/x")
    assert cachemod.cache_dir({"XDG_CACHE_HOME": "/y"}) == Path("/y/crampcli")
    home_cache = tmp_path / "home" / ".cache" / "crampcli"
    assert cachemod.cache_dir({"XDG_CACHE_HOME": "relative/ignored"}) == home_cache
    assert cachemod.cache_dir({"CRAMPCLI_CACHE_DIR": ""}) == home_cache


def test_the_file_holds_no_pickle(kb_file: Path, cache: Path) -> None:
    index_cache.index_for(loading.load(kb_file))
    [stored] = cache_files(cache)
    blob = stored.read_bytes()
    assert blob.startswith(cachemod.MAGIC)
    assert b"\x80\x04\x95" not in blob[:64]  # no pickle protocol header


# --- the checked-document cache (large knowledge bases skip parsing and validating) ---------


@pytest.fixture
def big_file(kb_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cachemod, "DOCUMENT_MIN_BYTES", 1)
    return kb_file


def test_document_is_parsed_and_validated_once(
    big_file: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = loading.load(big_file)
    assert [p.name.split("-")[0] for p in cache_files(cache)] == ["document"]
    calls: list[int] = []
    from crampcli.knowledge import validate  # imported by the loader only on a cache miss

    monkeypatch.setattr(validate, "validate", lambda doc: calls.append(1) or [])
    again = loading.load(big_file)
    assert calls == []  # read back from the cache
    assert again.entries == first.entries


def test_changed_document_is_checked_again(
    big_file: Path, cache: Path, kb_doc: dict[str, Any]
) -> None:
    loading.load(big_file)
    kb_doc["entries"][0]["kind"] = "rumour"
    big_file.write_text(json.dumps(kb_doc), encoding="utf-8")
    with pytest.raises(loading.DataError, match="unknown kind 'rumour'"):
        loading.load(big_file)


def test_invalid_document_is_never_cached(
    big_file: Path, cache: Path, kb_doc: dict[str, Any]
) -> None:
    kb_doc["entries"][0]["sources"] = "NHS"
    big_file.write_text(json.dumps(kb_doc), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(loading.DataError):
            loading.load(big_file)
    assert cache_files(cache) == []
