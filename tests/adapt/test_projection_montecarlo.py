"""Monte Carlo projection: seeded, vectorised, and agreeing with the deterministic path."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from itertools import pairwise
from typing import Any

import numpy as np
import pytest

from hrhlessons.adapt.projection import (
    PERCENTILES,
    CadreParameters,
    Ranges,
    draw_parameters,
    first_reached_index,
    monte_carlo,
    percentile_paths,
    project,
    simulate,
)
from hrhlessons.errors import InvalidInput


def params(**changes: object) -> CadreParameters:
    base = CadreParameters(
        cadre="nurses_midwives", stock=8_000.0, population=20_000_000.0,
        population_growth=0.025, intake=1_200.0, intake_growth=0.03, duration=3,
        completion=0.8, attrition=0.05, start=2024, end=2040, target_density=5.0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


WIDE = Ranges(attrition=(0.03, 0.08), completion=(0.6, 0.95), intake_growth=(0.0, 0.06),
              population_growth=(0.02, 0.03))


def test_same_seed_same_result_other_seed_other_result() -> None:
    a = monte_carlo(params(), WIDE, draws=300, seed=7)
    b = monte_carlo(params(), WIDE, draws=300, seed=7)
    c = monte_carlo(params(), WIDE, draws=300, seed=8)
    assert a == b
    assert a.median != c.median


def test_narrow_ranges_give_the_deterministic_path() -> None:
    p = params()
    eps = 1e-7
    narrow = Ranges(attrition=(0.05 - eps, 0.05 + eps), completion=(0.8 - eps, 0.8 + eps),
                    intake_growth=(0.03 - eps, 0.03 + eps),
                    population_growth=(0.025 - eps, 0.025 + eps))
    mc = monte_carlo(p, narrow, draws=200, seed=1)
    det = project(p)
    assert mc.median == pytest.approx(det.density, rel=1e-4)
    assert mc.density(2.5) == pytest.approx(det.density, rel=1e-4)
    assert mc.density(97.5) == pytest.approx(det.density, rel=1e-4)
    assert mc.stock_median == pytest.approx(det.stock, rel=1e-4)


def test_no_ranges_is_the_deterministic_path_in_every_draw() -> None:
    p = params()
    mc = monte_carlo(p, Ranges(), draws=50, seed=0)
    det = project(p)
    for q in PERCENTILES:
        assert mc.density(q) == pytest.approx(det.density)
    assert dict(mc.target_year_counts) == {det.target_year: 50} or (
        det.target_year is None and mc.never_reached == 50)


def test_bands_are_ordered_and_widen_with_time() -> None:
    mc = monte_carlo(params(), WIDE, draws=500, seed=3)
    paths = [np.array(mc.density(q)) for q in PERCENTILES]
    for low, high in pairwise(paths):
        assert np.all(low <= high + 1e-12)
    # The start year is given, so its band has no width; uncertainty grows after it.
    assert paths[-1][0] - paths[0][0] == pytest.approx(0.0, abs=1e-9)
    width = paths[-1] - paths[0]
    assert width[-1] > width[1] > 0


def _drawn_fields(drawn: dict[str, np.ndarray], i: int) -> dict[str, Any]:
    """Draw ``i``'s parameter values, as ``dataclasses.replace`` takes them."""
    return {name: float(values[i]) for name, values in drawn.items()}


def test_vectorised_draws_match_one_projection_per_draw() -> None:
    p = params(end=2034)
    draws, seed = 40, 11
    mc = monte_carlo(p, WIDE, draws=draws, seed=seed)
    drawn = draw_parameters(p, WIDE, draws, seed)
    one_by_one = [project(replace(p, **_drawn_fields(drawn, i))) for i in range(draws)]
    densities = np.array([r.density for r in one_by_one])
    for q in PERCENTILES:
        assert mc.density(q) == pytest.approx(np.percentile(densities, q, axis=0).tolist())
    expected = Counter(r.target_year for r in one_by_one)
    assert mc.never_reached == expected.pop(None, 0)
    assert dict(mc.target_year_counts) == dict(expected)
    assert sum(c for _, c in mc.target_year_counts) + mc.never_reached == draws


