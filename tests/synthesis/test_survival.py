"""Survival of programmes: estimators, groupings, Cox model and result objects."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter

from hrhlessons.ingest import bundled_cases_dir, read_paths
from hrhlessons.synthesis.frame import cases_frame
from hrhlessons.synthesis.survival import (
    SurvivalOptions,
    analyse_survival,
    compare_groups,
    cox_conditions,
    exclusion_counts,
    logrank,
    survival_curve,
    turnbull,
    turnbull_support,
)

FAST = SurvivalOptions(n_bootstrap=30)


def lifetimes(rows: Sequence[tuple[str, float, float]], **cols: object) -> pd.DataFrame:
    return pd.DataFrame({
        "id": [f"c{i}" for i in range(len(rows))],
        "kind": [r[0] for r in rows],
        "lower": [float(r[1]) for r in rows],
        "upper": [float(r[2]) for r in rows],
        **cols,
    })


@pytest.fixture(scope="module")
def registry() -> pd.DataFrame:
    regions = {"KEN": "AFR", "ETH": "AFR", "IND": "SEAR", "BGD": "SEAR"}
    return cases_frame(read_paths([bundled_cases_dir()]).cases,
                       region_of=lambda c: regions.get(c, "other"),
                       income_of=lambda c, y: "low" if y < 1990 else "middle")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.booleans()), min_size=1, max_size=40))
def test_turnbull_equals_kaplan_meier_without_interval_data(data: list[tuple[int, bool]]) -> None:
    t = np.array([d[0] for d in data], dtype=float)
    e = np.array([d[1] for d in data])
    upper = np.where(e, t, np.inf)
    times, surv = turnbull(t, upper, tol=1e-13)
    km = KaplanMeierFitter().fit(t, e)
    grid = np.arange(0, 32, 0.5)
    expected = km.survival_function_at_times(grid).to_numpy()
    got = surv[np.searchsorted(times, grid, side="right") - 1]
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_turnbull_support_is_innermost_right_ends() -> None:
    # exact 2, interval [0.5, 6], censored at 3 (open at 3): the innermost intervals are [2, 2]
    # and (3, 6]; nothing lies beyond 6 that (3, 6] does not already cover, so no mass at +inf.
    lower = np.array([2.0, 0.5, 3.0])
    upper = np.array([2.0, 6.0, np.inf])
    np.testing.assert_array_equal(turnbull_support(lower, upper), [2.0, 6.0])
    # a censored time after every right end keeps mass beyond the data, as Kaplan-Meier does
    np.testing.assert_array_equal(turnbull_support(np.array([2.0, 5.0]), np.array([2.0, np.inf])),
                                  [2.0, np.inf])


def test_turnbull_puts_unknown_ends_where_the_data_allow() -> None:
    # one event at 2, one programme ended at an unknown time in [0.5, 4]: the only support
    # points within reach are 2 (shared with the exact event) and 4 (its own right end).
    times, surv = turnbull([2.0, 0.5], [2.0, 4.0])
    assert surv[np.searchsorted(times, 1.0, side="right") - 1] == pytest.approx(1.0)
    assert surv[-1] == pytest.approx(0.0, abs=1e-8)
    assert surv[np.searchsorted(times, 2.0, side="right") - 1] == pytest.approx(0.0, abs=1e-6)


def test_curve_uses_kaplan_meier_unless_interval_data() -> None:
    rows = [("event", 2, 2), ("censored", 5, math.inf), ("event", 7, 7)]
    km = survival_curve(lifetimes(rows), options=FAST)
    assert km.method == "kaplan_meier"
    assert (km.n, km.events, km.censored, km.interval) == (3, 2, 1, 0)
    tb = survival_curve(lifetimes([*rows, ("interval", 0.5, 6)]), options=FAST)
    assert tb.method == "turnbull"
    assert tb.interval == 1
    assert tb.case_ids == ("c0", "c1", "c2", "c3")
    assert all((lo <= s + 1e-9 and s <= hi + 1e-9) or math.isnan(lo)
               for s, lo, hi in zip(tb.survival, tb.lower, tb.upper, strict=True))


def test_turnbull_bootstrap_is_seeded() -> None:
    rows = [("event", t, t) for t in (1, 3, 4, 8)] + [("interval", 0.5, 9), ("censored", 10,
                                                                                  math.inf)]
    a = survival_curve(lifetimes(rows), options=FAST)
    b = survival_curve(lifetimes(rows), options=FAST)
    c = survival_curve(lifetimes(rows), options=dataclasses.replace(FAST, seed=7))
    assert a.lower == b.lower and a.median_ci == b.median_ci
    assert a.lower != c.lower or a.upper != c.upper


def test_survival_beyond_follow_up_is_not_estimated() -> None:
    curve = survival_curve(lifetimes([("event", 3, 3), ("censored", 8, math.inf)]))
    by_time = {p.time: p for p in curve.at}
    assert by_time[5.0].survival == pytest.approx(0.5)
    assert math.isnan(by_time[10.0].survival) and math.isnan(by_time[20.0].survival)
    assert math.isinf(curve.median) is False and curve.median == 3.0


def test_all_excluded_is_an_error_that_says_what_to_do() -> None:
    frame = lifetimes([("excluded", math.nan, math.nan)])
    with pytest.raises(ValueError, match="exclusion"):
        survival_curve(frame)


def test_small_groups_and_groups_without_events_are_warned() -> None:
    rows = [("event", t, t) for t in (1, 2, 3, 4, 5, 6)] + [("censored", 9, math.inf)] * 2
    frame = lifetimes(rows, funding=["donor"] * 6 + ["government"] * 2)
    comp = compare_groups(frame, "funding", FAST)
    assert [c.group for c in comp.curves] == ["donor", "government"]
    assert comp.curves[1].case_ids == ("c6", "c7")
    text = " ".join(comp.warnings)
    assert "government of funding has 2 case(s), fewer than 5" in text
    assert "no programme in group government" in text
    assert "donor of funding has" not in text
    assert comp.logrank is not None and comp.logrank.p_value < 0.05


def test_missing_group_values_are_left_out_and_counted() -> None:
    rows = [("event", 2, 2), ("censored", 4, math.inf), ("event", 5, 5)]
    frame = lifetimes(rows, cond=pd.array([True, None, False], dtype="boolean"))
    comp = compare_groups(frame, "cond", FAST)
    assert [c.group for c in comp.curves] == ["false", "true"]
    assert comp.missing_ids == ("c1",)


def test_unknown_grouping_column_says_how_to_get_it() -> None:
    with pytest.raises(ValueError, match="region_of"):
        compare_groups(lifetimes([("event", 1, 1)]), "who_region")


def test_logrank_interval_handling() -> None:
    rows: list[tuple[str, float, float]] = [("event", t, t) for t in (1, 2, 3)]
    rows += [("censored", t, math.inf) for t in (8, 9, 10)]
    rows.append(("interval", 0.5, 7))
    frame = lifetimes(rows, g=["a", "a", "a", "b", "b", "b", "b"])
    excluded = logrank(frame, "g", FAST)
    assert excluded is not None and excluded.interval_ids == ("c6",)
    assert sum(excluded.n) == 6
    mid = logrank(frame, "g", dataclasses.replace(FAST, interval_in_tests="midpoint"))
    assert mid is not None and sum(mid.n) == 7 and mid.events == (3, 1)
    assert mid.statistic != pytest.approx(excluded.statistic)


def test_cox_indicator_coding_and_dropping(registry: pd.DataFrame) -> None:
    cox = cox_conditions(registry, FAST)
    assert cox is not None
    names = {t.name for t in cox.terms}
    assert "donor_dependent" in names and "donor_dependent_unknown" in names
    # community_embedded is never recorded false: it cannot be contrasted, so it is dropped
    assert any(d.startswith("community_embedded") for d in cox.dropped)
    assert "community_embedded" not in names
    assert cox.events == int(registry["kind"].eq("event").sum())
    assert set(cox.interval_ids) == set(registry.loc[registry["kind"] == "interval", "id"])
    for t in cox.terms:
        assert t.hr_lower < t.hazard_ratio < t.hr_upper
        assert t.hazard_ratio == pytest.approx(math.exp(t.coef))


def test_cox_penalty_shrinks_coefficients(registry: pd.DataFrame) -> None:
    loose = cox_conditions(registry, dataclasses.replace(FAST, penalizer=0.01))
    tight = cox_conditions(registry, dataclasses.replace(FAST, penalizer=1.0))
    assert loose is not None and tight is not None
    assert sum(abs(t.coef) for t in tight.terms) < sum(abs(t.coef) for t in loose.terms)


def test_cox_complete_case_with_too_few_cases_is_none(registry: pd.DataFrame) -> None:
    opts = dataclasses.replace(FAST, cox_missing="complete_case")
    assert cox_conditions(registry, opts) is None  # nobody has all twelve conditions known
    two = cox_conditions(registry, opts, conditions=["government_ownership",
                                                     "domestic_financing"])
    assert two is not None
    assert not any(t.name.endswith("_unknown") for t in two.terms)
    kept = registry[registry["government_ownership"].notna()
                    & registry["domestic_financing"].notna()
                    & registry["kind"].isin(["event", "censored"])]
    assert two.n == len(kept)


def test_report_on_bundled_registry(registry: pd.DataFrame) -> None:
    report = analyse_survival(registry, FAST)
    counts = exclusion_counts(report)
    assert sum(counts.values()) + report.overall.n == report.n_cases == len(registry)
    assert counts["not_implemented"] == int((registry["status"] == "not_implemented").sum())
    groupings = [c.grouping for c in report.comparisons]
    assert groupings[:5] == ["domain", "funding", "level", "who_region", "income_group"]
    assert "donor_dependent" in groupings
    assert report.overall.method == "turnbull"
    assert any("interval-censored" in n for n in report.notes)
    domain = report.comparison("domain")
    assert sum(c.n for c in domain.curves) == report.overall.n
    assert {i for c in domain.curves for i in c.case_ids} == set(report.overall.case_ids)
    text = report.summary()
    assert "log-rank by domain" in text and "Cox model" in text
    payload = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert payload["options"]["seed"] == FAST.seed
    table = report.to_frame()
    assert set(table["label"]) >= {"all", "domain=task_sharing"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.overall.n = 0  # type: ignore[misc]
