"""The deterministic projection, checked by hand; target year, required intake, needs, costs,
validation and defaults from a country's data."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hrhlessons.adapt.projection import (
    CadreParameters,
    ServiceNorm,
    UnitCosts,
    defaults_from_country,
    project,
    project_cadres,
    required_intake,
    with_intake,
)
from hrhlessons.errors import HRHError, InvalidInput


def small(**changes: object) -> CadreParameters:
    """Stock 100, intake 10, duration 2, completion 0.5, attrition 0.1, 2020-2022."""
    base = CadreParameters(
        cadre="doctors", stock=100.0, population=100_000.0, population_growth=0.02,
        intake=10.0, duration=2, completion=0.5, attrition=0.1, start=2020, end=2022,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# The model, by hand


def test_small_projection_by_hand() -> None:
    # Intake is 10 every year, before 2020 too, so graduates are 10 x 0.5 = 5 every year.
    # stock: 2020 = 100 (given); 2021 = 100 x 0.9 + 5 = 95; 2022 = 95 x 0.9 + 5 = 90.5
    # population: 100,000; 102,000; 104,040
    # density: 100/100,000 x 10,000 = 10; 95/102,000 x 10,000 = 9.3137...; 90.5/104,040 x 10,000
    r = project(small())
    assert r.years == (2020, 2021, 2022)
    assert r.graduates == pytest.approx((5.0, 5.0, 5.0))
    assert r.stock == pytest.approx((100.0, 95.0, 90.5))
    assert r.population == pytest.approx((100_000.0, 102_000.0, 104_040.0))
    assert r.density == pytest.approx((10.0, 95 / 102_000 * 10_000, 90.5 / 104_040 * 10_000))
    assert r.target_year is None
    assert r.need is None and r.gap is None and r.costs is None


def test_intake_growth_shows_after_the_training_duration() -> None:
    # intake: 2020 = 10, 2021 = 15, 2022 = 22.5, 2023 = 33.75; before 2020 = 10.
    # graduates[t] = intake[t - 2] x 0.5: 2020 = 5 (2018), 2021 = 5 (2019), 2022 = 5 (2020),
    # 2023 = 15 x 0.5 = 7.5 (2021).
    # stock 2023 = 90.5 x 0.9 + 7.5 = 81.45 + 7.5 = 88.95
    r = project(small(intake_growth=0.5, end=2023))
    assert r.intake == pytest.approx((10.0, 15.0, 22.5, 33.75))
    assert r.graduates == pytest.approx((5.0, 5.0, 5.0, 7.5))
    assert r.stock == pytest.approx((100.0, 95.0, 90.5, 88.95))


def test_prior_intake_sets_the_pipeline_already_in_training() -> None:
    # Cohorts of 2018 and 2019 were 20: graduates 2020 = 10, 2021 = 10; 2022 = 10 x 0.5 = 5.
    # stock: 100; 100 x 0.9 + 10 = 100; 100 x 0.9 + 5 = 95
    r = project(small(prior_intake=20.0))
    assert r.graduates == pytest.approx((10.0, 10.0, 5.0))
    assert r.stock == pytest.approx((100.0, 100.0, 95.0))


def test_duration_zero_graduates_in_the_year_of_intake() -> None:
    # graduates = intake x 0.5 in the same year: 5, 10, 20 with intake 10, 20, 40
    r = project(small(duration=0, intake_growth=1.0))
    assert r.graduates == pytest.approx((5.0, 10.0, 20.0))
    # stock: 100; 90 + 10 = 100; 90 + 20 = 110
    assert r.stock == pytest.approx((100.0, 100.0, 110.0))


def test_one_year_horizon_is_the_start_year_alone() -> None:
    r = project(small(end=2020))
    assert r.years == (2020,)
    assert r.stock == (100.0,)


# ---------------------------------------------------------------------------------------------
# Target year


def steady(**changes: object) -> CadreParameters:
    # Intake 30, no training lag, all graduate, attrition 0.1, population fixed at 100,000:
    # stock 100, 100 x 0.9 + 30 = 120, 120 x 0.9 + 30 = 138 -> density 10, 12, 13.8
    base = small(intake=30.0, duration=0, completion=1.0, population_growth=0.0)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_target_year_is_the_first_year_density_reaches_the_target() -> None:
    assert project(steady()).density == pytest.approx((10.0, 12.0, 13.8))
    assert project(steady(target_density=11.0)).target_year == 2021
    assert project(steady(target_density=12.0)).target_year == 2021  # reaching is enough
    assert project(steady(target_density=13.0)).target_year == 2022


def test_target_already_met_in_start_year() -> None:
    assert project(steady(target_density=10.0)).target_year == 2020


def test_target_not_reached_within_the_horizon_is_none() -> None:
    assert project(steady(target_density=14.0)).target_year is None


# ---------------------------------------------------------------------------------------------
# Required intake


def lagged(**changes: object) -> CadreParameters:
    # stock 100, population 100,000 (fixed), duration 1, completion 0.5, attrition 0.1,
    # pipeline intake 10, target 12 per 10,000 = 120 workers.
    base = small(duration=1, population_growth=0.0, target_density=12.0)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_required_intake_by_hand() -> None:
    # With intake I from 2020: graduates 2020 = 10 x 0.5 = 5 (pipeline, in the stock already),
    # 2021 = 0.5 I, 2022 = 0.5 I.
    # stock 2021 = 90 + 0.5 I            -> 120 when I = 60
    # stock 2022 = (90 + 0.5 I) x 0.9 + 0.5 I = 81 + 0.95 I -> 120 when I = 39 / 0.95
    p = lagged()
    assert required_intake(p, by_year=2021) == pytest.approx(60.0)
    assert required_intake(p, by_year=2022) == pytest.approx(39 / 0.95)
    assert required_intake(p) == pytest.approx(39 / 0.95)  # default: the end year


def test_required_intake_reaches_the_target_when_rerun() -> None:
    p = lagged()
    for by in (2021, 2022):
        needed = required_intake(p, by_year=by)
        assert needed is not None
        reached = project(with_intake(p, needed)).target_year
        assert reached is not None and reached <= by
        short = project(with_intake(p, needed * (1 - 1e-6))).target_year
        assert short is None or short > by


def test_required_intake_is_none_when_new_trainees_graduate_too_late() -> None:
    # Duration 1: an intake admitted in 2020 graduates in 2021, so nothing changes 2020.
    assert required_intake(lagged(), by_year=2020) is None
    assert required_intake(lagged(duration=5, end=2024)) is None


def test_required_intake_is_zero_when_the_target_is_already_met() -> None:
    assert required_intake(lagged(target_density=10.0)) == 0.0


def test_required_intake_ignores_intake_growth() -> None:
    assert required_intake(lagged(intake_growth=0.3)) == pytest.approx(39 / 0.95)


def test_required_intake_needs_a_target_and_a_year_in_the_horizon() -> None:
    with pytest.raises(InvalidInput) as info:
        required_intake(small())
    assert info.value.problems[0].field == "target_density"
    with pytest.raises(InvalidInput) as info:
        required_intake(lagged(), by_year=2030)
    assert info.value.problems[0].field == "by_year"
    assert "2030" in info.value.problems[0].message


@settings(max_examples=60, deadline=None)
@given(
    stock=st.floats(0, 5_000), intake=st.floats(0, 500), duration=st.integers(0, 6),
    completion=st.floats(0.05, 1.0), attrition=st.floats(0.0, 0.3),
    growth=st.floats(-0.02, 0.05), target=st.floats(0.5, 80.0), years=st.integers(1, 25),
)
def test_required_intake_is_the_smallest_that_reaches_the_target(
    stock: float, intake: float, duration: int, completion: float, attrition: float,
    growth: float, target: float, years: int,
) -> None:
    p = CadreParameters(
        cadre="nurses_midwives", stock=stock, population=200_000.0, population_growth=growth,
        intake=intake, duration=duration, completion=completion, attrition=attrition,
        start=2025, end=2025 + years, target_density=target,
    )
    needed = required_intake(p)
    if needed is None:  # only when no new cohort can graduate within the horizon
        assert duration >= years
        return
    reached = project(with_intake(p, needed)).target_year
    assert reached is not None
    if needed > 0:
        assert project(with_intake(p, needed * 0.999)).target_year is None


# ---------------------------------------------------------------------------------------------
# Needs-based requirement and costs


def test_population_norm_need_and_gap_by_hand() -> None:
    # One worker per 1,000 people: need = 100,000 / 1,000 = 100; 102; 104.04
    # gap = need - stock = 100 - 100 = 0; 102 - 95 = 7; 104.04 - 90.5 = 13.54
    r = project(small(norm=ServiceNorm("population", 1_000.0)))
    assert r.need == pytest.approx((100.0, 102.0, 104.04))
    assert r.gap == pytest.approx((0.0, 7.0, 13.54))


def test_births_norm_grows_with_population_by_hand() -> None:
    # 4,000 births in 2020, growing 2% with the population: 4,000; 4,080; 4,161.6
    # at 175 births per midwife a year: 22.857...; 23.314...; 23.78
    r = project(small(cadre="nurses_midwives",
                      norm=ServiceNorm("births", 175.0, births=4_000.0, source="user")))
    assert r.need == pytest.approx((4_000 / 175, 4_080 / 175, 4_161.6 / 175))
    assert r.gap == pytest.approx((4_000 / 175 - 100, 4_080 / 175 - 95, 4_161.6 / 175 - 90.5))


def test_costs_by_hand() -> None:
    # Duration 2, intake 10 every year: two cohorts of 10 in training each year = 20 trainees.
    # training 20 x 1,000 = 20,000; graduation 5 x 500 = 2,500;
    # employment stock x 100 = 10,000; 9,500; 9,050
    # total 32,500; 32,000; 31,550 -> 96,050 over the horizon
    costs = UnitCosts(per_trainee_year=1_000.0, per_graduate=500.0, per_worker_year=100.0,
                      currency="USD")
    r = project(small(costs=costs))
    assert r.costs is not None
    assert r.costs.trainees == pytest.approx((20.0, 20.0, 20.0))
    assert r.costs.training == pytest.approx((20_000.0,) * 3)
    assert r.costs.graduation == pytest.approx((2_500.0,) * 3)
    assert r.costs.employment == pytest.approx((10_000.0, 9_500.0, 9_050.0))
    assert r.costs.total == pytest.approx((32_500.0, 32_000.0, 31_550.0))
    assert r.costs.horizon_total == pytest.approx(96_050.0)


def test_trainees_follow_growing_intake_by_hand() -> None:
    # intake 10 (before 2020 and in 2020), 15, 22.5; trainees = this year's + last year's cohort:
    # 10 + 10 = 20; 15 + 10 = 25; 22.5 + 15 = 37.5. Only a graduate cost: employment is None.
    r = project(small(intake_growth=0.5, costs=UnitCosts(per_graduate=1.0)))
    assert r.costs is not None
    assert r.costs.trainees == pytest.approx((20.0, 25.0, 37.5))
    assert r.costs.training is None and r.costs.employment is None
    assert r.costs.total == pytest.approx((5.0, 5.0, 5.0))


def test_to_frame_and_summary() -> None:
    r = project(small(target_density=9.5, norm=ServiceNorm("population", 1_000.0)))
    frame = r.to_frame()
    assert list(frame["year"]) == [2020, 2021, 2022]
    assert list(frame["gap"]) == pytest.approx([0.0, 7.0, 13.54])
    assert "reached in 2020" in r.summary()


# ---------------------------------------------------------------------------------------------
# Several cadres


def test_several_cadres_in_one_run() -> None:
    runs = project_cadres([small(), small(cadre="nurses_midwives", stock=300.0),
                           small(cadre="chw", duration=0)])
    assert [r.cadre for r in runs] == ["doctors", "nurses_midwives", "chw"]
    assert runs[1].stock[1] == pytest.approx(300 * 0.9 + 5)


def test_several_cadres_report_every_problem_together() -> None:
    with pytest.raises(InvalidInput) as info:
        project_cadres([small(attrition=1.5), small(cadre="chw", completion=0.0), small()])
    fields = {(p.file, p.field) for p in info.value.problems}
    assert ("doctors projection", "attrition") in fields
    assert ("chw projection", "completion") in fields
    assert ("doctors projection", "cadre") in fields  # doctors given twice


# ---------------------------------------------------------------------------------------------
# Validation


@pytest.mark.parametrize(("name", "value"), [
    ("intake", -1.0),
    ("attrition", 1.0),
    ("attrition", -0.1),
    ("completion", 1.2),
    ("completion", 0.0),
    ("population", 0.0),
    ("population", -5.0),
    ("stock", -1.0),
    ("duration", -1),
    ("population_growth", -1.0),
    ("prior_intake", -3.0),
    ("target_density", 0.0),
    ("attrition", float("nan")),
])
def test_invalid_parameter_is_named_with_its_value(name: str, value: float) -> None:
    with pytest.raises(InvalidInput) as info:
        project(small(**{name: value}))
    [problem] = info.value.problems
    assert problem.field == name
    assert f"{value:g}" in problem.message or repr(value) in problem.message
    assert isinstance(info.value, HRHError)


def test_end_before_start_is_named() -> None:
    with pytest.raises(InvalidInput) as info:
        project(small(end=2019))
    [problem] = info.value.problems
    assert problem.field == "end"
    assert "2019" in problem.message and "2020" in problem.message


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidInput) as info:
        project(small(intake=-1.0, attrition=2.0, stock=-4.0, cadre="dentists"))
    assert {p.field for p in info.value.problems} == {"intake", "attrition", "stock", "cadre"}


def test_bad_norm_and_costs_are_named() -> None:
    with pytest.raises(InvalidInput) as info:
        project(small(norm=ServiceNorm("births", 175.0),
                      costs=UnitCosts(per_graduate=-1.0)))
    assert {p.field for p in info.value.problems} == {"norm.births", "costs.per_graduate"}


# ---------------------------------------------------------------------------------------------
# Defaults from a country's data


def test_defaults_from_country_by_hand() -> None:
    # Population grows exactly 10% a year from 2012 (1,000,000) to 2022 (1.1^10 x 1,000,000).
    # The year 2000 lies outside the last 10 years and must not be used for the growth.
    p2022 = 1_000_000 * 1.1**10  # 2,593,742.46
    series = [(2000, 10.0), (2012, 1_000_000.0), (2017, 1_000_000 * 1.1**5), (2022, p2022)]
    out = defaults_from_country(5.0, 2022, series, start=2024)
    assert out["population_growth"] == pytest.approx(0.1)
    assert out["growth_years"] == (2012, 2022)
    assert out["stock"] == pytest.approx(5.0 * p2022 / 10_000)  # 1,296.87
    assert out["population"] == pytest.approx(p2022 * 1.21)  # two years at 10%
    assert out["stock_year"] == 2022
    assert any("2022 stock is used as the 2024 stock" in n for n in out["notes"])


def test_defaults_from_country_reads_the_density_years_population() -> None:
    series = [(2012, 1_000_000.0), (2017, 1_500_000.0), (2022, 2_000_000.0)]
    out = defaults_from_country(2.0, 2017, series, start=2022)
    assert out["stock"] == pytest.approx(2.0 * 1_500_000 / 10_000)  # 300
    assert out["population"] == 2_000_000.0  # the series has the start year
    assert out["population_growth"] == pytest.approx(2 ** (1 / 10) - 1)


def test_defaults_from_country_short_series_and_extrapolated_density_year() -> None:
    # Only 2020-2022: growth over 2 years, (1.21)^(1/2) - 1 = 10%; population in 2018
    # extrapolated back: 1,210,000 / 1.1^4 = 826,446.28
    series = [(2020, 1_000_000.0), (2022, 1_210_000.0)]
    out = defaults_from_country(10.0, 2018, series, start=2022)
    assert out["population_growth"] == pytest.approx(0.1)
    assert out["stock"] == pytest.approx(10.0 * 1_210_000 / 1.1**4 / 10_000)
    assert any("only 2 year(s)" in n for n in out["notes"])
    assert any("population in 2018 extrapolated" in n for n in out["notes"])


def test_defaults_from_country_rejects_unusable_data() -> None:
    with pytest.raises(InvalidInput) as info:
        defaults_from_country(-1.0, 2020, [(2020, 5.0)], start=2022)
    assert {p.field for p in info.value.problems} == {"latest_density", "population_series"}


def test_country_inputs_from_the_bundled_reference() -> None:
    from hrhlessons.adapt.projection import country_inputs
    from hrhlessons.errors import MissingCountryData
    from hrhlessons.reference import load_reference

    ref = load_reference()
    latest = ref.latest("ETH", "HWF_0024")
    assert latest is not None
    year, count = latest
    out = country_inputs(ref, "ETH", "chw", 2024)
    # A CHW count becomes a density with its year's population, then back to the same stock.
    assert out["stock"] == pytest.approx(count)
    assert (out["source_year"], out["indicator"]) == (year, "HWF_0024")
    assert out["notes"][0].startswith(f"chw HWF_0024 {year}: {count:g} workers")
    with pytest.raises(MissingCountryData) as err:
        country_inputs(ref, "AFG", "chw", 2024)      # no CHW figure in the bundled table
    assert (err.value.what, err.value.indicator) == ("figure", "HWF_0024")
