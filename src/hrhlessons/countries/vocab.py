"""Codes and constants of the country reference data, each with its source.

Vocabulary:

indicator code
    A WHO Global Health Observatory (GHO) indicator code such as ``HWF_0001``, or ``POP`` for the
    World Bank's total population (which is not a GHO indicator).
density
    Health workers per 10,000 population.
WHO region
    One of the six WHO regions, given by GHO exports as ``ParentLocationCode``.
income group
    The World Bank analytical income classification: ``L`` (low), ``LM`` (lower middle), ``UM``
    (upper middle), ``H`` (high). HRH Lessons stores the code; :data:`INCOME_GROUP_NAMES` gives
    the name.
lending category
    The World Bank lending category: ``IDA``, ``IBRD`` or ``Blend``; ``None`` for economies that
    do not borrow (mostly high-income ones).
"""

from __future__ import annotations

import re
from typing import Final

#: An ISO 3166-1 alpha-3 code as the tables and the web parameters hold it (upper case). `\Z`,
#: not `$`: `$` also matches before a final newline.
ISO3_PATTERN: Final = re.compile(r"^[A-Z]{3}\Z")

#: SDG index threshold: 44.5 medical doctors, nurses and midwives per 10,000 population, the
#: density associated with reaching 80% of the UHC/SDG tracer indicators. Source: WHO, *Global
#: Strategy on Human Resources for Health: Workforce 2030* (2016), Annex 1.
SDG_THRESHOLD: Final[float] = 44.5

#: The 2006 World Health Report threshold: 22.8 doctors, nurses and midwives per 10,000 (2.28 per
#: 1,000), the density below which countries were unlikely to reach 80% coverage of skilled birth
#: attendance; 57 countries fell below it. Source: WHO, *The World Health Report 2006: Working
#: Together for Health*.
WHR2006_THRESHOLD: Final[float] = 22.8

#: Medical doctors (per 10,000 population). WHO GHO / National Health Workforce Accounts.
DOCTORS_DENSITY: Final = "HWF_0001"
#: Medical doctors (number).
DOCTORS_COUNT: Final = "HWF_0002"
#: Nursing and midwifery personnel (per 10,000 population).
NURSES_MIDWIVES_DENSITY: Final = "HWF_0006"
#: Nursing and midwifery personnel (number).
NURSES_MIDWIVES_COUNT: Final = "HWF_0007"
#: Community health workers (number).
CHW_COUNT: Final = "HWF_0024"
#: Total population, World Bank (via the ``datasets/population`` data package).
POPULATION: Final = "POP"

#: How a figure from the GHO is credited beside it.
GHO_SOURCE: Final = "World Health Organization, Global Health Observatory"

#: The indicators of the bundled table, with their names.
BUNDLED_INDICATORS: Final[dict[str, str]] = {
    DOCTORS_DENSITY: "Medical doctors (per 10,000)",
    DOCTORS_COUNT: "Medical doctors (number)",
    NURSES_MIDWIVES_DENSITY: "Nursing and midwifery personnel (per 10,000)",
    NURSES_MIDWIVES_COUNT: "Nursing and midwifery personnel (number)",
    CHW_COUNT: "Community health workers (number)",
    POPULATION: "Population, total (World Bank)",
}

#: The six WHO regions, by the code GHO exports give as ``ParentLocationCode``.
WHO_REGIONS: Final[dict[str, str]] = {
    "AFR": "Africa",
    "AMR": "Americas",
    "SEAR": "South-East Asia",
    "EUR": "Europe",
    "EMR": "Eastern Mediterranean",
    "WPR": "Western Pacific",
}

#: World Bank income groups, by the codes OGHIST.xlsx uses.
INCOME_GROUP_NAMES: Final[dict[str, str]] = {
    "L": "Low income",
    "LM": "Lower middle income",
    "UM": "Upper middle income",
    "H": "High income",
}
INCOME_GROUP_CODES: Final[dict[str, str]] = {v: k for k, v in INCOME_GROUP_NAMES.items()}

LENDING_CATEGORIES: Final[frozenset[str]] = frozenset({"IDA", "IBRD", "Blend"})

#: Codes that are countries (economies) for the World Bank and WHO but not ISO 3166-1 alpha-3
#: codes: Kosovo (XKX, a World Bank code) and the Channel Islands (CHI).
NON_ISO_COUNTRY_CODES: Final[dict[str, str]] = {"XKX": "Kosovo", "CHI": "Channel Islands"}


def is_country_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code (current or historic, as pycountry knows them) and
    for the few non-ISO codes in :data:`NON_ISO_COUNTRY_CODES`."""
    import pycountry  # deferred: its database loads on first use

    if code in NON_ISO_COUNTRY_CODES:
        return True
    if pycountry.countries.get(alpha_3=code) is not None:
        return True
    return any(h.alpha_3 == code for h in pycountry.historic_countries)
