"""Atomic writes: the file is replaced whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrhlessons.files import write_atomic


def test_write_replaces_the_file_and_creates_folders(tmp_path: Path) -> None:
    target = tmp_path / "new" / "log.csv"
    write_atomic(target, "a\r\nb\n")
    assert target.read_bytes() == b"a\r\nb\n"           # newlines kept as given
    write_atomic(target, "c\n")
    assert target.read_text(encoding="utf-8") == "c\n"
    assert [p.name for p in target.parent.iterdir()] == ["log.csv"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "log.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "half \ud800 written")        # a lone surrogate cannot be encoded
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["log.csv"]
