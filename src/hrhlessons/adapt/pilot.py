"""A pilot and scale-up plan for one innovation in one country, filled with the evidence.

The checklist follows the spirit of WHO and ExpandNet, *Beginning with the end in mind:
planning pilot projects and other programmatic research for successful scaling up* (2011):
plan a pilot so that it can be scaled, from the first day. Its six sections (:data:`SECTIONS`)
are HRH Lessons' own wording:

ownership
    who owns the innovation after the pilot;
financing
    who pays after the pilot;
fit
    how it fits the existing health system (cadres, regulation, supervision, supplies, pay);
measure
    what to measure (the case's outcome indicators, and the workforce numbers);
document
    how to document the pilot so that others can judge and copy it;
scale
    how it would scale, and what stopped similar innovations.

Each section holds prompts (questions the planning team answers), the evidence of the case
(its conditions with their sources), the country's readiness gaps that concern the section,
and, for ``scale``, the failure factors of this case and of similar innovations that died out.

Workforce projection
--------------------
The case's cadres (free text in the record) are mapped to the cadres the projection knows
(:data:`CADRE_PATTERNS`: doctors, nurses_midwives, chw; a CHW-domain case with no matching
cadre maps to chw). For each mapped cadre, :func:`hrhlessons.adapt.projection.
defaults_from_country` gives the stock, population and population growth from the country's
data; the rest comes from the answers file's ``projection`` section, or else from illustrative
values listed as assumptions (:data:`ILLUSTRATIVE`; not from the literature):

- duration (years of training): doctors 6, nurses and midwives 3, CHWs 1;
- completion 0.85 and attrition 0.05 a year;
- intake: the replacement intake ``stock * attrition / completion`` (it keeps the stock flat);
- target density: for doctors and for nurses and midwives, today's density of the cadre times
  ``44.5 / (doctors + nurses and midwives density)``, i.e. the SDG index threshold reached with
  today's mix of the two; for CHWs (no threshold) today's density, i.e. keeping pace with
  population growth.

The plan reports the projected stock, the stock the target needs at the end of the horizon
(:data:`HORIZON` years), and the constant intake that reaches it
(:func:`~hrhlessons.adapt.projection.required_intake`). When no cadre maps, it says so.

Pure: a case, the cases, the reference data and answers in; an immutable :class:`PilotPlan` out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hrhlessons.adapt.projection import (
    ILLUSTRATIVE,
    PER,
    CadreParameters,
    Projection,
    defaults_from_country,
    project,
    required_intake,
)
from hrhlessons.adapt.questions import Answers, Questionnaire
from hrhlessons.adapt.readiness import (
    ConditionWeight,
    Readiness,
    ReadinessGap,
    decisive_conditions,
    readiness,
)
from hrhlessons.adapt.transfer import (
    Risk,
    RiskIndex,
    Similarity,
    Strength,
    context_similarity,
    record_strength,
)
from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import CONDITION_MEANINGS, Condition, Domain
from hrhlessons.countries.model import CountryReference
from hrhlessons.countries.peers import PeerSpace, peer_space
from hrhlessons.countries.vocab import POPULATION, SDG_THRESHOLD
from hrhlessons.errors import HRHError

HORIZON = 10

CADRE_PATTERNS: dict[str, re.Pattern[str]] = {
    "doctors": re.compile(
        r"\b(doctors?|(?<!non-)physicians?(?! associates?)|(?<!assistant )medical officers?|"
        r"general practitioners?|specialists?|surgeons?|m[ée]dicos?|mbbs|"
        r"medical (students?|graduates?|residents?))\b", re.IGNORECASE),
    "nurses_midwives": re.compile(r"\b(nurses?|nursing|midwi(fe|ves|fery)|enfermer[oa]s?)\b",
                                  re.IGNORECASE),
    "chw": re.compile(
        r"(community (\w+ )?health|community [\w ]*workers?|health surveillance assistant|"
        r"health extension worker|"
        r"village health|lay (health |hiv )?workers?|\bchws?\b|promot(or|ora|er)|agente|shasthya|"
        r"barefoot|relais communautaire|volunteer|health motivator|health agent)",
        re.IGNORECASE),
}



@dataclass(frozen=True)
class Section:
    key: str
    title: str
    prompts: tuple[str, ...]
    conditions: frozenset[Condition]


SECTIONS: tuple[Section, ...] = (
    Section("ownership", "Who owns it", (
        "Which unit of the ministry (or of local government) will own the innovation when the "
        "pilot ends, and is it part of the pilot team from the start?",
        "Who is the political champion, and what happens if they leave?",
        "Are the people who will run it at scale the ones who run the pilot?",
    ), frozenset({Condition.GOVERNMENT_OWNERSHIP, Condition.POLITICAL_CHAMPION})),
    Section("financing", "Financing after the pilot", (
        "Which budget line pays for it after the pilot, and from which year?",
        "What does one worker, one trainee or one district cost a year, at routine (not pilot) "
        "prices?",
        "If external money pays for the pilot, what is the written plan and date for the "
        "national budget to take over?",
    ), frozenset({Condition.DOMESTIC_FINANCING, Condition.DONOR_DEPENDENT,
                  Condition.ADEQUATE_REMUNERATION})),
    Section("fit", "Fit with existing systems", (
        "Does it use the existing cadres, posts, payroll, supervision and supply chain, or does "
        "it need parallel ones?",
        "Which laws, regulations or schemes of service must change, and who changes them?",
        "Is it simple enough to run under routine conditions, without the pilot's extra staff?",
    ), frozenset({Condition.INTEGRATED_WITH_HEALTH_SYSTEM, Condition.FORMAL_CADRE,
                  Condition.REGULATORY_FRAMEWORK, Condition.SUPPORTIVE_SUPERVISION,
                  Condition.COMMUNITY_EMBEDDED})),
    Section("measure", "What to measure", (
        "Which outcomes will show it works (use the indicators below, from the case's sources)?",
        "Which workforce numbers will be tracked (stock, density, vacancies, attrition)?",
        "What is the baseline, and who collects the data after the pilot?",
    ), frozenset({Condition.MONITORING_EVALUATION})),
    Section("document", "How to document", (
        "Record the process as well as the results: what was adapted, what it cost, what went "
        "wrong.",
        "Publish the results, including failures, where decision makers and other countries "
        "will find them (and add the case to this registry).",
        "Keep the sources of every figure, as the case records here do.",
    ), frozenset()),
    Section("scale", "How to scale", (
        "Is the pilot run in the kinds of places (and with the kinds of staff) where it would "
        "be scaled?",
        "What is the scale-up path: which districts, in which order, in how many years?",
        "Which of the failure factors below could stop it here, and what prevents each?",
    ), frozenset({Condition.PILOTED_BEFORE_SCALE})),
)
_SECTION_OF_UNMAPPED = "fit"


@dataclass(frozen=True)
class PlanSection:
    key: str
    title: str
    prompts: tuple[str, ...]
    evidence: tuple[str, ...]
    gaps: tuple[ReadinessGap, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "prompts": list(self.prompts),
                "evidence": list(self.evidence), "gaps": [g.to_dict() for g in self.gaps]}


@dataclass(frozen=True)
class Measure:
    """An outcome indicator of the case, to track in the pilot."""

    building_block: str
    indicator: str
    direction: str
    evidence: str
    source: int
    baseline: str | None
    followup: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class PilotProjection:
    """The workforce projection of one cadre, with how every parameter was obtained."""

    cadre: str
    matched: tuple[str, ...]
    projection: Projection | None
    required_intake: float | None
    target_density: float | None
    target_basis: str
    end_population: float | None
    derivations: tuple[str, ...]
    assumptions: tuple[str, ...]
    unavailable: str | None = None

    @property
    def target_stock(self) -> float | None:
        if self.target_density is None or self.end_population is None:
            return None
        return self.target_density * self.end_population / PER

    @property
    def shortfall(self) -> float | None:
        """Workers short of the target stock at the end of the horizon, on the projected path."""
        if self.target_stock is None or self.projection is None:
            return None
        return self.target_stock - self.projection.stock[-1]

    def to_dict(self) -> dict[str, Any]:
        p = self.projection
        out: dict[str, Any] = {
            "cadre": self.cadre, "matched_cadres": list(self.matched),
            "unavailable": self.unavailable, "derivations": list(self.derivations),
            "assumptions": list(self.assumptions),
        }
        if p is None:
            return out
        par = p.parameters
        out.update({
            "parameters": {k: getattr(par, k) for k in (
                "stock", "population", "population_growth", "intake", "duration",
                "completion", "attrition", "start", "end", "target_density")},
            "years": list(p.years), "stock": [round(v, 1) for v in p.stock],
            "density": [round(v, 4) for v in p.density], "target_year": p.target_year,
            "target_density": self.target_density, "target_basis": self.target_basis,
            "target_stock_end": None if self.target_stock is None else round(self.target_stock),
            "shortfall_end": None if self.shortfall is None else round(self.shortfall),
            "required_intake": (None if self.required_intake is None
                                else round(self.required_intake, 1)),
            "summary": p.summary(),
        })
        return out


@dataclass(frozen=True)
class PilotPlan:
    """Everything the pilot plan shows; rendered as Markdown, HTML or JSON by the interfaces."""

    case_id: str
    case_name: str
    iso3: str
    country: str
    description: str
    strength: Strength
    similarity: Similarity
    readiness: Readiness
    sections: tuple[PlanSection, ...]
    own_failure_factors: tuple[str, ...]
    risks: tuple[Risk, ...]
    measures: tuple[Measure, ...]
    projections: tuple[PilotProjection, ...]
    projection_note: str
    sources: tuple[str, ...]
    weights: Mapping[Condition, ConditionWeight]

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id, "case_name": self.case_name, "country": self.iso3,
            "country_name": self.country, "description": self.description,
            "guidance": "WHO and ExpandNet (2011), Beginning with the end in mind: planning "
                        "pilot projects and other programmatic research for successful "
                        "scaling up",
            "strength": self.strength.to_dict(), "similarity": self.similarity.to_dict(),
            "readiness": self.readiness.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "failure_factors_of_this_case": list(self.own_failure_factors),
            "risks_from_similar_innovations": [r.to_dict() for r in self.risks],
            "measures": [m.to_dict() for m in self.measures],
            "projections": [p.to_dict() for p in self.projections],
            "projection_note": self.projection_note,
            "sources": list(self.sources),
        }

    def summary(self) -> str:
        gaps = len(self.readiness.gaps)
        return (f"Pilot plan for {self.case_name} in {self.country}: {gaps} readiness gap(s), "
                f"{len(self.own_failure_factors) + len(self.risks)} risk line(s), "
                f"{len(self.projections)} cadre projection(s)")


def map_cadres(case: Case) -> dict[str, tuple[str, ...]]:
    """Projection cadre -> the case's cadre phrases that map to it (see the module docstring)."""
    out: dict[str, list[str]] = {}
    for phrase in case.cadres:
        for cadre, pattern in CADRE_PATTERNS.items():
            if pattern.search(phrase):
                out.setdefault(cadre, []).append(phrase)
    if not out.get("chw") and case.domain is Domain.COMMUNITY_HEALTH_WORKERS:
        out["chw"] = [f"(domain: {case.domain.value})"]
    return {k: tuple(v) for k, v in sorted(out.items(), key=lambda kv: list(CADRE_PATTERNS)
                                           .index(kv[0]))}


