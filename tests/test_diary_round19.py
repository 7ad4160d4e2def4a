"""Issue 20, what the nineteenth attack round found. S2: with a few KiB free on the diary's
disk, `diary restore` called an intact backup damaged: its copy ignored how much of each
write a nearly full disk took, so the copy ended in zeros and failed its integrity check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import INSTALLED
from test_diary_round5 import backed_up, notes

pytestmark = pytest.mark.skipif(not INSTALLED.exists(), reason="crampcli is not installed")


def test_a_write_cut_short_is_finished_not_left_as_zeros(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crampcli.diary import copies

    home, good = backed_up(tmp_path, "from the backup")
    path = home / "diary.sqlite3"
    writing = os.pwrite

    def part_of_it(fd: int, data: bytes, offset: int) -> int:
        return writing(fd, bytes(data)[: max(1, len(data) // 2)], offset)  # as a full disk may

    monkeypatch.setattr(os, "pwrite", part_of_it)
    with copies.checked_backup(good, path) as checked:
        monkeypatch.undo()
        copies.restore(path, checked)
    assert notes(path) == ["from the backup"]
