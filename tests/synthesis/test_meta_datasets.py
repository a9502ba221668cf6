"""hrhlessons.synthesis.meta on three more metafor datasets, pinned against R metafor.

dat.normand1999 (SMD, MD), dat.molloy2014 (Fisher z, meta-regression, Egger test) and
dat.egger2001 (OR and RD with a zero cell, Egger test). Tolerance: 1e-6 relative, 1e-8 absolute.
"""

from __future__ import annotations

from typing import Any

import pytest

from hrhlessons.synthesis.meta import egger_test, meta_analysis, meta_regression
from tests.synthesis.test_meta import FIT_KEYS, reference


def approx(expected: Any) -> Any:
    return pytest.approx(expected, rel=1e-6, abs=1e-8)


def cases(dataset: str, measure: str | None) -> list[tuple[str, str | None, str]]:
    ref = reference(dataset)
    fits = ref["fits"] if measure is None else ref["fits"][measure]
    return [(dataset, measure, name) for name in fits]


def check(dataset: str, measure: str | None, name: str) -> None:
    ref = reference(dataset)
    es = ref["escalc"][measure or "ZCOR"]
    fit_ref = (ref["fits"] if measure is None else ref["fits"][measure])[name]
    res = meta_analysis(es["yi"], es["vi"], method=fit_ref["method"],
                        knha=fit_ref["test"] == "knha")
    got = res.to_dict()
    assert got["k"] == fit_ref["k"]
    for ours, theirs in FIT_KEYS.items():
        assert got[ours] == approx(fit_ref[theirs]), ours
    if fit_ref["method"] != "FE":
        assert list(res.tau2_ci or ()) == approx(fit_ref["tau2_ci"])
        assert list(res.i2_ci or ()) == approx(fit_ref["i2_ci"])
        assert list(res.h2_ci or ()) == approx(fit_ref["h2_ci"])


@pytest.mark.parametrize("dataset,measure,name",
                         cases("normand1999", "SMD") + cases("normand1999", "MD"))
def test_fits_match_metafor_normand1999(dataset: str, measure: str, name: str) -> None:
    check(dataset, measure, name)


@pytest.mark.parametrize("dataset,measure,name", cases("molloy2014", None))
def test_fits_match_metafor_molloy2014(dataset: str, measure: None, name: str) -> None:
    check(dataset, measure, name)


@pytest.mark.parametrize("dataset,measure,name",
                         cases("egger2001", "OR") + cases("egger2001", "RD"))
def test_fits_match_metafor_egger2001(dataset: str, measure: str, name: str) -> None:
    check(dataset, measure, name)


def test_reml_metaregression_matches_metafor_molloy2014() -> None:
    ref = reference("molloy2014")
    reg = ref["metareg"]["REML_meanage_quality"]
    es = ref["escalc"]["ZCOR"]
    res = meta_regression(es["yi"], es["vi"], {m: ref["data"][m] for m in reg["moderators"]},
                          method="REML")
    assert list(res.coef) == approx(reg["coef"])
    assert list(res.se) == approx(reg["se"])
    assert list(res.p) == approx(reg["pval"])
    for key in ("tau2", "qm", "qm_p", "qe", "qe_p", "i2", "h2"):
        assert getattr(res, key) == approx(reg[key]), key
    if reg["r2"] is not None:
        assert res.r2 == approx(reg["r2"])


def test_egger_reml_matches_metafor_molloy2014() -> None:
    ref = reference("molloy2014")
    es = ref["escalc"]["ZCOR"]
    res = egger_test(es["yi"], es["vi"], method="REML")
    assert res.z == approx(ref["egger"]["REML"]["z"])
    assert res.p == approx(ref["egger"]["REML"]["p"])


@pytest.mark.parametrize("method", ["FE", "DL", "REML"])
def test_egger_matches_metafor_regtest_egger2001(method: str) -> None:
    ref = reference("egger2001")
    es = ref["escalc"]["OR"]
    res = egger_test(es["yi"], es["vi"], method=method)
    eg = ref["egger"][method]
    assert res.z == approx(eg["z"])
    assert res.p == approx(eg["p"])
    assert res.limit_estimate == approx(eg["limit_estimate"])
    assert res.to_dict()["egger_z"] == res.z
    assert "Egger" in res.summary()


def test_references_record_their_software_versions() -> None:
    for name in ("bcg", "normand1999", "molloy2014", "egger2001"):
        ref = reference(name)
        assert ref["r_version"].startswith("R version")
        assert ref["metafor_version"]
        assert ref["generated_by"] == "scripts/r/metafor_reference.R"
