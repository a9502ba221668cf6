"""How much to trust a finding: a confidence rating with its reasons, after GRADE-CERQual.

GRADE-CERQual (Lewin et al. 2018, *Implementation Science* 13(Suppl 1):2) rates confidence in a
review finding from four components. HRH Lessons applies the same four to findings drawn from case
records. Every finding **starts at high** confidence and is downgraded one step for each
*moderate* concern and two steps for each *serious* concern; a *minor* concern is reported but,
as in CERQual, does not downgrade on its own. The rating cannot fall below very low. Ratings:
``high`` (0 steps down), ``moderate`` (1), ``low`` (2), ``very low`` (3 or more).

==========================  ===========================================  ========  =========
component                   rule                                         concern   downgrade
==========================  ===========================================  ========  =========
adequacy                    >= 10 supporting cases                       none      0
(number of cases)           5-9 cases                                    moderate  1
                            1-4 cases                                    serious   2
methodological limitations  >= 50% of cases have trial or                none      0
(best evidence level of     quasi-experimental evidence
each case's outcomes)       >= 50% have at least observational evidence  moderate  1
                            otherwise (mostly descriptive, or no         serious   2
                            outcome evidence)
coherence / consistency     fewer than 3 cases can be judged             moderate  1
(share of judgeable cases   share agreeing >= 75%                        none      0
that agree with the         50% <= share < 75%                           moderate  1
finding)                    share < 50%                                  serious   2
relevance / directness      direct share >= 50% and domain share >= 75%  none      0
                            direct share < 50%, domain share >= 75%      minor     0
                            direct share >= 50%, domain share < 75%      moderate  1
                            both below their thresholds                  serious   2
==========================  ===========================================  ========  =========

A finding with no supporting case at all is rated very low with the single reason "no cases".

Vocabulary:

evidence level
    The study design behind an outcome, strongest first: trial > quasi-experimental >
    observational > descriptive (:class:`hrhlessons.cases.vocab.Evidence`). A case's level is the
    best level among the outcomes that bear on the finding; a case without such outcomes has no
    level and counts as below descriptive.
agreeing, judgeable
    What "agree" means is set by the analysis that builds the finding and said in its docstring:
    for a factor finding, a judgeable case is one that shows the factor and has a known outcome
    group, and it agrees when its group is the one the finding is about (a failure factor of
    programmes that died out agrees when the case died); for an outcome finding, a case agrees
    when its outcome direction is the finding's direction.
direct link
    A link from a case to a finding that a source states and a reviewer confirmed. An outcome
    recorded in a case file cites its source, so it is direct. A factor phrase mapped to a factor
    by a reviewer (``method`` manual in ``mapping.csv``) is direct; one matched only by a keyword
    rule is an inference until reviewed.
domain share
    The share of supporting cases whose domain is the domain the finding is meant for (1 when the
    finding is meant for all domains).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pandas as pd

from hrhlessons.cases.vocab import Evidence


class Rating(StrEnum):
    """Confidence in a finding, highest first."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very low"


RATINGS: tuple[Rating, ...] = tuple(Rating)


class Concern(StrEnum):
    """How much one component weakens a finding."""

    NONE = "none"
    MINOR = "minor"
    MODERATE = "moderate"
    SERIOUS = "serious"


#: Steps down the rating for each level of concern.
DOWNGRADE: dict[Concern, int] = {Concern.NONE: 0, Concern.MINOR: 0, Concern.MODERATE: 1,
                                 Concern.SERIOUS: 2}

#: Adequacy: cases needed for no concern, and for only a moderate concern.
ADEQUATE_CASES = 10
SOME_CASES = 5
#: Methodological limitations: share of cases that must reach the level for no / moderate concern.
STRONG_DESIGN_SHARE = 0.5
#: Consistency: fewest judgeable cases, and the agreeing shares for no / moderate concern.
MIN_JUDGEABLE = 3
CONSISTENT_SHARE = 0.75
MIXED_SHARE = 0.5
#: Relevance: direct share and domain share needed for no concern.
DIRECT_SHARE = 0.5
DOMAIN_SHARE = 0.75

STRONG_DESIGNS = frozenset({Evidence.TRIAL, Evidence.QUASI_EXPERIMENTAL})
OBSERVED_DESIGNS = STRONG_DESIGNS | {Evidence.OBSERVATIONAL}

#: Evidence levels, strongest first (the order of the enum).
EVIDENCE_ORDER: tuple[Evidence, ...] = tuple(Evidence)


def best_evidence(levels: Iterable[Evidence]) -> Evidence | None:
    """The strongest evidence level among ``levels`` (None when there are none)."""
    found = set(levels)
    return next((e for e in EVIDENCE_ORDER if e in found), None)


@dataclass(frozen=True)
class EvidenceProfile:
    """What a finding rests on: the inputs of :func:`assess`.

    ``evidence`` holds one entry per supporting case (in ``case_ids`` order): its best evidence
    level, or None when it has no outcome bearing on the finding.
    """

    case_ids: tuple[str, ...]
    evidence: tuple[Evidence | None, ...]
    agreeing: int
    judgeable: int
    direct_links: int
    links: int
    in_domain: int

    def __post_init__(self) -> None:
        if len(self.evidence) != len(self.case_ids):
            raise ValueError("evidence needs one entry per supporting case")
        if not 0 <= self.agreeing <= self.judgeable:
            raise ValueError("agreeing must lie between 0 and judgeable")
        if not 0 <= self.direct_links <= self.links:
            raise ValueError("direct_links must lie between 0 and links")
        if not 0 <= self.in_domain <= len(self.case_ids):
            raise ValueError("in_domain must lie between 0 and the number of cases")


