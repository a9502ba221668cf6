"""Evidence gap map and outcomes by WHO building block, with the case ids behind every count.

Vocabulary:

gap map
    A grid of intervention tags (rows, :class:`~hrhlessons.cases.vocab.Intervention`) by WHO
    health-system building blocks (columns, :class:`~hrhlessons.cases.vocab.BuildingBlock`). A
    case enters the cell (tag, block) when it carries the tag and records at least one outcome
    in the block. A cell holds the number of cases, the number of *outcomes* per direction
    (a case may record several outcomes in one block), the best evidence level among those
    outcomes, and the case ids. An empty cell is a gap: no case in the registry speaks to it.
case direction
    The direction of one case in one block: the direction its outcomes there share, or
    ``mixed`` when they differ.
finding
    For a block (or a cell): "outcomes here mostly <modal direction>", where the modal direction
    is the most common case direction (ties go to the first in the order improved, no change,
    worsened, mixed). Its confidence follows :mod:`.confidence`: a case agrees when its case
    direction is the modal one; every outcome cites a source, so every link is direct; the
    evidence level of a case is its best in the block.
outcome group
    As defined in :func:`hrhlessons.synthesis.factors.outcome_group`; ``GapOptions.group``
    restricts either analysis to survivors (or to the cases that died out).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from hrhlessons.cases.model import Case, Outcome
from hrhlessons.cases.vocab import BuildingBlock, Direction, Domain, Evidence, Intervention
from hrhlessons.synthesis.confidence import (
    Confidence,
    EvidenceProfile,
    assess,
    best_evidence,
    confidence_columns,
)
from hrhlessons.synthesis.factors import SURVIVAL_YEARS, OutcomeGroup, outcome_group

DIRECTIONS: tuple[Direction, ...] = tuple(Direction)
EVIDENCE_LEVELS: tuple[Evidence, ...] = tuple(Evidence)
#: Value of a cell's best evidence when the cell is empty.
NO_EVIDENCE = "none"


@dataclass(frozen=True)
class GapOptions:
    """Which cases enter the analysis, and the domain its findings are meant for."""

    domain: Domain | None = None
    group: OutcomeGroup | None = None
    relevant_domain: Domain | None = None
    as_of: int | None = None
    survival_years: int = SURVIVAL_YEARS

    def select(self, cases: Iterable[Case]) -> list[Case]:
        return [c for c in cases
                if (self.domain is None or c.domain is self.domain)
                and (self.group is None or outcome_group(
                    c, as_of=self.as_of, survival_years=self.survival_years) is self.group)]

    def to_dict(self) -> dict[str, Any]:
        return {"domain": self.domain.value if self.domain else None,
                "group": self.group.value if self.group else None,
                "relevant_domain": self.relevant_domain.value if self.relevant_domain else None,
                "as_of": self.as_of, "survival_years": self.survival_years}


def case_direction(outcomes: Sequence[Outcome]) -> Direction:
    """One direction for a case's outcomes in a block: the shared one, or mixed."""
    found = {o.direction for o in outcomes}
    return found.pop() if len(found) == 1 else Direction.MIXED


def _modal(directions: Iterable[Direction]) -> Direction | None:
    counts = Counter(directions)
    if not counts:
        return None
    return max(DIRECTIONS, key=lambda d: (counts[d], -DIRECTIONS.index(d)))


def _confidence(per_case: Mapping[str, Sequence[Outcome]], cases: Mapping[str, Case],
                relevant: Domain | None) -> tuple[Direction | None, Confidence]:
    ids = tuple(sorted(per_case))
    directions = {c: case_direction(per_case[c]) for c in ids}
    modal = _modal(directions.values())
    profile = EvidenceProfile(
        case_ids=ids,
        evidence=tuple(best_evidence(o.evidence for o in per_case[c]) for c in ids),
        agreeing=sum(1 for d in directions.values() if d is modal), judgeable=len(ids),
        direct_links=sum(len(per_case[c]) for c in ids),
        links=sum(len(per_case[c]) for c in ids),
        in_domain=(len(ids) if relevant is None
                   else sum(1 for c in ids if cases[c].domain is relevant)))
    return modal, assess(profile)


