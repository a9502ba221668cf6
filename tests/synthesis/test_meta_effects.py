"""hrhlessons.synthesis.effects against R metafor's escalc (tests/data/metafor_*.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hrhlessons.errors import InvalidInput
from hrhlessons.synthesis.effects import fisher_z, mean_difference, two_by_two

DATA = Path(__file__).parents[1] / "data"


@cache
def reference(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"metafor_{name}.json").read_text(encoding="utf-8"))


def close(actual: Any, expected: Any) -> None:
    assert list(actual) == pytest.approx(expected, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("measure", ["RR", "OR", "RD"])
def test_two_by_two_matches_metafor_escalc_bcg(measure: str) -> None:
    ref = reference("bcg")
    d = ref["data"]
    es = two_by_two(measure, d["tpos"], d["tneg"], d["cpos"], d["cneg"],  # type: ignore[arg-type]
                    labels=d["author"])
    close(es.yi, ref["escalc"][measure]["yi"])
    close(es.vi, ref["escalc"][measure]["vi"])
    assert es.labels == tuple(d["author"])
    assert not any(es.adjusted)


@pytest.mark.parametrize("measure", ["RR", "OR", "RD"])
def test_zero_cell_handling_matches_metafor_escalc_egger2001(measure: str) -> None:
    ref = reference("egger2001")
    d = ref["data"]
    es = two_by_two(measure, d["ai"], ci=d["ci"], n1i=d["n1i"], n2i=d["n2i"],  # type: ignore[arg-type]
                    labels=d["study"])
    close(es.yi, ref["escalc"][measure]["yi"])
    close(es.vi, ref["escalc"][measure]["vi"])
    zero = [a == 0 or c == 0 for a, c in zip(d["ai"], d["ci"], strict=True)]
    assert any(zero)  # Bertschat 1989 has no deaths in the magnesium arm
    assert list(es.adjusted) == zero
    assert "1 study(ies) had 0.5 added" in es.summary()


@pytest.mark.parametrize("measure", ["SMD", "MD"])
def test_mean_differences_match_metafor_escalc_normand1999(measure: str) -> None:
    ref = reference("normand1999")
    d = ref["data"]
    es = mean_difference(measure, d["m1i"], d["sd1i"], d["n1i"],  # type: ignore[arg-type]
                         d["m2i"], d["sd2i"], d["n2i"], labels=d["source"])
    close(es.yi, ref["escalc"][measure]["yi"])
    close(es.vi, ref["escalc"][measure]["vi"])


def test_fisher_z_matches_metafor_escalc_molloy2014() -> None:
    ref = reference("molloy2014")
    d = ref["data"]
    es = fisher_z(d["ri"], d["ni"], labels=d["authors"])
    close(es.yi, ref["escalc"]["ZCOR"]["yi"])
    close(es.vi, ref["escalc"]["ZCOR"]["vi"])
    frame = es.to_frame()
    assert list(frame.columns) == ["label", "yi", "vi", "adjusted"]
    assert es.to_dict()["measure"] == "ZCOR" and es.k == len(d["ri"])


def test_hedges_correction_shrinks_towards_zero_and_vanishes_for_large_samples() -> None:
    small = mean_difference("SMD", [1.0], [1.0], [5], [0.0], [1.0], [5])
    large = mean_difference("SMD", [1.0], [1.0], [50_000], [0.0], [1.0], [50_000])
    assert 0 < small.yi[0] < 1.0
    assert large.yi[0] == pytest.approx(1.0, rel=1e-4)


def test_adding_to_every_study_follows_to_all() -> None:
    a = two_by_two("OR", [5, 0], [5, 10], [5, 5], [5, 5], to="all")
    assert a.adjusted == (True, True)
    assert a.yi[0] == pytest.approx(0.0)
    b = two_by_two("OR", [5, 0], [5, 10], [6, 5], [5, 5], to="if0all")
    assert b.adjusted == (True, True)
    c = two_by_two("OR", [5, 1], [5, 10], [6, 5], [5, 5], to="if0all")
    assert c.adjusted == (False, False)


def test_zero_cell_without_correction_is_rejected_naming_the_study() -> None:
    with pytest.raises(InvalidInput, match=r"'B'.*zero cell"):
        two_by_two("RR", [3, 0], [7, 10], [4, 5], [6, 5], to="none", labels=["A", "B"])


def test_negative_counts_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="'bi' is negative"):
        two_by_two("RR", [12], ci=[4], n1i=[10], n2i=[10])


def test_correlation_out_of_range_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="between -1 and 1"):
        fisher_z([0.2, 1.0], [30, 40])


def test_missing_values_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="study 2: 'ni' is missing"):
        fisher_z([0.2, 0.3], [30, np.nan])


def test_unknown_measure_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="not a 2x2 measure"):
        two_by_two("SMD", [1], [2], [3], [4])  # type: ignore[arg-type]
