"""Country profiles: series, thresholds, the gap in people, cases and missing data."""

from __future__ import annotations

import pytest

from hrhlessons.cases.model import Case
from hrhlessons.countries.countryplots import density_trend, to_svg
from hrhlessons.countries.lessons import country_profile
from hrhlessons.countries.model import CountryReference
from hrhlessons.countries.tables import CountryMeta, Observation
from hrhlessons.errors import UnknownCountry


def _meta(iso3: str, income: str | None = "L") -> CountryMeta:
    return CountryMeta(iso3, f"Country {iso3}", "AFR", "Africa", "Sub-Saharan Africa", income,
                       "IDA")


@pytest.fixture
def ref() -> CountryReference:
    o = Observation
    obs = [
        o("AAA", "HWF_0001", 2018, 1.0), o("AAA", "HWF_0001", 2020, 2.0),
        o("AAA", "HWF_0006", 2020, 8.0),
        o("AAA", "HWF_0002", 2020, 200.0), o("AAA", "HWF_0007", 2020, 800.0),
        o("AAA", "HWF_0024", 2020, 500.0), o("AAA", "HWF_0024", 2021, 0.0),
        o("AAA", "POP", 2020, 1_000_000.0), o("AAA", "POP", 2021, 1_100_000.0),
        # BBB: densities but no counts
        o("BBB", "HWF_0001", 2019, 3.0), o("BBB", "HWF_0006", 2019, 20.0),
        o("BBB", "POP", 2019, 2_000_000.0), o("BBB", "POP", 2022, 2_200_000.0),
    ]
    income = [("AAA", 2019, "L"), ("AAA", 2020, "LM"), ("AAA", 2021, "LM")]
    return CountryReference([_meta("AAA"), _meta("BBB"), _meta("CCC", None)], obs, income)


def _case(cid: str, country: str) -> Case:
    return Case.model_validate({
        "id": cid, "name": "A programme", "countries": [country], "level": "national",
        "domain": "community_health_workers", "description": "d", "status": "ended",
        "start_year": 2001, "end_year": 2009, "provenance": {"status": [1]},
        "outcomes": [{"building_block": "service_delivery", "indicator": "visits",
                      "direction": "improved", "evidence": "observational", "source": 1}],
        "lessons": ["pay them on time"],
        "sources": [{"title": "a", "url": "https://a.org"}, {"title": "b"}],
    })


def test_series_by_year_with_sources(ref: CountryReference) -> None:
    p = country_profile(ref, "aaa")
    assert p.series_named("doctors").points == ((2018, 1.0), (2020, 2.0))
    assert p.series_named("doctors_nurses_midwives").points == ((2020, 10.0),)
    # CHW: 500 / 1,000,000 * 10,000 = 5; the 2021 count of 0 is left out and said.
    assert p.series_named("chw").points == ((2020, 5.0),)
    assert any("count of 0 for 2021" in m for m in p.missing)
    assert "HWF_0001" in p.series_named("doctors").source
    frame = p.to_frame()
    assert set(frame["series"]) == {"doctors", "nurses_midwives", "doctors_nurses_midwives",
                                    "chw"}


def test_gap_in_people_uses_counts_and_the_latest_population(ref: CountryReference) -> None:
    p = country_profile(ref, "AAA")
    sdg, whr = p.gaps
    # Stock 200 + 800 = 1,000 (2020 counts); population 1,100,000 (2021).
    assert sdg.threshold == 44.5 and sdg.density == 10.0 and sdg.meets is False
    assert sdg.population == (2021, 1_100_000.0)
    assert sdg.needed == pytest.approx(44.5 * 110) and sdg.gap == pytest.approx(4895 - 1000)
    assert whr.needed == pytest.approx(22.8 * 110) and whr.gap == pytest.approx(2508 - 1000)
    assert all(not part.derived for part in sdg.stock)
    d = sdg.to_dict()
    assert d["gap_people"] == 3895 and d["stock_total"] == 1000
    assert d["population"]["year"] == 2021


def test_stock_is_derived_from_density_when_no_count_and_said(ref: CountryReference) -> None:
    p = country_profile(ref, "BBB")
    sdg = p.gaps[0]
    # 3 and 20 per 10,000 of the 2019 population of 2,000,000: 600 + 4,000.
    assert [part.value for part in sdg.stock] == [pytest.approx(600), pytest.approx(4000)]
    assert all(part.derived for part in sdg.stock)
    assert sdg.gap == pytest.approx(44.5 * 220 - 4600)
    # 3 + 20 = 23 per 10,000: below 44.5, above 22.8.
    assert sdg.meets is False and p.gaps[1].meets is True
    assert sum("no WHO count" in m for m in p.missing) == 2


def test_missing_data_is_said_not_filled(ref: CountryReference) -> None:
    p = country_profile(ref, "CCC")
    assert all(not s.points for s in p.series)
    assert p.gaps[0].gap is None and p.gaps[0].density is None and p.gaps[0].meets is None
    text = " ".join(p.missing)
    for phrase in ("no data on doctors", "no World Bank population", "no current World Bank "
                   "income group", "no historical", "no innovation"):
        assert phrase in text


def test_income_group_now_and_by_year(ref: CountryReference) -> None:
    p = country_profile(ref, "AAA")
    assert p.income_group == "L"
    assert p.income_history == ((2019, "L"), (2020, "LM"), (2021, "LM"))
    assert p.to_dict()["income_history"]["years"][1] == {"year": 2020, "group": "LM"}


def test_cases_recorded_there_with_outcomes_and_lessons(ref: CountryReference) -> None:
    p = country_profile(ref, "AAA", [_case("aaa-one", "AAA"), _case("bbb-two", "BBB")])
    assert p.case_ids == ("aaa-one",)
    c = p.cases[0]
    assert c.outcome == "ended" and c.status_sources == (2,)
    assert c.outcomes[0]["source"] == 2  # shown numbered from 1
    assert c.lessons == ("pay them on time",)
    assert "1 innovation(s)" in p.summary()


def test_unknown_country_raises(ref: CountryReference) -> None:
    with pytest.raises(UnknownCountry):
        country_profile(ref, "ZZZ")


def test_density_trend_figure_has_the_series_and_thresholds(ref: CountryReference) -> None:
    fig = density_trend(country_profile(ref, "AAA"))
    ax = fig.axes[0]
    labels = [str(line.get_label()) for line in ax.get_lines()]
    assert "Medical doctors" in labels and "Community health workers" in labels
    assert any(label.startswith("SDG index threshold 44.5") for label in labels)
    assert any(label.startswith("WHR 2006 threshold 22.8") for label in labels)
    assert to_svg(fig).lstrip().startswith("<?xml")


def test_every_bundled_country_has_a_profile() -> None:
    from hrhlessons.reference import load_reference

    ref = load_reference()
    profiles = [country_profile(ref, iso3) for iso3 in ref.all_meta()]
    assert len(profiles) == len(ref.all_meta()) > 200
    mwi = next(p for p in profiles if p.iso3 == "MWI")
    assert mwi.who_region == "AFR" and mwi.gaps[0].meets is False
    assert mwi.gaps[0].gap is not None and mwi.gaps[0].gap > 0
