"""A country's profile: its health workforce over time, against the thresholds, and what the
registry's innovations there teach.

Vocabulary
----------
density
    Workers per 10,000 population. Doctors (WHO GHO HWF_0001) and nurses and midwives
    (HWF_0006) are WHO's densities; CHWs are the HWF_0024 count over the World Bank population
    of the same year (see :meth:`~hrhlessons.countries.model.CountryReference.chw_density_series`).
doctors + nurses and midwives
    The sum of the two densities in the years that have both: what the thresholds count.
threshold
    44.5 per 10,000 (SDG index threshold, WHO *Global Strategy on Human Resources for Health:
    Workforce 2030*, 2016) and 22.8 per 10,000 (*World Health Report 2006*).
gap in people
    ``threshold * population / 10,000 - stock``, where the population is the latest World Bank
    value and the stock is the latest WHO count of doctors (HWF_0002) plus the latest count of
    nurses and midwives (HWF_0007). When a count is missing, the stock is the density times the
    population of the density's year / 10,000, and the profile says so. A positive gap is a
    shortfall; a negative one means the country is above the threshold. Every year used is given.
missing
    Plain sentences for every figure that could not be given; nothing is filled in silently.

Pure: a :class:`~hrhlessons.countries.model.CountryReference` and cases in, an immutable
:class:`CountryProfile` out. Built on :func:`hrhlessons.countries.profiles.workforce_profile`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from hrhlessons.cases.coverage import outcome_group
from hrhlessons.cases.model import Case
from hrhlessons.countries.model import CountryReference, YearValue
from hrhlessons.countries.profiles import WorkforceProfile, workforce_profile
from hrhlessons.countries.vocab import (
    CHW_COUNT,
    DOCTORS_COUNT,
    DOCTORS_DENSITY,
    INCOME_GROUP_NAMES,
    NURSES_MIDWIVES_COUNT,
    NURSES_MIDWIVES_DENSITY,
    POPULATION,
    SDG_THRESHOLD,
    WHR2006_THRESHOLD,
)

GHO = "WHO Global Health Observatory"
SOURCES: dict[str, str] = {
    DOCTORS_DENSITY: f"{GHO}, {DOCTORS_DENSITY}: medical doctors (per 10,000)",
    DOCTORS_COUNT: f"{GHO}, {DOCTORS_COUNT}: medical doctors (number)",
    NURSES_MIDWIVES_DENSITY: f"{GHO}, {NURSES_MIDWIVES_DENSITY}: nursing and midwifery "
                             "personnel (per 10,000)",
    NURSES_MIDWIVES_COUNT: f"{GHO}, {NURSES_MIDWIVES_COUNT}: nursing and midwifery personnel "
                           "(number)",
    CHW_COUNT: f"{GHO}, {CHW_COUNT}: community health workers (number), divided by the World "
               "Bank population of the same year",
    POPULATION: "World Bank, population total (datasets/population data package)",
    "CLASS": "World Bank, CLASS.xlsx (income groups, fiscal year 2023)",
    "OGHIST": "World Bank, OGHIST.xlsx (historical income classifications)",
    "SDG": "WHO, Global Strategy on Human Resources for Health: Workforce 2030 (2016), Annex 1",
    "WHR2006": "WHO, The World Health Report 2006: Working Together for Health",
}


@dataclass(frozen=True)
class DensitySeries:
    """A density per 10,000 over time, with the indicator it comes from."""

    name: str
    label: str
    source: str
    points: tuple[YearValue, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "source": self.source,
                "points": [{"year": y, "value": round(v, 4)} for y, v in self.points]}


@dataclass(frozen=True)
class StockPart:
    """Workers of one cadre in post: a WHO count, or a density times a population."""

    cadre: str
    value: float
    year: int
    source: str
    derived: bool


@dataclass(frozen=True)
class ThresholdGap:
    """Doctors, nurses and midwives against one threshold, in density and in people."""

    name: str
    threshold: float
    threshold_source: str
    density: float | None
    density_years: tuple[int, ...]
    meets: bool | None
    population: YearValue | None
    stock: tuple[StockPart, ...]
    needed: float | None
    gap: float | None

    @property
    def stock_total(self) -> float | None:
        return sum(p.value for p in self.stock) if len(self.stock) == 2 else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "threshold_per_10000": self.threshold,
            "threshold_source": self.threshold_source,
            "doctors_nurses_midwives_per_10000": (None if self.density is None
                                                  else round(self.density, 4)),
            "density_years": list(self.density_years), "meets": self.meets,
            "population": (None if self.population is None
                           else {"year": self.population[0], "value": self.population[1],
                                 "source": SOURCES[POPULATION]}),
            "stock": [{"cadre": p.cadre, "value": round(p.value), "year": p.year,
                       "source": p.source, "derived_from_density": p.derived}
                      for p in self.stock],
            "stock_total": None if self.stock_total is None else round(self.stock_total),
            "needed": None if self.needed is None else round(self.needed),
            "gap_people": None if self.gap is None else round(self.gap),
        }


@dataclass(frozen=True)
class RecordedCase:
    """An innovation recorded in the country, as the profile shows it, with its sources."""

    id: str
    name: str
    domain: str
    status: str
    outcome: str
    start_year: int | None
    end_year: int | None
    status_year: int | None
    status_sources: tuple[int, ...]
    outcomes: tuple[dict[str, Any], ...]
    lessons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "domain": self.domain, "status": self.status,
                "outcome": self.outcome, "start_year": self.start_year,
                "end_year": self.end_year, "status_year": self.status_year,
                "status_sources": list(self.status_sources),
                "outcomes": list(self.outcomes), "lessons": list(self.lessons)}


@dataclass(frozen=True)
class CountryProfile:
    """Everything the country report shows; built once, rendered as Markdown, HTML or JSON."""

    iso3: str
    name: str
    who_region: str | None
    who_region_name: str | None
    wb_region: str | None
    income_group: str | None
    income_history: tuple[tuple[int, str], ...]
    latest: WorkforceProfile
    series: tuple[DensitySeries, ...]
    gaps: tuple[ThresholdGap, ...]
    cases: tuple[RecordedCase, ...]
    missing: tuple[str, ...]

    @property
    def case_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.cases)

    def series_named(self, name: str) -> DensitySeries:
        return next(s for s in self.series if s.name == name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "iso3": self.iso3, "name": self.name,
            "who_region": self.who_region, "who_region_name": self.who_region_name,
            "wb_region": self.wb_region,
            "income_group": {"code": self.income_group,
                             "name": INCOME_GROUP_NAMES.get(self.income_group or ""),
                             "source": SOURCES["CLASS"]},
            "income_history": {"source": SOURCES["OGHIST"],
                               "note": "fiscal year: the group in force on 1 January of that "
                                       "calendar year",
                               "years": [{"year": y, "group": g}
                                         for y, g in self.income_history]},
            "latest": self.latest.to_dict(),
            "series": [s.to_dict() for s in self.series],
            "thresholds": [g.to_dict() for g in self.gaps],
            "cases": [c.to_dict() for c in self.cases],
            "missing": list(self.missing),
            "sources": SOURCES,
        }

    def to_frame(self) -> pd.DataFrame:
        """Densities in long form: series, year, value, source."""
        return pd.DataFrame([{"series": s.name, "year": y, "value": v, "source": s.source}
                             for s in self.series for y, v in s.points],
                            columns=["series", "year", "value", "source"])

    def summary(self) -> str:
        total = self.latest.doctors_nurses_midwives
        dens = "unknown" if total is None else f"{total:.1f} per 10,000"
        return (f"{self.name} ({self.iso3}): doctors, nurses and midwives {dens}; "
                f"{len(self.cases)} innovation(s) recorded; {len(self.missing)} figure(s) "
                "missing")


def _stock(reference: CountryReference, iso3: str, cadre: str, count: str,
           density_indicator: str, density: YearValue | None) -> StockPart | None:
    latest = reference.latest(iso3, count)
    if latest is not None:
        return StockPart(cadre, latest[1], latest[0], SOURCES[count], False)
    if density is None:
        return None
    pop = reference.population(iso3, density[0])
    if pop is None:
        return None
    return StockPart(cadre, density[1] * pop / 10_000, density[0],
                     f"{SOURCES[density_indicator]} x "
                     f"{SOURCES[POPULATION]} ({density[0]}) / 10,000", True)


def _gaps(reference: CountryReference, iso3: str, latest: WorkforceProfile,
          missing: list[str]) -> tuple[ThresholdGap, ...]:
    population = reference.latest(iso3, POPULATION)
    parts = [p for p in (
        _stock(reference, iso3, "doctors", DOCTORS_COUNT, DOCTORS_DENSITY, latest.doctors),
        _stock(reference, iso3, "nurses_midwives", NURSES_MIDWIVES_COUNT,
               NURSES_MIDWIVES_DENSITY, latest.nurses_midwives),
    ) if p is not None]
    for p in parts:
        if p.derived:
            missing.append(f"no WHO count of {p.cadre.replace('_', ' and ')}; the stock is the "
                           f"{p.year} density times the {p.year} population")
    if population is None:
        missing.append("no World Bank population: the gap in people cannot be computed")
    if len(parts) < 2:
        missing.append("the stock of doctors or of nurses and midwives is unknown: the gap in "
                       "people cannot be computed")
    total = latest.doctors_nurses_midwives
    years = tuple(sorted({p[0] for p in (latest.doctors, latest.nurses_midwives) if p}))
    out = []
    for name, threshold, source in (("SDG index threshold", SDG_THRESHOLD, SOURCES["SDG"]),
                                    ("World Health Report 2006 threshold", WHR2006_THRESHOLD,
                                     SOURCES["WHR2006"])):
        needed = None if population is None else threshold * population[1] / 10_000
        stock = sum(p.value for p in parts) if len(parts) == 2 else None
        gap = None if needed is None or stock is None else needed - stock
        out.append(ThresholdGap(name, threshold, source, total, years,
                                None if total is None else total >= threshold,
                                population, tuple(parts), needed, gap))
    return tuple(out)


def _recorded(case: Case) -> RecordedCase:
    return RecordedCase(
        id=case.id, name=case.name, domain=case.domain.value, status=case.status.value,
        outcome=outcome_group(case), start_year=case.start_year, end_year=case.end_year,
        status_year=case.status_year, status_sources=tuple(case.source_numbers("status")),
        outcomes=tuple({"building_block": o.building_block.value, "indicator": o.indicator,
                        "direction": o.direction.value, "evidence": o.evidence.value,
                        "source": o.source + 1} for o in case.outcomes),
        lessons=tuple(case.lessons),
    )


def country_profile(reference: CountryReference, iso3: str,
                    cases: Iterable[Case] = ()) -> CountryProfile:
    """The profile of one country. Raises UnknownCountry for a code not in the reference."""
    meta = reference.meta(iso3)
    code = meta.iso3
    latest = workforce_profile(reference, code)
    missing: list[str] = []
    doctors = reference.series(code, DOCTORS_DENSITY)
    nurses = reference.series(code, NURSES_MIDWIVES_DENSITY)
    chws = reference.chw_density_series(code)
    nd = dict(nurses)
    combined = [(y, v + nd[y]) for y, v in doctors if y in nd]
    for label, points in (("doctors per 10,000 (HWF_0001)", doctors),
                          ("nurses and midwives per 10,000 (HWF_0006)", nurses),
                          ("CHWs per 10,000 (HWF_0024 with population)", chws)):
        if not points:
            missing.append(f"no data on {label} for {meta.name}")
    if doctors and nurses and not combined:
        missing.append("doctors and nurses/midwives are never reported for the same year: "
                       "no combined series")
    zero = [y for y, v in reference.series(code, CHW_COUNT) if v == 0]
    if zero:
        missing.append(f"WHO gives a CHW count of 0 for {', '.join(map(str, zero))}: read as "
                       "not reported and left out of the CHW series")
    if meta.who_region is None:
        missing.append("no WHO region")
    if meta.income_group is None:
        missing.append("no current World Bank income group")
    history = tuple(reference.income_history(code))
    if not history:
        missing.append("no historical World Bank income classification")
    series = (
        DensitySeries("doctors", "Medical doctors", SOURCES[DOCTORS_DENSITY], tuple(doctors)),
        DensitySeries("nurses_midwives", "Nurses and midwives", SOURCES[NURSES_MIDWIVES_DENSITY],
                      tuple(nurses)),
        DensitySeries("doctors_nurses_midwives", "Doctors + nurses and midwives",
                      f"{SOURCES[DOCTORS_DENSITY]} + {SOURCES[NURSES_MIDWIVES_DENSITY]}, "
                      "years with both", tuple(combined)),
        DensitySeries("chw", "Community health workers", SOURCES[CHW_COUNT], tuple(chws)),
    )
    gaps = _gaps(reference, code, latest, missing)
    here = sorted((c for c in cases if code in c.countries),
                  key=lambda c: (c.start_year is None, c.start_year or 0, c.id))
    if not here:
        missing.append(f"no innovation in {meta.name} is recorded in the registry")
    return CountryProfile(
        iso3=code, name=meta.name, who_region=meta.who_region,
        who_region_name=meta.who_region_name, wb_region=meta.wb_region,
        income_group=meta.income_group, income_history=history, latest=latest,
        series=series, gaps=gaps, cases=tuple(_recorded(c) for c in here),
        missing=tuple(missing),
    )
