"""Transferability: which innovations of the registry a target country could adopt, and why.

Every innovation (case) is scored on three parts, each in [0, 1], combined with fixed weights
(:data:`WEIGHTS`) into a score shown as 0-100::

    score = 100 * (0.40 * strength + 0.30 * similarity + 0.30 * readiness)

strength — how strong the record is (``record_strength``)::

    strength = 0.4 * status + 0.2 * lifetime + 0.4 * outcomes

    status    running and expanded 1.0; running, stable 0.9; running, trajectory unknown 0.8;
              status unknown 0.4; contracted or replaced (running or status unknown) 0.3;
              ended 0.1; never implemented 0.0                              (STATUS_POINTS)
    lifetime  min(years, 10) / 10, where years = end year (ended) or status year (the last
              year a source saw it) minus start year; 0 when the start is unknown
    outcomes  max(0, mean over the case's outcomes of direction x evidence), with direction
              improved 1, mixed 0.5, no change 0, worsened -1 and evidence trial 1.0,
              quasi-experimental 0.8, observational 0.6, descriptive 0.4; 0 with no outcome

similarity — how like the target the countries where it was done are::

    similarity = max over the case's countries of 1 / (1 + d(target, country))

    d is the peer distance of :mod:`hrhlessons.countries.peers` (weighted root mean square of
    standardised differences in log doctors density, log nurses-and-midwives density, income
    group, WHO region, log population). 1 when the target is one of the case's countries; 0
    when no country of the case can be compared (too few data), and said so.

readiness — the target's answers against the decisive conditions (:mod:`hrhlessons.adapt.
readiness`): the weighted share of the conditions that separated failures from the rest which
the country has (unknown counts 0.5).

Risks: the failure factors of the case itself if it did not last, and of the failure cases of
the same domain that share at least one intervention tag with it (most tags shared first, then
by id), at most :data:`MAX_RISKS`, each with its case id and the sources of that case's status.
Risks do not enter the score; they are collected for the first ``detail`` innovations of the
ranking (all by default; the CLI asks for the ones it shows).

Pure: cases, country reference, answers in; an immutable :class:`TransferRanking` out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from hrhlessons.adapt.questions import Answers, Questionnaire
from hrhlessons.adapt.readiness import (
    ConditionWeight,
    Readiness,
    ReadinessGap,
    TargetState,
    decisive_conditions,
    readiness,
    readiness_gaps,
    target_states,
)
from hrhlessons.cases.coverage import is_failure, outcome_group
from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import Condition, Direction, Domain, Evidence, Status, Trajectory
from hrhlessons.countries.model import CountryReference
from hrhlessons.countries.peers import PeerSpace, peer_space, similarity

WEIGHTS: dict[str, float] = {"strength": 0.40, "similarity": 0.30, "readiness": 0.30}
STRENGTH_WEIGHTS: dict[str, float] = {"status": 0.4, "lifetime": 0.2, "outcomes": 0.4}
STATUS_POINTS: dict[str, float] = {
    "running, expanded": 1.0, "running, stable": 0.9, "running": 0.8, "status unknown": 0.4,
    "running, contracted": 0.3, "running, replaced": 0.3, "contracted, status unknown": 0.3,
    "replaced, status unknown": 0.3, "ended": 0.1,
    "never implemented": 0.0,
}
DIRECTION_POINTS: dict[Direction, float] = {
    Direction.IMPROVED: 1.0, Direction.MIXED: 0.5, Direction.NO_CHANGE: 0.0,
    Direction.WORSENED: -1.0,
}
EVIDENCE_POINTS: dict[Evidence, float] = {
    Evidence.TRIAL: 1.0, Evidence.QUASI_EXPERIMENTAL: 0.8, Evidence.OBSERVATIONAL: 0.6,
    Evidence.DESCRIPTIVE: 0.4,
}
LIFETIME_FULL = 10
MAX_RISKS = 8


# --------------------------------------------------------------------------------------------
# Strength of the record


@dataclass(frozen=True)
class Strength:
    """The strength part, with its three sub-parts and what they were made from."""

    status: float
    lifetime: float
    outcomes: float
    status_label: str
    years: int | None
    outcome_count: int
    sources: tuple[int, ...]

    @property
    def score(self) -> float:
        w = STRENGTH_WEIGHTS
        return (w["status"] * self.status + w["lifetime"] * self.lifetime
                + w["outcomes"] * self.outcomes)

    def explain(self) -> str:
        years = "start unknown" if self.years is None else f"{self.years} year(s)"
        return (f"{self.status_label} ({self.status:.2f}), {years} ({self.lifetime:.2f}), "
                f"{self.outcome_count} outcome(s) ({self.outcomes:.2f})")

    def to_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 4), "status": self.status,
                "status_label": self.status_label, "lifetime": round(self.lifetime, 4),
                "years": self.years, "outcomes": round(self.outcomes, 4),
                "outcome_count": self.outcome_count, "weights": STRENGTH_WEIGHTS,
                "sources": list(self.sources)}


def _status_label(case: Case) -> str:
    group = outcome_group(case)
    if group == "running":
        if case.trajectory is Trajectory.EXPANDED:
            return "running, expanded"
        if case.trajectory is Trajectory.STABLE:
            return "running, stable"
    return group


def lifetime_years(case: Case) -> int | None:
    """Years from the start to the end (ended) or to the status year; ``None`` if unknown."""
    if case.start_year is None:
        return None
    last = case.end_year if case.status is Status.ENDED else case.status_year
    return None if last is None else max(0, last - case.start_year)


def record_strength(case: Case) -> Strength:
    """How strong the case's record is (see the module docstring)."""
    label = _status_label(case)
    years = lifetime_years(case)
    lifetime = 0.0 if years is None else min(years, LIFETIME_FULL) / LIFETIME_FULL
    points = [DIRECTION_POINTS[o.direction] * EVIDENCE_POINTS[o.evidence] for o in case.outcomes]
    outcomes = max(0.0, sum(points) / len(points)) if points else 0.0
    sources = sorted({*case.source_numbers("status"), *(o.source + 1 for o in case.outcomes)})
    return Strength(STATUS_POINTS[label], lifetime, outcomes, label, years, len(points),
                    tuple(sources))


