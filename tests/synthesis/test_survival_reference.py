"""Survival estimates pinned against R's survival package.

Reference values come from ``scripts/r/survival_reference.R`` (R and package versions are recorded
in each JSON file); R is not needed to run these tests. Tolerances: Kaplan–Meier and log-rank
1e-9 (closed-form), Turnbull 1e-6 (both sides stop an EM iteration), Cox 1e-4 (both sides stop a
Newton iteration).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from hrhlessons.synthesis.survival import (
    SurvivalCurve,
    SurvivalOptions,
    cox_conditions,
    logrank,
    survival_curve,
    turnbull,
)

DATA = Path(__file__).parent.parent / "data"
KM_TOL = 1e-9
TURNBULL_TOL = 1e-6
COX_TOL = 1e-4


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def frame_of(time: list[float], event: list[int], **groups: list[Any]) -> pd.DataFrame:
    t = np.asarray(time, dtype=float)
    e = np.asarray(event, dtype=bool)
    return pd.DataFrame({
        "id": [f"r{i}" for i in range(t.size)],
        "kind": np.where(e, "event", "censored"),
        "lower": t,
        "upper": np.where(e, t, np.inf),
        **groups,
    })


def registry_frame() -> pd.DataFrame:
    """The exported registry lifetimes, with the two modelled conditions rebuilt as booleans."""
    csv = pd.read_csv(DATA / "survival_registry.csv")
    for c in ("government_ownership", "domestic_financing"):
        known = csv[f"{c}_unknown"] == 0
        csv[c] = pd.array([bool(v) if k else None for v, k in zip(csv[c], known, strict=True)],
                          dtype="boolean")
    return csv


def curve_at(curve: SurvivalCurve, which: str, times: list[float]) -> np.ndarray:
    values = np.asarray(getattr(curve, which))
    idx = np.searchsorted(curve.times, times, side="right") - 1
    return values[idx]


def assert_km_matches(curve: SurvivalCurve, ref: dict[str, Any]) -> None:
    times = ref["time"]
    assert curve.method == "kaplan_meier"
    np.testing.assert_allclose(curve_at(curve, "survival", times), ref["surv"], atol=KM_TOL)
    for side in ("lower", "upper"):
        expected = np.array([math.nan if v is None else v for v in ref[side]], dtype=float)
        got = curve_at(curve, side, times)
        both = ~np.isnan(expected)
        np.testing.assert_allclose(got[both], expected[both], atol=KM_TOL)
    assert list(curve.at_risk(times)) == ref["n_risk"]


def r_number(v: float | None) -> float:
    return math.inf if v is None else float(v)


def test_reference_files_record_versions() -> None:
    for name in ("survival_r_aml.json", "survival_r_lung.json", "survival_r_registry.json"):
        versions = load(name)["versions"]
        assert versions["R"].startswith("R version")
        assert versions["survival"]


@pytest.mark.parametrize("block, group", [
    ("km_all", None), ("km_maintained", "Maintained"), ("km_nonmaintained", "Nonmaintained"),
])
def test_km_matches_r_survival_aml(block: str, group: str | None) -> None:
    ref = load("survival_r_aml.json")
    d = ref["data"]
    frame = frame_of(d["time"], d["status"], x=d["x"])
    if group is not None:
        frame = frame[frame["x"] == group]
    curve = survival_curve(frame)
    assert_km_matches(curve, ref[block])
    med = ref[block]["median"]
    assert curve.median == r_number(med["median"])
    assert curve.median_ci == (r_number(med["lower"]), r_number(med["upper"]))


def test_km_matches_r_survival_lung() -> None:
    ref = load("survival_r_lung.json")
    d = ref["data"]
    curve = survival_curve(frame_of(d["time"], d["event"]))
    assert_km_matches(curve, ref["km_all"])
    med = ref["km_all"]["median"]
    assert curve.median == r_number(med["median"])
    assert curve.median_ci == (r_number(med["lower"]), r_number(med["upper"]))


@pytest.mark.parametrize("dataset, block, column, source", [
    ("survival_r_aml.json", "logrank_x", "x", "x"),
    ("survival_r_lung.json", "logrank_sex", "sex", "sex"),
    ("survival_r_lung.json", "logrank_ecog", "ph_ecog", "ph_ecog"),
])
def test_logrank_matches_r_survdiff(dataset: str, block: str, column: str, source: str) -> None:
    ref = load(dataset)
    d = ref["data"]
    event = d.get("status", d.get("event"))
    frame = frame_of(d["time"], event, **{column: d[source]})
    result = logrank(frame, column)
    assert result is not None
    assert result.statistic == pytest.approx(ref[block]["chisq"], abs=KM_TOL)
    assert result.p_value == pytest.approx(ref[block]["p"], rel=1e-7)
    assert result.df == ref[block]["df"]
    assert sorted(result.n) == sorted(ref[block]["n"])


def test_cox_matches_r_coxph_aml() -> None:
    ref = load("survival_r_aml.json")
    d = ref["data"]
    frame = frame_of(d["time"], d["status"])
    frame["nonmaintained"] = pd.array([x == "Nonmaintained" for x in d["x"]], dtype="boolean")
    cox = cox_conditions(frame, SurvivalOptions(penalizer=0.0, min_level_count=1),
                         conditions=["nonmaintained"])
    assert cox is not None
    (term,) = cox.terms
    r = ref["cox_x"]  # one covariate: R wrote scalars
    assert term.coef == pytest.approx(r["coef"], abs=COX_TOL)
    assert term.se == pytest.approx(r["se"], abs=COX_TOL)
    assert term.p_value == pytest.approx(r["p"], abs=COX_TOL)
    assert term.hazard_ratio == pytest.approx(math.exp(r["coef"]), rel=COX_TOL)
    assert cox.log_likelihood == pytest.approx(ref["cox_x"]["loglik"], abs=COX_TOL)
    assert (cox.n, cox.events) == (ref["cox_x"]["n"], ref["cox_x"]["events"])


def test_km_matches_r_survival_registry() -> None:
    ref = load("survival_r_registry.json")
    frame = registry_frame()
    assert len(frame) == ref["n"]
    right = frame[frame["kind"] != "interval"]
    assert len(right) == ref["n_right_censored_data"]
    curve = survival_curve(right)
    assert_km_matches(curve, ref["km_all"])
    assert curve.median == r_number(ref["km_all"]["median"]["median"])


@pytest.mark.parametrize("column", ["domain", "funding"])
def test_logrank_matches_r_survdiff_registry(column: str) -> None:
    ref = load("survival_r_registry.json")[f"logrank_{column}"]
    result = logrank(registry_frame(), column)  # interval lifetimes excluded, as in R's input
    assert result is not None
    assert result.groups == tuple(ref["groups"])
    assert result.n == tuple(ref["n"])
    assert result.events == tuple(int(x) for x in ref["observed"])
    assert result.statistic == pytest.approx(ref["chisq"], abs=1e-8)
    assert result.p_value == pytest.approx(ref["p"], rel=1e-6)


def test_cox_matches_r_coxph_registry() -> None:
    ref = load("survival_r_registry.json")["cox"]
    cox = cox_conditions(registry_frame(), SurvivalOptions(penalizer=0.0, min_level_count=1),
                         conditions=["government_ownership", "domestic_financing"])
    assert cox is not None
    assert [t.name for t in cox.terms] == ref["covariates"]
    np.testing.assert_allclose([t.coef for t in cox.terms], ref["coef"], atol=COX_TOL)
    np.testing.assert_allclose([t.se for t in cox.terms], ref["se"], atol=COX_TOL)
    np.testing.assert_allclose([t.p_value for t in cox.terms], ref["p"], atol=COX_TOL)
    assert (cox.n, cox.events) == (ref["n"], ref["events"])


def test_turnbull_matches_r_survfit_interval_registry() -> None:
    ref = load("survival_r_registry.json")["turnbull_all"]
    frame = registry_frame()
    assert (frame["kind"] == "interval").any(), "the reference should hold interval lifetimes"
    times, surv = turnbull(frame["lower"], frame["upper"])
    idx = np.searchsorted(times, ref["time"], side="right") - 1
    np.testing.assert_allclose(surv[idx], ref["surv"], atol=TURNBULL_TOL)
    curve = survival_curve(frame, options=SurvivalOptions(n_bootstrap=20))
    assert curve.method == "turnbull"
    np.testing.assert_allclose(curve_at(curve, "survival", ref["time"]), ref["surv"],
                               atol=TURNBULL_TOL)
