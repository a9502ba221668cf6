"""Decisive conditions from cases, readiness scores and gaps from answers, and the answers file
validation, all checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrhlessons.adapt.questions import Answers, bundled_questionnaire, parse_answers
from hrhlessons.adapt.readiness import (
    ConditionWeight,
    decisive_conditions,
    readiness,
    target_states,
)
from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import Condition, Domain
from hrhlessons.errors import InvalidInput

Q = bundled_questionnaire()
EXAMPLE = (Path(__file__).resolve().parents[2] / "src" / "hrhlessons" / "data" / "adapt"
           / "answers-example.yaml")


def case(cid: str, status: str = "active", domain: str = "task_sharing",
         **conditions: bool | None) -> Case:
    return Case.model_validate({
        "id": cid, "name": cid, "countries": ["MWI"], "level": "national", "domain": domain,
        "description": "d", "status": status,
        "start_year": None if status == "not_implemented" else 2000,
        "conditions": conditions, "sources": [{"title": "s", "url": "https://x.org"}],
    })


def test_decisive_conditions_are_failure_share_differences_shrunk_by_group_size() -> None:
    # political_champion: with it 4 cases, 1 failed (25%); without 4 cases, 3 failed (75%).
    cases = [case("mwi-a1", political_champion=True), case("mwi-a2", political_champion=True),
             case("mwi-a3", political_champion=True),
             case("mwi-a4", "ended", political_champion=True),
             case("mwi-b1", "ended", political_champion=False),
             case("mwi-b2", "ended", political_champion=False),
             case("mwi-b3", "not_implemented", political_champion=False),
             case("mwi-b4", political_champion=False),
             case("mwi-c1", political_champion=None)]
    result = decisive_conditions(cases)
    e = result.evidence[Condition.POLITICAL_CHAMPION]
    assert e.share_with == 0.25 and e.share_without == 0.75 and e.difference == 0.5
    assert e.weight == pytest.approx(0.5 * 4 / (4 + 5))
    assert e.protective is True
    assert e.with_failed == ("mwi-a4",)
    assert set(e.without_failed) == {"mwi-b1", "mwi-b2", "mwi-b3"}
    assert "mwi-c1" not in e.with_ids + e.without_ids  # unknown is left out
    assert "25% (1/4)" in e.evidence and "75% (3/4)" in e.evidence
    # A condition nobody recorded has no weight.
    assert result.evidence[Condition.FORMAL_CADRE].weight == 0.0
    assert result.to_dict()["conditions"][0]["condition"] == "political_champion"


def test_a_harmful_condition_protects_when_false_and_small_groups_weigh_nothing() -> None:
    cases = [case(f"mwi-d{i}", "ended" if i < 3 else "active", donor_dependent=True)
             for i in range(4)]
    cases += [case(f"mwi-n{i}", "ended" if i < 1 else "active", donor_dependent=False)
              for i in range(4)]
    cases += [case("mwi-s1", supportive_supervision=True),
              case("mwi-s2", "ended", supportive_supervision=False),
              case("mwi-s3", "ended", supportive_supervision=False)]
    result = decisive_conditions(cases)
    dd = result.evidence[Condition.DONOR_DEPENDENT]
    assert dd.difference == pytest.approx(0.25 - 0.75) and dd.protective is False
    assert dd.weight == pytest.approx(0.5 * 4 / 9)
    # 1 case with, 2 without: fewer than 3 in a group, weight 0 (and said).
    ss = result.evidence[Condition.SUPPORTIVE_SUPERVISION]
    assert ss.weight == 0.0 and "weight 0" in ss.evidence


WEIGHTS = {
    Condition.POLITICAL_CHAMPION: ConditionWeight(Condition.POLITICAL_CHAMPION, 0.5, True,
                                                  "hand-made", ("x-1",)),
    Condition.DONOR_DEPENDENT: ConditionWeight(Condition.DONOR_DEPENDENT, 0.25, False,
                                               "hand-made", ("x-2",)),
}


def test_readiness_is_the_weighted_share_of_protective_states_present() -> None:
    answers = Answers(questions={"political_champion": "yes", "donor_dependence": "yes"})
    r = readiness(case("mwi-x", "ended"), answers, WEIGHTS, Q)
    # champion present (1) with weight 0.5, donor dependence present = 1 - 1 = 0 with 0.25.
    assert r.score == pytest.approx((0.5 * 1 + 0.25 * 0) / 0.75)
    gap = next(g for g in r.gaps if g.item == "donor_dependence")
    assert gap.kind == "question" and gap.answer == "yes" and gap.weight == 0.25
    assert gap.case_ids == ("x-2",)
    assert not any(g.item == "political_champion" for g in r.gaps)


def test_a_condition_the_innovation_lasted_without_counts_half() -> None:
    answers = Answers(questions={"political_champion": "yes", "donor_dependence": "yes"})
    lasted = case("mwi-y", "active", political_champion=False)
    r = readiness(lasted, answers, WEIGHTS, Q)
    assert r.score == pytest.approx((0.5 * 0.5 * 1 + 0.25 * 0) / (0.25 + 0.25))
    failed = case("mwi-z", "ended", political_champion=False)
    assert readiness(failed, answers, WEIGHTS, Q).score == pytest.approx(0.5 / 0.75)


def test_unanswered_counts_half_and_is_a_gap() -> None:
    answers = Answers(questions={"political_champion": "partly"})
    r = readiness(case("mwi-x"), answers, WEIGHTS, Q)
    # champion partly: 0.5; donor dependence unknown: 0.5.
    assert r.score == pytest.approx(0.5)
    kinds = {g.item: g.kind for g in r.gaps}
    assert kinds["donor_dependent"] == "unanswered"
    assert kinds["political_champion"] == "question"  # partly is a gap too


def test_no_weighted_condition_gives_one_half() -> None:
    r = readiness(case("mwi-x"), Answers(), {}, Q)
    assert r.score == 0.5 and "no condition has a weight" in r.note


def test_chw_components_feed_the_state_and_weak_ones_are_gaps() -> None:
    answers = Answers(questions={"supervision_system": "yes"},
                      components={"supervision": 2, "recruitment": 4, "training": 1})
    chw = target_states(answers, Q, Domain.COMMUNITY_HEALTH_WORKERS)
    # supervision_system yes (1), chw_supervision unknown, component 2 -> 1/3: mean 2/3.
    assert chw[Condition.SUPPORTIVE_SUPERVISION].state == pytest.approx((1 + 1 / 3) / 2)
    other = target_states(answers, Q, Domain.TASK_SHARING)
    assert other[Condition.SUPPORTIVE_SUPERVISION].state == 1.0  # components: CHW only
    weights = {Condition.SUPPORTIVE_SUPERVISION: ConditionWeight(
        Condition.SUPPORTIVE_SUPERVISION, 0.3, True, "hand-made", ())}
    r = readiness(case("mwi-c", domain="community_health_workers"), answers, weights, Q)
    assert r.score == pytest.approx((1 + 1 / 3) / 2)
    weak = {g.item for g in r.gaps if g.kind == "component"}
    assert weak == {"supervision", "training"}
    r_other = readiness(case("mwi-t"), answers, weights, Q)
    assert not any(g.kind == "component" for g in r_other.gaps)


def test_retention_questions_apply_to_retention_innovations_only() -> None:
    answers = Answers(questions={"living_conditions": "no"})
    ret = readiness(case("mwi-r", domain="retention_deployment"), answers, {}, Q)
    assert [g.item for g in ret.gaps] == ["living_conditions"]
    assert "not scored" in ret.gaps[0].line()
    assert readiness(case("mwi-t"), answers, {}, Q).gaps == ()


def test_the_weights_from_cases_plug_into_readiness() -> None:
    cases = [case(f"mwi-p{i}", "active", political_champion=True) for i in range(4)]
    cases += [case(f"mwi-q{i}", "ended", political_champion=False) for i in range(4)]
    weights = decisive_conditions(cases).weights()
    answers = Answers(questions={"political_champion": "no"})
    r = readiness(case("mwi-new", "ended"), answers, weights, Q)
    assert r.score == 0.0
    assert r.gaps[0].item == "political_champion"
    assert r.gaps[0].weight == pytest.approx(1.0 * 4 / 9)


# ----- the answers file -----

def test_the_example_answers_file_is_valid() -> None:
    answers = parse_answers(EXAMPLE.read_text(encoding="utf-8"), Q, file=str(EXAMPLE),
                            expected_country="MWI")
    assert answers.country == "MWI"
    assert answers.answer("domestic_financing") == "no"
    assert answers.components["supervision"] == 2
    assert answers.answered > 30


def test_bare_yaml_booleans_and_case_are_read_as_answers() -> None:
    a = parse_answers("answers:\n  political_champion: yes\n  domestic_financing: No\n"
                      "  supervision_system: PARTLY\n  formal_posts: null\n", Q)
    assert a.questions == {"political_champion": "yes", "domestic_financing": "no",
                           "supervision_system": "partly", "formal_posts": "unknown"}
    assert a.question_state("supervision_system") == 0.5
    assert a.question_state("formal_posts") is None


def test_every_problem_is_named_with_its_line_and_field() -> None:
    text = ("country: KEN\n"
            "answers:\n"
            "  political_champion: maybe\n"
            "  no_such_question: yes\n"
            "chw_functionality:\n"
            "  supervision: 5\n"
            "  morale: 3\n"
            "projection:\n"
            "  doctors: {intake: lots, speed: 2}\n"
            "  dentists: {intake: 3}\n"
            "extra: 1\n")
    with pytest.raises(InvalidInput) as info:
        parse_answers(text, Q, file="a.yaml", expected_country="MWI")
    found = {(p.line, p.field): p.message for p in info.value.problems}
    assert "not for 'MWI'" in found[(1, "country")]
    assert "'maybe' is not an answer" in found[(3, "answers.political_champion")]
    assert "'no_such_question' is not a question id" in found[(4, "answers.no_such_question")]
    assert "'5' is not a score" in found[(6, "chw_functionality.supervision")]
    assert "'morale' is not a CHW programme component" in found[(7, "chw_functionality.morale")]
    assert "'lots' is not a number" in found[(9, "projection.doctors.intake")]
    assert "'speed' is not a projection parameter" in found[(9, "projection.doctors.speed")]
    assert "'dentists' is not a cadre" in found[(10, "projection.dentists")]
    assert "'extra' is not a key" in found[(11, "extra")]
    assert len(info.value.problems) == 9


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(InvalidInput, match="is a mapping"):
        parse_answers("- yes\n- no\n", Q)
    with pytest.raises(InvalidInput, match="not valid YAML"):
        parse_answers("answers: [unclosed\n", Q)


def test_json_answers_are_read_too() -> None:
    a = parse_answers('{"answers": {"adequate_pay": "no"}, "chw_functionality": '
                      '{"incentives": 1}}', Q)
    assert a.answer("adequate_pay") == "no" and a.component_state("incentives") == 0.0


def test_questionnaire_cites_the_documents_and_maps_conditions() -> None:
    docs = " ".join(Q.documents.values())
    assert "Increasing access to health workers in remote and rural areas" in docs
    assert "optimize community health worker programmes" in docs
    assert "Beginning with the end in mind" in docs
    assert {q.group for q in Q.questions if q.section == "retention"} == {
        "education", "regulatory", "financial", "support"}
    assert len(Q.components) == 10
    mapped = {q.condition for q in Q.questions if q.condition is not None}
    assert mapped == set(Condition)  # every condition of the records has a question
