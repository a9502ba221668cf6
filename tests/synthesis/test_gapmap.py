"""hrhlessons.synthesis.gapmap (gap map, outcomes by building block), its heat map and CLI."""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd
import pytest
from matplotlib.figure import Figure
from typer.testing import CliRunner

from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import BuildingBlock, Direction, Domain, Evidence, Intervention
from hrhlessons.cli.app import app
from hrhlessons.synthesis.confidence import Concern, Rating
from hrhlessons.synthesis.factorplots import gap_map_heatmap
from hrhlessons.synthesis.factors import OutcomeGroup
from hrhlessons.synthesis.gapmap import (
    GapOptions,
    case_direction,
    gap_map,
    outcomes_by_block,
)
from tests.synthesis.test_factors import make_case, outcome

SD, HW, FIN = (BuildingBlock.SERVICE_DELIVERY, BuildingBlock.HEALTH_WORKFORCE,
               BuildingBlock.FINANCING)


@pytest.fixture
def cases() -> list[Case]:
    return [
        make_case("ken-a", trajectory="expanded",
                  interventions=["salaried_chw", "supervision_support"],
                  outcomes=[outcome("service_delivery", "improved", "quasi_experimental"),
                            outcome("service_delivery", "improved", "observational"),
                            outcome("health_workforce", "worsened", "descriptive")]),
        make_case("ken-b", status="ended", start_year=2000, end_year=2004,
                  interventions=["salaried_chw"],
                  outcomes=[outcome("service_delivery", "no_change", "trial")]),
        make_case("ken-c", trajectory="expanded",
                  outcomes=[outcome("service_delivery", "improved", "descriptive")]),
        make_case("ken-d", interventions=["supervision_support"]),
        make_case("ken-e", domain="education_training", interventions=["salaried_chw"],
                  outcomes=[outcome("service_delivery", "mixed", "descriptive"),
                            outcome("financing", "improved", "observational")]),
    ]


def test_gap_map_cells_by_hand(cases: list[Case]) -> None:
    gap = gap_map(cases)
    got = {(c.intervention.value, c.building_block.value): c.cell.case_ids for c in gap.cells}
    assert got == {("salaried_chw", "service_delivery"): ("ken-a", "ken-b", "ken-e"),
                   ("salaried_chw", "health_workforce"): ("ken-a",),
                   ("salaried_chw", "financing"): ("ken-e",),
                   ("supervision_support", "service_delivery"): ("ken-a",),
                   ("supervision_support", "health_workforce"): ("ken-a",)}
    assert gap.case_ids == ("ken-a", "ken-b", "ken-c", "ken-e")
    assert gap.untagged == ("ken-c",)


def test_gap_cell_directions_evidence_and_confidence_by_hand(cases: list[Case]) -> None:
    cell = gap_map(cases).get("salaried_chw", "service_delivery")
    assert cell is not None
    assert [cell.n_outcomes(d) for d in Direction] == [2, 1, 0, 1]   # a,a | b | - | e
    assert cell.direction_case_ids(Direction.IMPROVED) == ("ken-a",)
    assert cell.best_evidence is Evidence.TRIAL
    # case directions: a improved, b no change, e mixed: a tie, won by "improved"
    assert cell.modal_direction is Direction.IMPROVED
    consistency = cell.confidence.components[2]
    assert consistency.reason == "1 of 3 judgeable cases agree (33%)"
    assert cell.confidence.rating is Rating.VERY_LOW
    sup = gap_map(cases).get(Intervention.SUPERVISION_SUPPORT, SD)
    assert sup is not None and sup.n_outcomes(Direction.IMPROVED) == 2
    assert sup.best_evidence is Evidence.QUASI_EXPERIMENTAL
    assert gap_map(cases).get("salaried_chw", "medical_products") is None


def test_gap_map_frame_and_matrix(cases: list[Case]) -> None:
    gap = gap_map(cases)
    frame = gap.to_frame()
    assert len(frame) == 5
    row = frame[(frame.intervention == "salaried_chw")
                & (frame.building_block == "service_delivery")].iloc[0]
    assert (row.n_cases, row.n_improved, row.n_no_change, row.n_worsened, row.n_mixed) == (
        3, 2, 1, 0, 1)
    assert row.group == "community_health_workers"
    assert row.case_ids == "ken-a,ken-b,ken-e"
    grid = gap.matrix()
    assert grid.shape == (len(Intervention), len(BuildingBlock))
    assert int(grid.to_numpy().sum()) == 7
    assert grid.loc["salaried_chw", "financing"] == 1
    evidence = gap.matrix("best_evidence")
    assert evidence.loc["salaried_chw", "service_delivery"] == "trial"
    assert evidence.loc["rural_allowance", "financing"] == "none"
    assert gap.matrix("n_worsened").loc["supervision_support", "health_workforce"] == 1


