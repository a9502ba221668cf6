"""Country reference data: WHO health-workforce indicators, World Bank population and
classifications, and the densities and thresholds computed from them.

Modules:

- :mod:`~hrhlessons.countries.gho`: importer for WHO GHO CSV exports (any indicator).
- :mod:`~hrhlessons.countries.worldbank`: population CSV, CLASS.xlsx, OGHIST.xlsx.
- :mod:`~hrhlessons.countries.tables`: the compact bundled tables, as text.
- :mod:`~hrhlessons.countries.build`: joining parsed sources into those tables.
- :mod:`~hrhlessons.countries.model`: :class:`CountryReference`, lookups and densities.
- :mod:`~hrhlessons.countries.profiles`: latest densities against the thresholds.
- :mod:`~hrhlessons.countries.vocab`: codes and constants with their sources.

All are pure (no file access); :func:`hrhlessons.reference.load_reference` loads the tables.
"""

from __future__ import annotations

from hrhlessons.countries.gho import GhoImport, GhoRecord, parse_gho
from hrhlessons.countries.model import CountryReference, YearValue
from hrhlessons.countries.profiles import WorkforceProfile, workforce_profile, workforce_profiles
from hrhlessons.countries.tables import CountryMeta, Observation
from hrhlessons.countries.vocab import (
    BUNDLED_INDICATORS,
    CHW_COUNT,
    DOCTORS_COUNT,
    DOCTORS_DENSITY,
    INCOME_GROUP_NAMES,
    NURSES_MIDWIVES_COUNT,
    NURSES_MIDWIVES_DENSITY,
    POPULATION,
    SDG_THRESHOLD,
    WHO_REGIONS,
    WHR2006_THRESHOLD,
)
from hrhlessons.countries.worldbank import parse_class, parse_oghist, parse_population

__all__ = [
    "BUNDLED_INDICATORS",
    "CHW_COUNT",
    "DOCTORS_COUNT",
    "DOCTORS_DENSITY",
    "INCOME_GROUP_NAMES",
    "NURSES_MIDWIVES_COUNT",
    "NURSES_MIDWIVES_DENSITY",
    "POPULATION",
    "SDG_THRESHOLD",
    "WHO_REGIONS",
    "WHR2006_THRESHOLD",
    "CountryMeta",
    "CountryReference",
    "GhoImport",
    "GhoRecord",
    "Observation",
    "WorkforceProfile",
    "YearValue",
    "parse_class",
    "parse_gho",
    "parse_oghist",
    "parse_population",
    "workforce_profile",
    "workforce_profiles",
]
