"""The GHO importer on rows cut from the shared WHO exports, and its error cases."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from hrhlessons.countries.gho import parse_gho
from hrhlessons.errors import InvalidInput


def _text(data_dir: Path) -> str:
    return (data_dir / "gho_doctors.csv").read_text(encoding="utf-8")


def _replace_cell(text: str, line: int, column: str, value: str) -> str:
    """Change one cell of a GHO CSV (line counted from 1, the header)."""
    import csv

    rows = list(csv.reader(io.StringIO(text)))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_reads_several_indicators_keyed_on_indicator_code(data_dir: Path) -> None:
    result = parse_gho(_text(data_dir), file="gho_doctors.csv")
    assert result.indicators == ["HWF_0001", "HWF_0002"]
    values = {(r.indicator, r.iso3, r.year): r.value for r in result.records}
    # Values as in who-gho/medical_doctors_per10000.csv.
    assert values["HWF_0001", "MWI", 2020] == 0.5
    assert values["HWF_0002", "MWI", 2020] == 958
    assert values["HWF_0001", "KEN", 2018] == 1.57
    assert len(values) == 6
    mwi = next(r for r in result.records if r.iso3 == "MWI")
    assert mwi.who_region == "AFR"
    assert mwi.location == "Malawi"
    assert result.indicator_names["HWF_0001"] == "Medical doctors (per 10,000)"


def test_accepts_bytes_with_bom_and_binary_files(data_dir: Path) -> None:
    raw = (data_dir / "gho_chw.csv").read_bytes()
    from_bytes = parse_gho(b"\xef\xbb\xbf" + raw, file="chw.csv")
    from_file = parse_gho(io.BytesIO(raw), file="chw.csv")
    assert from_bytes.records == from_file.records
    assert {(r.iso3, r.year): r.value for r in from_file.records}[("KEN", 2018)] == 58079


def test_keeps_only_country_rows_and_counts_the_rest(data_dir: Path) -> None:
    text = _replace_cell(_text(data_dir), 2, "Location type", "WHO region")
    text = _replace_cell(text, 3, "FactValueNumeric", "")
    result = parse_gho(text, file="f.csv")
    assert len(result.records) == 4
    assert result.skipped == {"not a country (WHO region)": 1, "no numeric value": 1}


def test_breakdowns_are_left_out_but_totals_kept(data_dir: Path) -> None:
    text = _replace_cell(_text(data_dir), 2, "Dim1ValueCode", "SEX_FMLE")
    text = _replace_cell(text, 3, "Dim1ValueCode", "SEX_BTSX")
    result = parse_gho(text, file="f.csv")
    assert len(result.records) == 5
    assert sum(result.skipped.values()) == 1


def test_missing_column_is_named(data_dir: Path) -> None:
    header, rest = _text(data_dir).split("\n", 1)
    text = header.replace("FactValueNumeric,", "Amount,", 1) + "\n" + rest
    with pytest.raises(InvalidInput) as info:
        parse_gho(text, file="bad.csv")
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.field) == ("bad.csv", 1, "FactValueNumeric")


def test_every_bad_cell_is_located(data_dir: Path) -> None:
    text = _replace_cell(_text(data_dir), 2, "FactValueNumeric", "0,5")
    text = _replace_cell(text, 4, "SpatialDimValueCode", "XYZ")
    text = _replace_cell(text, 5, "Period", "2018-2019")
    text = _replace_cell(text, 6, "ParentLocationCode", "AFRICA")
    with pytest.raises(InvalidInput) as info:
        parse_gho(text, file="bad.csv")
    located = {(p.line, p.field) for p in info.value.problems}
    assert located == {(2, "FactValueNumeric"), (4, "SpatialDimValueCode"), (5, "Period"),
                       (6, "ParentLocationCode")}
    assert all(p.file == "bad.csv" for p in info.value.problems)
    assert "'0,5' is not a number" in str(info.value)


def test_same_indicator_country_year_twice_is_a_problem(data_dir: Path) -> None:
    text = _text(data_dir)
    lines = text.splitlines()
    doubled = "\n".join([*lines, lines[1]]) + "\n"
    with pytest.raises(InvalidInput) as info:
        parse_gho(doubled, file="dup.csv")
    [problem] = info.value.problems
    assert problem.line == len(lines) + 1
    assert "first on line 2" in problem.message


def test_not_utf8_is_reported_with_its_line(data_dir: Path) -> None:
    data = (data_dir / "gho_chw.csv").read_bytes().replace(b"Malawi", b"Mal\xe1wi", 1)
    with pytest.raises(InvalidInput) as info:
        parse_gho(data, file="latin1.csv")
    [problem] = info.value.problems
    assert problem.line == 2
    assert "UTF-8" in problem.message


def test_any_indicator_code_is_accepted(data_dir: Path) -> None:
    text = _text(data_dir).replace("HWF_0002", "HWF_0014")
    assert parse_gho(text, file="f.csv").indicators == ["HWF_0001", "HWF_0014"]


def test_empty_file_is_a_problem() -> None:
    with pytest.raises(InvalidInput, match="empty"):
        parse_gho("", file="empty.csv")
