"""Readiness: how far a country has the conditions under which innovations lasted, and its gaps.

Vocabulary
----------
failure case
    Ended, never implemented, contracted or replaced (:func:`hrhlessons.cases.coverage.
    is_failure`).
decisive condition
    One of the 12 crisp conditions of the case records, with a *weight* saying how much it
    separated failures from the rest, computed from the cases themselves by
    :func:`decisive_conditions`::

        share_with    = failure cases among cases where the condition is true / those cases
        share_without = failure cases among cases where it is false / those cases
        difference    = share_without - share_with
        m             = the number of cases in the smaller of the two groups
        weight        = |difference| * m / (m + 5)   if m >= min_cases (default 3),
                        0                            otherwise (too few cases to say)

    The factor ``m / (m + 5)`` (:data:`SHRINK_CASES` = 5) makes a difference seen in few cases
    count less: 3 of 3 failures without a condition weigh 3/8 of their difference, 40 cases
    in each group 40/45.
        protective state = true if difference > 0 (having it went with fewer failures),
                           false if difference < 0 (e.g. donor_dependent)

    Cases where the condition is unknown are left out of both groups. Every weight carries its
    counts and the case ids behind them. The weights are an input of :func:`readiness` (a
    mapping condition -> :class:`ConditionWeight`), so they can be replaced by the result of a
    Cox model or a QCA solution without changing the scoring.
target state
    What the target country's answers say about a condition: the mean state of the applicable
    answered questions and CHW functionality components that name it (yes 1, partly 0.5, no 0;
    a component score *s* as ``(s - 1) / 3``), ``None`` if none is answered. Questions apply by
    the innovation's domain (see :mod:`hrhlessons.adapt.questions`).
present
    The target state turned towards the protective state: ``state`` if the protective state is
    true, ``1 - state`` if it is false.

The readiness score of an innovation
------------------------------------
::

    relevance_c = 0.5  if the case record shows the innovation lasted (not a failure case)
                       with condition c known and not in its protective state,
                  1    otherwise
    readiness   = sum_c weight_c * relevance_c * present_c / sum_c weight_c * relevance_c

over the conditions with a weight above 0; an unknown ``present_c`` counts as 0.5 (neither
ready nor not) and is listed as an unanswered gap. With no weighted condition, readiness is 0.5.

Gaps: every applicable question whose answer is not the protective one (no or partly; for a
question without a condition, anything but yes), every CHW component scored 1 or 2
(:data:`~hrhlessons.adapt.questions.WEAK_SCORE`), and every weighted condition no answer speaks
to; heaviest first, each with the evidence and case ids behind its weight.

Pure: cases and answers in, immutable results out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from hrhlessons.adapt.questions import WEAK_SCORE, Answers, Questionnaire
from hrhlessons.cases.coverage import is_failure
from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import CONDITION_MEANINGS, Condition, Domain

MIN_CASES = 3
SHRINK_CASES = 5
UNKNOWN_PRESENT = 0.5
LASTED_WITHOUT_RELEVANCE = 0.5
#: The protective state assumed for a condition the evidence gives no weight to (used only to
#: decide whether an answer is a gap): being donor dependent is the risk, the rest protect.
DEFAULT_PROTECTIVE: dict[Condition, bool] = {
    c: c is not Condition.DONOR_DEPENDENT for c in Condition}


def _pct(a: int, b: int) -> str:
    return "n/a (0 cases)" if b == 0 else f"{a / b:.0%} ({a}/{b})"


@dataclass(frozen=True)
class ConditionWeight:
    """How much a condition matters, which state protects, and the evidence for it."""

    condition: Condition
    weight: float
    protective: bool
    evidence: str
    case_ids: tuple[str, ...]
    method: str = "difference in failure share"

    def to_dict(self) -> dict[str, Any]:
        return {"condition": self.condition.value, "weight": round(self.weight, 4),
                "protective_state": self.protective, "evidence": self.evidence,
                "method": self.method, "case_ids": list(self.case_ids)}


@dataclass(frozen=True)
class ConditionEvidence:
    """Failure shares of the cases with and without one condition."""

    condition: Condition
    with_ids: tuple[str, ...]
    with_failed: tuple[str, ...]
    without_ids: tuple[str, ...]
    without_failed: tuple[str, ...]
    min_cases: int = MIN_CASES

    @property
    def share_with(self) -> float | None:
        return len(self.with_failed) / len(self.with_ids) if self.with_ids else None

    @property
    def share_without(self) -> float | None:
        return len(self.without_failed) / len(self.without_ids) if self.without_ids else None

    @property
    def enough(self) -> bool:
        return len(self.with_ids) >= self.min_cases and len(self.without_ids) >= self.min_cases

    @property
    def difference(self) -> float | None:
        if self.share_with is None or self.share_without is None:
            return None
        return self.share_without - self.share_with

    @property
    def smaller_group(self) -> int:
        return min(len(self.with_ids), len(self.without_ids))

    @property
    def weight(self) -> float:
        d = self.difference
        if not self.enough or d is None:
            return 0.0
        m = self.smaller_group
        return abs(d) * m / (m + SHRINK_CASES)

    @property
    def protective(self) -> bool:
        d = self.difference
        return DEFAULT_PROTECTIVE[self.condition] if not d else d > 0

    @property
    def evidence(self) -> str:
        text = (f"failure share {_pct(len(self.with_failed), len(self.with_ids))} of cases with "
                f"{self.condition.value} vs {_pct(len(self.without_failed), len(self.without_ids))}"
                " without")
        if not self.enough:
            text += f" (fewer than {self.min_cases} cases in a group: weight 0)"
        return text

    def as_weight(self) -> ConditionWeight:
        return ConditionWeight(self.condition, self.weight, self.protective, self.evidence,
                               self.with_ids + self.without_ids)

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "condition": self.condition.value, "meaning": CONDITION_MEANINGS[self.condition],
            "cases_with": len(self.with_ids), "failures_with": len(self.with_failed),
            "cases_without": len(self.without_ids), "failures_without": len(self.without_failed),
            "share_with": r(self.share_with), "share_without": r(self.share_without),
            "difference": r(self.difference), "weight": r(self.weight),
            "protective_state": self.protective, "evidence": self.evidence,
            "failed_with": list(self.with_failed), "failed_without": list(self.without_failed),
            "with": list(self.with_ids), "without": list(self.without_ids),
        }


@dataclass(frozen=True)
class DecisiveConditions:
    """The evidence for every condition, computed from a set of cases."""

    evidence: Mapping[Condition, ConditionEvidence]
    case_ids: tuple[str, ...]
    min_cases: int

    def weights(self) -> dict[Condition, ConditionWeight]:
        """The mapping :func:`readiness` takes."""
        return {c: e.as_weight() for c, e in self.evidence.items()}

    def ranked(self) -> list[ConditionEvidence]:
        return sorted(self.evidence.values(), key=lambda e: (-e.weight, e.condition.value))

    def to_dict(self) -> dict[str, Any]:
        return {"method": "weight = |failure share without - failure share with| x m / (m + "
                          f"{SHRINK_CASES}), m = cases in the smaller group; unknown left out; "
                          f"weight 0 below {self.min_cases} cases in a group",
                "cases": len(self.case_ids),
                "conditions": [e.to_dict() for e in self.ranked()]}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{k: v for k, v in e.to_dict().items()
                              if k not in ("with", "without", "failed_with", "failed_without")}
                             for e in self.ranked()])

    def summary(self) -> str:
        top = [e for e in self.ranked() if e.weight > 0][:3]
        return f"{len(self.case_ids)} cases; heaviest conditions: " + ", ".join(
            f"{e.condition.value} {e.weight:.2f}" for e in top)


def decisive_conditions(cases: Iterable[Case], min_cases: int = MIN_CASES) -> DecisiveConditions:
    """Weights of the 12 conditions from the failure shares of the cases with and without each
    (see the module docstring)."""
    items = list(cases)
    failed = {c.id for c in items if is_failure(c)}
    groups: dict[Condition, tuple[list[str], list[str]]] = {c: ([], []) for c in Condition}
    for case in items:
        for cond, value in case.conditions.items():
            if value is not None:
                groups[cond][0 if value else 1].append(case.id)
    evidence = {
        cond: ConditionEvidence(cond, tuple(w), tuple(i for i in w if i in failed),
                                tuple(wo), tuple(i for i in wo if i in failed), min_cases)
        for cond, (w, wo) in groups.items()
    }
    return DecisiveConditions(evidence, tuple(c.id for c in items), min_cases)


# --------------------------------------------------------------------------------------------
# The target country's state


@dataclass(frozen=True)
class TargetState:
    """A condition in the target country, from the answers that speak to it."""

    condition: Condition
    state: float | None
    items: tuple[tuple[str, str], ...]  # (question or component id, answer as given)


def target_states(answers: Answers, questionnaire: Questionnaire,
                  domain: Domain) -> dict[Condition, TargetState]:
    """Each condition's target state for an innovation of ``domain`` (see the docstring)."""
    values: dict[Condition, list[float]] = {c: [] for c in Condition}
    items: dict[Condition, list[tuple[str, str]]] = {c: [] for c in Condition}
    for q in questionnaire.questions_for(domain):
        if q.condition is None:
            continue
        items[q.condition].append((q.id, answers.answer(q.id)))
        state = answers.question_state(q.id)
        if state is not None:
            values[q.condition].append(state)
    for comp in questionnaire.components_for(domain):
        if comp.condition is None:
            continue
        score = answers.components.get(comp.id)
        items[comp.condition].append((comp.id, "unknown" if score is None else f"{score}/4"))
        state = answers.component_state(comp.id)
        if state is not None:
            values[comp.condition].append(state)
    return {c: TargetState(c, sum(v) / len(v) if v else None, tuple(items[c]))
            for c, v in values.items()}


