"""The compact tables HRH Lessons ships and keeps: their CSV format, reading and writing.

Three tables, plain CSV with a header (UTF-8, ``\\n`` line ends), sorted for stable diffs:

``indicators.csv``
    ``iso3,indicator,year,value``: long form, one value per country, indicator and year.
``countries.csv``
    ``iso3,name,who_region,who_region_name,wb_region,income_group,lending``: one row per
    country; empty cells mean unknown (for example a territory WHO reports on but the World
    Bank does not classify).
``income_history.csv``
    ``iso3,year,group``: World Bank income group by fiscal year (see
    :mod:`hrhlessons.countries.worldbank` for the convention).

Functions here turn text into typed rows and back; they never touch files.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from hrhlessons.countries._read import csv_rows, parse_number, parse_year
from hrhlessons.countries.gho import GhoRecord
from hrhlessons.countries.vocab import INCOME_GROUP_NAMES, ISO3_PATTERN, WHO_REGIONS
from hrhlessons.errors import InvalidInput, Problem

INDICATOR_COLUMNS: tuple[str, ...] = ("iso3", "indicator", "year", "value")
COUNTRY_COLUMNS: tuple[str, ...] = (
    "iso3", "name", "who_region", "who_region_name", "wb_region", "income_group", "lending",
)
INCOME_COLUMNS: tuple[str, ...] = ("iso3", "year", "group")


class Observation(NamedTuple):
    """One value of one indicator for one country in one year (a named tuple: cheap to make by
    the ten thousand, ordered by country, indicator, year)."""

    iso3: str
    indicator: str
    year: int
    value: float


@dataclass(frozen=True)
class CountryMeta:
    """What HRH Lessons knows about a country besides its numbers.

    ``income_group`` is the World Bank code (L, LM, UM, H) from CLASS.xlsx (classification of
    fiscal year 2023, set July 2022); ``income_group_name`` spells it out.
    """

    iso3: str
    name: str
    who_region: str | None
    who_region_name: str | None
    wb_region: str | None
    income_group: str | None
    lending: str | None

    @property
    def income_group_name(self) -> str | None:
        return INCOME_GROUP_NAMES.get(self.income_group or "")


def format_value(value: float) -> str:
    """The shortest text that reads back as the same float (integers without ``.0``)."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _write(columns: tuple[str, ...], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def dump_observations(observations: Iterable[Observation]) -> str:
    return _write(INDICATOR_COLUMNS, ((o.iso3, o.indicator, o.year, format_value(o.value))
                                      for o in sorted(observations)))


def dump_countries(meta: Iterable[CountryMeta]) -> str:
    return _write(COUNTRY_COLUMNS, ((m.iso3, m.name, m.who_region, m.who_region_name, m.wb_region,
                                     m.income_group, m.lending)
                                    for m in sorted(meta, key=lambda m: m.iso3)))


def dump_income_history(rows: Iterable[tuple[str, int, str]]) -> str:
    return _write(INCOME_COLUMNS, sorted(rows))


def load_observations(text: str, *, file: str) -> list[Observation]:
    """Read an indicators table. Raises InvalidInput with every problem.

    A well-formed table (the usual case: the bundled one) takes a fast path; anything odd is read
    again cell by cell, so that every problem is located.
    """
    fast = _observations_fast(text)
    return fast if fast is not None else _observations_checked(text, file)


def _observations_fast(text: str) -> list[Observation] | None:
    reader = csv.reader(io.StringIO(text, newline=""))
    if next(reader, None) != list(INDICATOR_COLUMNS):
        return None
    try:
        out = [Observation(iso3, indicator, int(year), float(value))
               for iso3, indicator, year, value in reader]
    except ValueError:  # a non-number, or a row with more or fewer than four cells
        return None
    keys = {(o.iso3, o.indicator, o.year) for o in out}
    codes = {o.iso3 for o in out}
    if (len(keys) != len(out) or not all(ISO3_PATTERN.match(c) for c in codes)
            or not all(o.indicator and 1000 <= o.year <= 9999 and math.isfinite(o.value)
                       for o in out)):
        return None
    return out


