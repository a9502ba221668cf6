"""How complete the registry is: where its cases come from and which facts are still unknown.

Vocabulary:

failure case
    ended, never implemented, contracted or replaced: a case that teaches why innovations die
    out (the issue's target is at least 38% of the registry);
sourced fact
    a start year, end year or known status (not ``unknown``) whose provenance names at least
    one source;
unknown field
    ``null`` (or ``unknown``) because no source supports a value;
described source
    a source whose page shows no headline, so its title is our description of it, marked as
    such (SCHEMA.md, "Sources");
undated source
    a source whose page shows no date in its date line or address, so its ``year`` is
    ``null`` (SCHEMA.md, "Sources").

Pure: cases and a country lookup in, an immutable :class:`Coverage` out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from hrhlessons.cases.factcheck import FactCheck, FactCheckSummary, summarise
from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import Condition, Status, Trajectory

#: (iso3, year or None) -> (WHO region, income group), either may be None.
CountryLookup = Callable[[str, int | None], tuple[str | None, str | None]]

MAIN_DOMAINS = ("education_training", "retention_deployment", "community_health_workers",
                "task_sharing")


def is_failure(case: Case) -> bool:
    return (case.status in (Status.ENDED, Status.NOT_IMPLEMENTED)
            or case.trajectory in (Trajectory.CONTRACTED, Trajectory.REPLACED))


#: Every group :func:`outcome_group` gives, as a legend lists them. Tables keyed by group (the
#: figures' OUTCOME_COLOURS, adapt's STATUS_POINTS with "running" split by trajectory) are held
#: to this list by the tests, so a new group cannot go uncoloured or unscored.
OUTCOME_GROUPS: tuple[str, ...] = (
    "running", "running, contracted", "running, replaced", "contracted, status unknown",
    "replaced, status unknown", "status unknown", "ended", "never implemented")


def outcome_group(case: Case) -> str:
    if case.status is Status.NOT_IMPLEMENTED:
        return "never implemented"
    if case.status is Status.ENDED:
        return "ended"
    if case.trajectory in (Trajectory.CONTRACTED, Trajectory.REPLACED):
        # Contracted or replaced says nothing of whether it still runs: only a stated active
        # status makes it "running".
        if case.status is Status.ACTIVE:
            return f"running, {case.trajectory.value}"
        return f"{case.trajectory.value}, status unknown"
    if case.status is Status.ACTIVE:
        return "running"
    return "status unknown"


def _decade(year: int | None) -> str:
    return "unknown" if year is None else f"{year // 10 * 10}s"


@dataclass(frozen=True)
class Coverage:
    """Counts that show where the registry is thin."""

    cases: int
    countries: int
    failure_share: float
    by_domain: dict[str, int]
    by_region: dict[str, int]
    by_income: dict[str, int]
    by_decade: dict[str, int]
    by_outcome: dict[str, int]
    sources_total: int
    sources_per_case: float
    sources_described: int
    sources_undated: int
    sourced_facts: dict[str, float]
    unknown_fields: dict[str, float]
    fact_checks: FactCheckSummary

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["fact_checks"] = self.fact_checks.to_dict()
        return out

    def summary(self) -> str:
        worst = sorted(self.unknown_fields.items(), key=lambda kv: -kv[1])[:3]
        return (f"{self.cases} cases in {self.countries} countries, "
                f"{self.failure_share:.0%} failure cases; most often unknown: "
                + ", ".join(f"{k} ({v:.0%})" for k, v in worst))


def coverage(cases: Iterable[Case], lookup: CountryLookup,
             checks: Iterable[FactCheck] = ()) -> Coverage:
    """Count the registry by domain, WHO region, income group, decade and outcome, and how
    many of its cases were checked against their sources (``checks``, the fact-check log).

    Region and income group are counted once per case and country (a case in three countries
    counts in each of their regions once); the income group is the one in force in the case's
    start year where known, else the current one as the lookup gives it.
    """
    items = list(cases)
    n = len(items)
    region: Counter[str] = Counter()
    income: Counter[str] = Counter()
    countries: set[str] = set()
    for c in items:
        regions, incomes = set(), set()
        for iso3 in c.countries:
            countries.add(iso3)
            r, g = lookup(iso3, c.start_year)
            regions.add(r or "unknown")
            incomes.add(g or "unknown")
        region.update(regions)
        income.update(incomes)

    def share(pred: Callable[[Case], bool]) -> float:
        return round(sum(1 for c in items if pred(c)) / n, 4) if n else 0.0

    unknown = {
        "start_year": share(lambda c: c.start_year is None
                            and c.status is not Status.NOT_IMPLEMENTED),
        "end_year (ended cases)": round(
            sum(1 for c in items if c.end_year_unknown)
            / max(1, sum(1 for c in items if c.status is Status.ENDED)), 4),
        "status": share(lambda c: c.status is Status.UNKNOWN),
        "status_year": share(lambda c: c.status_year is None),
        "trajectory": share(lambda c: c.trajectory is Trajectory.UNKNOWN),
        "funding": share(lambda c: c.funding.value == "unknown"),
        "outcomes (none recorded)": share(lambda c: not c.outcomes),
        "outcomes with numbers (none)": share(
            lambda c: not any(o.baseline and o.followup for o in c.outcomes)),
        "scale (none recorded)": share(lambda c: not c.scale),
    }
    for cond in Condition:
        unknown[f"condition: {cond.value}"] = round(
            sum(1 for c in items if c.conditions[cond] is None) / n, 4) if n else 0.0
    sourced = {
        "start_year": round(sum(1 for c in items if c.start_year is not None
                                and c.provenance.start_year)
                            / max(1, sum(1 for c in items if c.start_year is not None)), 4),
        "end_year": round(sum(1 for c in items if c.end_year is not None and c.provenance.end_year)
                          / max(1, sum(1 for c in items if c.end_year is not None)), 4),
        "status": round(sum(1 for c in items if c.status is not Status.UNKNOWN
                            and c.provenance.status)
                        / max(1, sum(1 for c in items if c.status is not Status.UNKNOWN)), 4),
    }
    n_sources = sum(len(c.sources) for c in items)
    return Coverage(
        cases=n,
        countries=len(countries),
        failure_share=share(is_failure),
        by_domain=dict(sorted(Counter(c.domain.value for c in items).items())),
        by_region=dict(sorted(region.items())),
        by_income=dict(sorted(income.items())),
        by_decade=dict(sorted(Counter(_decade(c.start_year) for c in items).items())),
        by_outcome=dict(sorted(Counter(outcome_group(c) for c in items).items())),
        sources_total=n_sources,
        sources_per_case=round(n_sources / n, 2) if n else 0.0,
        sources_described=sum(s.titled_by_us for c in items for s in c.sources),
        sources_undated=sum(s.year is None for c in items for s in c.sources),
        sourced_facts=sourced,
        unknown_fields=dict(sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0]))),
        fact_checks=summarise(checks, (c.id for c in items)),
    )