# --------------------------------------------------------------------------------------------
# Readiness of one innovation


@dataclass(frozen=True)
class ConditionScore:
    """One weighted condition's part in a readiness score."""

    condition: Condition
    weight: float
    relevance: float
    present: float | None

    @property
    def used(self) -> float:
        return UNKNOWN_PRESENT if self.present is None else self.present

    def to_dict(self) -> dict[str, Any]:
        return {"condition": self.condition.value, "weight": round(self.weight, 4),
                "relevance": self.relevance,
                "present": None if self.present is None else round(self.present, 4),
                "used": round(self.used, 4)}


@dataclass(frozen=True)
class ReadinessGap:
    """Something the country lacks, or has not said, that the innovation needs."""

    item: str
    kind: str  # "question", "component" or "unanswered"
    text: str
    answer: str
    condition: Condition | None
    weight: float | None
    evidence: str | None
    case_ids: tuple[str, ...]

    def line(self) -> str:
        head = f"{self.item} ({self.answer})"
        if self.condition is not None and self.weight:
            head += f": {self.condition.value}, weight {self.weight:.2f}; {self.evidence}"
        elif self.condition is not None:
            head += f": {self.condition.value} (no weight from the cases)"
        else:
            head += ": not scored (no case record measures it)"
        return head

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "kind": self.kind, "text": self.text, "answer": self.answer,
                "condition": self.condition.value if self.condition else None,
                "weight": None if self.weight is None else round(self.weight, 4),
                "evidence": self.evidence, "case_ids": list(self.case_ids)}