def _observations_checked(text: str, file: str) -> list[Observation]:
    rows, problems = csv_rows(text, file, INDICATOR_COLUMNS)
    out: list[Observation] = []
    seen: set[tuple[str, str, int]] = set()
    for line, row in rows:
        iso3, indicator = row["iso3"], row["indicator"]
        year, value = parse_year(row["year"]), parse_number(row["value"])
        bad = [(f, m) for f, ok, m in (
            ("iso3", ISO3_PATTERN.match(iso3), f"'{iso3}' is not an ISO3 code"),
            ("indicator", indicator, "the indicator code is empty"),
            ("year", year is not None, f"'{row['year']}' is not a year"),
            ("value", value is not None, f"'{row['value']}' is not a number"),
        ) if not ok]
        problems.extend(Problem(file, line, f, m) for f, m in bad)
        if bad or year is None or value is None:
            continue
        if (iso3, indicator, year) in seen:
            problems.append(Problem(file, line, "year",
                                    f"{indicator} {iso3} {year} is given twice"))
            continue
        seen.add((iso3, indicator, year))
        out.append(Observation(iso3, indicator, year, value))
    if problems:
        raise InvalidInput(problems)
    return out


def load_countries(text: str, *, file: str) -> list[CountryMeta]:
    """Read a countries table. Raises InvalidInput with every problem."""
    rows, problems = csv_rows(text, file, COUNTRY_COLUMNS)
    out: list[CountryMeta] = []
    for line, row in rows:
        if not ISO3_PATTERN.match(row["iso3"]):
            problems.append(Problem(file, line, "iso3", f"'{row['iso3']}' is not an ISO3 code"))
            continue
        if row["who_region"] and row["who_region"] not in WHO_REGIONS:
            problems.append(Problem(file, line, "who_region",
                                    f"'{row['who_region']}' is not a WHO region code"))
        if row["income_group"] and row["income_group"] not in INCOME_GROUP_NAMES:
            problems.append(Problem(file, line, "income_group",
                                    f"'{row['income_group']}' is not L, LM, UM or H"))
        out.append(CountryMeta(**{c: (row[c] or None) for c in COUNTRY_COLUMNS}))  # type: ignore[arg-type]
    if problems:
        raise InvalidInput(problems)
    return out


def load_income_history(text: str, *, file: str) -> list[tuple[str, int, str]]:
    """Read an income-history table. Raises InvalidInput with every problem."""
    rows, problems = csv_rows(text, file, INCOME_COLUMNS)
    out: list[tuple[str, int, str]] = []
    for line, row in rows:
        year = parse_year(row["year"])
        if year is None:
            problems.append(Problem(file, line, "year", f"'{row['year']}' is not a year"))
        if row["group"] not in INCOME_GROUP_NAMES:
            problems.append(Problem(file, line, "group", f"'{row['group']}' is not L, LM, UM or H"))
        if year is not None and row["group"] in INCOME_GROUP_NAMES:
            out.append((row["iso3"], year, row["group"]))
    if problems:
        raise InvalidInput(problems)
    return out


def gho_observations(records: Iterable[GhoRecord]) -> list[Observation]:
    return [Observation(r.iso3, r.indicator, r.year, r.value) for r in records]


def merge_observations(
    old: Iterable[Observation], new: Iterable[Observation]
) -> list[Observation]:
    """``old`` with every row of ``new`` replacing the old row of the same country, indicator
    and year; rows of ``new`` are applied in order, so a later one wins."""
    merged = {(o.iso3, o.indicator, o.year): o for o in old}
    for o in new:
        merged[o.iso3, o.indicator, o.year] = o
    return sorted(merged.values())
