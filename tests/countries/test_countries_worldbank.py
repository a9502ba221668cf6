"""World Bank importers on files cut from the shared population CSV, CLASS.xlsx and OGHIST.xlsx."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from hrhlessons.countries.worldbank import (
    fiscal_year,
    parse_class,
    parse_oghist,
    parse_population,
)
from hrhlessons.errors import InvalidInput


def _edit_xlsx(path: Path, sheet: str, cell: str, value: object) -> bytes:
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- population ----------------------------------------------------------------------------------

def test_population_leaves_out_aggregates(data_dir: Path) -> None:
    rows = parse_population((data_dir / "population.csv").read_bytes(), file="population.csv")
    assert {r.iso3 for r in rows} == {"KEN", "MWI"}  # SSF and WLD are aggregates
    values = {(r.iso3, r.year): r.value for r in rows}
    assert values["MWI", 2020] == 19533888  # as in world-bank/population.csv
    assert values["KEN", 2018] == 50207107


def test_population_keeps_only_given_countries(data_dir: Path) -> None:
    rows = parse_population((data_dir / "population.csv").read_text(), file="p.csv",
                            countries={"MWI"})
    assert {r.iso3 for r in rows} == {"MWI"}


def test_population_problems_are_located(data_dir: Path) -> None:
    text = (data_dir / "population.csv").read_text()
    text = text.replace("Kenya,KEN,2019,51202827", "Kenya,KEN,2019,about 51 million")
    text = text.replace("Malawi,MWI,2018,", "Malawi,MWI,20x8,")
    with pytest.raises(InvalidInput) as info:
        parse_population(text, file="p.csv")
    assert {(p.line, p.field) for p in info.value.problems} == {(4, "Value"), (7, "Year")}


def test_population_missing_column(data_dir: Path) -> None:
    text = (data_dir / "population.csv").read_text().replace("Value", "Population", 1)
    with pytest.raises(InvalidInput) as info:
        parse_population(text, file="p.csv")
    assert [(p.line, p.field) for p in info.value.problems] == [(1, "Value")]


# -- CLASS.xlsx ----------------------------------------------------------------------------------

def test_class_economies_without_aggregates(data_dir: Path) -> None:
    economies = {e.iso3: e for e in parse_class((data_dir / "CLASS.xlsx").read_bytes(),
                                                file="CLASS.xlsx")}
    assert set(economies) == {"ABW", "KEN", "MWI", "VEN"}
    # As in CLASS.xlsx (January 2023).
    assert economies["KEN"].income_group == "LM"
    assert economies["KEN"].lending == "Blend"
    assert economies["MWI"].region == "Sub-Saharan Africa"
    assert economies["VEN"].income_group is None  # unclassified since July 2021
    assert economies["ABW"].lending is None


def test_class_unknown_income_group_is_located(data_dir: Path) -> None:
    data = _edit_xlsx(data_dir / "CLASS.xlsx", "List of economies", "D3", "Middle income")
    with pytest.raises(InvalidInput) as info:
        parse_class(data, file="CLASS.xlsx")
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.field) == ("CLASS.xlsx", 3, "Income group")


def test_class_missing_column(data_dir: Path) -> None:
    data = _edit_xlsx(data_dir / "CLASS.xlsx", "List of economies", "E1", "Lending")
    with pytest.raises(InvalidInput) as info:
        parse_class(data, file="CLASS.xlsx")
    assert [(p.line, p.field) for p in info.value.problems] == [(1, "Lending category")]


def test_class_not_a_workbook() -> None:
    with pytest.raises(InvalidInput, match="not an Excel"):
        parse_class(b"Economy,Code\n", file="CLASS.csv")


# -- OGHIST.xlsx ---------------------------------------------------------------------------------

def test_fiscal_year_labels() -> None:
    assert fiscal_year("FY89") == 1989
    assert fiscal_year("FY23") == 2023
    assert fiscal_year("FY00") == 2000
    assert fiscal_year("1989") is None


def test_oghist_groups_by_fiscal_year(data_dir: Path) -> None:
    rows = parse_oghist((data_dir / "OGHIST.xlsx").read_bytes(), file="OGHIST.xlsx")
    groups = {(r.iso3, r.year): r.group for r in rows}
    # As in OGHIST.xlsx, sheet "Country Analytical History".
    assert groups["MWI", 2023] == "L"
    assert groups["ALB", 1992] == "LM"
    assert ("ALB", 1989) not in groups  # '..': not classified
    assert groups["YEM", 1989] == "LM"  # 'LM*' in the sheet
    assert groups["YEM", 2019] == "L"
    assert groups["YUGf", 1989] == "UM"  # former economies are read; the build drops them
    assert len([r for r in rows if r.iso3 == "AFG"]) == 35  # FY89..FY23


def test_oghist_unknown_code_is_located(data_dir: Path) -> None:
    data = _edit_xlsx(data_dir / "OGHIST.xlsx", "Country Analytical History", "D14", "M")
    with pytest.raises(InvalidInput) as info:
        parse_oghist(data, file="OGHIST.xlsx")
    [problem] = info.value.problems
    assert (problem.line, problem.field) == (14, "FY90")
    assert "'M' is not an income group code" in problem.message


def test_oghist_without_the_sheet(data_dir: Path) -> None:
    book = openpyxl.load_workbook(data_dir / "OGHIST.xlsx")
    book["Country Analytical History"].title = "History"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InvalidInput, match="no sheet 'Country Analytical History'"):
        parse_oghist(out.getvalue(), file="OGHIST.xlsx")