@dataclass(frozen=True)
class Readiness:
    """The readiness of a country for one innovation: the score, its parts, and the gaps."""

    case_id: str
    score: float
    parts: tuple[ConditionScore, ...]
    gaps: tuple[ReadinessGap, ...]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "score": round(self.score, 4),
                "parts": [p.to_dict() for p in self.parts],
                "gaps": [g.to_dict() for g in self.gaps], "note": self.note}

    def summary(self) -> str:
        return f"{self.case_id}: readiness {self.score:.2f}, {len(self.gaps)} gap(s)"


def readiness_gaps(answers: Answers, weights: Mapping[Condition, ConditionWeight],
                   questionnaire: Questionnaire, domain: Domain,
                   states: Mapping[Condition, TargetState] | None = None,
                   ) -> tuple[ReadinessGap, ...]:
    """The gaps of the country for an innovation of ``domain``, heaviest first (they depend on
    the domain, not on the case, so a ranking computes them once per domain)."""
    states = states if states is not None else target_states(answers, questionnaire, domain)
    gaps: list[ReadinessGap] = []
    for cond, w in weights.items():
        if w.weight > 0 and states[cond].state is None:
            asked = ", ".join(i for i, _ in states[cond].items) or "no question applies"
            gaps.append(ReadinessGap(cond.value, "unanswered",
                                     f"{CONDITION_MEANINGS[cond]} (not answered: {asked})",
                                     "unknown", cond, w.weight, w.evidence, w.case_ids))

    def protective(cond: Condition | None) -> bool:
        if cond is None:
            return True
        return weights[cond].protective if cond in weights else DEFAULT_PROTECTIVE[cond]

    def evidence(cond: Condition | None) -> tuple[float | None, str | None, tuple[str, ...]]:
        if cond is None or cond not in weights:
            return None, None, ()
        w = weights[cond]
        return w.weight, w.evidence, w.case_ids

    for q in questionnaire.questions_for(domain):
        state = answers.question_state(q.id)
        if state is None:
            continue
        present = state if protective(q.condition) else 1.0 - state
        if present < 1.0:
            weight, ev, ids = evidence(q.condition)
            gaps.append(ReadinessGap(q.id, "question", q.text, answers.answer(q.id),
                                     q.condition, weight, ev, ids))
    for comp in questionnaire.components_for(domain):
        score_given = answers.components.get(comp.id)
        if score_given is not None and score_given <= WEAK_SCORE:
            weight, ev, ids = evidence(comp.condition)
            gaps.append(ReadinessGap(comp.id, "component", comp.text, f"{score_given}/4",
                                     comp.condition, weight, ev, ids))
    gaps.sort(key=lambda g: (-(g.weight or 0.0), g.kind != "question", g.item))
    return tuple(gaps)


