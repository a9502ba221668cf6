"""Country reference data in memory: metadata, indicator series, income-group history and the
workforce densities computed from them.

Densities are per 10,000 population. Doctors (HWF_0001) and nurses and midwives (HWF_0006) are
WHO's own densities; the CHW density is computed here as the WHO CHW count (HWF_0024) divided by
the World Bank population of the same year, times 10,000, because GHO gives CHWs only as counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from hrhlessons.countries.tables import CountryMeta, Observation
from hrhlessons.countries.vocab import (
    CHW_COUNT,
    DOCTORS_DENSITY,
    NURSES_MIDWIVES_DENSITY,
    POPULATION,
)
from hrhlessons.errors import UnknownCountry

YearValue = tuple[int, float]


class CountryReference:
    """Metadata, indicator series and income-group history of every country, indexed for lookup.

    Built from typed rows (see :mod:`hrhlessons.countries.tables`); :func:`hrhlessons.reference.
    load_reference` builds the one shipped with HRH Lessons. Country codes are ISO3, upper case
    (lower case is accepted). A code that is neither in the metadata nor in any series raises
    :class:`~hrhlessons.errors.UnknownCountry`; a known country without data gives ``[]``/``None``.
    """

    def __init__(
        self,
        meta: Iterable[CountryMeta],
        observations: Iterable[Observation],
        income_history: Iterable[tuple[str, int, str]] = (),
    ) -> None:
        self._meta: dict[str, CountryMeta] = {m.iso3: m for m in meta}
        series: defaultdict[tuple[str, str], dict[int, float]] = defaultdict(dict)
        for o in observations:
            series[o.iso3, o.indicator][o.year] = o.value
        self._series: dict[tuple[str, str], list[YearValue]] = {
            key: sorted(values.items()) for key, values in series.items()
        }
        self._values: dict[tuple[str, str], dict[int, float]] = dict(series)
        self._codes: frozenset[str] = frozenset(self._meta) | {iso3 for iso3, _ in self._series}
        history: defaultdict[str, dict[int, str]] = defaultdict(dict)
        for iso3, year, group in income_history:
            history[iso3][year] = group
        self._income: dict[str, dict[int, str]] = dict(history)

    # -- lookups -------------------------------------------------------------------------------

    def _code(self, iso3: str) -> str:
        code = iso3.strip().upper()
        if code not in self._codes:
            raise UnknownCountry(iso3)
        return code

    def __contains__(self, iso3: object) -> bool:
        return isinstance(iso3, str) and iso3.strip().upper() in self._codes

    def meta(self, iso3: str) -> CountryMeta:
        """Name, WHO region, World Bank region, income group and lending category."""
        code = self._code(iso3)
        if code not in self._meta:
            raise UnknownCountry(iso3)
        return self._meta[code]

    def all_meta(self) -> dict[str, CountryMeta]:
        """Every country's metadata by ISO3 code, in code order."""
        return dict(sorted(self._meta.items()))

    def indicators(self) -> list[str]:
        """Every indicator code with at least one value."""
        return sorted({indicator for _, indicator in self._series})

    def series(self, iso3: str, indicator: str) -> list[YearValue]:
        """``(year, value)`` pairs of one indicator for one country, oldest first."""
        return list(self._series.get((self._code(iso3), indicator), []))

    def value(self, iso3: str, indicator: str, year: int) -> float | None:
        """The value of an indicator in one year, or ``None``."""
        return self._values.get((self._code(iso3), indicator), {}).get(year)

    def latest(self, iso3: str, indicator: str) -> YearValue | None:
        """The most recent ``(year, value)`` of an indicator, or ``None`` if there is none."""
        values = self._series.get((self._code(iso3), indicator))
        return values[-1] if values else None

    def population(self, iso3: str, year: int) -> float | None:
        """Total population (World Bank) in a year, or ``None``."""
        return self.value(iso3, POPULATION, year)

    def income_group_in(self, iso3: str, year: int) -> str | None:
        """The World Bank income group (L, LM, UM, H) of World Bank fiscal year ``year``.

        Fiscal year ``year`` runs from 1 July ``year - 1`` to 30 June ``year``, so this is the
        classification in effect on 1 January of calendar year ``year``; it was set from GNI per
        capita of ``year - 2``. OGHIST covers FY1989-FY2023; outside that, or for a year a
        country was not classified, the answer is ``None``.
        """
        return self._income.get(self._code(iso3), {}).get(year)

    def income_history(self, iso3: str) -> list[tuple[int, str]]:
        """``(fiscal year, group)`` pairs, oldest first."""
        return sorted(self._income.get(self._code(iso3), {}).items())

    # -- densities per 10,000 ------------------------------------------------------------------

    def _density(self, iso3: str, indicator: str, year: int | None) -> YearValue | None:
        if year is None:
            return self.latest(iso3, indicator)
        value = self.value(iso3, indicator, year)
        return None if value is None else (year, value)

    def doctors_density(self, iso3: str, year: int | None = None) -> YearValue | None:
        """Medical doctors per 10,000 (WHO HWF_0001) in ``year``, or the latest if ``None``."""
        return self._density(iso3, DOCTORS_DENSITY, year)

    def nurses_midwives_density(self, iso3: str, year: int | None = None) -> YearValue | None:
        """Nursing and midwifery personnel per 10,000 (WHO HWF_0006), ``year`` or the latest."""
        return self._density(iso3, NURSES_MIDWIVES_DENSITY, year)

    def chw_density_series(self, iso3: str) -> list[YearValue]:
        """CHWs per 10,000: HWF_0024 count / population of the same year * 10,000, for every
        year that has both (and a population above zero).

        A CHW count of 0 is read as "not reported", not as a country without CHWs: the GHO
        export gives 0 for Malawi in 2020 although it gives 10,016 for 2018, and Malawi's
        health surveillance assistants did not vanish. Such years are left out.
        """
        code = self._code(iso3)
        population = self._values.get((code, POPULATION), {})
        out: list[YearValue] = []
        for year, count in self._series.get((code, CHW_COUNT), []):
            people = population.get(year)
            if people and count > 0:
                out.append((year, count / people * 10_000))
        return out

    def chw_density(self, iso3: str, year: int | None = None) -> YearValue | None:
        """CHWs per 10,000 in ``year``, or in the latest year with both a count and a
        population if ``year`` is ``None``."""
        series = self.chw_density_series(iso3)
        if year is None:
            return series[-1] if series else None
        value = dict(series).get(year)
        return None if value is None else (year, value)
