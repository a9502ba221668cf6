"""Cases as one analysis table: one row per case, with its lifetime.

Vocabulary:

lifetime
    How long a programme ran, in years, from ``start_year``. Years are whole calendar years, so
    a lifetime is ``end_year - start_year`` for an ended programme.
event
    The programme ended and a source gives the year: its lifetime is known exactly.
censored
    The programme was still running at ``status_year``: it lasted *at least*
    ``status_year - start_year`` years (right-censored, no event).
interval
    The programme ended but no source gives the year. It ended somewhere between its start and
    the year its status was recorded, so its lifetime lies in ``(0, status_year - start_year]``
    (interval-censored). Such cases are kept, not dropped: the survival curves use them through
    the Turnbull estimator (see :mod:`hrhlessons.synthesis.survival`).
excluded
    Cases that cannot enter a survival analysis, with the reason in ``exclusion``:
    ``not_implemented`` (never ran, so it has no lifetime), ``unknown_status`` (no source says
    whether it still runs), ``no_start_year`` and ``no_status_year`` (no time origin, or no
    time at which it was seen running or ended without a year).

A programme that started and ended in the same calendar year lasted somewhere between a few days
and a year; it is given :data:`ZERO_LIFETIME` (half a year, the middle of that range) rather than
0, and so is a running programme first seen in its start year. On the interval scale the same rule
makes an unknown end lie in ``[ZERO_LIFETIME, status_year - start_year]``.

Region and income group come from lookups the caller passes in (for example from
:mod:`hrhlessons.reference`): ``region_of(iso3)`` and ``income_of(iso3, year)``. A case in several
countries takes the region of its *first* listed country, and the income group of that country in
the case's start year.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import pandas as pd

from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import Condition, Status

#: Lifetime given to a programme that started and ended (or was last seen) in the same year.
ZERO_LIFETIME = 0.5

RegionLookup = Callable[[str], str | None]
IncomeLookup = Callable[[str, int], str | None]

#: Lifetime kinds, in the order used for sorting and counting.
KINDS: tuple[str, ...] = ("event", "censored", "interval", "excluded")

#: Reasons a case is left out of survival analyses, in the order they are checked.
EXCLUSION_REASONS: tuple[str, ...] = (
    "not_implemented",
    "unknown_status",
    "no_start_year",
    "no_status_year",
)

CONDITION_COLUMNS: tuple[str, ...] = tuple(c.value for c in Condition)


def _years(start: int, stop: int) -> float:
    span = float(stop - start)
    return ZERO_LIFETIME if span == 0 else span


def lifetime(case: Case) -> tuple[str, float, float, str | None]:
    """Classify one case's lifetime: ``(kind, lower, upper, exclusion reason)``.

    ``lower == upper`` for an event, ``upper`` is infinite when censored, and both are NaN when
    excluded. Years are measured from ``start_year``.
    """
    nan = math.nan
    if case.status is Status.NOT_IMPLEMENTED:
        return "excluded", nan, nan, "not_implemented"
    if case.status is Status.UNKNOWN:
        return "excluded", nan, nan, "unknown_status"
    if case.start_year is None:
        return "excluded", nan, nan, "no_start_year"
    if case.status is Status.ENDED and case.end_year is not None:
        t = _years(case.start_year, case.end_year)
        return "event", t, t, None
    if case.status_year is None:
        return "excluded", nan, nan, "no_status_year"
    seen = _years(case.start_year, case.status_year)
    if case.status is Status.ENDED:  # ended, year unknown
        # Both bounds equal only when it was seen ended in its start year: then it is exact.
        if seen == ZERO_LIFETIME:
            return "event", seen, seen, None
        return "interval", ZERO_LIFETIME, seen, None
    return "censored", seen, math.inf, None


def cases_frame(
    cases: Iterable[Case],
    *,
    region_of: RegionLookup | None = None,
    income_of: IncomeLookup | None = None,
) -> pd.DataFrame:
    """One row per case: facts, conditions (nullable booleans) and lifetime columns.

    Columns: ``id, name, domain, level, funding, status, trajectory, start_year, end_year,
    status_year, countries`` (ISO3 codes joined by ``;``), ``first_country``, then
    ``who_region`` when ``region_of`` is given and ``income_group`` (at start) when ``income_of``
    is given, one ``boolean`` column per condition, and the lifetime columns ``kind, lower,
    upper, event, exclusion`` (see the module docstring). ``event`` is True for an observed end
    with a known year; ``lower``/``upper`` bound the lifetime in years.
    """
    rows: list[dict[str, object]] = []
    for case in cases:
        kind, lower, upper, reason = lifetime(case)
        first = case.countries[0]
        row: dict[str, object] = {
            "id": case.id,
            "name": case.name,
            "domain": case.domain.value,
            "level": case.level.value,
            "funding": case.funding.value,
            "status": case.status.value,
            "trajectory": case.trajectory.value,
            "start_year": case.start_year,
            "end_year": case.end_year,
            "status_year": case.status_year,
            "countries": ";".join(case.countries),
            "first_country": first,
        }
        if region_of is not None:
            row["who_region"] = region_of(first)
        if income_of is not None:
            row["income_group"] = (
                income_of(first, case.start_year) if case.start_year is not None else None
            )
        for cond in Condition:
            row[cond.value] = case.conditions.get(cond)
        row.update(kind=kind, lower=lower, upper=upper, event=kind == "event", exclusion=reason)
        rows.append(row)
    return _typed(pd.DataFrame(rows, columns=_columns(region_of, income_of)))


def _columns(region_of: object, income_of: object) -> list[str]:
    cols = [
        "id", "name", "domain", "level", "funding", "status", "trajectory",
        "start_year", "end_year", "status_year", "countries", "first_country",
    ]
    if region_of is not None:
        cols.append("who_region")
    if income_of is not None:
        cols.append("income_group")
    cols.extend(CONDITION_COLUMNS)
    cols.extend(["kind", "lower", "upper", "event", "exclusion"])
    return cols


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    for col in ("start_year", "end_year", "status_year"):
        df[col] = df[col].astype("Int64")
    for col in CONDITION_COLUMNS:
        df[col] = df[col].astype("boolean")
    for col in ("lower", "upper"):
        df[col] = df[col].astype("float64")
    df["event"] = df["event"].astype(bool)
    for col in ("who_region", "income_group", "exclusion"):
        if col in df:
            df[col] = df[col].astype("object").where(df[col].notna(), None)
    return df
