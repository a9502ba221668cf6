"""Workforce density profiles: a country's latest densities against the two thresholds.

The thresholds count medical doctors, nurses and midwives, so :attr:`WorkforceProfile.
doctors_nurses_midwives` is the sum of the two WHO densities (HWF_0001 + HWF_0006), each at its
own latest year (the years are reported with it, and may differ). CHWs are shown beside it but
not added: neither threshold counts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hrhlessons.countries.model import CountryReference, YearValue
from hrhlessons.countries.tables import CountryMeta
from hrhlessons.countries.vocab import SDG_THRESHOLD, WHR2006_THRESHOLD
from hrhlessons.errors import UnknownCountry


@dataclass(frozen=True)
class WorkforceProfile:
    """Latest densities per 10,000 of one country, with their years."""

    iso3: str
    meta: CountryMeta | None
    doctors: YearValue | None
    nurses_midwives: YearValue | None
    chws: YearValue | None

    @property
    def doctors_nurses_midwives(self) -> float | None:
        """Doctors + nurses and midwives per 10,000, or ``None`` unless both are known."""
        if self.doctors is None or self.nurses_midwives is None:
            return None
        return self.doctors[1] + self.nurses_midwives[1]

    @property
    def meets_sdg_threshold(self) -> bool | None:
        """At or above 44.5 per 10,000 (:data:`~hrhlessons.countries.vocab.SDG_THRESHOLD`)."""
        total = self.doctors_nurses_midwives
        return None if total is None else total >= SDG_THRESHOLD

    @property
    def meets_whr2006_threshold(self) -> bool | None:
        """At or above 22.8 per 10,000 (:data:`~hrhlessons.countries.vocab.WHR2006_THRESHOLD`)."""
        total = self.doctors_nurses_midwives
        return None if total is None else total >= WHR2006_THRESHOLD

    def to_dict(self) -> dict[str, Any]:
        def pair(p: YearValue | None) -> dict[str, Any] | None:
            return None if p is None else {"year": p[0], "value": round(p[1], 4)}

        meta = self.meta
        total = self.doctors_nurses_midwives
        return {
            "iso3": self.iso3,
            "name": meta.name if meta else None,
            "who_region": meta.who_region if meta else None,
            "who_region_name": meta.who_region_name if meta else None,
            "wb_region": meta.wb_region if meta else None,
            "income_group": meta.income_group if meta else None,
            "income_group_name": meta.income_group_name if meta else None,
            "doctors_per_10000": pair(self.doctors),
            "nurses_midwives_per_10000": pair(self.nurses_midwives),
            "chws_per_10000": pair(self.chws),
            "doctors_nurses_midwives_per_10000": None if total is None else round(total, 4),
            "sdg_threshold": SDG_THRESHOLD,
            "meets_sdg_threshold": self.meets_sdg_threshold,
            "whr2006_threshold": WHR2006_THRESHOLD,
            "meets_whr2006_threshold": self.meets_whr2006_threshold,
        }


def workforce_profile(reference: CountryReference, iso3: str) -> WorkforceProfile:
    """The latest densities of one country. Raises UnknownCountry for an unknown code."""
    code = iso3.strip().upper()
    try:
        meta: CountryMeta | None = reference.meta(code)
    except UnknownCountry:
        meta = None  # a code with series but no metadata; an unknown code raises below
    return WorkforceProfile(
        iso3=code,
        meta=meta,
        doctors=reference.doctors_density(code),
        nurses_midwives=reference.nurses_midwives_density(code),
        chws=reference.chw_density(code),
    )


def workforce_profiles(reference: CountryReference) -> list[WorkforceProfile]:
    """The profile of every country in the metadata, in ISO3 order."""
    return [workforce_profile(reference, iso3) for iso3 in reference.all_meta()]
