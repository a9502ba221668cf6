"""Reading files: formats, bad bytes, huge files, folders and ids across files."""

from __future__ import annotations

import os
from pathlib import Path

from hrhlessons.ingest import MAX_YAML_BYTES, read_file, read_paths
from tests.cases.test_model import GOOD


def test_non_utf8_bytes_name_the_line(tmp_path: Path) -> None:
    f = tmp_path / "latin1.yaml"
    f.write_bytes(GOOD.replace("Test programme", "Programme de santé").encode("latin-1"))
    [p] = read_file(f).problems
    assert p.file == str(f) and p.line == 2
    assert "not valid UTF-8" in p.message and "0xe9" in p.message


def test_ten_megabytes_of_garbage_is_refused_quickly(tmp_path: Path) -> None:
    f = tmp_path / "garbage.yaml"
    f.write_bytes(os.urandom(10 * 1024 * 1024))
    [p] = read_file(f).problems
    assert "more than the" in p.message and f"{MAX_YAML_BYTES:,}" in p.message


def test_garbage_json_and_csv(tmp_path: Path) -> None:
    j = tmp_path / "cases.json"
    j.write_bytes(os.urandom(4096).replace(b"\x00", b"a"))
    assert read_file(j).problems
    c = tmp_path / "cases.csv"
    c.write_text("not,a,case,file\n1,2,3,4\n", encoding="utf-8")
    fields = {p.field for p in read_file(c).problems}
    assert {"not", "id", "name"} <= fields


def test_binary_nul_bytes(tmp_path: Path) -> None:
    f = tmp_path / "nul.yaml"
    f.write_bytes(b"id: x\n\x00\x00")
    [p] = read_file(f).problems
    assert "binary" in p.message and p.line == 2


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("hello", encoding="utf-8")
    assert "reads .yaml" in read_file(f).problems[0].message
    assert "no such file" in read_file(tmp_path / "nope.yaml").problems[0].message


def test_folders_are_read_recursively_and_ids_are_unique_across_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "two.yml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "three.yaml").write_text(
        GOOD.replace("mwi-test-programme", "mwi-third"), encoding="utf-8")
    batch = read_paths([tmp_path])
    assert sorted(c.id for c in batch.cases) == ["mwi-test-programme", "mwi-third"]
    [p] = batch.problems
    assert p.field == "id" and "used again" in p.message


def test_empty_folder(tmp_path: Path) -> None:
    assert "no case files found" in read_paths([tmp_path]).problems[0].message