def readiness(case: Case, answers: Answers, weights: Mapping[Condition, ConditionWeight],
              questionnaire: Questionnaire,
              states: Mapping[Condition, TargetState] | None = None,
              gaps: tuple[ReadinessGap, ...] | None = None) -> Readiness:
    """The readiness of the country that gave ``answers`` for the innovation of ``case``.

    ``weights``: condition -> weight (:meth:`DecisiveConditions.weights`, or any other source of
    weights). ``states`` and ``gaps``: :func:`target_states` and :func:`readiness_gaps` for the
    case's domain, when already computed.
    """
    states = states if states is not None else target_states(answers, questionnaire, case.domain)
    parts: list[ConditionScore] = []
    lasted = not is_failure(case)
    recorded = case.conditions
    total = weighted = 0.0
    for cond, w in weights.items():
        if w.weight <= 0:
            continue
        state = states[cond].state
        present = None if state is None else (state if w.protective else 1.0 - state)
        value = recorded.get(cond)
        relevance = (LASTED_WITHOUT_RELEVANCE
                     if lasted and value is not None and value != w.protective else 1.0)
        parts.append(ConditionScore(cond, w.weight, relevance, present))
        total += w.weight * relevance
        weighted += w.weight * relevance * (UNKNOWN_PRESENT if present is None else present)
    score = weighted / total if total > 0 else UNKNOWN_PRESENT
    note = "" if total > 0 else "no condition has a weight: readiness set to 0.5"
    if gaps is None:
        gaps = readiness_gaps(answers, weights, questionnaire, case.domain, states)
    return Readiness(case.id, score, tuple(parts), gaps, note)