# --------------------------------------------------------------------------------------------
# Similarity of context


@dataclass(frozen=True)
class Similarity:
    score: float
    nearest: str | None
    distance: float | None
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 4), "nearest_country": self.nearest,
                "distance": None if self.distance is None else round(self.distance, 4),
                "note": self.note}


def context_similarity(case: Case, distances: Mapping[str, float | None]) -> Similarity:
    """The similarity of the case's nearest country to the target (``distances`` from the
    target, :meth:`PeerSpace.distances_from`)."""
    known = [(d, c) for c in case.countries if (d := distances.get(c)) is not None]
    if not known:
        return Similarity(0.0, None, None, "no country of the case can be compared with the "
                                           "target (too few data): similarity 0")
    d, country = min(known)
    note = "done in the target country" if d == 0 else f"nearest: {country}, distance {d:.2f}"
    return Similarity(similarity(d) or 0.0, country, d, note)


# --------------------------------------------------------------------------------------------
# Risks


@dataclass(frozen=True)
class Risk:
    """A failure factor seen where this innovation, or one like it, did not last."""

    factor: str
    case_id: str
    own: bool
    outcome: str
    sources: tuple[int, ...]

    def line(self) -> str:
        where = "this case" if self.own else self.case_id
        refs = ", ".join(map(str, self.sources)) or "no status source"
        return f"{self.factor} [{where}, {self.outcome}; sources {refs}]"

    def to_dict(self) -> dict[str, Any]:
        return {"factor": self.factor, "case_id": self.case_id, "own_case": self.own,
                "outcome": self.outcome, "sources": list(self.sources)}


class RiskIndex:
    """Failure cases by (domain, intervention), for risks without a pass over every pair; each
    failure case's risk lines are made once."""

    def __init__(self, cases: Iterable[Case]) -> None:
        self._by: dict[tuple[Domain, str], list[str]] = {}
        self._lines: dict[str, tuple[Risk, ...]] = {}
        for c in cases:
            if is_failure(c) and c.failure_factors:
                refs = tuple(c.source_numbers("status"))
                group = outcome_group(c)
                self._lines[c.id] = tuple(Risk(f, c.id, False, group, refs)
                                          for f in c.failure_factors)
                for tag in c.interventions:
                    self._by.setdefault((c.domain, tag.value), []).append(c.id)

    def risks(self, case: Case, limit: int = MAX_RISKS) -> tuple[Risk, ...]:
        own = self._lines.get(case.id, ())
        out: list[Risk] = [replace(r, own=True) for r in own]
        shared: dict[str, int] = {}
        for tag in case.interventions:
            for other in self._by.get((case.domain, tag.value), ()):
                if other != case.id:
                    shared[other] = shared.get(other, 0) + 1
        seen = {r.factor for r in out}
        for other in sorted(shared, key=lambda i: (-shared[i], i)):
            if len(out) >= limit:
                break
            for r in self._lines[other]:
                if r.factor not in seen and len(out) < limit:
                    seen.add(r.factor)
                    out.append(r)
        return tuple(out[:limit])


# --------------------------------------------------------------------------------------------
# The ranking


