"""Building the bundled country tables from parsed WHO and World Bank sources (pure).

``scripts/build_country_data.py`` reads the source files, calls the parsers and
:func:`build_tables`, and writes the result into ``hrhlessons/data/countries/``.

Choices:

- Indicators: the GHO rows of :data:`~hrhlessons.countries.vocab.BUNDLED_INDICATORS` plus
  population as ``POP``, for every country in the metadata.
- Countries: every economy of CLASS.xlsx plus every country WHO reports on. The name is WHO's
  (``Location``) where WHO has the country, else the World Bank's; the WHO region comes from the
  GHO rows' ``ParentLocationCode``; region, income group and lending category from CLASS.
- Income history: OGHIST rows of the countries in the metadata (former economies such as the
  USSR are left out).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hrhlessons.countries.gho import GhoImport
from hrhlessons.countries.tables import CountryMeta, Observation
from hrhlessons.countries.vocab import BUNDLED_INDICATORS, POPULATION, WHO_REGIONS
from hrhlessons.countries.worldbank import Economy, IncomeGroupYear, PopulationYear
from hrhlessons.errors import InvalidInput, Problem


@dataclass(frozen=True)
class CountryTables:
    countries: list[CountryMeta]
    observations: list[Observation]
    income_history: list[tuple[str, int, str]]


def build_tables(
    gho: Iterable[GhoImport],
    population: Iterable[PopulationYear],
    economies: Iterable[Economy],
    oghist: Iterable[IncomeGroupYear],
    indicators: Iterable[str] | None = None,
) -> CountryTables:
    """Join the parsed sources into the three bundled tables; ``indicators`` defaults to the
    GHO codes of :data:`~hrhlessons.countries.vocab.BUNDLED_INDICATORS`.

    Raises InvalidInput if two GHO files disagree on a country's WHO region or give the same
    indicator, country and year twice.
    """
    wanted = (set(indicators) if indicators is not None
              else {c for c in BUNDLED_INDICATORS if c != POPULATION})
    problems: list[Problem] = []
    who: dict[str, tuple[str | None, str, str]] = {}  # iso3 -> (region, name, where)
    observations: dict[tuple[str, str, int], tuple[Observation, str]] = {}
    for part in gho:
        for r in part.records:
            where = f"{part.file}:{r.line}"
            known = who.get(r.iso3)
            if known is not None and r.who_region and known[0] and known[0] != r.who_region:
                problems.append(Problem(part.file, r.line, "ParentLocationCode",
                                        f"{r.iso3} is in WHO region {r.who_region} here but in "
                                        f"{known[0]} at {known[2]}"))
            if known is None or (known[0] is None and r.who_region):
                who[r.iso3] = (r.who_region, r.location or r.iso3, where)
            if r.indicator not in wanted:
                continue
            key = (r.iso3, r.indicator, r.year)
            if key in observations:
                problems.append(Problem(part.file, r.line, "IndicatorCode",
                                        f"{r.indicator} {r.iso3} {r.year} was already given at "
                                        f"{observations[key][1]}"))
                continue
            observations[key] = (Observation(r.iso3, r.indicator, r.year, r.value), where)
    if problems:
        raise InvalidInput(problems)

    wb = {e.iso3: e for e in economies}
    countries: list[CountryMeta] = []
    for iso3 in sorted(set(wb) | set(who)):
        e = wb.get(iso3)
        region, who_name, _ = who.get(iso3, (None, "", ""))
        countries.append(CountryMeta(
            iso3=iso3,
            name=who_name or (e.name if e else iso3),
            who_region=region,
            who_region_name=WHO_REGIONS.get(region or ""),
            wb_region=e.region if e else None,
            income_group=e.income_group if e else None,
            lending=e.lending if e else None,
        ))
    codes = {c.iso3 for c in countries}
    rows = [o for o, _ in observations.values()]
    rows += [Observation(p.iso3, POPULATION, p.year, p.value) for p in population
             if p.iso3 in codes]
    history = sorted({(h.iso3, h.year, h.group) for h in oghist if h.iso3 in codes})
    return CountryTables(countries, sorted(rows), history)
