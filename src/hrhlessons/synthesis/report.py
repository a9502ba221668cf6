"""The synthesis report: every analysis of a set of cases, gathered once, each claim with its cases.

One :class:`SynthesisReport` is what ``hrh-lessons synthesize`` writes as Markdown, HTML and
JSON, what the web's synthesis page embeds, and what the synthesis brief summarises: the renderers
in :mod:`hrhlessons.share.report` and :mod:`hrhlessons.share.briefs` only format it.

Vocabulary:

claim
    One sentence the report makes, with the numbers behind it (``stats``), the cases it rests on
    (``case_ids``), the cases to name first when the list is long (``named``: for a survival
    claim the programmes that ended, for a factor claim the cases that show it), and for every
    case the numbers (1-based, as readers see them) of the sources that support it
    (``citations``). Which sources support a case depends on the claim: the sources of its start
    year, end year and status for how long it lasted and for factors and configurations (a factor
    phrase carries no source of its own, so the sources of the outcome it explains stand in); the
    sources of its outcomes in a building block for an outcome claim.
section
    ``coverage``, ``survival``, ``factors``, ``configurations``, ``outcomes``, ``gaps``: the
    order of the report. :data:`SECTIONS` gives their titles.
key message
    A claim picked for the top of a brief (:attr:`SynthesisReport.key_messages`): the overall
    survival, the clearest survival difference, the first failure factor, the first survivor
    factor and the service-delivery outcomes.
most informative grouping
    The grouping (other than domain) whose log-rank test has the smallest p-value among those
    whose every group has at least ``min_group_size`` cases; its curves get their own figure.

Pure: cases, lookups and the factor vocabulary in, an immutable report out. The QCA module is
imported lazily; without it the configurations section is left out with a note that says so.

Methods cited in :data:`REFERENCES`: Kaplan & Meier (1958), Turnbull (1976), Cox (1972), Ragin
(1987, 2008), Quine (1952) and McCluskey (1956), Lewin et al. (2018) for GRADE-CERQual.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from hrhlessons.cases.coverage import Coverage, coverage, is_failure
from hrhlessons.cases.coverage import outcome_group as coverage_outcome
from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import BuildingBlock, Condition, Intervention
from hrhlessons.synthesis.factors import (
    FactorFinding,
    FactorMapping,
    FactorOptions,
    FactorSynthesis,
    OutcomeGroup,
    Vocabulary,
    synthesize_factors,
)
from hrhlessons.synthesis.frame import IncomeLookup, RegionLookup, cases_frame
from hrhlessons.synthesis.gapmap import (
    DIRECTIONS,
    BlockOutcomes,
    GapMap,
    GapOptions,
    OutcomeCell,
    gap_map,
    outcomes_by_block,
)
from hrhlessons.synthesis.survival import (
    GroupComparison,
    SurvivalCurve,
    SurvivalOptions,
    SurvivalReport,
    analyse_survival,
)

SECTIONS: dict[str, str] = {
    "coverage": "What the registry holds",
    "survival": "How long innovations last",
    "factors": "Why innovations die out, and what survivors share",
    "configurations": "Configurations of conditions (QCA)",
    "outcomes": "Outcomes by WHO building block",
    "gaps": "Evidence gaps",
}

#: Source fields behind a case's lifetime and outcome group.
LIFETIME_FIELDS: tuple[str, ...] = ("start_year", "end_year", "status")

CONDITION_LABELS: dict[str, str] = {c.value: c.label.lower() for c in Condition} | {
    "donor_funding": "donor funding (donor or mixed)",
    "national_scale": "national or multinational scale",
}
GROUPING_LABELS: dict[str, str] = {
    "domain": "domain", "funding": "main funder", "level": "level reached",
    "who_region": "WHO region", "income_group": "income group at start",
}

#: How a group of a grouping reads after "programmes ..."
GROUP_WORDS: dict[str, str] = {
    "domain": "in {}", "funding": "paid mainly by {}", "level": "that reached {} level",
    "who_region": "in WHO region {}", "income_group": "in income group {} at start",
}


@dataclass(frozen=True)
class Reference:
    """A method reference: authors, year, title and where it appeared (no links)."""

    key: str
    authors: str
    year: int
    title: str
    venue: str

    def text(self) -> str:
        return f"{self.authors} ({self.year}). {self.title}. {self.venue}."


REFERENCES: tuple[Reference, ...] = (
    Reference("kaplan-meier", "Kaplan EL, Meier P", 1958,
              "Nonparametric estimation from incomplete observations",
              "Journal of the American Statistical Association 53:457-481"),
    Reference("turnbull", "Turnbull BW", 1976,
              "The empirical distribution function with arbitrarily grouped, censored and "
              "truncated data", "Journal of the Royal Statistical Society, Series B 38:290-295"),
    Reference("mantel", "Mantel N", 1966,
              "Evaluation of survival data and two new rank order statistics arising in its "
              "consideration", "Cancer Chemotherapy Reports 50:163-170"),
    Reference("cox", "Cox DR", 1972, "Regression models and life-tables",
              "Journal of the Royal Statistical Society, Series B 34:187-220"),
    Reference("ragin-1987", "Ragin CC", 1987,
              "The Comparative Method: Moving Beyond Qualitative and Quantitative Strategies",
              "University of California Press"),
    Reference("ragin-2008", "Ragin CC", 2008,
              "Redesigning Social Inquiry: Fuzzy Sets and Beyond", "University of Chicago Press"),
    Reference("quine", "Quine WV", 1952, "The problem of simplifying truth functions",
              "American Mathematical Monthly 59:521-531"),
    Reference("mccluskey", "McCluskey EJ", 1956, "Minimization of Boolean functions",
              "Bell System Technical Journal 35:1417-1444"),
    Reference("cerqual", "Lewin S, Booth A, Glenton C, et al.", 2018,
              "Applying GRADE-CERQual to qualitative evidence synthesis findings: introduction "
              "to the series", "Implementation Science 13(Suppl 1):2"),
    Reference("who-2007", "World Health Organization", 2007,
              "Everybody's business: strengthening health systems to improve health outcomes. "
              "WHO's framework for action", "World Health Organization, Geneva"),
)

METHOD_NOTES: tuple[str, ...] = (
    "Lifetimes run from the start year to the end year (ended programmes) or to the year the "
    "status was last recorded (running programmes, right-censored). A programme that ended in "
    "an unknown year is interval-censored between its start and its status year and kept.",
    "Survival curves are Kaplan-Meier estimates [kaplan-meier]; a group holding "
    "interval-censored lifetimes uses Turnbull's estimator [turnbull] with seeded bootstrap "
    "intervals. Groups are compared with the log-rank test [mantel] and the recorded conditions "
    "with a ridge-penalised Cox model [cox]; both leave interval-censored lifetimes out unless "
    "told otherwise.",
    "Factors are the success and failure factors the case records give in their sources' "
    "words, mapped onto a controlled vocabulary through a reviewed mapping. A finding's "
    "confidence follows the four GRADE-CERQual components [cerqual]: adequacy, methodological "
    "limitations, coherence and relevance. A factor phrase carries no source of its own, so a "
    "factor claim cites the sources of the case's start, end and status.",
    "Configurations are crisp-set QCA [ragin-1987] [ragin-2008]: cases with every chosen "
    "condition known form a truth table; the complex, parsimonious and intermediate solutions "
    "come from Quine-McCluskey minimisation [quine] [mccluskey].",
    "Outcomes are grouped by WHO's six building blocks [who-2007], service delivery first; a "
    "case's direction in a block is the direction its outcomes there share, or mixed.",
    "Small numbers: a finding resting on fewer than ten cases, a group of fewer than five, or "
    "a p-value from many comparisons reads as description, not proof. Cases are documented "
    "programmes, not a random sample of all programmes.",
)


# ----------------------------------------------------------------------------- options


@dataclass(frozen=True)
class QCASettings:
    """The crisp-set QCA the report runs (see :mod:`hrhlessons.synthesis.qca`)."""

    outcome: str = "lasting"
    conditions: tuple[str, ...] = ("government_ownership", "donor_funding",
                                   "integrated_with_health_system", "national_scale")
    incl_cut: float = 0.8
    incl_cut0: float = 0.6
    n_cut: int = 2
    directional: tuple[tuple[str, int], ...] = (
        ("government_ownership", 1), ("donor_funding", 0),
        ("integrated_with_health_system", 1), ("national_scale", 1))


@dataclass(frozen=True)
class ReportOptions:
    """Parameters of :func:`build_report`, all recorded in the report.

    ``selection`` says in words which cases were chosen (facet, values), for the record only:
    the caller selects the cases. ``compare_at`` is the year at which survival is compared
    between groups in the wording of a claim. ``qca`` None leaves configurations out.
    """

    title: str = "What health-workforce innovations teach: a synthesis of the registry"
    selection: tuple[tuple[str, tuple[str, ...]], ...] = ()
    survival: SurvivalOptions = field(default_factory=SurvivalOptions)
    groupings: tuple[str, ...] | None = None
    factors: FactorOptions = field(default_factory=FactorOptions)
    top_factors: int = 6
    compare_at: float = 10.0
    qca: QCASettings | None = field(default_factory=QCASettings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "selection": {k: list(v) for k, v in self.selection},
            "survival": asdict(self.survival),
            "groupings": None if self.groupings is None else list(self.groupings),
            "factors": self.factors.to_dict(),
            "top_factors": self.top_factors,
            "compare_at": self.compare_at,
            "qca": None if self.qca is None else asdict(self.qca),
        }


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SourceRef:
    n: int
    title: str
    publisher: str | None
    year: int | None
    url: str | None


@dataclass(frozen=True)
class CaseRef:
    """What a reader needs to follow a case id: its name, place, fate and numbered sources."""

    id: str
    name: str
    countries: tuple[str, ...]
    domain: str
    outcome: str
    start_year: int | None
    end_year: int | None
    status_year: int | None
    sources: tuple[SourceRef, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "countries": list(self.countries),
                "sources": [asdict(s) for s in self.sources]}


@dataclass(frozen=True)
class Citation:
    """A case behind a claim and the numbers of its sources that support it."""

    case_id: str
    sources: tuple[int, ...]


@dataclass(frozen=True)
class Claim:
    """One sentence of the report with its numbers, cases and sources (module docstring)."""

    key: str
    section: str
    text: str
    stats: Mapping[str, Any]
    case_ids: tuple[str, ...]
    named: tuple[str, ...]
    citations: tuple[Citation, ...]
    confidence: str | None = None
    reasons: tuple[str, ...] = ()

    def sources_of(self, case_id: str) -> tuple[int, ...]:
        return next((c.sources for c in self.citations if c.case_id == case_id), ())

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "section": self.section, "text": self.text,
                "stats": _clean(dict(self.stats)), "n_cases": len(self.case_ids),
                "case_ids": list(self.case_ids), "named": list(self.named),
                "citations": {c.case_id: list(c.sources) for c in self.citations},
                "confidence": self.confidence, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class SynthesisReport:
    """Everything the report shows, built once (see the module docstring)."""

    options: ReportOptions
    case_ids: tuple[str, ...]
    cases: Mapping[str, CaseRef]
    coverage: Coverage
    coverage_ids: Mapping[str, Mapping[str, tuple[str, ...]]]
    survival: SurvivalReport | None
    informative: str | None
    factors: FactorSynthesis
    blocks: BlockOutcomes
    blocks_survivors: BlockOutcomes
    gaps: GapMap
    qca: Any | None
    claims: tuple[Claim, ...]
    key_messages: tuple[str, ...]
    notes: Mapping[str, tuple[str, ...]]
    methods: tuple[str, ...] = METHOD_NOTES
    references: tuple[Reference, ...] = REFERENCES

    @property
    def n_cases(self) -> int:
        return len(self.case_ids)

    def claim(self, key: str) -> Claim:
        for c in self.claims:
            if c.key == key:
                return c
        raise KeyError(f"no claim '{key}'; the claims are: {', '.join(c.key for c in self.claims)}")

    def claims_in(self, section: str) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.section == section)

    def key_claims(self) -> tuple[Claim, ...]:
        return tuple(self.claim(k) for k in self.key_messages)

    def to_dict(self) -> dict[str, Any]:
        return _clean({
            "title": self.options.title,
            "options": self.options.to_dict(),
            "n_cases": self.n_cases,
            "case_ids": list(self.case_ids),
            "sections": SECTIONS,
            "key_messages": list(self.key_messages),
            "claims": [c.to_dict() for c in self.claims],
            "notes": {k: list(v) for k, v in self.notes.items()},
            "coverage": {**self.coverage.to_dict(),
                         "case_ids": {k: {g: list(ids) for g, ids in v.items()}
                                      for k, v in self.coverage_ids.items()}},
            "survival": None if self.survival is None else self.survival.to_dict(),
            "most_informative_grouping": self.informative,
            "factors": self.factors.to_dict(),
            "outcomes_by_block": self.blocks.to_dict(),
            "outcomes_by_block_survivors": self.blocks_survivors.to_dict(),
            "gap_map": self.gaps.to_dict(),
            "configurations": None if self.qca is None else self.qca.to_dict(),
            "methods": list(self.methods),
            "references": [asdict(r) for r in self.references],
            "cases": {k: v.to_dict() for k, v in self.cases.items()},
        })

    def summary(self) -> str:
        lines = [f"{self.options.title}: {self.n_cases} cases"]
        lines += [f"- {c.text}" for c in self.key_claims()]
        return "\n".join(lines)


# ----------------------------------------------------------------------------- helpers


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become None, tuples lists, keys strings."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def fmt_p(p: float) -> str:
    """A p-value as readers see it: ``p = 0.012``, ``p < 0.001``."""
    if math.isnan(p):
        return "p n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def _years(x: float) -> str:
    return "not reached" if math.isinf(x) else ("n/a" if math.isnan(x) else f"{x:.1f} years")


def _median_words(median: float, lo: float, hi: float) -> str:
    if math.isinf(median):
        return ("More than half were still running at the longest follow-up, so the median "
                "lifetime is not reached")
    return f"Median lifetime {_years(median)} (95% CI {_years(lo)} to {_years(hi)})"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _lifetime_sources(case: Case) -> tuple[int, ...]:
    return tuple(sorted({n for f in LIFETIME_FIELDS for n in case.source_numbers(f)}))


def _case_ref(case: Case) -> CaseRef:
    return CaseRef(
        id=case.id, name=case.name, countries=tuple(case.countries), domain=case.domain.value,
        outcome=coverage_outcome(case), start_year=case.start_year, end_year=case.end_year,
        status_year=case.status_year,
        sources=tuple(SourceRef(i, s.title, s.publisher, s.year, s.url)
                      for i, s in enumerate(case.sources, start=1)))


class _Claims:
    """Collects claims, citing each case by the sources that fit the claim."""

    def __init__(self, cases: Mapping[str, Case]) -> None:
        self.cases = cases
        self.items: list[Claim] = []

    def add(self, key: str, section: str, text: str, stats: Mapping[str, Any],
            case_ids: Iterable[str], named: Iterable[str] | None = None, *,
            sources: Callable[[Case], tuple[int, ...]] = _lifetime_sources,
            confidence: str | None = None, reasons: Sequence[str] = ()) -> Claim:
        ids = tuple(dict.fromkeys(case_ids))
        named_ids = tuple(dict.fromkeys(named)) if named is not None else ids
        claim = Claim(key, section, text, dict(stats), ids, named_ids,
                      tuple(Citation(i, sources(self.cases[i])) for i in ids),
                      confidence, tuple(reasons))
        self.items.append(claim)
        return claim


def _lookup(region_of: RegionLookup | None, income_of: IncomeLookup | None
            ) -> Callable[[str, int | None], tuple[str | None, str | None]]:
    def lookup(iso3: str, year: int | None) -> tuple[str | None, str | None]:
        region = region_of(iso3) if region_of else None
        income = income_of(iso3, year) if income_of and year is not None else None
        return region, income
    return lookup


# ----------------------------------------------------------------------------- sections


def _coverage_claims(out: _Claims, cov: Coverage, items: Sequence[Case]
                     ) -> dict[str, dict[str, tuple[str, ...]]]:
    ids: dict[str, dict[str, list[str]]] = {"by_domain": {}, "by_outcome": {}}
    for c in items:
        ids["by_domain"].setdefault(c.domain.value, []).append(c.id)
        ids["by_outcome"].setdefault(coverage_outcome(c), []).append(c.id)
    frozen = {k: {g: tuple(sorted(v)) for g, v in sorted(d.items())} for k, d in ids.items()}
    failures = [c.id for c in items if is_failure(c)]
    out.add("coverage.size", "coverage",
            f"The selection holds {cov.cases} cases in {cov.countries} countries, with "
            f"{cov.sources_total} sources ({cov.sources_per_case} per case); "
            f"{len(failures)} ({_pct(cov.failure_share)}) ended, were never implemented, "
            "shrank or were replaced.",
            {"cases": cov.cases, "countries": cov.countries, "sources": cov.sources_total,
             "failure_cases": len(failures), "failure_share": cov.failure_share},
            [c.id for c in items], failures)
    worst = list(cov.unknown_fields.items())[:3]
    if worst:
        out.add("coverage.unknown", "coverage",
                "Facts most often unknown: " + "; ".join(f"{k} ({_pct(v)} of cases)"
                                                         for k, v in worst) + ".",
                {"unknown_fields": dict(worst)}, [c.id for c in items], [])
    return frozen


def _group_words(grouping: str, group: str) -> str:
    if grouping in CONDITION_LABELS:
        label = CONDITION_LABELS[grouping]
        return f"with '{label}'" if group == "true" else f"without '{label}'"
    template = GROUP_WORDS.get(grouping, grouping + " {}")
    return template.format(group.replace("_", " "))


def _ended_ids(curve: SurvivalCurve, ended: set[str]) -> list[str]:
    return [i for i in curve.case_ids if i in ended]


def _informative(report: SurvivalReport, min_n: int) -> str | None:
    tested = [c for c in report.comparisons if c.logrank is not None]
    if not tested:
        return None
    sound = [c for c in tested if c.grouping != "domain"
             and all(cv.n >= min_n for cv in c.curves)]
    pool = sound or [c for c in tested if c.grouping != "domain"] or tested
    return min(pool, key=lambda c: (c.logrank.p_value if c.logrank else 1.0, c.grouping)).grouping


def _comparison_claim(out: _Claims, comp: GroupComparison, at: float, alpha: float,
                      min_n: int, ended: set[str]) -> None:
    test = comp.logrank
    assert test is not None
    reachable = [c for c in comp.curves if max(c.entry_lower, default=0.0) >= at
                 or c.survival_at(at) == 0.0]
    curves = reachable if len(reachable) >= 2 else list(comp.curves)
    when = at if len(reachable) >= 2 else None

    def surv(c: SurvivalCurve) -> float:
        return c.survival_at(when) if when is not None else c.survival[-1]

    worst = min(curves, key=lambda c: (surv(c), c.label))
    best = max(curves, key=lambda c: (surv(c), c.label))
    few = [c for c in comp.curves if c.n < min_n]
    what = f"{at:g}-year survival" if when is not None else "survival at the last follow-up"
    p = test.p_value
    verdict = ("differed" if p < alpha else "did not clearly differ")
    by = GROUPING_LABELS.get(comp.grouping, CONDITION_LABELS.get(comp.grouping, comp.grouping))
    worst_words = _group_words(comp.grouping, worst.group or "")
    text = (f"By {by}, lifetimes {verdict}: programmes {worst_words} ended soonest "
            f"({what} {surv(worst):.2f}, {worst.events} of {worst.n} ended), "
            f"programmes {_group_words(comp.grouping, best.group or '')} lasted best "
            f"({surv(best):.2f}, {best.events} of {best.n} ended) (log-rank {fmt_p(p)}, "
            f"n = {sum(test.n)}, events = {sum(test.events)})")
    if few:
        text += "; " + ", ".join(f"{c.group} has only {c.n} cases" for c in few)
    text += "."
    out.add(f"survival.logrank.{comp.grouping}", "survival", text,
            {"grouping": comp.grouping, "p_value": p, "statistic": test.statistic,
             "df": test.df, "n": sum(test.n), "events": sum(test.events),
             "groups": dict(zip(test.groups, test.n, strict=True)),
             "group_events": dict(zip(test.groups, test.events, strict=True)),
             "worst_group": worst.group, "best_group": best.group,
             "worst_survival": surv(worst), "best_survival": surv(best), "at": when},
            # the curves hold every case of the grouping, interval-censored ones too
            [i for c in comp.curves for i in c.case_ids], _ended_ids(worst, ended))


def _survival_claims(out: _Claims, report: SurvivalReport, opts: ReportOptions,
                     ended: set[str]) -> None:
    o = report.overall
    lo, hi = o.median_ci
    points = "; ".join(f"{p.time:g} years {p.survival:.2f} ({p.lower:.2f}-{p.upper:.2f})"
                       for p in o.at if not math.isnan(p.survival))
    out.add("survival.overall", "survival",
            f"Of {o.n} programmes with a known lifetime, {o.events} ended in a known year, "
            f"{o.interval} ended in an unknown year and {o.censored} were still running when "
            f"last recorded. {_median_words(o.median, lo, hi)}; share still running after "
            f"{points} ({o.method.replace('_', '-').title()} estimate).",
            {"n": o.n, "events": o.events, "interval": o.interval, "censored": o.censored,
             "median": o.median, "median_ci": list(o.median_ci), "method": o.method,
             "at": [asdict(p) for p in o.at]},
            o.case_ids, _ended_ids(o, ended))
    excluded = [(reason, ids) for reason, ids in report.exclusions if ids]
    if excluded:
        all_ids = [i for _, ids in excluded for i in ids]
        out.add("survival.excluded", "survival",
                f"{len(all_ids)} cases could not enter the survival analysis: "
                + ", ".join(f"{len(ids)} {reason.replace('_', ' ')}" for reason, ids in excluded)
                + ".", {"excluded": {r: len(ids) for r, ids in excluded}}, all_ids)
    tested = sorted((c for c in report.comparisons if c.logrank is not None),
                    key=lambda c: (c.logrank.p_value if c.logrank else 1.0, c.grouping))
    shown = [c for c in tested if c.logrank and c.logrank.p_value < opts.survival.alpha]
    if not any(c.grouping == "domain" for c in shown):
        shown += [c for c in tested if c.grouping == "domain"]
    for comp in shown:
        _comparison_claim(out, comp, opts.compare_at, opts.survival.alpha,
                          opts.survival.min_group_size, ended)
    cox = report.cox
    if cox is not None:
        strong = [t for t in cox.terms if t.p_value < opts.survival.alpha
                  and not t.name.endswith("_unknown")]
        if strong:
            text = "In the Cox model of the recorded conditions, " + "; ".join(
                f"{CONDITION_LABELS.get(t.name, t.name)} went with "
                f"{'ending sooner' if t.hazard_ratio > 1 else 'lasting longer'} (hazard ratio "
                f"{t.hazard_ratio:.2f}, 95% CI {t.hr_lower:.2f}-{t.hr_upper:.2f}, "
                f"{fmt_p(t.p_value)})" for t in strong)
        else:
            known = [t for t in cox.terms if not t.name.endswith("_unknown")]
            top = min(known, key=lambda t: t.p_value) if known else None
            text = (f"Taken together in a Cox model, no recorded condition reached "
                    f"p < {opts.survival.alpha:g}")
            if top is not None:
                text += (f"; the closest was {CONDITION_LABELS.get(top.name, top.name)} "
                         f"(hazard ratio {top.hazard_ratio:.2f}, 95% CI {top.hr_lower:.2f}-"
                         f"{top.hr_upper:.2f}, {fmt_p(top.p_value)})")
        text += f" (n = {cox.n}, events = {cox.events}, ridge penalty {cox.penalizer:g})."
        out.add("survival.cox", "survival", text,
                {"n": cox.n, "events": cox.events, "penalizer": cox.penalizer,
                 "terms": [asdict(t) for t in cox.terms]},
                cox.case_ids, [i for i in cox.case_ids if i in ended])


def _finding_text(f: FactorFinding) -> str:
    focal = "programmes that died out" if f.group == OutcomeGroup.DIED.value else "survivors"
    other = "survivors" if f.group == OutcomeGroup.DIED.value else "programmes that died out"
    kind = "a failure factor" if f.kind == "failure" else "a success factor"
    return (f"{f.label}: named as {kind} by {f.n_cases} of {f.group_size} {focal} "
            f"({_pct(f.share)}) against {len(f.contrast_case_ids)} of {f.contrast_size} "
            f"{other} ({_pct(f.contrast_share)}); {f.confidence.rating.value} confidence.")


def _factor_claims(out: _Claims, fs: FactorSynthesis, top: int) -> None:
    for name, findings in (("die", fs.why_die_out), ("survive", fs.survivors_share)):
        for rank, f in enumerate(findings[:top], start=1):
            out.add(f"factors.{name}.{rank}", "factors", _finding_text(f),
                    {"factor_id": f.factor_id, "kind": f.kind, "group": f.group,
                     "n_cases": f.n_cases, "group_size": f.group_size, "share": f.share,
                     "contrast_n_cases": len(f.contrast_case_ids),
                     "contrast_size": f.contrast_size, "contrast_share": f.contrast_share,
                     "difference": f.difference},
                    f.case_ids, confidence=f.confidence.rating.value,
                    reasons=f.confidence.reasons)


def _block_sources(block: BuildingBlock) -> Callable[[Case], tuple[int, ...]]:
    def sources(case: Case) -> tuple[int, ...]:
        return tuple(sorted({o.source + 1 for o in case.outcomes if o.building_block is block}))
    return sources


def _cell_counts(cell: OutcomeCell) -> str:
    return ", ".join(f"{cell.n_outcomes(d)} {d.value.replace('_', ' ')}" for d in DIRECTIONS)


def _outcome_claims(out: _Claims, blocks: BlockOutcomes, survivors: BlockOutcomes) -> None:
    for block in BuildingBlock:
        cell = blocks.blocks.get(block)
        if cell is None:
            continue
        modal = cell.modal_direction.value.replace("_", " ") if cell.modal_direction else "-"
        best = cell.best_evidence.value.replace("_", "-") if cell.best_evidence else "none"
        text = (f"{block.label}: {cell.n_cases} cases recorded outcomes ({_cell_counts(cell)}); "
                f"mostly {modal}; best evidence {best}; "
                f"{cell.confidence.rating.value} confidence.")
        improved = cell.direction_case_ids(DIRECTIONS[0])
        out.add(f"outcomes.{block.value}", "outcomes", text,
                {"n_cases": cell.n_cases,
                 **{f"n_{d.value}": cell.n_outcomes(d) for d in DIRECTIONS},
                 "modal_direction": cell.modal_direction.value if cell.modal_direction else None,
                 "best_evidence": cell.best_evidence.value if cell.best_evidence else None},
                cell.case_ids, improved, sources=_block_sources(block),
                confidence=cell.confidence.rating.value, reasons=cell.confidence.reasons)
    sd = survivors.blocks.get(BuildingBlock.SERVICE_DELIVERY)
    if sd is not None:
        out.add("outcomes.survivors.service_delivery", "outcomes",
                f"{sd.n_cases} survivors recorded service-delivery outcomes "
                f"({_cell_counts(sd)}); {sd.confidence.rating.value} confidence.",
                {"n_cases": sd.n_cases, **{f"n_{d.value}": sd.n_outcomes(d) for d in DIRECTIONS}},
                sd.case_ids, sd.direction_case_ids(DIRECTIONS[0]),
                sources=_block_sources(BuildingBlock.SERVICE_DELIVERY),
                confidence=sd.confidence.rating.value, reasons=sd.confidence.reasons)


def _gap_claims(out: _Claims, gaps: GapMap, items: Sequence[Case]) -> None:
    n_cells = len(Intervention) * len(BuildingBlock)
    used_tags = {t for c in items for t in c.interventions}
    out.add("gaps.size", "gaps",
            f"{len(gaps.case_ids)} cases with outcomes fill {len(gaps.cells)} of {n_cells} cells "
            f"of the intervention-by-building-block map; {n_cells - len(gaps.cells)} cells are "
            f"empty ({len(used_tags)} of {len(Intervention)} intervention tags occur in the "
            "selection).",
            {"cells": n_cells, "filled": len(gaps.cells), "cases_with_outcomes":
             len(gaps.case_ids), "untagged": len(gaps.untagged)},
            gaps.case_ids, [])
    for rank, gc in enumerate(sorted(gaps.cells, key=lambda c: (-c.cell.n_cases,
                                                               c.intervention.value))[:3], 1):
        out.add(f"gaps.busiest.{rank}", "gaps",
                f"{gc.intervention.label} x {gc.building_block.label}: {gc.cell.n_cases} cases "
                f"({_cell_counts(gc.cell)}).", {"n_cases": gc.cell.n_cases},
                gc.cell.case_ids, sources=_block_sources(gc.building_block),
                confidence=gc.cell.confidence.rating.value, reasons=gc.cell.confidence.reasons)
    sd = BuildingBlock.SERVICE_DELIVERY
    silent: list[tuple[Intervention, list[str]]] = []
    for tag in Intervention:
        holders = [c.id for c in items if tag in c.interventions]
        if len(holders) >= 3 and gaps.get(tag, sd) is None:
            silent.append((tag, holders))
    if silent:
        ids = [i for _, h in silent for i in h]
        out.add("gaps.no_service_delivery", "gaps",
                "Intervention tags carried by three or more cases with no service-delivery "
                "outcome recorded: " + "; ".join(f"{t.label.lower()} ({len(h)} cases)"
                                                 for t, h in silent) + ".",
                {"tags": {t.value: len(h) for t, h in silent}}, ids, [])


def _qca_claims(out: _Claims, result: Any, settings: QCASettings) -> None:
    tt = result.truth_table
    conds = ", ".join(CONDITION_LABELS.get(c, c) for c in tt.conditions)
    out.add("configurations.table", "configurations",
            f"Outcome '{tt.outcome_label}' over {len(tt.conditions)} conditions ({conds}): "
            f"{tt.n_cases} cases have every condition known ({len(tt.excluded)} left out for "
            f"missing values), in {len(tt.rows)} of {2 ** len(tt.conditions)} possible "
            f"configurations (consistency cut {settings.incl_cut:g}, at least "
            f"{settings.n_cut} cases per configuration).",
            {"n_cases": tt.n_cases, "excluded": len(tt.excluded), "rows": len(tt.rows)},
            tt.case_labels, [])
    inter = result.intermediate_expressions() if result.intermediate else ()
    if result.intermediate:
        model = result.intermediate[0].models[0] if result.intermediate[0].models else None
        kind = "intermediate"
    else:
        model = result.parsimonious.models[0] if result.parsimonious.models else None
        kind = "parsimonious"
    if model is None:
        out.add("configurations.none", "configurations",
                f"No configuration consistently goes with '{tt.outcome_label}' "
                f"({result.complex.note or 'nothing to explain'}).", {}, tt.case_labels, [])
        return
    for i, (term, cov_u) in enumerate(zip(model.terms, model.unique_coverage, strict=True), 1):
        out.add(f"configurations.term.{i}", "configurations",
                f"{_term_words(term.expression)} went with '{tt.outcome_label}' "
                f"(consistency {term.consistency:.2f}, raw coverage {term.coverage:.2f}, unique "
                f"coverage {cov_u:.2f}; {kind} solution).",
                {"term": term.expression, "consistency": term.consistency,
                 "coverage": term.coverage, "unique_coverage": cov_u, "solution": kind},
                term.cases)
    out.add("configurations.solutions", "configurations",
            f"Solutions for '{tt.outcome_label}': complex "
            + " | ".join(result.complex.expressions or ("none",)) + "; parsimonious "
            + " | ".join(result.parsimonious.expressions or ("none",))
            + (("; intermediate " + " | ".join(inter)) if inter else "")
            + f" (solution consistency {model.consistency:.2f}, coverage {model.coverage:.2f}).",
            {"complex": list(result.complex.expressions),
             "parsimonious": list(result.parsimonious.expressions),
             "intermediate": list(inter), "consistency": model.consistency,
             "coverage": model.coverage},
            [c for t in model.terms for c in t.cases])


def _term_words(expression: str) -> str:
    parts = []
    for lit in expression.split("*"):
        neg = lit.startswith("~")
        name = CONDITION_LABELS.get(lit.lstrip("~"), lit.lstrip("~"))
        parts.append(f"no {name}" if neg else name)
    return (" and ".join(parts)).capitalize()


def _run_qca(items: Sequence[Case], settings: QCASettings) -> tuple[Any | None, str | None]:
    try:
        from hrhlessons.synthesis import qca as qca_mod
    except ImportError:
        return None, ("configurations left out: the QCA module (hrhlessons.synthesis.qca) is "
                      "not installed")
    try:
        data = qca_mod.crisp_frame(list(items), settings.outcome)
        tt = qca_mod.truth_table(data, settings.outcome, list(settings.conditions),
                                 incl_cut=settings.incl_cut, incl_cut0=settings.incl_cut0,
                                 n_cut=settings.n_cut)
        if not tt.rows:
            return None, (f"configurations left out: no case has the outcome "
                          f"'{settings.outcome}' and every condition known")
        return qca_mod.minimize(tt, directional=dict(settings.directional) or None), None
    except qca_mod.QCAInputError as exc:
        return None, f"configurations left out: {exc}"


def _key_messages(claims: Sequence[Claim], informative: str | None) -> tuple[str, ...]:
    keys = {c.key for c in claims}
    wanted = ["survival.overall"]
    logranks = [c for c in claims if c.key.startswith("survival.logrank.")
                and c.stats.get("p_value", 1.0) < 0.05]
    if informative and f"survival.logrank.{informative}" in keys:
        wanted.append(f"survival.logrank.{informative}")
    elif logranks:
        wanted.append(logranks[0].key)
    wanted += ["factors.die.1", "factors.survive.1", "outcomes.service_delivery"]
    return tuple(k for k in wanted if k in keys)


# ----------------------------------------------------------------------------- the report


def build_report(
    cases: Iterable[Case],
    options: ReportOptions | None = None,
    *,
    region_of: RegionLookup | None = None,
    income_of: IncomeLookup | None = None,
    vocabulary: Vocabulary,
    mapping: FactorMapping | None = None,
    qca: Any | None = None,
) -> SynthesisReport:
    """Run every analysis on ``cases`` and gather the claims (see the module docstring).

    ``qca`` is a ready :class:`~hrhlessons.synthesis.qca.QCAResult` to show instead of the one
    ``options.qca`` describes. Raises ``ValueError`` when ``cases`` is empty.
    """
    opts = options or ReportOptions()
    items = sorted(cases, key=lambda c: c.id)
    if not items:
        raise ValueError("no cases to synthesise: the selection is empty; widen the filters")
    by_id = {c.id: c for c in items}
    out = _Claims(by_id)
    notes: dict[str, list[str]] = {s: [] for s in SECTIONS}

    cov = coverage(items, _lookup(region_of, income_of))
    coverage_ids = _coverage_claims(out, cov, items)

    ended = {c.id for c in items if c.status.value == "ended"}
    frame = cases_frame(items, region_of=region_of, income_of=income_of)
    survival: SurvivalReport | None = None
    informative: str | None = None
    if (frame["kind"] != "excluded").any():
        survival = analyse_survival(frame, opts.survival, groupings=opts.groupings)
        informative = _informative(survival, opts.survival.min_group_size)
        _survival_claims(out, survival, opts, ended)
        notes["survival"] += list(survival.notes) + list(survival.warnings)
    else:
        notes["survival"].append("no survival analysis: no case has a start year and a known "
                                 "status (see the exclusions)")

    factors = synthesize_factors(items, vocabulary, mapping, opts.factors)
    _factor_claims(out, factors, opts.top_factors)
    if factors.not_in_mapping:
        notes["factors"].append(f"{len(factors.not_in_mapping)} factor phrase(s) are not in the "
                                "reviewed mapping and were matched by keyword rules")

    result = qca
    if result is None and opts.qca is not None:
        result, why = _run_qca(items, opts.qca)
        if why:
            notes["configurations"].append(why)
    elif result is None:
        notes["configurations"].append("configurations left out: no QCA was asked for")
    if result is not None:
        _qca_claims(out, result, opts.qca or QCASettings())

    gap_opts = GapOptions(domain=opts.factors.domain, as_of=opts.factors.as_of,
                          survival_years=opts.factors.survival_years)
    blocks = outcomes_by_block(items, gap_opts)
    survivors = outcomes_by_block(items, GapOptions(
        domain=gap_opts.domain, group=OutcomeGroup.SURVIVED, as_of=gap_opts.as_of,
        survival_years=gap_opts.survival_years))
    _outcome_claims(out, blocks, survivors)
    gaps = gap_map(items, gap_opts)
    _gap_claims(out, gaps, items)

    claims = tuple(out.items)
    return SynthesisReport(
        options=opts, case_ids=tuple(by_id), cases={c.id: _case_ref(c) for c in items},
        coverage=cov, coverage_ids=coverage_ids, survival=survival, informative=informative,
        factors=factors, blocks=blocks, blocks_survivors=survivors, gaps=gaps, qca=result,
        claims=claims, key_messages=_key_messages(claims, informative),
        notes={k: tuple(v) for k, v in notes.items()},
    )