@dataclass(frozen=True)
class Component:
    """One component's judgement: its concern, the steps it costs and why."""

    name: str
    concern: Concern
    reason: str

    @property
    def downgrade(self) -> int:
        return DOWNGRADE[self.concern]

    def to_dict(self) -> dict[str, Any]:
        return {"component": self.name, "concern": self.concern.value,
                "downgrade": self.downgrade, "reason": self.reason}


@dataclass(frozen=True)
class Confidence:
    """A rating, the components behind it, and the cases it rests on."""

    rating: Rating
    components: tuple[Component, ...]
    case_ids: tuple[str, ...] = field(default=())

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(f"{c.name}: {c.reason}" for c in self.components)

    def to_dict(self) -> dict[str, Any]:
        return {"rating": self.rating.value, "case_ids": list(self.case_ids),
                "components": [c.to_dict() for c in self.components]}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([c.to_dict() for c in self.components],
                            columns=["component", "concern", "downgrade", "reason"])

    def summary(self) -> str:
        concerns = [f"{c.name} ({c.concern.value} concern)" for c in self.components
                    if c.concern is not Concern.NONE]
        why = "; ".join(concerns) if concerns else "no concerns"
        return f"{self.rating.value} confidence ({len(self.case_ids)} cases): {why}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def assess_adequacy(n_cases: int) -> Component:
    """Adequacy: how many cases support the finding."""
    if n_cases >= ADEQUATE_CASES:
        return Component("adequacy", Concern.NONE, f"{n_cases} cases (>= {ADEQUATE_CASES})")
    if n_cases >= SOME_CASES:
        return Component("adequacy", Concern.MODERATE,
                         f"only {n_cases} cases ({SOME_CASES}-{ADEQUATE_CASES - 1})")
    return Component("adequacy", Concern.SERIOUS, f"only {n_cases} case(s) (< {SOME_CASES})")


def assess_methods(evidence: Sequence[Evidence | None]) -> Component:
    """Methodological limitations: the best evidence level of each supporting case."""
    n = len(evidence)
    strong = sum(1 for e in evidence if e in STRONG_DESIGNS)
    observed = sum(1 for e in evidence if e in OBSERVED_DESIGNS)
    if n and strong / n >= STRONG_DESIGN_SHARE:
        return Component("methodological limitations", Concern.NONE,
                         f"{strong} of {n} cases have trial or quasi-experimental evidence")
    if n and observed / n >= STRONG_DESIGN_SHARE:
        return Component("methodological limitations", Concern.MODERATE,
                         f"{observed} of {n} cases have at least observational evidence, "
                         f"{strong} trial or quasi-experimental")
    return Component("methodological limitations", Concern.SERIOUS,
                     f"{n - observed} of {n} cases have only descriptive evidence or none")


def assess_consistency(agreeing: int, judgeable: int) -> Component:
    """Coherence: the share of judgeable cases that agree with the finding."""
    if judgeable < MIN_JUDGEABLE:
        return Component("consistency", Concern.MODERATE,
                         f"only {judgeable} case(s) can be judged (< {MIN_JUDGEABLE})")
    share = agreeing / judgeable
    text = f"{agreeing} of {judgeable} judgeable cases agree ({_pct(share)})"
    if share >= CONSISTENT_SHARE:
        return Component("consistency", Concern.NONE, text)
    if share >= MIXED_SHARE:
        return Component("consistency", Concern.MODERATE, text)
    return Component("consistency", Concern.SERIOUS, text)


def assess_relevance(direct_links: int, links: int, in_domain: int, n_cases: int) -> Component:
    """Relevance: how many links are stated and confirmed, and how many cases are in domain."""
    direct = direct_links / links if links else 0.0
    domain = in_domain / n_cases if n_cases else 0.0
    text = (f"{direct_links} of {links} links direct ({_pct(direct)}); "
            f"{in_domain} of {n_cases} cases in the domain ({_pct(domain)})")
    indirect, off_domain = direct < DIRECT_SHARE, domain < DOMAIN_SHARE
    if indirect and off_domain:
        return Component("relevance", Concern.SERIOUS, text)
    if off_domain:
        return Component("relevance", Concern.MODERATE, text)
    return Component("relevance", Concern.MINOR if indirect else Concern.NONE, text)


def assess(profile: EvidenceProfile) -> Confidence:
    """Rate a finding from its evidence profile (rules in the module docstring)."""
    n = len(profile.case_ids)
    if n == 0:
        return Confidence(Rating.VERY_LOW,
                          (Component("adequacy", Concern.SERIOUS, "no cases"),), ())
    components = (
        assess_adequacy(n),
        assess_methods(profile.evidence),
        assess_consistency(profile.agreeing, profile.judgeable),
        assess_relevance(profile.direct_links, profile.links, profile.in_domain, n),
    )
    steps = sum(c.downgrade for c in components)
    rating = RATINGS[min(steps, len(RATINGS) - 1)]
    return Confidence(rating, components, profile.case_ids)


def confidence_columns(confidence: Confidence) -> dict[str, Any]:
    """Flat columns for a finding's row in a data frame."""
    return {"confidence": confidence.rating.value,
            "confidence_reasons": " | ".join(confidence.reasons)}
