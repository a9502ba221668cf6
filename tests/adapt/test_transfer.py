"""Transferability scores on hand-made cases, checked by hand."""

from __future__ import annotations

import math
from typing import Any

import pytest

from hrhlessons.adapt.questions import Answers, bundled_questionnaire
from hrhlessons.adapt.readiness import ConditionWeight
from hrhlessons.adapt.transfer import (
    WEIGHTS,
    context_similarity,
    rank_innovations,
    record_strength,
)
from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import Condition
from hrhlessons.countries.model import CountryReference
from hrhlessons.countries.tables import CountryMeta, Observation
from hrhlessons.errors import UnknownCountry

Q = bundled_questionnaire()


def make(cid: str, countries: list[str], status: str = "active", **extra: Any) -> Case:
    data: dict[str, Any] = {
        "id": cid, "name": cid, "countries": countries, "level": "national",
        "domain": "task_sharing", "description": "d", "status": status,
        "sources": [{"title": "s1", "url": "https://x.org"}, {"title": "s2"}],
    }
    data.update(extra)
    return Case.model_validate(data)


def outcome(direction: str, evidence: str, source: int = 0) -> dict[str, Any]:
    return {"building_block": "service_delivery", "indicator": "i", "direction": direction,
            "evidence": evidence, "source": source}


def test_strength_of_a_running_expanded_case() -> None:
    c = make("aaa-one", ["AAA"], trajectory="expanded", start_year=2000, status_year=2005,
             outcomes=[outcome("improved", "trial"), outcome("worsened", "descriptive", 1)],
             provenance={"status": [1]})
    s = record_strength(c)
    # status 1.0; lifetime 5 / 10; outcomes (1 x 1.0 + -1 x 0.4) / 2 = 0.3.
    assert (s.status, s.lifetime, s.outcomes) == (1.0, 0.5, pytest.approx(0.3))
    assert s.score == pytest.approx(0.4 * 1.0 + 0.2 * 0.5 + 0.4 * 0.3)
    assert s.sources == (1, 2)  # status source 2, outcome sources 1 and 2


def test_strength_of_ended_and_never_implemented_cases() -> None:
    ended = record_strength(make("aaa-two", ["AAA"], "ended", start_year=2000, end_year=2015))
    assert ended.score == pytest.approx(0.4 * 0.1 + 0.2 * 1.0 + 0.4 * 0.0)
    assert ended.years == 15 and ended.outcome_count == 0
    never = record_strength(make("aaa-three", ["AAA"], "not_implemented",
                                 outcomes=[outcome("worsened", "trial")]))
    assert never.score == 0.0 and never.years is None  # outcomes below 0 count 0


def test_similarity_takes_the_nearest_country_of_the_case() -> None:
    distances = {"AAA": 0.0, "BBB": 1.0, "CCC": None, "DDD": 3.0}
    assert context_similarity(make("bbb-x", ["BBB", "DDD"]), distances).score == 0.5
    s = context_similarity(make("ccc-x", ["CCC"]), distances)
    assert s.score == 0.0 and "no country of the case can be compared" in s.note
    own = context_similarity(make("aaa-x", ["AAA", "BBB"]), distances)
    assert own.score == 1.0 and own.note == "done in the target country"


def _meta(iso3: str, region: str, income: str) -> CountryMeta:
    return CountryMeta(iso3, iso3, region, None, None, income, None)


@pytest.fixture
def ref() -> CountryReference:
    def obs(iso3: str, d: float, n: float) -> list[Observation]:
        return [Observation(iso3, "HWF_0001", 2020, d), Observation(iso3, "HWF_0006", 2020, n),
                Observation(iso3, "POP", 2020, 1e6)]

    # AAA and BBB identical; CCC differs in every feature but population.
    return CountryReference(
        [_meta("AAA", "AFR", "L"), _meta("BBB", "AFR", "L"), _meta("CCC", "EUR", "H")],
        obs("AAA", 1.0, 10.0) + obs("BBB", 1.0, 10.0) + obs("CCC", 30.0, 90.0))


WEIGHTS_HAND = {Condition.DOMESTIC_FINANCING: ConditionWeight(
    Condition.DOMESTIC_FINANCING, 0.4, True, "hand-made", ("bbb-old",))}


def test_score_combines_the_three_parts_with_the_documented_weights(
        ref: CountryReference) -> None:
    good = make("bbb-good", ["BBB"], trajectory="expanded", start_year=2000, status_year=2010,
                outcomes=[outcome("improved", "quasi_experimental")])
    answers = Answers(questions={"domestic_financing": "partly"})
    ranking = rank_innovations([good], ref, "AAA", answers, Q, weights=WEIGHTS_HAND)
    s = ranking.scores[0]
    strength = 0.4 * 1.0 + 0.2 * 1.0 + 0.4 * 0.8
    assert s.parts == {"strength": pytest.approx(strength), "similarity": 1.0,
                       "readiness": 0.5}
    assert s.score == pytest.approx(100 * (0.4 * strength + 0.3 * 1.0 + 0.3 * 0.5))
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    d = s.to_dict()
    assert d["breakdown"]["strength"]["weight"] == 0.4
    assert d["breakdown"]["similarity"]["points"] == 30.0
    assert d["readiness"]["gaps"][0]["item"] == "domestic_financing"