@dataclass(frozen=True)
class OutcomeCell:
    """Outcomes of a set of cases in one place of a grid (a gap-map cell, or a block)."""

    case_ids: tuple[str, ...]
    outcomes: Mapping[Direction, tuple[str, ...]]
    best_evidence: Evidence | None
    modal_direction: Direction | None
    confidence: Confidence
    evidence_ids: Mapping[tuple[Direction, Evidence], tuple[str, ...]]

    @property
    def n_cases(self) -> int:
        return len(self.case_ids)

    def n_outcomes(self, direction: Direction) -> int:
        """Outcomes in this direction (the case id is repeated per outcome)."""
        return len(self.outcomes.get(direction, ()))

    def direction_case_ids(self, direction: Direction) -> tuple[str, ...]:
        return tuple(sorted(set(self.outcomes.get(direction, ()))))

    def columns(self) -> dict[str, Any]:
        return {
            "n_cases": self.n_cases,
            **{f"n_{d.value}": self.n_outcomes(d) for d in DIRECTIONS},
            "best_evidence": self.best_evidence.value if self.best_evidence else NO_EVIDENCE,
            "modal_direction": self.modal_direction.value if self.modal_direction else None,
            **confidence_columns(self.confidence),
            "case_ids": ",".join(self.case_ids),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_cases": self.n_cases, "case_ids": list(self.case_ids),
            "outcomes": {d.value: {"n": self.n_outcomes(d),
                                   "case_ids": list(self.direction_case_ids(d))}
                         for d in DIRECTIONS},
            "best_evidence": self.best_evidence.value if self.best_evidence else None,
            "modal_direction": self.modal_direction.value if self.modal_direction else None,
            "confidence": self.confidence.to_dict(),
        }


def _cell(per_case: Mapping[str, Sequence[Outcome]], cases: Mapping[str, Case],
          relevant: Domain | None) -> OutcomeCell:
    by_direction: dict[Direction, list[str]] = {}
    by_evidence: dict[tuple[Direction, Evidence], list[str]] = {}
    for cid in sorted(per_case):
        for o in per_case[cid]:
            by_direction.setdefault(o.direction, []).append(cid)
            by_evidence.setdefault((o.direction, o.evidence), []).append(cid)
    modal, confidence = _confidence(per_case, cases, relevant)
    return OutcomeCell(
        case_ids=tuple(sorted(per_case)),
        outcomes={d: tuple(ids) for d, ids in by_direction.items()},
        best_evidence=best_evidence(o.evidence for os in per_case.values() for o in os),
        modal_direction=modal, confidence=confidence,
        evidence_ids={k: tuple(v) for k, v in by_evidence.items()})


# ----- the gap map -----

@dataclass(frozen=True)
class GapCell:
    intervention: Intervention
    building_block: BuildingBlock
    cell: OutcomeCell

    def to_dict(self) -> dict[str, Any]:
        return {"intervention": self.intervention.value,
                "building_block": self.building_block.value, **self.cell.to_dict()}


@dataclass(frozen=True)
class GapMap:
    """Intervention tags x building blocks; only cells with at least one case are stored."""

    options: GapOptions
    cells: tuple[GapCell, ...]
    case_ids: tuple[str, ...]
    untagged: tuple[str, ...]

    def get(self, intervention: Intervention | str, block: BuildingBlock | str
            ) -> OutcomeCell | None:
        tag, bb = Intervention(intervention), BuildingBlock(block)
        return next((c.cell for c in self.cells
                     if c.intervention is tag and c.building_block is bb), None)

    def to_frame(self) -> pd.DataFrame:
        """One row per non-empty cell."""
        cols = ["intervention", "group", "building_block", "n_cases",
                *[f"n_{d.value}" for d in DIRECTIONS], "best_evidence", "modal_direction",
                "confidence", "confidence_reasons", "case_ids"]
        return pd.DataFrame([{"intervention": c.intervention.value,
                              "group": c.intervention.group,
                              "building_block": c.building_block.value, **c.cell.columns()}
                             for c in self.cells], columns=cols)

    def matrix(self, value: str = "n_cases") -> pd.DataFrame:
        """The full grid (every tag, every block): ``n_cases``, an ``n_<direction>`` count, or
        ``best_evidence``; empty cells hold 0 (or ``none``)."""
        empty: Any = NO_EVIDENCE if value == "best_evidence" else 0
        grid = pd.DataFrame(empty, index=[t.value for t in Intervention],
                            columns=[b.value for b in BuildingBlock])
        for c in self.cells:
            grid.loc[c.intervention.value, c.building_block.value] = c.cell.columns()[value]
        return grid

    def to_dict(self) -> dict[str, Any]:
        return {"parameters": self.options.to_dict(), "case_ids": list(self.case_ids),
                "untagged_case_ids": list(self.untagged),
                "interventions": [t.value for t in Intervention],
                "building_blocks": [b.value for b in BuildingBlock],
                "cells": [c.to_dict() for c in self.cells]}

    def summary(self) -> str:
        n_cells = len(Intervention) * len(BuildingBlock)
        busiest = sorted(self.cells, key=lambda c: -c.cell.n_cases)[:3]
        top = "; ".join(f"{c.intervention.value} x {c.building_block.value} "
                        f"({c.cell.n_cases} cases)" for c in busiest)
        return (f"{len(self.case_ids)} cases with outcomes fill {len(self.cells)} of {n_cells} "
                f"cells ({n_cells - len(self.cells)} gaps); busiest: {top or 'none'}")


