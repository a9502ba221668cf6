"""hrhlessons.synthesis.meta on dat.bcg, pinned against R metafor (tests/data/metafor_bcg.json).

Tolerance: 1e-6 relative, 1e-8 absolute near zero. Reference values come from
scripts/r/metafor_reference.R (R and metafor versions recorded in the JSON).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hrhlessons.errors import InvalidInput
from hrhlessons.synthesis.meta import (
    MetaResult,
    egger_test,
    estimate_tau2,
    meta_analysis,
    meta_regression,
    subgroup_analysis,
    tau2_qprofile_ci,
)

DATA = Path(__file__).parents[1] / "data"
REL, ABS = 1e-6, 1e-8

#: our result key -> metafor reference key, for intercept-only fits
FIT_KEYS = {
    "estimate": "estimate", "se": "se", "stat": "stat", "p": "pval", "ci_low": "ci_lb",
    "ci_high": "ci_ub", "tau2": "tau2", "q": "q", "q_p": "q_p", "i2": "i2", "h2": "h2",
    "pi_low": "pi_lb", "pi_high": "pi_ub",
}


@cache
def reference(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"metafor_{name}.json").read_text(encoding="utf-8"))


def close(actual: Any, expected: Any) -> None:
    assert actual == pytest.approx(expected, rel=REL, abs=ABS)


def check_fit(result: MetaResult, ref: dict[str, Any]) -> None:
    got = result.to_dict()
    assert got["k"] == ref["k"]
    assert got["method"] == ref["method"]
    assert got["test"] == ref["test"]
    for ours, theirs in FIT_KEYS.items():
        assert got[ours] == pytest.approx(ref[theirs], rel=REL, abs=ABS), ours
    if ref["method"] == "FE":
        assert result.tau2_ci is None
    else:
        close(result.tau2_ci, ref["tau2_ci"])
        close(result.i2_ci, ref["i2_ci"])
        close(result.h2_ci, ref["h2_ci"])


def test_qprofile_bound_beyond_metafors_search_cap_bcg() -> None:
    # With k = 2 (the 'alternate' subgroup) the upper bound exceeds the cap of metafor's default
    # search, max(100, 10 tau2), which metafor then reports; ours is the exact root.
    bcg = reference("bcg")
    ref = bcg["subgroups"]["REML_alloc"]["fits"]["alternate"]
    rows = [i for i, a in enumerate(bcg["data"]["alloc"]) if a == "alternate"]
    es = bcg["escalc"]["RR"]
    low, high = tau2_qprofile_ci([es["yi"][i] for i in rows], [es["vi"][i] for i in rows])
    assert ref["tau2_ci_metafor_default"][1] == max(100.0, 10 * ref["tau2"])
    assert high > ref["tau2_ci_metafor_default"][1]
    close((low, high), ref["tau2_ci"])  # metafor's own answer when allowed to search further


def bcg_fit(method: str, knha: bool) -> tuple[MetaResult, dict[str, Any]]:
    ref = reference("bcg")
    es = ref["escalc"]["RR"]
    result = meta_analysis(es["yi"], es["vi"], method=method, knha=knha,
                           labels=ref["data"]["author"])
    return result, ref["fits"][method + ("_knha" if knha else "")]


KNHA = pytest.mark.parametrize("knha", [False, True], ids=["z", "knha"])


@KNHA
def test_fe_matches_metafor_bcg(knha: bool) -> None:
    check_fit(*bcg_fit("FE", knha))


@KNHA
def test_dl_matches_metafor_bcg(knha: bool) -> None:
    check_fit(*bcg_fit("DL", knha))


@KNHA
def test_reml_matches_metafor_bcg(knha: bool) -> None:
    check_fit(*bcg_fit("REML", knha))


@KNHA
def test_ml_matches_metafor_bcg(knha: bool) -> None:
    check_fit(*bcg_fit("ML", knha))


@KNHA
def test_pm_matches_metafor_bcg(knha: bool) -> None:
    check_fit(*bcg_fit("PM", knha))


def test_qprofile_ci_matches_metafor_bcg() -> None:
    ref = reference("bcg")
    es = ref["escalc"]["RR"]
    close(tau2_qprofile_ci(es["yi"], es["vi"]), ref["fits"]["REML"]["tau2_ci"])


def test_tau2_estimators_match_metafor_bcg() -> None:
    ref = reference("bcg")
    es = ref["escalc"]["RR"]
    for method in ("FE", "DL", "REML", "ML", "PM"):
        close(estimate_tau2(es["yi"], es["vi"], method=method), ref["fits"][method]["tau2"])


def check_regression(ref: dict[str, Any], data: dict[str, Any], es: dict[str, Any]) -> None:
    mods = {name: data[name] for name in ref["moderators"]}
    res = meta_regression(es["yi"], es["vi"], mods, method=ref["method"],
                          knha=ref["test"] == "knha")
    assert res.k == ref["k"]
    assert res.terms == ("intercept", *ref["moderators"])
    for ours, theirs in (("coef", "coef"), ("se", "se"), ("stat", "stat"), ("p", "pval"),
                         ("ci_low", "ci_lb"), ("ci_high", "ci_ub")):
        close(list(getattr(res, ours)), ref[theirs])
    for ours, theirs in (("tau2", "tau2"), ("qm", "qm"), ("qm_p", "qm_p"), ("qe", "qe"),
                         ("qe_p", "qe_p"), ("i2", "i2"), ("h2", "h2"), ("r2", "r2")):
        close(getattr(res, ours), ref[theirs])


def test_reml_metaregression_ablat_matches_metafor_bcg() -> None:
    ref = reference("bcg")
    check_regression(ref["metareg"]["REML_ablat"], ref["data"], ref["escalc"]["RR"])


def test_reml_knha_metaregression_ablat_matches_metafor_bcg() -> None:
    ref = reference("bcg")
    check_regression(ref["metareg"]["REML_ablat_knha"], ref["data"], ref["escalc"]["RR"])


def test_reml_metaregression_two_moderators_matches_metafor_bcg() -> None:
    ref = reference("bcg")
    check_regression(ref["metareg"]["REML_ablat_year"], ref["data"], ref["escalc"]["RR"])


def test_dl_metaregression_ablat_matches_metafor_bcg() -> None:
    ref = reference("bcg")
    check_regression(ref["metareg"]["DL_ablat"], ref["data"], ref["escalc"]["RR"])


def test_subgroups_by_allocation_match_metafor_bcg() -> None:
    ref = reference("bcg")
    es = ref["escalc"]["RR"]
    sub_ref = ref["subgroups"]["REML_alloc"]
    res = subgroup_analysis(es["yi"], es["vi"], ref["data"]["alloc"], method="REML")
    assert list(res.groups) == sub_ref["groups"]
    for group in res.groups:
        check_fit(res.fit(group), sub_ref["fits"][group])
    close(res.q_between, sub_ref["q_between"])
    assert res.df == sub_ref["df"]
    close(res.p_between, sub_ref["p_between"])
    assert res.k == 13
    assert list(res.to_frame()["group"]) == sub_ref["groups"]


def test_egger_reml_matches_metafor_bcg() -> None:
    ref = reference("bcg")
    es = ref["escalc"]["RR"]
    eg_ref = ref["egger"]["REML"]
    res = egger_test(es["yi"], es["vi"], method="REML")
    close(res.z, eg_ref["z"])
    close(res.p, eg_ref["p"])
    close(res.limit_estimate, eg_ref["limit_estimate"])


def test_result_carries_labels_and_turns_into_frame_and_summary() -> None:
    result, _ = bcg_fit("REML", False)
    ref = reference("bcg")
    assert result.labels == tuple(ref["data"]["author"])
    frame = result.to_frame()
    assert list(frame["label"]) == ref["data"]["author"]
    assert frame["weight"].sum() == pytest.approx(100.0)
    assert (frame["ci_low"] < frame["yi"]).all()
    d = result.to_dict()
    json.dumps(d)  # plain values only
    assert d["labels"] == ref["data"]["author"]
    text = result.summary()
    assert "restricted maximum likelihood" in text and "k = 13" in text
    assert f"{result.estimate:.4f}" in text


def test_results_are_immutable() -> None:
    result, _ = bcg_fit("DL", False)
    with pytest.raises(AttributeError):
        result.tau2 = 0.0  # type: ignore[misc]


def test_metaregression_frame_lists_terms_in_order() -> None:
    ref = reference("bcg")
    es = ref["escalc"]["RR"]
    res = meta_regression(es["yi"], es["vi"], {"ablat": ref["data"]["ablat"],
                                               "year": ref["data"]["year"]})
    assert list(res.to_frame()["term"]) == ["intercept", "ablat", "year"]
    assert "ablat" in res.summary()


# ----- properties that must hold for any data ------------------------------------------------

studies = st.lists(
    st.tuples(st.floats(-3, 3), st.floats(0.01, 2.0)), min_size=3, max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(studies, st.sampled_from(["DL", "REML", "ML", "PM"]), st.floats(-5, 5))
def test_shifting_effects_shifts_estimate_and_keeps_tau2(
    data: list[tuple[float, float]], method: str, shift: float
) -> None:
    y = np.array([d[0] for d in data])
    v = np.array([d[1] for d in data])
    a = meta_analysis(y, v, method=method)
    b = meta_analysis(y + shift, v, method=method)
    assert b.estimate == pytest.approx(a.estimate + shift, abs=1e-7)
    assert b.tau2 == pytest.approx(a.tau2, rel=1e-6, abs=1e-9)
    assert b.q == pytest.approx(a.q, rel=1e-6, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(studies, st.sampled_from(["DL", "REML", "ML", "PM"]), st.floats(0.1, 10))
def test_rescaling_effects_rescales_tau2(
    data: list[tuple[float, float]], method: str, scale: float
) -> None:
    y = np.array([d[0] for d in data])
    v = np.array([d[1] for d in data])
    a = meta_analysis(y, v, method=method)
    b = meta_analysis(y * scale, v * scale**2, method=method)
    assert b.tau2 == pytest.approx(a.tau2 * scale**2, rel=1e-6, abs=1e-9)
    assert b.estimate == pytest.approx(a.estimate * scale, rel=1e-6, abs=1e-9)
    assert b.i2 == pytest.approx(a.i2, rel=1e-6, abs=1e-7)


@settings(max_examples=40, deadline=None)
@given(studies, st.sampled_from(["REML", "ML", "PM", "DL"]))
def test_estimate_lies_within_the_effects_and_ci_contains_it(
    data: list[tuple[float, float]], method: str
) -> None:
    y = np.array([d[0] for d in data])
    v = np.array([d[1] for d in data])
    r = meta_analysis(y, v, method=method)
    assert y.min() - 1e-9 <= r.estimate <= y.max() + 1e-9
    assert r.ci_low < r.estimate < r.ci_high
    assert r.pi_low <= r.ci_low + 1e-12 and r.pi_high >= r.ci_high - 1e-12
    assert r.tau2 >= 0
    assert r.tau2_ci is not None and r.tau2_ci[0] <= r.tau2_ci[1]


def test_identical_effects_have_no_heterogeneity() -> None:
    r = meta_analysis([0.3, 0.3, 0.3, 0.3], [0.1, 0.2, 0.05, 0.3], method="REML")
    assert r.tau2 == 0.0
    assert r.i2 == 0.0
    assert r.estimate == pytest.approx(0.3)
    assert r.tau2_ci == (0.0, 0.0)


def test_reml_score_is_zero_at_the_estimate() -> None:
    # Independent check of the REML optimum: the restricted log-likelihood, maximised by a
    # generic scipy optimiser, peaks at the same tau^2.
    from scipy.optimize import minimize_scalar

    ref = reference("bcg")
    y = np.array(ref["escalc"]["RR"]["yi"])
    v = np.array(ref["escalc"]["RR"]["vi"])

    def neg_restricted_loglik(t: float) -> float:
        w = 1 / (v + t)
        mu = np.dot(w, y) / w.sum()
        return 0.5 * (np.sum(np.log(v + t)) + np.log(w.sum()) + np.dot(w, (y - mu) ** 2))

    opt = minimize_scalar(neg_restricted_loglik, bounds=(0, 5), method="bounded",
                          options={"xatol": 1e-10})
    assert estimate_tau2(y, v, method="REML") == pytest.approx(opt.x, rel=1e-5)


# ----- bad input -------------------------------------------------------------------------------

def test_nonpositive_variance_is_rejected_naming_the_study() -> None:
    with pytest.raises(InvalidInput) as info:
        meta_analysis([0.1, 0.2, 0.3], [0.1, 0.0, 0.2], labels=["A", "B", "C"])
    assert "'B'" in str(info.value) and "above 0" in str(info.value)


def test_single_study_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="at least 2"):
        meta_analysis([0.1], [0.1])


def test_unknown_method_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="HS"):
        meta_analysis([0.1, 0.2], [0.1, 0.1], method="HS")


def test_collinear_moderators_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="collinear"):
        meta_regression([0.1, 0.2, 0.4, 0.3], [0.1, 0.1, 0.2, 0.1],
                        {"a": [1, 2, 3, 4], "b": [2, 4, 6, 8]})


def test_too_few_studies_for_the_moderators_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="more studies than coefficients"):
        meta_regression([0.1, 0.2], [0.1, 0.1], {"a": [1, 2]})


def test_subgroup_with_one_study_is_rejected_by_name() -> None:
    with pytest.raises(InvalidInput, match="lonely"):
        subgroup_analysis([0.1, 0.2, 0.3, 0.4, 0.5], [0.1] * 5, ["a", "a", "b", "b", "lonely"])
