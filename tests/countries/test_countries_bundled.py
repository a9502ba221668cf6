"""The bundled tables against their sources: expected values were read by hand from the shared
source files (who-gho/*.csv, world-bank/population.csv, CLASS.xlsx, OGHIST.xlsx, as updated by
WHO in Jan-Feb 2022 and by the World Bank in January 2023), not from the bundled output."""

from __future__ import annotations

import pytest

from hrhlessons.countries import BUNDLED_INDICATORS, CountryReference
from hrhlessons.reference import bundled_dir, load_reference


@pytest.fixture(scope="module")
def bundled() -> CountryReference:
    return load_reference()


def test_malawi_latest_doctor_density_is_the_sources(bundled: CountryReference) -> None:
    # medical_doctors_per10000.csv: HWF_0001, MWI, 2020, IsLatestYear TRUE, 0.5
    assert bundled.latest("MWI", "HWF_0001") == (2020, 0.5)
    assert bundled.doctors_density("MWI") == (2020, 0.5)
    # ... and 1.52 in 2018
    assert bundled.value("MWI", "HWF_0001", 2018) == 1.52


@pytest.mark.parametrize(("iso3", "indicator", "year", "value"), [
    ("KEN", "HWF_0001", 2018, 1.57),       # medical_doctors_per10000.csv
    ("KEN", "HWF_0006", 2018, 11.66),      # nursing_midwives_per10000.csv
    ("MWI", "HWF_0006", 2020, 7.09),
    ("MWI", "HWF_0007", 2020, 13564),
    ("MWI", "HWF_0002", 2018, 2760),
    ("IND", "HWF_0024", 2020, 1097609),    # chw_count.csv
    ("MWI", "HWF_0024", 2018, 10016),
    ("KEN", "POP", 2018, 50207107),        # population.csv
    ("MWI", "POP", 2024, 21655286),
])
def test_spot_values(bundled: CountryReference, iso3: str, indicator: str, year: int,
                     value: float) -> None:
    assert bundled.value(iso3, indicator, year) == value


def test_only_the_bundled_indicators(bundled: CountryReference) -> None:
    assert bundled.indicators() == sorted(BUNDLED_INDICATORS)


def test_kenya_chw_density_uses_population_of_the_same_year(bundled: CountryReference) -> None:
    # chw_count.csv KEN 2018: 58079; population.csv KEN 2018: 50207107
    assert bundled.chw_density("KEN") == (2018, pytest.approx(58079 / 50207107 * 10_000))


def test_country_metadata(bundled: CountryReference) -> None:
    ken = bundled.meta("KEN")
    # CLASS.xlsx: Kenya, Sub-Saharan Africa, Lower middle income, Blend; GHO: AFR
    assert (ken.wb_region, ken.income_group, ken.lending) == ("Sub-Saharan Africa", "LM", "Blend")
    assert (ken.who_region, ken.who_region_name) == ("AFR", "Africa")
    assert bundled.meta("TZA").name == "United Republic of Tanzania"  # WHO's name
    assert bundled.meta("COK").wb_region is None  # WHO only
    assert bundled.meta("XKX").income_group == "UM"  # World Bank only
    assert "WLD" not in bundled  # aggregates are not countries
    assert "SSF" not in bundled
    assert len(bundled.all_meta()) > 200


def test_income_history(bundled: CountryReference) -> None:
    # OGHIST.xlsx: Malawi L throughout; Albania '..' FY89-FY91, LM in FY92; Yemen 'LM*' FY89
    assert bundled.income_group_in("MWI", 2023) == "L"
    assert bundled.income_group_in("ALB", 1991) is None
    assert bundled.income_group_in("ALB", 1992) == "LM"
    assert bundled.income_group_in("YEM", 1989) == "LM"
    assert bundled.income_group_in("GHA", 2011) == "L"  # OGHIST: Ghana FY11 L, FY12 LM
    assert bundled.income_group_in("GHA", 2012) == "LM"


def test_bundled_files_are_documented_and_small() -> None:
    folder = bundled_dir()
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for phrase in ("CC BY-NC-SA 3.0 IGO", "World Health Organization, Global Health Observatory",
                   "CC BY 4.0", "PDDL", "January 2023"):
        assert phrase in readme
    sizes = [p.stat().st_size for p in folder.iterdir() if p.suffix in {".csv", ".gz"}]
    assert len(sizes) == 3
    assert max(sizes) < 1_100_000