def gap_map(cases: Iterable[Case], options: GapOptions | None = None) -> GapMap:
    """Build the evidence gap map of ``cases``."""
    opts = options or GapOptions()
    chosen = opts.select(cases)
    by_id = {c.id: c for c in chosen}
    grid: dict[tuple[Intervention, BuildingBlock], dict[str, list[Outcome]]] = {}
    for case in chosen:
        for tag in dict.fromkeys(case.interventions):
            for o in case.outcomes:
                grid.setdefault((tag, o.building_block), {}).setdefault(case.id, []).append(o)
    relevant = opts.relevant_domain or opts.domain
    tags, blocks = list(Intervention), list(BuildingBlock)
    cells = tuple(GapCell(t, b, _cell(grid[(t, b)], by_id, relevant))
                  for t, b in sorted(grid, key=lambda k: (tags.index(k[0]),
                                                          blocks.index(k[1]))))
    with_outcomes = tuple(sorted(c.id for c in chosen if c.outcomes))
    untagged = tuple(sorted(c.id for c in chosen if c.outcomes and not c.interventions))
    return GapMap(opts, cells, with_outcomes, untagged)


# ----- outcomes by building block -----

@dataclass(frozen=True)
class BlockOutcomes:
    """Outcomes by WHO building block: counts by direction and evidence level, and a finding
    with its confidence per block."""

    options: GapOptions
    blocks: Mapping[BuildingBlock, OutcomeCell]

    def to_frame(self) -> pd.DataFrame:
        """One row per (block, direction, evidence) with at least one outcome."""
        rows: list[dict[str, Any]] = []
        for block, cell in self.blocks.items():
            for d in DIRECTIONS:
                for e in EVIDENCE_LEVELS:
                    ids = cell.evidence_ids.get((d, e), ())
                    if ids:
                        rows.append({"building_block": block.value, "direction": d.value,
                                     "evidence": e.value, "n_outcomes": len(ids),
                                     "n_cases": len(set(ids)),
                                     "case_ids": ",".join(sorted(set(ids)))})
        return pd.DataFrame(rows, columns=["building_block", "direction", "evidence",
                                           "n_outcomes", "n_cases", "case_ids"])

    def findings_frame(self) -> pd.DataFrame:
        """One row per block: cases, outcomes per direction, modal direction, confidence."""
        return pd.DataFrame([{"building_block": b.value, **c.columns()}
                             for b, c in self.blocks.items()])

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"parameters": self.options.to_dict(), "blocks": {}}
        for block, cell in self.blocks.items():
            entry = cell.to_dict()
            entry["by_evidence"] = [
                {"direction": d.value, "evidence": e.value, "n_outcomes": len(ids),
                 "case_ids": sorted(set(ids))}
                for (d, e), ids in sorted(cell.evidence_ids.items(), key=lambda kv: (
                    DIRECTIONS.index(kv[0][0]), EVIDENCE_LEVELS.index(kv[0][1])))]
            out["blocks"][block.value] = entry
        return out

    def summary(self) -> str:
        lines = []
        for block, cell in self.blocks.items():
            counts = ", ".join(f"{cell.n_outcomes(d)} {d.value.replace('_', ' ')}"
                               for d in DIRECTIONS)
            lines.append(f"{block.label}: {cell.n_cases} cases; outcomes {counts}; mostly "
                         f"{cell.modal_direction.value if cell.modal_direction else '-'} "
                         f"({cell.confidence.rating.value} confidence)")
        return "\n".join(lines)


def outcomes_by_block(cases: Iterable[Case], options: GapOptions | None = None
                      ) -> BlockOutcomes:
    """Improved / no change / worsened / mixed outcomes per building block, by evidence level."""
    opts = options or GapOptions()
    chosen = opts.select(cases)
    by_id = {c.id: c for c in chosen}
    relevant = opts.relevant_domain or opts.domain
    blocks: dict[BuildingBlock, OutcomeCell] = {}
    for block in BuildingBlock:
        per_case = {c.id: [o for o in c.outcomes if o.building_block is block] for c in chosen}
        per_case = {k: v for k, v in per_case.items() if v}
        if not per_case:
            continue
        blocks[block] = _cell(per_case, by_id, relevant)
    return BlockOutcomes(opts, blocks)
