"""Importer for WHO Global Health Observatory (GHO) CSV exports.

The GHO portal gives every indicator in the same CSV layout, one row per
indicator-location-period(-dimension): ``IndicatorCode`` names the indicator (several indicators
may share a file, so rows are always keyed on it), ``SpatialDimValueCode`` is the ISO3 code,
``Location type`` tells countries from regions and income groups, ``ParentLocationCode`` is the
WHO region of a country, ``Period`` the year and ``FactValueNumeric`` the value.

:func:`parse_gho` reads any GHO indicator. It keeps country rows only; rows it leaves out on
purpose (regions, empty values, non-yearly periods, breakdowns by sex or other dimensions other
than the total) are counted in :attr:`GhoImport.skipped`, never silently dropped. Anything it
cannot read is a :class:`~hrhlessons.errors.Problem` naming the file, line and column.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from hrhlessons.countries._read import (
    Source,
    csv_rows,
    parse_number,
    parse_year,
    source_text,
)
from hrhlessons.countries.vocab import ISO3_PATTERN, WHO_REGIONS, is_country_code
from hrhlessons.errors import InvalidInput, Problem

REQUIRED_COLUMNS: tuple[str, ...] = (
    "IndicatorCode", "Location type", "SpatialDimValueCode", "ParentLocationCode", "Period",
    "FactValueNumeric",
)
DIMENSION_COLUMNS: tuple[str, ...] = ("Dim1ValueCode", "Dim2ValueCode", "Dim3ValueCode")
#: Dimension values that mean "the total" (both sexes); rows with any other dimension value are
#: breakdowns, which the one-value-per-country-year tables do not hold.
TOTAL_DIMENSION_VALUES: frozenset[str] = frozenset({"SEX_BTSX", "BTSX"})

_INDICATOR_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}\Z")


@dataclass(frozen=True)
class GhoRecord:
    """One country value of one GHO indicator in one year."""

    indicator: str
    iso3: str
    year: int
    value: float
    who_region: str | None
    location: str
    line: int


@dataclass(frozen=True)
class GhoImport:
    """The country values read from one GHO export, and the rows left out (reason -> count)."""

    file: str
    records: tuple[GhoRecord, ...]
    skipped: Mapping[str, int] = field(default_factory=dict)
    indicator_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def indicators(self) -> list[str]:
        return sorted({r.indicator for r in self.records})

    @property
    def countries(self) -> list[str]:
        return sorted({r.iso3 for r in self.records})


def parse_gho(source: Source, *, file: str) -> GhoImport:
    """Read a GHO CSV export (text, bytes or an open file) named ``file`` in messages.

    Raises :class:`~hrhlessons.errors.InvalidInput` with every problem if any row cannot be read:
    a missing column, a country code that is not ISO3, an unknown WHO region, a year or a value
    that is not a number, or the same indicator, country and year given twice.
    """
    text, problems = source_text(source, file)
    if text is None:
        raise InvalidInput(problems)
    rows, problems = csv_rows(text, file, REQUIRED_COLUMNS)
    if problems:
        raise InvalidInput(problems)

    records: list[GhoRecord] = []
    skipped: Counter[str] = Counter()
    names: dict[str, str] = {}
    seen: dict[tuple[str, str, int], int] = {}
    for line, row in rows:
        if row["Location type"] != "Country":
            skipped[f"not a country ({row['Location type'] or 'no Location type'})"] += 1
            continue
        if row.get("Period type", "Year") not in ("Year", ""):
            skipped[f"period is not a year ({row['Period type']})"] += 1
            continue
        dims = [row.get(c, "") for c in DIMENSION_COLUMNS]
        if any(d and d not in TOTAL_DIMENSION_VALUES for d in dims):
            skipped["a breakdown by sex or another dimension, not the total"] += 1
            continue
        if row["FactValueNumeric"] == "":
            skipped["no numeric value"] += 1
            continue
        record, row_problems = _record(row, file, line)
        if record is None:
            problems.extend(row_problems)
            continue
        key = (record.indicator, record.iso3, record.year)
        if key in seen:
            problems.append(Problem(
                file, line, "Period",
                f"{record.indicator} for {record.iso3} in {record.year} is given again here "
                f"(first on line {seen[key]}); keep one row per indicator, country and year",
            ))
            continue
        seen[key] = line
        names.setdefault(record.indicator, row.get("Indicator", ""))
        records.append(record)
    if problems:
        raise InvalidInput(problems)
    return GhoImport(file, tuple(records), dict(skipped), names)


def _record(row: dict[str, str], file: str, line: int) -> tuple[GhoRecord | None, list[Problem]]:
    problems: list[Problem] = []
    indicator = row["IndicatorCode"]
    if not _INDICATOR_CODE.match(indicator):
        problems.append(Problem(file, line, "IndicatorCode",
                                f"'{indicator}' is not a GHO indicator code such as HWF_0001"))
    iso3 = row["SpatialDimValueCode"]
    if not ISO3_PATTERN.match(iso3) or not is_country_code(iso3):
        problems.append(Problem(
            file, line, "SpatialDimValueCode",
            f"'{iso3}' is not an ISO 3166-1 alpha-3 country code; a country row needs one "
            "(for example MWI)",
        ))
    region = row["ParentLocationCode"] or None
    if region is not None and region not in WHO_REGIONS:
        problems.append(Problem(
            file, line, "ParentLocationCode",
            f"'{region}' is not a WHO region code; expected one of {', '.join(WHO_REGIONS)}",
        ))
    year = parse_year(row["Period"])
    if year is None:
        problems.append(Problem(file, line, "Period",
                                f"'{row['Period']}' is not a year such as 2020"))
    value = parse_number(row["FactValueNumeric"])
    if value is None:
        problems.append(Problem(
            file, line, "FactValueNumeric",
            f"'{row['FactValueNumeric']}' is not a number; write plain digits with a '.' "
            "decimal point, as the GHO export does",
        ))
    if problems or year is None or value is None:
        return None, problems
    return GhoRecord(indicator, iso3, year, value, region, row.get("Location", ""), line), []