def _latest_density(reference: CountryReference, iso3: str,
                    cadre: str) -> tuple[int, float] | None:
    if cadre == "doctors":
        return reference.doctors_density(iso3)
    if cadre == "nurses_midwives":
        return reference.nurses_midwives_density(iso3)
    return reference.chw_density(iso3)


def cadre_projection(reference: CountryReference, iso3: str, cadre: str,
                     matched: tuple[str, ...], answers: Answers, start: int) -> PilotProjection:
    """Project one cadre for the plan (see the module docstring)."""
    latest = _latest_density(reference, iso3, cadre)
    population = reference.series(iso3, POPULATION)
    if latest is None:
        return PilotProjection(cadre, matched, None, None, None, "", None, (), (),
                               f"no WHO density of {cadre.replace('_', ' and ')} for {iso3}")
    try:
        found = defaults_from_country(latest[1], latest[0], population, start)
    except HRHError as exc:
        return PilotProjection(cadre, matched, None, None, None, "", None, (), (),
                               f"the country data cannot give defaults: {exc}")
    derivations = [f"{cadre} density {latest[1]:.2f} per 10,000 in {latest[0]} (WHO GHO)",
                   *found["notes"]]
    given = answers.projection.get(cadre, {})
    assumptions: list[str] = []
    values: dict[str, float] = {}
    for name in ("duration", "completion", "attrition"):
        if name in given:
            values[name] = given[name]
            derivations.append(f"{name} {given[name]:g} from the answers file")
        else:
            values[name] = ILLUSTRATIVE[cadre][name]
            assumptions.append(f"{name} {values[name]:g}: illustrative, not from the literature; "
                               "give the national figure in the answers file (projection:)")
    stock = float(found["stock"])
    if "intake" in given:
        intake = given["intake"]
        derivations.append(f"intake {intake:g} a year from the answers file")
    else:
        intake = stock * values["attrition"] / values["completion"]
        assumptions.append(f"intake {intake:,.0f} a year: the replacement intake (stock x "
                           "attrition / completion), which keeps the stock flat")
    growth = given.get("intake_growth", 0.0)
    if "intake_growth" not in given:
        assumptions.append("intake growth 0: intake held constant")
    if "target_density" in given:
        target: float = given["target_density"]
        basis = "from the answers file"
    elif cadre == "chw":
        target = latest[1]
        basis = (f"today's CHW density ({latest[1]:.2f} per 10,000, {latest[0]}): keeping pace "
                 "with population growth; no international threshold exists for CHWs")
    else:
        doctors = reference.doctors_density(iso3)
        nurses = reference.nurses_midwives_density(iso3)
        total = (doctors[1] + nurses[1]) if doctors and nurses else None
        if total:
            target = latest[1] * SDG_THRESHOLD / total
            basis = (f"SDG index threshold {SDG_THRESHOLD} per 10,000 with today's mix: "
                     f"{latest[1]:.2f} x {SDG_THRESHOLD} / {total:.2f}")
        else:
            target = latest[1]
            basis = ("today's density (doctors or nurses and midwives unknown, so the SDG "
                     "threshold cannot be split between them)")
    params = CadreParameters(
        cadre=cadre, stock=stock, population=float(found["population"]),
        population_growth=float(found["population_growth"]), intake=intake,
        intake_growth=growth, duration=int(values["duration"]),
        completion=values["completion"], attrition=values["attrition"], start=start,
        end=start + HORIZON, target_density=target if target > 0 else None,
    )
    try:
        result = project(params)
        needed = required_intake(params) if params.target_density is not None else None
    except HRHError as exc:
        return PilotProjection(cadre, matched, None, None, None, "", None,
                               tuple(derivations), tuple(assumptions),
                               f"the projection parameters are not valid: {exc}")
    return PilotProjection(cadre, matched, result, needed, params.target_density, basis,
                           result.population[-1], tuple(derivations), tuple(assumptions))


