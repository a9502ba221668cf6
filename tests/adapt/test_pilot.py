"""Pilot plans for bundled Malawi cases: sections, failure factors, measures, projections."""

from __future__ import annotations

from typing import Any

import pytest

from hrhlessons.adapt.pilot import ILLUSTRATIVE, SECTIONS, map_cadres, pilot_plan
from hrhlessons.adapt.projection import PER
from hrhlessons.adapt.questions import Answers, bundled_questionnaire
from hrhlessons.cases.model import Case
from hrhlessons.countries.vocab import SDG_THRESHOLD
from hrhlessons.reference import load_reference

Q = bundled_questionnaire()


@pytest.fixture(scope="module")
def cases(bundled_batch: Any) -> list[Case]:
    return list(bundled_batch.cases)


def by_id(cases: list[Case], cid: str) -> Case:
    return next(c for c in cases if c.id == cid)


def test_hsa_plan_has_the_checklist_failure_factors_measures_and_a_chw_projection(
        cases: list[Case]) -> None:
    hsa = by_id(cases, "mwi-health-surveillance-assistants")
    answers = Answers(questions={"domestic_financing": "no"}, components={"supervision": 1})
    plan = pilot_plan(hsa, cases, load_reference(), "MWI", answers, Q, start=2025)
    assert [s.key for s in plan.sections] == [s.key for s in SECTIONS]
    assert plan.own_failure_factors == tuple(hsa.failure_factors)
    assert len(plan.own_failure_factors) >= 1
    assert all(not r.own and r.case_id != hsa.id for r in plan.risks)
    financing = next(s for s in plan.sections if s.key == "financing")
    assert any(g.item == "domestic_financing" for g in financing.gaps)
    fit = next(s for s in plan.sections if s.key == "fit")
    assert any(g.item == "supervision" and g.kind == "component" for g in fit.gaps)
    assert [m.indicator for m in plan.measures] == [o.indicator for o in hsa.outcomes]
    (proj,) = plan.projections
    assert proj.cadre == "chw" and proj.projection is not None
    ref = load_reference()
    year, density = ref.chw_density("MWI") or (0, 0.0)
    assert proj.projection.parameters.stock == pytest.approx(
        density * (ref.population("MWI", year) or 0) / PER)
    assert proj.projection.years[0] == 2025 and proj.projection.years[-1] == 2035
    assert proj.target_density == pytest.approx(density)  # CHWs: keep today's density
    assert proj.required_intake is not None and proj.required_intake > 0
    assert any("illustrative" in a for a in proj.assumptions)
    d = plan.to_dict()
    assert d["projections"][0]["cadre"] == "chw"
    assert d["failure_factors_of_this_case"] == hsa.failure_factors
    assert "Beginning with the end in mind" in d["guidance"]


def test_doctors_and_nurses_target_the_sdg_threshold_at_todays_mix(cases: list[Case]) -> None:
    ehrp = by_id(cases, "mwi-emergency-human-resources-programme")
    plan = pilot_plan(ehrp, cases, load_reference(), "MWI", Answers(), Q, start=2025)
    cadres = {p.cadre: p for p in plan.projections}
    assert set(cadres) == {"doctors", "nurses_midwives", "chw"}
    ref = load_reference()
    doctors = (ref.doctors_density("MWI") or (0, 0.0))[1]
    nurses = (ref.nurses_midwives_density("MWI") or (0, 0.0))[1]
    assert cadres["doctors"].target_density == pytest.approx(
        doctors * SDG_THRESHOLD / (doctors + nurses))
    total = sum(p.target_density or 0 for c, p in cadres.items() if c != "chw")
    assert total == pytest.approx(SDG_THRESHOLD)
    doc = cadres["doctors"].projection
    assert doc is not None and doc.parameters.duration == ILLUSTRATIVE["doctors"]["duration"]
    assert cadres["doctors"].shortfall is not None and cadres["doctors"].shortfall > 0


def test_answers_give_the_projection_parameters(cases: list[Case]) -> None:
    hsa = by_id(cases, "mwi-health-surveillance-assistants")
    answers = Answers(projection={"chw": {"intake": 1200.0, "duration": 0.0,
                                          "attrition": 0.08, "target_density": 10.0}})
    plan = pilot_plan(hsa, cases, load_reference(), "MWI", answers, Q, start=2025)
    p = plan.projections[0]
    assert p.projection is not None
    par = p.projection.parameters
    assert (par.intake, par.duration, par.attrition, par.target_density) == (1200.0, 0, 0.08,
                                                                             10.0)
    assert par.completion == ILLUSTRATIVE["chw"]["completion"]
    assert any("from the answers file" in d for d in p.derivations)
    assert p.target_basis == "from the answers file"


def test_no_projection_when_no_cadre_maps(cases: list[Case]) -> None:
    co = by_id(cases, "mwi-clinical-officers")
    plan = pilot_plan(co, cases, load_reference(), "MWI", Answers(), Q, start=2025)
    assert plan.projections == ()
    assert "clinical officer" in plan.projection_note and "no projection" in plan.projection_note


def _case(cadres: list[str], domain: str = "task_sharing") -> Case:
    return Case.model_validate({
        "id": "mwi-x", "name": "x", "countries": ["MWI"], "level": "national",
        "domain": domain, "description": "d", "status": "active", "cadres": cadres,
        "sources": [{"title": "s", "url": "https://x.org"}]})


@pytest.mark.parametrize(("cadres", "domain", "expected"), [
    (["medical officers"], "task_sharing", {"doctors"}),
    (["assistant medical officer", "clinical officer"], "task_sharing", set()),
    (["physician associates"], "task_sharing", set()),
    (["non-physician clinician"], "task_sharing", set()),
    (["registered nurse, registered midwife"], "task_sharing", {"nurses_midwives"}),
    (["village health volunteer"], "task_sharing", {"chw"}),
    (["MBBS graduates"], "education_training", {"doctors"}),
    ([], "community_health_workers", {"chw"}),
])
def test_cadre_mapping(cadres: list[str], domain: str, expected: set[str]) -> None:
    assert set(map_cadres(_case(cadres, domain))) == expected
