"""hrhlessons.synthesis.confidence: each rule of the table in the module docstring."""

from __future__ import annotations

import pytest

from hrhlessons.cases.vocab import Evidence
from hrhlessons.synthesis.confidence import (
    Concern,
    EvidenceProfile,
    Rating,
    assess,
    assess_adequacy,
    assess_consistency,
    assess_methods,
    assess_relevance,
    best_evidence,
)

T, Q, OB, D = (Evidence.TRIAL, Evidence.QUASI_EXPERIMENTAL, Evidence.OBSERVATIONAL,
              Evidence.DESCRIPTIVE)


def _profile(evidence: list[Evidence | None], agreeing: int, judgeable: int, direct: int = 1,
             links: int = 1, in_domain: int | None = None) -> EvidenceProfile:
    ids = tuple(f"c{i}" for i in range(len(evidence)))
    return EvidenceProfile(ids, tuple(evidence), agreeing, judgeable, direct, links,
                           len(ids) if in_domain is None else in_domain)


@pytest.mark.parametrize(("n", "concern"), [(1, Concern.SERIOUS), (4, Concern.SERIOUS),
                                            (5, Concern.MODERATE), (9, Concern.MODERATE),
                                            (10, Concern.NONE), (40, Concern.NONE)])
def test_adequacy_thresholds(n: int, concern: Concern) -> None:
    assert assess_adequacy(n).concern is concern


@pytest.mark.parametrize(("levels", "concern"), [
    ([T, Q, D, D], Concern.NONE),          # half strong designs
    ([T, OB, D, D], Concern.MODERATE),      # half at least observational, 1 of 4 strong
    ([OB, OB, D, None], Concern.MODERATE),
    ([OB, D, D, None], Concern.SERIOUS),    # 1 of 4 observational
    ([None, None], Concern.SERIOUS),       # no outcome evidence
    ([], Concern.SERIOUS),
])
def test_methodological_limitations_thresholds(levels: list[Evidence | None],
                                               concern: Concern) -> None:
    assert assess_methods(levels).concern is concern


@pytest.mark.parametrize(("agreeing", "judgeable", "concern"), [
    (2, 2, Concern.MODERATE),   # too few to judge, even when all agree
    (3, 3, Concern.NONE), (3, 4, Concern.NONE),   # 75%
    (5, 7, Concern.MODERATE), (1, 2, Concern.MODERATE), (2, 4, Concern.MODERATE),  # 50-75%
    (1, 3, Concern.SERIOUS), (0, 10, Concern.SERIOUS),
])
def test_consistency_thresholds(agreeing: int, judgeable: int, concern: Concern) -> None:
    assert assess_consistency(agreeing, judgeable).concern is concern


@pytest.mark.parametrize(("direct", "links", "in_domain", "n", "concern"), [
    (5, 10, 3, 4, Concern.NONE),      # 50% direct, 75% in domain
    (4, 10, 4, 4, Concern.MINOR),     # keyword-matched links only: reported, no downgrade
    (10, 10, 2, 4, Concern.MODERATE),  # off domain
    (0, 10, 0, 4, Concern.SERIOUS),   # both
])
def test_relevance_thresholds(direct: int, links: int, in_domain: int, n: int,
                              concern: Concern) -> None:
    component = assess_relevance(direct, links, in_domain, n)
    assert component.concern is concern
    assert component.downgrade == {Concern.NONE: 0, Concern.MINOR: 0, Concern.MODERATE: 1,
                                   Concern.SERIOUS: 2}[concern]


def test_two_descriptive_cases_are_very_low() -> None:
    conf = assess(_profile([D, D], agreeing=2, judgeable=2))
    assert conf.rating is Rating.VERY_LOW
    assert conf.case_ids == ("c0", "c1")
    assert any("only 2 case(s)" in r for r in conf.reasons)


def test_twelve_consistent_quasi_experimental_cases_are_high_when_reviewed() -> None:
    conf = assess(_profile([Q] * 12, agreeing=12, judgeable=12, direct=12, links=12))
    assert conf.rating is Rating.HIGH
    assert all(c.concern is Concern.NONE for c in conf.components)


def test_twelve_consistent_quasi_experimental_cases_with_unreviewed_links_stay_high() -> None:
    conf = assess(_profile([Q] * 12, agreeing=12, judgeable=12, direct=0, links=12))
    assert conf.rating is Rating.HIGH
    assert [c.concern for c in conf.components][-1] is Concern.MINOR


def test_twelve_cases_of_mixed_agreement_and_observational_evidence_are_low() -> None:
    # adequacy none, methods moderate (observational), consistency moderate (8/12 = 67%)
    conf = assess(_profile([OB] * 12, agreeing=8, judgeable=12))
    assert conf.rating is Rating.LOW
    assert [c.downgrade for c in conf.components] == [0, 1, 1, 0]


def test_six_trial_cases_are_moderate() -> None:
    conf = assess(_profile([T] * 6, agreeing=6, judgeable=6))
    assert conf.rating is Rating.MODERATE


def test_rating_floors_at_very_low() -> None:
    conf = assess(_profile([None], agreeing=0, judgeable=1, direct=0, links=1, in_domain=0))
    assert sum(c.downgrade for c in conf.components) == 2 + 2 + 1 + 2
    assert conf.rating is Rating.VERY_LOW


def test_no_cases_is_very_low_with_its_reason() -> None:
    conf = assess(EvidenceProfile((), (), 0, 0, 0, 0, 0))
    assert conf.rating is Rating.VERY_LOW
    assert conf.reasons == ("adequacy: no cases",)


def test_result_renders() -> None:
    conf = assess(_profile([OB] * 12, agreeing=8, judgeable=12))
    d = conf.to_dict()
    assert d["rating"] == "low" and len(d["case_ids"]) == 12
    assert list(conf.to_frame()["downgrade"]) == [0, 1, 1, 0]
    assert conf.summary().startswith("low confidence (12 cases): methodological")


def test_profile_rejects_inconsistent_inputs() -> None:
    with pytest.raises(ValueError, match="agreeing"):
        EvidenceProfile(("a",), (D,), 2, 1, 0, 0, 1)
    with pytest.raises(ValueError, match="one entry per"):
        EvidenceProfile(("a", "b"), (D,), 0, 0, 0, 0, 1)


def test_best_evidence_picks_the_strongest_design() -> None:
    assert best_evidence([D, OB, Q]) is Q
    assert best_evidence([D, T]) is T
    assert best_evidence([]) is None