def test_ranking_order_domain_filter_and_risks(ref: CountryReference) -> None:
    shared = ["task_shifting", "new_cadre"]
    running = make("bbb-run", ["BBB"], trajectory="expanded", start_year=2000,
                   status_year=2012, interventions=shared)
    far = make("ccc-run", ["CCC"], trajectory="expanded", start_year=2000, status_year=2012,
               interventions=["task_shifting"])
    died = make("bbb-died", ["BBB"], "ended", start_year=2000, end_year=2003,
                interventions=["new_cadre"], failure_factors=["no budget after the donor left"],
                provenance={"status": [0]})
    other_domain = make("bbb-chw", ["BBB"], "ended", domain="community_health_workers",
                        start_year=2001, end_year=2002, interventions=shared,
                        failure_factors=["volunteers left"])
    ranking = rank_innovations([died, far, running, other_domain], ref, "AAA", Answers(), Q,
                               weights={})
    assert ranking.case_ids[0] == "bbb-run"
    # Same record, the far country loses on similarity only.
    by_id = {s.case_id: s for s in ranking.scores}
    assert by_id["bbb-run"].strength.score == by_id["ccc-run"].strength.score
    assert by_id["ccc-run"].similarity.score < 1.0
    assert by_id["bbb-run"].score > by_id["ccc-run"].score
    # Risks: the ended task-sharing case shares new_cadre; the CHW case is another domain.
    risks = by_id["bbb-run"].risks
    assert [(r.factor, r.case_id, r.sources) for r in risks] == [
        ("no budget after the donor left", "bbb-died", (1,))]
    assert by_id["bbb-died"].risks[0].own is True
    assert not any(r.case_id == "bbb-chw" for s in ranking.scores for r in s.risks
                   if s.case_id != "bbb-chw")
    only = rank_innovations([died, far, running, other_domain], ref, "AAA", Answers(), Q,
                            domains=["community_health_workers"], weights={})
    assert only.case_ids == ("bbb-chw",)


def test_detail_limits_where_risks_are_collected_not_the_order(ref: CountryReference) -> None:
    cases = [make(f"bbb-c{i}", ["BBB"], "ended", start_year=2000, end_year=2000 + i,
                  interventions=["new_cadre"], failure_factors=[f"factor {i}"])
             for i in range(1, 5)]
    full = rank_innovations(cases, ref, "AAA", Answers(), Q, weights={})
    short = rank_innovations(cases, ref, "AAA", Answers(), Q, weights={}, detail=2)
    assert full.case_ids == short.case_ids
    assert [s.risks_listed for s in short.scores] == [True, True, False, False]
    assert short.scores[0].risks == full.scores[0].risks
    assert "not collected" in str(short.scores[3].to_dict()["risks"])


def test_default_weights_come_from_the_cases(ref: CountryReference) -> None:
    cases = [make(f"bbb-w{i}", ["BBB"], start_year=2000, status_year=2001,
                  conditions={"political_champion": True}) for i in range(4)]
    cases += [make(f"bbb-f{i}", ["BBB"], "ended", start_year=2000, end_year=2001,
                   conditions={"political_champion": False}) for i in range(4)]
    ranking = rank_innovations(cases, ref, "AAA", Answers(), Q)
    w = ranking.weights[Condition.POLITICAL_CHAMPION]
    assert w.weight == pytest.approx(1.0 * 4 / 9) and w.protective is True
    assert ranking.to_dict()["decisive_conditions"][0]["condition"] == "political_champion"


def test_unknown_target_country_is_refused(ref: CountryReference) -> None:
    with pytest.raises(UnknownCountry):
        rank_innovations([], ref, "ZZZ", Answers(), Q)


def test_frame_and_summary(ref: CountryReference) -> None:
    c = make("bbb-one", ["BBB"], start_year=2000, status_year=2004)
    ranking = rank_innovations([c], ref, "AAA", Answers(), Q, weights={})
    frame = ranking.to_frame()
    assert list(frame.columns)[:5] == ["case_id", "score", "strength", "similarity",
                                       "readiness"]
    assert math.isclose(frame["score"][0], ranking.scores[0].score)
    assert "bbb-one" in ranking.summary()


@pytest.mark.parametrize("status", ["active", "ended", "not_implemented", "unknown"])
@pytest.mark.parametrize("trajectory", ["expanded", "stable", "contracted", "replaced",
                                        "unknown"])
def test_every_status_and_trajectory_has_status_points(status: str, trajectory: str) -> None:
    # record_strength looks the outcome group up in STATUS_POINTS: a group that coverage's
    # outcome_group can give and the table lacks would fail at ranking time. Years as the
    # rules allow them for each status.
    years: dict[str, Any] = {"start_year": 2000, "status_year": 2010}
    if status == "ended":
        years["end_year"] = 2009
    if status == "not_implemented":
        years["start_year"] = None
    if status == "unknown":
        years["status_year"] = None
    case = make(f"{status.replace('_', '-')}-{trajectory}", ["MWI"], status,
                trajectory=trajectory, **years)
    strength = record_strength(case)
    assert 0.0 <= strength.status <= 1.0
