"""Importers for World Bank country data.

- :func:`parse_population`: total population by country and year, in the layout of the
  ``datasets/population`` data package (``Country Name, Country Code, Year, Value``). The file
  also holds aggregates (``WLD`` World, ``SSF`` Sub-Saharan Africa, ...); they are left out,
  keeping only the codes in ``countries`` (by default, every ISO3 country code).
- :func:`parse_class`: ``CLASS.xlsx``, the current classification (region, income group,
  lending category) from its sheet "List of economies". Aggregate rows (no region) are left out.
- :func:`parse_oghist`: ``OGHIST.xlsx``, the historical income classification by World Bank
  fiscal year since FY89, from its sheet "Country Analytical History".

Fiscal-year convention: World Bank fiscal year ``FYnn`` runs from 1 July of year ``nn - 1`` to
30 June of year ``nn``; its income classification was set on 1 July from GNI per capita of
calendar year ``nn - 2`` ("Data for calendar year" in OGHIST). :class:`IncomeGroupYear` stores
the fiscal year as a four-digit ``year`` (FY23 -> 2023). So ``year`` is also the calendar year
on whose 1 January that classification was in effect.

In OGHIST, ``..`` and empty cells mean no classification; ``LM*`` (Yemen, FY89-FY90) is read as
``LM``: the sheet's footnote says Yemen PDR (L) and Yemen Arab Rep. (LM) combined would have been
LM.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from hrhlessons.countries._read import (
    BinarySource,
    Source,
    csv_rows,
    parse_number,
    parse_year,
    source_bytes,
    source_text,
)
from hrhlessons.countries.vocab import (
    INCOME_GROUP_CODES,
    INCOME_GROUP_NAMES,
    ISO3_PATTERN,
    LENDING_CATEGORIES,
    is_country_code,
)
from hrhlessons.errors import InvalidInput, Problem

POPULATION_COLUMNS: tuple[str, ...] = ("Country Name", "Country Code", "Year", "Value")
CLASS_SHEET = "List of economies"
CLASS_COLUMNS: tuple[str, ...] = ("Economy", "Code", "Region", "Income group", "Lending category")
OGHIST_SHEET = "Country Analytical History"
#: Markers OGHIST uses for "no classification".
OGHIST_NO_DATA: frozenset[str] = frozenset({"..", ""})


@dataclass(frozen=True)
class PopulationYear:
    iso3: str
    name: str
    year: int
    value: float


@dataclass(frozen=True)
class Economy:
    """One economy of CLASS.xlsx. ``income_group`` is a code of
    :data:`~hrhlessons.countries.vocab.INCOME_GROUP_NAMES` or ``None`` (unclassified)."""

    iso3: str
    name: str
    region: str
    income_group: str | None
    lending: str | None


@dataclass(frozen=True)
class IncomeGroupYear:
    """The income group of an economy in one World Bank fiscal year (see the module docstring)."""

    iso3: str
    year: int
    group: str


def parse_population(
    source: Source, *, file: str, countries: Collection[str] | None = None
) -> list[PopulationYear]:
    """Population rows of countries; aggregates (codes not in ``countries``, or by default codes
    that are not ISO3 country codes) are left out. Raises InvalidInput with every problem."""
    text, problems = source_text(source, file)
    if text is None:
        raise InvalidInput(problems)
    rows, problems = csv_rows(text, file, POPULATION_COLUMNS)
    if problems:
        raise InvalidInput(problems)
    out: list[PopulationYear] = []
    seen: dict[tuple[str, int], int] = {}
    for line, row in rows:
        code = row["Country Code"]
        if not ISO3_PATTERN.match(code):
            problems.append(Problem(file, line, "Country Code",
                                    f"'{code}' is not a three-letter country code"))
            continue
        if (code not in countries) if countries is not None else not is_country_code(code):
            continue
        year = parse_year(row["Year"])
        value = parse_number(row["Value"])
        if year is None:
            problems.append(Problem(file, line, "Year", f"'{row['Year']}' is not a year"))
        if value is None or value < 0:
            problems.append(Problem(file, line, "Value",
                                    f"'{row['Value']}' is not a population (a number >= 0)"))
        if year is None or value is None or value < 0:
            continue
        if (code, year) in seen:
            problems.append(Problem(file, line, "Year", f"{code} {year} is given again here "
                                                        f"(first on line {seen[code, year]})"))
            continue
        seen[code, year] = line
        out.append(PopulationYear(code, row["Country Name"], year, value))
    if problems:
        raise InvalidInput(problems)
    return out


def _sheet_rows(source: BinarySource, file: str, sheet: str) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(source_bytes(source), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput([Problem(file, None, "", f"not an Excel .xlsx workbook ({exc})")]) \
            from exc
    if sheet not in book.sheetnames:
        raise InvalidInput([Problem(file, None, sheet, f"the workbook has no sheet '{sheet}' "
                                    f"(it has: {', '.join(book.sheetnames)})")])
    try:
        yield from book[sheet].iter_rows(values_only=True)
    finally:
        book.close()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse_class(source: BinarySource, *, file: str) -> list[Economy]:
    """The economies of CLASS.xlsx (bytes or a binary file). Raises InvalidInput."""
    rows = _sheet_rows(source, file, CLASS_SHEET)
    problems: list[Problem] = []
    columns: dict[str, int] | None = None
    out: list[Economy] = []
    for line, row in enumerate(rows, start=1):
        cells = [_text(v) for v in row]
        if columns is None:
            if "Code" in cells and "Economy" in cells:
                missing = [c for c in CLASS_COLUMNS if c not in cells]
                if missing:
                    raise InvalidInput([Problem(file, line, c, f"sheet '{CLASS_SHEET}' has no "
                                                f"column '{c}'") for c in missing])
                columns = {c: cells.index(c) for c in CLASS_COLUMNS}
            continue
        get = dict.fromkeys(CLASS_COLUMNS, "")
        for name, index in columns.items():
            get[name] = cells[index] if index < len(cells) else ""
        if not get["Code"] or not get["Region"]:
            continue  # blank line, or an aggregate such as WLD (aggregates have no region)
        if not ISO3_PATTERN.match(get["Code"]):
            problems.append(Problem(file, line, "Code",
                                    f"'{get['Code']}' is not a three-letter country code"))
        income = get["Income group"] or None
        if income is not None and income not in INCOME_GROUP_CODES:
            problems.append(Problem(
                file, line, "Income group",
                f"'{income}' is not a World Bank income group; expected one of "
                f"{', '.join(INCOME_GROUP_CODES)} or an empty cell",
            ))
        lending = get["Lending category"] or None
        if lending == "..":
            lending = None
        if lending is not None and lending not in LENDING_CATEGORIES:
            problems.append(Problem(
                file, line, "Lending category",
                f"'{lending}' is not a lending category; expected IDA, IBRD, Blend or empty",
            ))
        out.append(Economy(get["Code"], get["Economy"], get["Region"],
                           INCOME_GROUP_CODES.get(income or ""), lending))
    if columns is None:
        raise InvalidInput([Problem(file, None, "Code", f"sheet '{CLASS_SHEET}' has no header "
                                    "row with 'Economy' and 'Code' columns")])
    if problems:
        raise InvalidInput(problems)
    return out


_FISCAL_YEAR = re.compile(r"^FY(\d{2})\Z")


def fiscal_year(label: str) -> int | None:
    """``"FY23"`` -> 2023, ``"FY89"`` -> 1989; ``None`` if the label is not a fiscal year."""
    match = _FISCAL_YEAR.match(label)
    if match is None:
        return None
    short = int(match.group(1))
    return (1900 if short >= 50 else 2000) + short


def parse_oghist(source: BinarySource, *, file: str) -> list[IncomeGroupYear]:
    """Income groups by fiscal year from OGHIST.xlsx (bytes or a binary file).

    The header is the row of ``FYnn`` labels; an economy row has its code in column A and its
    name in column B. Raises InvalidInput if a cell holds anything but L, LM, LM*, UM, H or ``..``.
    """
    rows = _sheet_rows(source, file, OGHIST_SHEET)
    problems: list[Problem] = []
    years: dict[int, tuple[int, str]] | None = None  # column index -> (year, label)
    out: list[IncomeGroupYear] = []
    for line, row in enumerate(rows, start=1):
        cells = [_text(v) for v in row]
        if years is None:
            found = {i: (y, c) for i, c in enumerate(cells) if (y := fiscal_year(c)) is not None}
            if found:
                years = found
            continue
        code = cells[0] if cells else ""
        if not code or len(cells) < 2 or not cells[1]:
            continue  # blank, threshold or footnote line
        for index, (year, label) in years.items():
            cell = cells[index] if index < len(cells) else ""
            if cell in OGHIST_NO_DATA:
                continue
            group = cell.removesuffix("*")
            if group not in INCOME_GROUP_NAMES:
                problems.append(Problem(
                    file, line, label,
                    f"'{cell}' is not an income group code; expected L, LM, UM, H or '..'",
                ))
                continue
            out.append(IncomeGroupYear(code, year, group))
    if years is None:
        raise InvalidInput([Problem(file, None, "FY", f"sheet '{OGHIST_SHEET}' has no header row "
                                    "of fiscal years (FY89, FY90, ...)")])
    if problems:
        raise InvalidInput(problems)
    return out
