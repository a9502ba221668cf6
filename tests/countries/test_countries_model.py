"""CountryReference built from the fixture files: lookups, densities, income history, profiles;
and the table format round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrhlessons.countries import (
    SDG_THRESHOLD,
    WHR2006_THRESHOLD,
    CountryReference,
    Observation,
    parse_class,
    parse_gho,
    parse_oghist,
    parse_population,
    workforce_profile,
)
from hrhlessons.countries.build import build_tables
from hrhlessons.countries.tables import (
    dump_countries,
    dump_income_history,
    dump_observations,
    load_countries,
    load_income_history,
    load_observations,
    merge_observations,
)
from hrhlessons.errors import InvalidInput, UnknownCountry


@pytest.fixture
def reference(data_dir: Path) -> CountryReference:
    gho = [parse_gho((data_dir / f).read_bytes(), file=f)
           for f in ("gho_doctors.csv", "gho_chw.csv")]
    tables = build_tables(
        gho,
        parse_population((data_dir / "population.csv").read_bytes(), file="population.csv"),
        parse_class((data_dir / "CLASS.xlsx").read_bytes(), file="CLASS.xlsx"),
        parse_oghist((data_dir / "OGHIST.xlsx").read_bytes(), file="OGHIST.xlsx"),
    )
    return CountryReference(tables.countries, tables.observations, tables.income_history)


def test_meta_joins_who_and_world_bank(reference: CountryReference) -> None:
    mwi = reference.meta("mwi")
    assert (mwi.name, mwi.who_region, mwi.who_region_name) == ("Malawi", "AFR", "Africa")
    assert (mwi.wb_region, mwi.income_group, mwi.lending) == ("Sub-Saharan Africa", "L", "IDA")
    assert mwi.income_group_name == "Low income"
    assert reference.meta("ABW").who_region is None  # World Bank only
    assert set(reference.all_meta()) == {"ABW", "KEN", "MWI", "VEN"}


def test_unknown_country_raises(reference: CountryReference) -> None:
    with pytest.raises(UnknownCountry, match="'XXX'"):
        reference.meta("XXX")
    with pytest.raises(UnknownCountry):
        reference.series("WLD", "POP")
    assert reference.series("VEN", "HWF_0001") == []  # known, no data
    assert reference.latest("VEN", "HWF_0001") is None


def test_series_and_latest(reference: CountryReference) -> None:
    assert reference.series("MWI", "HWF_0001") == [(2018, 1.52), (2020, 0.5)]
    assert reference.latest("MWI", "HWF_0001") == (2020, 0.5)
    assert reference.latest("KEN", "HWF_0024") == (2018, 58079)
    assert reference.population("MWI", 2019) == 19025752
    assert reference.population("MWI", 1999) is None


def test_densities(reference: CountryReference) -> None:
    assert reference.doctors_density("KEN") == (2018, 1.57)
    assert reference.doctors_density("MWI", 2018) == (2018, 1.52)
    assert reference.doctors_density("MWI", 2019) is None
    year, chw = reference.chw_density("KEN") or (0, 0.0)
    assert year == 2018
    assert chw == pytest.approx(58079 / 50207107 * 10_000)
    # MWI: WHO reports 0 CHWs in 2020, 10,016 in 2018, 10,055 in 2008; a 0 is "not reported".
    assert reference.chw_density("MWI", 2020) is None
    year, _ = reference.chw_density("MWI") or (0, 0.0)
    assert year != 2020
    assert reference.chw_density("MWI", 2008) == (2008, pytest.approx(10055 / 13976417 * 1e4))
    assert reference.nurses_midwives_density("MWI") is None  # not in these fixtures


def test_chw_density_needs_population_of_the_same_year() -> None:
    ref = CountryReference([], [Observation("MWI", "HWF_0024", 2010, 100.0),
                                Observation("MWI", "POP", 2011, 1e6)])
    assert ref.chw_density("MWI") is None
    assert ref.chw_density_series("MWI") == []


def test_income_group_by_fiscal_year(reference: CountryReference) -> None:
    assert reference.income_group_in("MWI", 2023) == "L"
    assert reference.income_group_in("MWI", 1988) is None  # before FY89
    assert reference.income_group_in("MWI", 2024) is None  # after FY23
    assert reference.income_history("MWI")[0] == (1989, "L")


def test_profile_against_thresholds() -> None:
    ref = CountryReference([], [
        Observation("AAA", "HWF_0001", 2019, 10.0), Observation("AAA", "HWF_0006", 2020, 12.8),
        Observation("BBB", "HWF_0001", 2020, 20.0), Observation("BBB", "HWF_0006", 2020, 24.5),
        Observation("CCC", "HWF_0001", 2020, 20.0),
    ])
    a, b, c = (workforce_profile(ref, code) for code in ("AAA", "BBB", "CCC"))
    assert a.doctors_nurses_midwives == pytest.approx(22.8)
    assert (a.meets_whr2006_threshold, a.meets_sdg_threshold) == (True, False)
    assert b.doctors_nurses_midwives == pytest.approx(44.5)
    assert (b.meets_whr2006_threshold, b.meets_sdg_threshold) == (True, True)
    assert c.doctors_nurses_midwives is None and c.meets_sdg_threshold is None
    data = a.to_dict()
    assert data["doctors_per_10000"] == {"year": 2019, "value": 10.0}
    assert (data["sdg_threshold"], data["whr2006_threshold"]) == (SDG_THRESHOLD,
                                                                    WHR2006_THRESHOLD)


def test_thresholds_are_the_published_ones() -> None:
    assert SDG_THRESHOLD == 44.5
    assert WHR2006_THRESHOLD == 22.8


def test_tables_round_trip(reference: CountryReference) -> None:
    meta = list(reference.all_meta().values())
    assert load_countries(dump_countries(meta), file="c.csv") == meta
    history = [("MWI", 2023, "L"), ("ALB", 1992, "LM")]
    assert load_income_history(dump_income_history(history), file="h.csv") == sorted(history)


@given(st.lists(st.builds(
    Observation,
    iso3=st.sampled_from(["MWI", "KEN", "ETH"]),
    indicator=st.sampled_from(["HWF_0001", "POP", "HWF_0024"]),
    year=st.integers(1950, 2030),
    value=st.floats(min_value=0, max_value=1e12, allow_nan=False),
), unique_by=lambda o: (o.iso3, o.indicator, o.year)))
def test_observations_round_trip_exactly(observations: list[Observation]) -> None:
    assert load_observations(dump_observations(observations), file="i.csv") == \
        sorted(observations)


def test_merge_replaces_same_key_and_adds_new() -> None:
    old = [Observation("MWI", "HWF_0001", 2020, 0.5), Observation("MWI", "HWF_0001", 2018, 1.52)]
    new = [Observation("MWI", "HWF_0001", 2020, 0.6), Observation("MWI", "HWF_0001", 2021, 0.7)]
    merged = merge_observations(old, new)
    assert [(o.year, o.value) for o in merged] == [(2018, 1.52), (2020, 0.6), (2021, 0.7)]


def test_bad_table_rows_are_located() -> None:
    text = "iso3,indicator,year,value\nMWI,HWF_0001,2020,0.5\nMW,HWF_0001,20x0,n/a\n"
    with pytest.raises(InvalidInput) as info:
        load_observations(text, file="i.csv")
    assert {(p.line, p.field) for p in info.value.problems} == {(3, "iso3"), (3, "year"),
                                                                (3, "value")}


def test_build_rejects_conflicting_who_regions(data_dir: Path) -> None:
    doctors = parse_gho((data_dir / "gho_doctors.csv").read_bytes(), file="a.csv")
    text = (data_dir / "gho_chw.csv").read_text().replace("AFR,Africa,Country,KEN",
                                                          "EMR,Africa,Country,KEN")
    chw = parse_gho(text, file="b.csv")
    with pytest.raises(InvalidInput, match="KEN is in WHO region EMR here but in AFR"):
        build_tables([doctors, chw], [], [], [])