def _condition_line(case: Case, cond: Condition) -> str:
    value = case.conditions.get(cond)
    word = "unknown" if value is None else ("yes" if value else "no")
    return f"this case: {cond.value} = {word} ({CONDITION_MEANINGS[cond]})"


def _section_of(gap: ReadinessGap) -> str:
    if gap.condition is None:
        return _SECTION_OF_UNMAPPED
    return next(s.key for s in SECTIONS if gap.condition in s.conditions)


def _fmt(m: Any) -> str | None:
    if m is None or m.value is None:
        return None
    return f"{m.value:g}" + (f" {m.unit}" if m.unit else "") + (f" ({m.year})" if m.year else "")


def pilot_plan(
    case: Case,
    cases: Sequence[Case],
    reference: CountryReference,
    iso3: str,
    answers: Answers,
    questionnaire: Questionnaire,
    *,
    start: int,
    weights: Mapping[Condition, ConditionWeight] | None = None,
    space: PeerSpace | None = None,
) -> PilotPlan:
    """The pilot and scale-up plan for ``case`` in ``iso3``; projections start in ``start``.

    ``weights`` default to :func:`~hrhlessons.adapt.readiness.decisive_conditions` of ``cases``.
    Raises UnknownCountry for a code not in the reference.
    """
    space = space or peer_space(reference)
    target = space.context(iso3)
    weights = weights if weights is not None else decisive_conditions(cases).weights()
    ready = readiness(case, answers, weights, questionnaire)
    sections: list[PlanSection] = []
    status_refs = ", ".join(map(str, case.source_numbers("status"))) or "none given"
    for s in SECTIONS:
        evidence = [_condition_line(case, c) for c in sorted(s.conditions)]
        if s.key == "financing":
            evidence.insert(0, f"this case was funded by: {case.funding.value}")
        if s.key == "scale":
            evidence.insert(0, f"this case: level {case.level.value}, status {case.status.value}"
                               f" (sources {status_refs}), trajectory {case.trajectory.value}")
            evidence.extend(f"scale: {e.metric} {e.value:,}" + (f" ({e.year})" if e.year else "")
                            for e in case.scale)
        if s.key == "document":
            evidence.append(f"this case is documented by {len(case.sources)} source(s), listed "
                            "below")
        sections.append(PlanSection(s.key, s.title, s.prompts, tuple(evidence),
                                    tuple(g for g in ready.gaps if _section_of(g) == s.key)))
    risks = tuple(r for r in RiskIndex(cases).risks(case) if not r.own)
    measures = tuple(Measure(o.building_block.value, o.indicator, o.direction.value,
                             o.evidence.value, o.source + 1, _fmt(o.baseline), _fmt(o.followup))
                     for o in case.outcomes)
    mapping = map_cadres(case)
    projections = tuple(cadre_projection(reference, target.iso3, cadre, matched, answers, start)
                        for cadre, matched in mapping.items())
    note = ("" if mapping else
            "no projection: none of this case's cadres ("
            + (", ".join(case.cadres) or "none recorded")
            + ") maps to doctors, nurses and midwives or CHWs, the cadres the projection knows")
    sources = tuple(f"[{i}] {src.title}" + (f", {src.publisher}" if src.publisher else "")
                    + (f" ({src.year})" if src.year else "") + (f". {src.url}" if src.url else "")
                    for i, src in enumerate(case.sources, start=1))
    return PilotPlan(
        case_id=case.id, case_name=case.name, iso3=target.iso3, country=target.name,
        description=case.description, strength=record_strength(case),
        similarity=context_similarity(case, space.distances_from(target.iso3)),
        readiness=ready, sections=tuple(sections),
        own_failure_factors=tuple(case.failure_factors), risks=risks, measures=measures,
        projections=projections, projection_note=note, sources=sources, weights=dict(weights),
    )