@dataclass(frozen=True)
class TransferScore:
    """One innovation's transferability to the target, with every part and its evidence."""

    case_id: str
    name: str
    countries: tuple[str, ...]
    domain: str
    strength: Strength
    similarity: Similarity
    readiness: Readiness
    risks: tuple[Risk, ...]
    risks_listed: bool = True

    @property
    def parts(self) -> dict[str, float]:
        return {"strength": self.strength.score, "similarity": self.similarity.score,
                "readiness": self.readiness.score}

    @property
    def score(self) -> float:
        return 100.0 * sum(WEIGHTS[k] * v for k, v in self.parts.items())

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id, "name": self.name, "countries": list(self.countries),
            "domain": self.domain, "score": round(self.score, 2),
            "breakdown": {k: {"value": round(v, 4), "weight": WEIGHTS[k],
                              "points": round(100 * WEIGHTS[k] * v, 2)}
                          for k, v in self.parts.items()},
            "strength": self.strength.to_dict(), "similarity": self.similarity.to_dict(),
            "readiness": self.readiness.to_dict(),
            "risks": ([r.to_dict() for r in self.risks] if self.risks_listed
                      else "not collected for this innovation (outside the detail limit)"),
        }


@dataclass(frozen=True)
class TransferRanking:
    """Every innovation scored for one target country, best first."""

    iso3: str
    scores: tuple[TransferScore, ...]
    weights: Mapping[Condition, ConditionWeight]
    answers: Answers
    domains: tuple[str, ...] = ()
    formula: str = field(default=(
        "score = 100 x (0.40 strength + 0.30 similarity + 0.30 readiness); strength = 0.4 "
        "status + 0.2 lifetime + 0.4 outcomes; similarity = 1/(1 + peer distance); readiness = "
        "weighted share of decisive conditions present (unknown = 0.5)"))

    @property
    def case_ids(self) -> tuple[str, ...]:
        return tuple(s.case_id for s in self.scores)

    def top(self, n: int) -> tuple[TransferScore, ...]:
        return self.scores[:n]

    def to_dict(self, limit: int | None = None) -> dict[str, Any]:
        shown = self.scores if limit is None else self.scores[:limit]
        return {
            "country": self.iso3, "formula": self.formula, "weights": WEIGHTS,
            "domains": list(self.domains), "answers": self.answers.to_dict(),
            "decisive_conditions": [w.to_dict() for w in sorted(
                self.weights.values(), key=lambda w: (-w.weight, w.condition.value))],
            "ranked": len(self.scores),
            "innovations": [s.to_dict() for s in shown],
        }

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"case_id": s.case_id, "score": s.score, **s.parts,
                              "gaps": len(s.readiness.gaps), "risks": len(s.risks)}
                             for s in self.scores],
                            columns=["case_id", "score", "strength", "similarity", "readiness",
                                     "gaps", "risks"])

    def summary(self) -> str:
        top = ", ".join(f"{s.case_id} ({s.score:.0f})" for s in self.scores[:3])
        return f"{self.iso3}: {len(self.scores)} innovations ranked; top: {top}"


def rank_innovations(
    cases: Sequence[Case],
    reference: CountryReference,
    iso3: str,
    answers: Answers,
    questionnaire: Questionnaire,
    *,
    domains: Iterable[Domain | str] = (),
    weights: Mapping[Condition, ConditionWeight] | None = None,
    space: PeerSpace | None = None,
    detail: int | None = None,
) -> TransferRanking:
    """Score every case for ``iso3`` and rank them, best first (ties by case id).

    ``weights``: the decisive conditions; by default :func:`~hrhlessons.adapt.readiness.
    decisive_conditions` of all ``cases`` (all domains, before ``domains`` filters the list).
    ``space``: a prebuilt :func:`~hrhlessons.countries.peers.peer_space` (built when absent).
    ``detail``: collect risks for the first ``detail`` innovations of the ranking only (all when
    ``None``); risks never change the score or the order.
    Raises UnknownCountry for a code not in the reference.
    """
    space = space or peer_space(reference)
    target = space.context(iso3).iso3
    distances = space.distances_from(target)
    if weights is None:
        weights = decisive_conditions(cases).weights()
    wanted = {Domain(d) for d in domains}
    risk_index = RiskIndex(cases)
    states: dict[Domain, Mapping[Condition, TargetState]] = {}
    gaps: dict[Domain, tuple[ReadinessGap, ...]] = {}
    scores: list[TransferScore] = []
    for case in cases:
        if wanted and case.domain not in wanted:
            continue
        if case.domain not in states:
            states[case.domain] = target_states(answers, questionnaire, case.domain)
            gaps[case.domain] = readiness_gaps(answers, weights, questionnaire, case.domain,
                                               states[case.domain])
        scores.append(TransferScore(
            case.id, case.name, tuple(case.countries), case.domain.value,
            record_strength(case), context_similarity(case, distances),
            readiness(case, answers, weights, questionnaire, states[case.domain],
                      gaps[case.domain]),
            (), False,
        ))
    scores.sort(key=lambda s: (-s.score, s.case_id))
    by_id = {c.id: c for c in cases}
    n = len(scores) if detail is None else min(detail, len(scores))
    scores[:n] = [replace(s, risks=risk_index.risks(by_id[s.case_id]), risks_listed=True)
                  for s in scores[:n]]
    return TransferRanking(target, tuple(scores), dict(weights), answers,
                           tuple(sorted(d.value for d in wanted)))