def test_gap_map_renders(cases: list[Case]) -> None:
    gap = gap_map(cases)
    data = json.loads(json.dumps(gap.to_dict()))
    assert data["untagged_case_ids"] == ["ken-c"]
    # cells follow the order of the intervention tags (support before CHW tags), then blocks
    assert [(c["intervention"], c["building_block"]) for c in data["cells"]][:2] == [
        ("supervision_support", "service_delivery"), ("supervision_support", "health_workforce")]
    chw = next(c for c in data["cells"] if c["intervention"] == "salaried_chw")
    assert chw["outcomes"]["no_change"] == {"n": 1, "case_ids": ["ken-b"]}
    assert gap.summary().startswith("4 cases with outcomes fill 5 of 204 cells (199 gaps)")


def test_gap_map_options_filter(cases: list[Case]) -> None:
    only_chw = gap_map(cases, GapOptions(domain=Domain.COMMUNITY_HEALTH_WORKERS))
    assert only_chw.get("salaried_chw", "financing") is None
    survivors = gap_map(cases, GapOptions(group=OutcomeGroup.SURVIVED))
    cell = survivors.get("salaried_chw", "service_delivery")
    assert cell is not None and cell.case_ids == ("ken-a",)


def test_case_direction() -> None:
    case = make_case("ken-x", outcomes=[outcome("service_delivery", "improved", "trial"),
                                        outcome("service_delivery", "worsened", "trial")])
    assert case_direction(case.outcomes) is Direction.MIXED
    assert case_direction(case.outcomes[:1]) is Direction.IMPROVED


def test_outcomes_by_block_by_hand(cases: list[Case]) -> None:
    blocks = outcomes_by_block(cases)
    assert list(blocks.blocks) == [SD, HW, FIN]
    sd = blocks.blocks[SD]
    assert sd.case_ids == ("ken-a", "ken-b", "ken-c", "ken-e")
    assert [sd.n_outcomes(d) for d in Direction] == [3, 1, 0, 1]
    frame = blocks.to_frame()
    got = {(r.building_block, r.direction, r.evidence): (r.n_outcomes, r.case_ids)
           for r in frame.itertuples()}
    assert got == {
        ("service_delivery", "improved", "quasi_experimental"): (1, "ken-a"),
        ("service_delivery", "improved", "observational"): (1, "ken-a"),
        ("service_delivery", "improved", "descriptive"): (1, "ken-c"),
        ("service_delivery", "no_change", "trial"): (1, "ken-b"),
        ("service_delivery", "mixed", "descriptive"): (1, "ken-e"),
        ("health_workforce", "worsened", "descriptive"): (1, "ken-a"),
        ("financing", "improved", "observational"): (1, "ken-e"),
    }
    # 4 cases (serious); best per case quasi, trial, descriptive, descriptive: 50% strong (none);
    # a and c improved: 2 of 4 agree (moderate); outcomes cite sources: direct (none)
    assert [c.concern for c in sd.confidence.components] == [
        Concern.SERIOUS, Concern.NONE, Concern.MODERATE, Concern.NONE]
    assert sd.confidence.rating is Rating.VERY_LOW
    findings = blocks.findings_frame()
    assert list(findings["building_block"]) == ["service_delivery", "health_workforce",
                                                 "financing"]
    assert list(findings["modal_direction"]) == ["improved", "worsened", "improved"]


def test_outcomes_by_block_for_survivors_only(cases: list[Case]) -> None:
    blocks = outcomes_by_block(cases, GapOptions(group=OutcomeGroup.SURVIVED))
    assert blocks.blocks[SD].case_ids == ("ken-a", "ken-c")
    assert FIN not in blocks.blocks
    data = blocks.to_dict()
    assert data["parameters"]["group"] == "survived"
    assert data["blocks"]["service_delivery"]["by_evidence"][0] == {
        "direction": "improved", "evidence": "quasi_experimental", "n_outcomes": 1,
        "case_ids": ["ken-a"]}
    assert "Service delivery: 2 cases" in blocks.summary()


def test_gap_map_heatmap_writes_every_count(cases: list[Case]) -> None:
    fig = gap_map_heatmap(gap_map(cases))
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["supervision support",
                                                           "salaried chw"]
    assert sorted(t.get_text() for t in ax.texts) == ["1", "1", "1", "1", "3"]
    full = gap_map_heatmap(gap_map(cases), all_tags=True)
    assert len(full.axes[0].get_yticklabels()) == len(Intervention)


# ----- CLI -----

runner = CliRunner()


def test_cli_gapmap_csv_matches_the_library(bundled_batch: Any) -> None:
    res = runner.invoke(app, ["gapmap", "--format", "csv"])
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(io.StringIO(res.output))
    expected = gap_map(bundled_batch.cases).to_frame()
    assert len(frame) == len(expected) > 0
    assert list(frame.columns) == list(expected.columns)
    assert frame["n_cases"].sum() == expected["n_cases"].sum()


def test_cli_gapmap_json_and_table() -> None:
    res = runner.invoke(app, ["gapmap", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["cells"] and all(c["n_cases"] == len(c["case_ids"]) for c in data["cells"])
    res = runner.invoke(app, ["gapmap", "--domain", "task_sharing"])
    assert res.exit_code == 0, res.output
    assert "Evidence gap map" in res.output and "cells" in res.output