def test_draws_are_uniform_within_their_ranges() -> None:
    drawn = draw_parameters(params(), Ranges(attrition=(0.02, 0.1)), 20_000, seed=5)
    a = drawn["attrition"]
    assert a.min() >= 0.02 and a.max() < 0.1
    assert a.mean() == pytest.approx(0.06, abs=0.001)
    assert np.quantile(a, 0.25) == pytest.approx(0.04, abs=0.002)
    assert np.all(drawn["completion"] == 0.8)  # not ranged: the point value


def test_target_year_distribution_summaries() -> None:
    mc = monte_carlo(params(), WIDE, draws=400, seed=2)
    years = [y for y, _ in mc.target_year_counts]
    assert years == sorted(years)
    p10, p50, p90 = (mc.target_year_percentile(q) for q in (10, 50, 90))
    assert p10 is not None and p50 is not None
    assert p10 <= p50 and (p90 is None or p50 <= p90)
    assert mc.share_reached_by(p50) >= 0.5
    assert mc.share_reached_by(p50 - 1) < 0.5
    assert mc.share_reached_by(mc.years[-1]) == pytest.approx(1 - mc.never_reached / 400)


def test_frame_and_summary() -> None:
    mc = monte_carlo(params(), WIDE, draws=100, seed=4)
    frame = mc.to_frame()
    assert list(frame.columns[:6]) == ["year", "density_p2.5", "density_p10", "density_p50",
                                       "density_p90", "density_p97.5"]
    assert len(frame) == len(mc.years)
    assert "100 draws (seed 4)" in mc.summary()
    with pytest.raises(KeyError):
        mc.density(25.0)


@pytest.mark.parametrize(("ranges", "field"), [
    (Ranges(attrition=(0.1, 0.05)), "attrition_range"),
    (Ranges(attrition=(0.5, 1.0)), "attrition_range"),
    (Ranges(completion=(0.0, 0.9)), "completion_range"),
    (Ranges(population_growth=(-1.5, 0.0)), "population_growth_range"),
])
def test_bad_ranges_are_named(ranges: Ranges, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        monte_carlo(params(), ranges, draws=10)
    assert [p.field for p in info.value.problems] == [field]


def test_draws_must_be_positive() -> None:
    with pytest.raises(InvalidInput) as info:
        monte_carlo(params(), WIDE, draws=0)
    assert info.value.problems[0].field == "draws"


def test_simulate_broadcasts_rows() -> None:
    paths = simulate(stock=[100.0, 200.0], population=100_000.0, population_growth=0.0,
                     intake=10.0, intake_growth=0.0, completion=0.5, attrition=0.1,
                     duration=2, years=3)
    assert paths.stock.shape == (2, 3)
    # Row 2: 200; 180 + 5 = 185; 166.5 + 5 = 171.5
    assert paths.stock[1].tolist() == pytest.approx([200.0, 185.0, 171.5])


def test_percentile_paths_match_numpy_per_group() -> None:
    rng = np.random.default_rng(0)
    density = rng.gamma(2.0, 3.0, size=(3 * 101, 7))  # 3 groups of 101 draws, 7 years
    bands = percentile_paths(density, groups=3)
    assert bands.shape == (len(PERCENTILES), 3, 7)
    for g in range(3):
        expected = np.percentile(density[g * 101:(g + 1) * 101], PERCENTILES, axis=0)
        assert np.allclose(bands[:, g, :], expected, rtol=1e-12, atol=0)


def test_first_reached_index_by_hand() -> None:
    density = np.array([[1.0, 2.0, 3.0],    # reaches 2 in year index 1
                        [5.0, 0.0, 9.0],    # already in year 0
                        [0.0, 1.0, 1.5],    # never
                        [0.0, 0.0, 2.0]])   # last year
    assert first_reached_index(density, 2.0).tolist() == [1, 0, -1, 2]
