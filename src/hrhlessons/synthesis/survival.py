"""Survival of programmes: how long HRH innovations lasted, and what went with lasting.

Input is the analysis table of :func:`hrhlessons.synthesis.frame.cases_frame` (one row per case
with ``kind``, ``lower``, ``upper``); see that module for how lifetimes, censoring and exclusions
are defined. Everything here is a pure function returning immutable results that carry the case
ids behind each number.

Methods:

* **Kaplan–Meier** (Kaplan & Meier 1958, JASA 53:457) for groups whose lifetimes are exact or
  right-censored, via lifelines; 95% pointwise intervals by Greenwood's variance on the
  log(−log) scale (lifelines' "exponential Greenwood", R ``conf.type = "log-log"``). The median's
  interval is where the interval curves cross 0.5 (Brookmeyer & Crowley 1982).
* **Turnbull** non-parametric maximum likelihood (Turnbull 1976, JRSS-B 38:290) for groups that
  hold interval-censored lifetimes (ended, year unknown). It reduces to Kaplan–Meier when no
  lifetime is interval-censored. The estimate is only determined up to where mass sits inside
  each Turnbull interval; mass is placed at the interval's *right* end (the latest end the data
  allow), and a note says so. Intervals are bootstrap percentiles (seeded).
* **Log-rank** test (Mantel 1966; Peto & Peto 1972) across the groups of a grouping, and a
  **Cox** proportional-hazards model (Cox 1972) of the recorded conditions, Efron ties, with a
  ridge penalty because cases are few. Both need exact or right-censored times: interval-censored
  lifetimes are left out of them (``interval_in_tests="exclude"``, counted in the result) or
  placed at the middle of their interval (``"midpoint"``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from typing import Any, Literal

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test

from hrhlessons.synthesis.frame import CONDITION_COLUMNS, EXCLUSION_REASONS

#: Groupings analysed by default, besides every condition (see :func:`analyse_survival`).
BASE_GROUPINGS: tuple[str, ...] = ("domain", "funding", "level", "who_region", "income_group")

FEW_CASES = (
    "group {group} of {grouping} has {n} case(s), fewer than {min_n}: its curve and any test "
    "involving it rest on very little; read them as description, not evidence"
)
NO_EVENTS = (
    "no programme in group {group} of {grouping} is known to have ended: its survival stays at "
    "1 and its median is not reached"
)
NO_TEST = (
    "no log-rank test for {grouping}: it needs at least two groups and one ended programme "
    "among the cases it can use"
)
TURNBULL_NOTE = (
    "{n} ended programme(s) without an end year are interval-censored (ended between start and "
    "status year); curves holding them use Turnbull's estimator with mass at the right end of "
    "each Turnbull interval and {b} seeded bootstrap resamples for the intervals"
)
INTERVAL_EXCLUDED = (
    "{n} interval-censored lifetime(s) left out of the log-rank tests and the Cox model, which "
    "need exact or right-censored times (set interval_in_tests='midpoint' to place them at the "
    "middle of their interval instead)"
)
INTERVAL_MIDPOINT = (
    "{n} interval-censored lifetime(s) placed at the middle of their interval for the log-rank "
    "tests and the Cox model"
)
COX_TOO_FEW = (
    "no Cox model: {n} case(s) with {events} ended programme(s) remain after the missing-data "
    "rule '{missing}'; try missing='indicator' or fewer conditions"
)


@dataclass(frozen=True)
class SurvivalOptions:
    """Parameters of a survival analysis (all recorded in its result).

    ``times``: years at which survival is reported. ``penalizer``: ridge penalty of the Cox model
    (lifelines' ``penalizer``; 0 for the ordinary partial likelihood). ``cox_missing``:
    ``"indicator"`` codes each condition as known-true plus an unknown indicator (reference:
    known false); ``"complete_case"`` keeps only cases with every modelled condition known.
    ``min_level_count``: a condition enters the Cox model only when at least this many model
    cases have it true and as many false.
    """

    alpha: float = 0.05
    times: tuple[float, ...] = (5.0, 10.0, 20.0)
    min_group_size: int = 5
    penalizer: float = 0.1
    cox_missing: Literal["indicator", "complete_case"] = "indicator"
    min_level_count: int = 3
    interval_in_tests: Literal["exclude", "midpoint"] = "exclude"
    n_bootstrap: int = 200
    seed: int = 20240601
    em_tol: float = 1e-10
    boot_tol: float = 1e-5
    boot_max_iter: int = 500
    em_max_iter: int = 100_000


def _clean(value: Any) -> Any:
    """JSON-safe copy: infinities and NaN become None, tuples become lists."""
    if isinstance(value, float):
        return None if not math.isfinite(value) else value
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "not reached"
    if math.isnan(x):
        return "n/a"
    return f"{x:.1f}"


@dataclass(frozen=True)
class PointEstimate:
    """Survival at one time with its interval; NaN when the data do not reach that time."""

    time: float
    survival: float
    lower: float
    upper: float


@dataclass(frozen=True)
class SurvivalCurve:
    """One survival curve: a step function of years since start, with its cases."""

    label: str
    grouping: str | None
    group: str | None
    method: Literal["kaplan_meier", "turnbull"]
    case_ids: tuple[str, ...]
    n: int
    events: int
    censored: int
    interval: int
    times: tuple[float, ...]
    survival: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    median: float
    median_ci: tuple[float, float]
    at: tuple[PointEstimate, ...]
    alpha: float
    entry_lower: tuple[float, ...] = field(repr=False, default=())

    def at_risk(self, times: Iterable[float]) -> tuple[int, ...]:
        """Cases known to be still running at each time (lifetime lower bound >= time)."""
        lows = np.asarray(self.entry_lower, dtype=float)
        return tuple(int((lows >= t).sum()) for t in times)

    def survival_at(self, t: float) -> float:
        i = int(np.searchsorted(self.times, t, side="right")) - 1
        return self.survival[max(i, 0)]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({
            "label": self.label,
            "time": self.times,
            "survival": self.survival,
            "lower": self.lower,
            "upper": self.upper,
            "at_risk": self.at_risk(self.times),
        })

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("entry_lower")
        return _clean(out)

    def summary(self) -> str:
        lo, hi = self.median_ci
        parts = [
            f"{self.label}: {self.n} programmes, {self.events} ended (year known)",
            f"{self.interval} ended (year unknown), {self.censored} running",
            f"median lifetime {_fmt(self.median)} (95% CI {_fmt(lo)} to {_fmt(hi)}) years",
        ]
        for p in self.at:
            if not math.isnan(p.survival):
                parts.append(f"S({p.time:g}) = {p.survival:.2f} ({p.lower:.2f}-{p.upper:.2f})")
        return "; ".join(parts) + f" [{self.method.replace('_', '-')}]"


@dataclass(frozen=True)
class LogRankResult:
    """Log-rank test of equal survival across the groups of one grouping."""

    grouping: str
    groups: tuple[str, ...]
    n: tuple[int, ...]
    events: tuple[int, ...]
    statistic: float
    df: int
    p_value: float
    case_ids: tuple[str, ...]
    interval_handling: str
    interval_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return _clean(asdict(self))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"group": self.groups, "n": self.n, "events": self.events}).assign(
            grouping=self.grouping, statistic=self.statistic, df=self.df, p_value=self.p_value
        )

    def summary(self) -> str:
        return (f"log-rank by {self.grouping}: chi-square {self.statistic:.2f} on {self.df} df, "
                f"p = {self.p_value:.3g} ({sum(self.n)} programmes, {sum(self.events)} ended)")


@dataclass(frozen=True)
class CoxTerm:
    """One covariate of a Cox model; ``hazard_ratio`` > 1 means programmes ended sooner."""

    name: str
    coef: float
    se: float
    hazard_ratio: float
    hr_lower: float
    hr_upper: float
    p_value: float


@dataclass(frozen=True)
class CoxResult:
    """Penalised Cox model of the recorded conditions."""

    n: int
    events: int
    penalizer: float
    missing: str
    terms: tuple[CoxTerm, ...]
    dropped: tuple[str, ...]
    case_ids: tuple[str, ...]
    log_likelihood: float
    concordance: float
    interval_handling: str
    interval_ids: tuple[str, ...]
    alpha: float

    def to_dict(self) -> dict[str, Any]:
        return _clean(asdict(self))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(t) for t in self.terms],
                            columns=[f for f in CoxTerm.__dataclass_fields__])

    def summary(self) -> str:
        head = (f"Cox model (ridge penalty {self.penalizer:g}, missing: {self.missing}): "
                f"{self.n} programmes, {self.events} ended")
        lines = [head]
        for t in sorted(self.terms, key=lambda t: t.p_value):
            lines.append(f"  {t.name}: HR {t.hazard_ratio:.2f} "
                         f"({t.hr_lower:.2f}-{t.hr_upper:.2f}), p = {t.p_value:.3g}")
        return "\n".join(lines)


@dataclass(frozen=True)
class GroupComparison:
    """Curves of one grouping, its log-rank test (None when not possible) and warnings."""

    grouping: str
    curves: tuple[SurvivalCurve, ...]
    logrank: LogRankResult | None
    missing_ids: tuple[str, ...]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "grouping": self.grouping,
            "curves": [c.to_dict() for c in self.curves],
            "logrank": None if self.logrank is None else self.logrank.to_dict(),
            "missing_ids": list(self.missing_ids),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class SurvivalReport:
    """The whole survival synthesis: who entered, the curves, the tests, the Cox model."""

    options: SurvivalOptions
    n_cases: int
    exclusions: tuple[tuple[str, tuple[str, ...]], ...]
    overall: SurvivalCurve
    comparisons: tuple[GroupComparison, ...]
    cox: CoxResult | None
    notes: tuple[str, ...]
    warnings: tuple[str, ...]

    def comparison(self, grouping: str) -> GroupComparison:
        for c in self.comparisons:
            if c.grouping == grouping:
                return c
        raise KeyError(f"no comparison by '{grouping}'; there are: "
                       f"{', '.join(c.grouping for c in self.comparisons)}")

    def to_dict(self) -> dict[str, Any]:
        return _clean({
            "options": asdict(self.options),
            "n_cases": self.n_cases,
            "exclusions": {k: list(v) for k, v in self.exclusions},
            "overall": self.overall.to_dict(),
            "comparisons": [c.to_dict() for c in self.comparisons],
            "cox": None if self.cox is None else self.cox.to_dict(),
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        })

    def to_frame(self) -> pd.DataFrame:
        """Every curve's steps in one long table (``label`` names the curve)."""
        curves = [self.overall] + [c for g in self.comparisons for c in g.curves]
        return pd.concat([c.to_frame() for c in curves], ignore_index=True)

    def summary(self) -> str:
        excluded = ", ".join(f"{len(ids)} {reason}" for reason, ids in self.exclusions if ids)
        lines = [f"{self.n_cases} cases, {self.overall.n} analysed"
                 + (f" (excluded: {excluded})" if excluded else ""), self.overall.summary()]
        for comp in self.comparisons:
            if comp.logrank is not None:
                lines.append(comp.logrank.summary())
        if self.cox is not None:
            lines.append(self.cox.summary())
        lines.extend(f"note: {n}" for n in self.notes)
        lines.extend(f"warning: {w}" for w in self.warnings)
        return "\n".join(lines)


# ----------------------------------------------------------------- estimators


def _usable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["kind"] != "excluded"]


def _median(times: np.ndarray, surv: np.ndarray) -> float:
    below = np.nonzero(surv <= 0.5)[0]
    return float(times[below[0]]) if below.size else math.inf


def _step(times: np.ndarray, values: np.ndarray, t: float) -> float:
    i = int(np.searchsorted(times, t, side="right")) - 1
    return float(values[max(i, 0)])


def _points(times: np.ndarray, surv: np.ndarray, lo: np.ndarray, hi: np.ndarray,
            last_seen: float, wanted: Sequence[float]) -> tuple[PointEstimate, ...]:
    out = []
    for t in wanted:
        s = _step(times, surv, t)
        if t > last_seen and s > 0:
            out.append(PointEstimate(float(t), math.nan, math.nan, math.nan))
        else:
            out.append(PointEstimate(float(t), s, _step(times, lo, t), _step(times, hi, t)))
    return tuple(out)


def _km(rows: pd.DataFrame, opts: SurvivalOptions) -> dict[str, Any]:
    durations = rows["lower"].to_numpy(float)
    events = rows["kind"].eq("event").to_numpy()
    kmf = KaplanMeierFitter(alpha=opts.alpha).fit(durations, events)
    times = kmf.survival_function_.index.to_numpy(float)
    surv = kmf.survival_function_.iloc[:, 0].to_numpy(float)
    ci = kmf.confidence_interval_survival_function_
    lo, hi = ci.iloc[:, 0].to_numpy(float), ci.iloc[:, 1].to_numpy(float)
    return {"method": "kaplan_meier", "times": times, "surv": surv, "lo": lo, "hi": hi,
            "median": _median(times, surv),
            "median_ci": (_median(times, lo), _median(times, hi))}


# Turnbull: observation j covers support point s when s lies in its set of possible lifetimes:
# exact t -> {t}; interval [a, b] -> a <= s <= b; right-censored at c -> s > c (including +inf).


def turnbull_support(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Right ends of the Turnbull (innermost) intervals, plus +inf when mass can lie beyond.

    ``upper`` is +inf for right-censored lifetimes, which are open at ``lower``; exact lifetimes
    (``lower == upper``) and intervals are closed.
    """
    censored = np.isinf(upper)
    # (value, order): a closed left end sorts before a right end at the same value, an open
    # (censored) left end after it.
    ends = [(v, 0) for v in lower[~censored]] + [(v, 2) for v in lower[censored]]
    ends += [(v, 1) for v in upper]
    ends.sort()
    support = [b[0] for a, b in pairwise(ends) if a[1] != 1 and b[1] == 1]
    return np.unique(np.asarray(support, dtype=float))


def _cover(lower: np.ndarray, upper: np.ndarray, support: np.ndarray) -> np.ndarray:
    s = support[None, :]
    lo, up = lower[:, None], upper[:, None]
    censored = np.isinf(up)
    return np.where(censored, s > lo, (s >= lo) & (s <= up)).astype(float)


def _em(cover: np.ndarray, weights: np.ndarray, p: np.ndarray, tol: float,
        max_iter: int) -> np.ndarray:
    """Self-consistency (EM) iterations of Turnbull's estimator for the support masses.

    Accelerated by SQUAREM (Varadhan & Roland 2008, Scand J Stat 35:335): two EM steps give a
    direction, a step length extrapolates along it, and one more EM step stabilises; when the
    extrapolation lowers the likelihood the plain EM step is kept, so the climb stays monotone.
    """
    total = weights.sum()

    def step(q: np.ndarray) -> np.ndarray:
        return q * (cover.T @ (weights / (cover @ q))) / total

    def loglik(q: np.ndarray) -> float:
        return float(weights @ np.log(cover @ q))

    for _ in range(max_iter):
        p1 = step(p)
        p2 = step(p1)
        r, v = p1 - p, p2 - 2 * p1 + p
        rn, vn = float(np.sqrt(r @ r)), float(np.sqrt(v @ v))
        if rn < tol or vn == 0.0:
            return p2
        a = min(-rn / vn, -1.0)
        cand = np.clip(p - 2 * a * r + a * a * v, 0.0, None)
        cand /= cand.sum()
        new = p2
        if np.all(cover @ cand > 0):  # every lifetime keeps some mass: a valid point
            cand = step(cand)
            if loglik(cand) >= loglik(p2):
                new = cand
        if np.max(np.abs(new - p)) < tol:
            return new
        p = new
    return p


def turnbull(lower: Sequence[float] | np.ndarray, upper: Sequence[float] | np.ndarray, *,
             tol: float = 1e-10, max_iter: int = 100_000) -> tuple[np.ndarray, np.ndarray]:
    """Turnbull NPMLE of the survival function: ``(times, survival)`` with ``times[0] == 0``.

    Mass sits at the right end of each Turnbull interval; survival is right-continuous.
    """
    lo, up = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    support = turnbull_support(lo, up)
    uniq, weights = _unique_rows(lo, up)
    cover = _cover(uniq[:, 0], uniq[:, 1], support)
    p = _em(cover, weights, np.full(support.size, 1.0 / support.size), tol, max_iter)
    return _survival_from_mass(support, p)


def _unique_rows(lo: np.ndarray, up: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    uniq, counts = np.unique(np.column_stack([lo, up]), axis=0, return_counts=True)
    return uniq, counts.astype(float)


def _survival_from_mass(support: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    finite = np.isfinite(support)
    times = np.concatenate([[0.0], support[finite]])
    surv = np.concatenate([[1.0], 1.0 - np.cumsum(p[finite])])
    return times, np.clip(surv, 0.0, 1.0)


def _turnbull_with_ci(rows: pd.DataFrame, opts: SurvivalOptions) -> dict[str, Any]:
    lo = rows["lower"].to_numpy(float)
    up = rows["upper"].to_numpy(float)
    support = turnbull_support(lo, up)
    uniq, weights = _unique_rows(lo, up)
    cover = _cover(uniq[:, 0], uniq[:, 1], support)
    p = _em(cover, weights, np.full(support.size, 1.0 / support.size), opts.em_tol,
            opts.em_max_iter)
    times, surv = _survival_from_mass(support, p)
    rng = np.random.default_rng(opts.seed)
    n = int(weights.sum())
    boot = np.empty((opts.n_bootstrap, times.size))
    medians = np.empty(opts.n_bootstrap)
    for b in range(opts.n_bootstrap):
        w = rng.multinomial(n, weights / n).astype(float)
        keep = w > 0
        # warm start from the full-data masses; a percentile interval needs no more than boot_tol
        pb = _em(cover[keep], w[keep], p.copy(), opts.boot_tol, opts.boot_max_iter)
        boot[b] = _survival_from_mass(support, pb)[1]
        medians[b] = _median(times, boot[b])
    if opts.n_bootstrap == 0:
        nan = np.full(times.size, math.nan)
        lo_ci, hi_ci, median_ci = nan, nan, (math.nan, math.nan)
    else:
        q = (100 * opts.alpha / 2, 100 * (1 - opts.alpha / 2))
        lo_ci, hi_ci = np.percentile(boot, q, axis=0)
        # medians may be +inf (not reached): take order statistics, never interpolate
        median_ci = (float(np.percentile(medians, q[0], method="lower")),
                     float(np.percentile(medians, q[1], method="higher")))
    return {"method": "turnbull", "times": times, "surv": surv, "lo": lo_ci, "hi": hi_ci,
            "median": _median(times, surv), "median_ci": median_ci}


def survival_curve(frame: pd.DataFrame, *, label: str = "all", grouping: str | None = None,
                   group: str | None = None,
                   options: SurvivalOptions | None = None) -> SurvivalCurve:
    """Estimate one survival curve from the usable rows of ``frame``.

    Kaplan–Meier when no lifetime is interval-censored, otherwise Turnbull (module docstring).
    Raises ``ValueError`` when no row is usable.
    """
    opts = options or SurvivalOptions()
    rows = _usable(frame)
    if rows.empty:
        raise ValueError(f"no usable lifetimes for '{label}': every case is excluded (see the "
                         "'exclusion' column of the frame); pass cases with a start year and a "
                         "known status")
    kinds = rows["kind"]
    est = _turnbull_with_ci(rows, opts) if kinds.eq("interval").any() else _km(rows, opts)
    last_seen = float(rows["lower"].max())
    return SurvivalCurve(
        label=label, grouping=grouping, group=group, method=est["method"],
        case_ids=tuple(rows["id"]), n=len(rows), events=int(kinds.eq("event").sum()),
        censored=int(kinds.eq("censored").sum()), interval=int(kinds.eq("interval").sum()),
        times=tuple(float(x) for x in est["times"]),
        survival=tuple(float(x) for x in est["surv"]),
        lower=tuple(float(x) for x in est["lo"]), upper=tuple(float(x) for x in est["hi"]),
        median=est["median"], median_ci=tuple(est["median_ci"]),  # type: ignore[arg-type]
        at=_points(est["times"], est["surv"], est["lo"], est["hi"], last_seen, opts.times),
        alpha=opts.alpha, entry_lower=tuple(float(x) for x in rows["lower"]),
    )


# ------------------------------------------------------------ tests and models


def _test_rows(frame: pd.DataFrame, opts: SurvivalOptions) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Rows with exact or right-censored ``duration``; interval ones handled per the options."""
    rows = _usable(frame)
    interval = rows["kind"].eq("interval")
    ids = tuple(rows.loc[interval, "id"])
    if opts.interval_in_tests == "exclude":
        rows = rows[~interval].assign(duration=rows["lower"])
    else:
        mid = (rows["lower"] + rows["upper"]) / 2
        rows = rows.assign(duration=rows["lower"].where(~interval, mid))
    rows = rows.assign(observed=rows["kind"].isin(["event", "interval"]))
    return rows, ids


def _labels(values: pd.Series) -> pd.Series:
    def one(v: Any) -> str | None:
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            return None
        if isinstance(v, (bool, np.bool_)):
            return "true" if v else "false"
        return str(v)
    return values.map(one)


def logrank(frame: pd.DataFrame, grouping: str,
            options: SurvivalOptions | None = None) -> LogRankResult | None:
    """Log-rank test across the values of column ``grouping``; None when it cannot be run.

    Rows whose group is missing are left out; so are interval-censored lifetimes unless
    ``options.interval_in_tests == "midpoint"``.
    """
    opts = options or SurvivalOptions()
    rows, interval_ids = _test_rows(frame, opts)
    labels = _labels(rows[grouping])
    rows, labels = rows[labels.notna()], labels[labels.notna()]
    groups = tuple(sorted(labels.unique()))
    if len(groups) < 2 or not rows["observed"].any():
        return None
    res = multivariate_logrank_test(rows["duration"], labels, rows["observed"])
    counts = rows.groupby(labels)["observed"].agg(["size", "sum"]).loc[list(groups)]
    return LogRankResult(
        grouping=grouping, groups=groups, n=tuple(int(x) for x in counts["size"]),
        events=tuple(int(x) for x in counts["sum"]), statistic=float(res.test_statistic),
        df=len(groups) - 1, p_value=float(res.p_value), case_ids=tuple(rows["id"]),
        interval_handling=opts.interval_in_tests,
        interval_ids=interval_ids if opts.interval_in_tests == "exclude" else (),
    )


def compare_groups(frame: pd.DataFrame, grouping: str,
                   options: SurvivalOptions | None = None) -> GroupComparison:
    """One curve per value of ``grouping`` (missing values left out), plus the log-rank test."""
    opts = options or SurvivalOptions()
    if grouping not in frame.columns:
        raise ValueError(f"cannot group by '{grouping}': the frame has no such column; for "
                         "who_region or income_group pass region_of / income_of to cases_frame")
    rows = _usable(frame)
    labels = _labels(rows[grouping])
    missing = tuple(rows.loc[labels.isna(), "id"])
    curves: list[SurvivalCurve] = []
    warnings: list[str] = []
    for value in sorted(labels.dropna().unique()):
        sub = rows[labels == value]
        curve = survival_curve(sub, label=f"{grouping}={value}", grouping=grouping, group=value,
                               options=opts)
        curves.append(curve)
        if curve.n < opts.min_group_size:
            warnings.append(FEW_CASES.format(group=value, grouping=grouping, n=curve.n,
                                             min_n=opts.min_group_size))
        if curve.events == 0 and curve.interval == 0:
            warnings.append(NO_EVENTS.format(group=value, grouping=grouping))
    test = logrank(frame, grouping, opts)
    if test is None:
        warnings.append(NO_TEST.format(grouping=grouping))
    return GroupComparison(grouping, tuple(curves), test, missing, tuple(warnings))


def cox_design(frame: pd.DataFrame, conditions: Sequence[str],
               options: SurvivalOptions | None = None,
               ) -> tuple[pd.DataFrame, tuple[str, ...], tuple[str, ...]]:
    """Model matrix of the Cox model: ``(design, dropped conditions, interval-censored ids)``.

    ``design`` holds one 0/1 column per kept condition (known true), an ``<name>_unknown``
    column when ``cox_missing == "indicator"`` and some values are missing, and ``_duration``,
    ``_event``, ``_id``. Its index is the frame's.
    """
    opts = options or SurvivalOptions()
    rows, interval_ids = _test_rows(frame, opts)
    dropped: list[str] = []
    if opts.cox_missing == "complete_case":
        rows = rows.dropna(subset=list(conditions))
    cols: dict[str, pd.Series] = {}
    for c in conditions:
        values = rows[c]
        n_true, n_false = int(values.eq(True).sum()), int(values.eq(False).sum())
        if min(n_true, n_false) < opts.min_level_count:
            dropped.append(f"{c} ({n_true} true, {n_false} false among model cases)")
            continue
        cols[c] = values.eq(True).fillna(False).astype(float)
        unknown = values.isna().astype(float)
        if unknown.sum() > 0:
            cols[f"{c}_unknown"] = unknown
    design = pd.DataFrame(cols, index=rows.index)
    # identical unknown indicators (conditions always missing together) cannot be told apart
    duplicated = design.T.duplicated()
    for name in design.columns[duplicated.to_numpy()]:
        dropped.append(f"{name} (same as an earlier column)")
    design = design.loc[:, ~duplicated.to_numpy()]
    design = design.assign(_duration=rows["duration"], _event=rows["observed"].astype(float),
                           _id=rows["id"])
    return design, tuple(dropped), interval_ids


def cox_conditions(frame: pd.DataFrame, options: SurvivalOptions | None = None,
                   conditions: Sequence[str] | None = None) -> CoxResult | None:
    """Penalised Cox model of lifetime on the recorded conditions; None when too few cases.

    Coefficients are log hazard ratios of ending: a hazard ratio below 1 goes with lasting.
    Missing conditions follow ``options.cox_missing``; conditions too rarely true or false are
    dropped and listed in ``dropped``. With a penalty the Wald p-values are approximate.
    """
    opts = options or SurvivalOptions()
    conds = list(conditions) if conditions is not None else list(CONDITION_COLUMNS)
    design, dropped, interval_ids = cox_design(frame, conds, opts)
    covariates = [c for c in design.columns if not c.startswith("_")]
    n, events = len(design), int(design["_event"].sum())
    if not covariates or n < 2 or events == 0:
        return None
    cph = CoxPHFitter(penalizer=opts.penalizer, alpha=opts.alpha)
    cph.fit(design.drop(columns="_id"), duration_col="_duration", event_col="_event")
    s = cph.summary
    z = s.columns
    lo_col = next(c for c in z if c.startswith("exp(coef) lower"))
    hi_col = next(c for c in z if c.startswith("exp(coef) upper"))
    terms = tuple(
        CoxTerm(name=str(name), coef=float(r["coef"]), se=float(r["se(coef)"]),
                hazard_ratio=float(r["exp(coef)"]), hr_lower=float(r[lo_col]),
                hr_upper=float(r[hi_col]), p_value=float(r["p"]))
        for name, r in s.iterrows()
    )
    return CoxResult(
        n=n, events=events, penalizer=opts.penalizer, missing=opts.cox_missing, terms=terms,
        dropped=dropped, case_ids=tuple(design["_id"]),
        log_likelihood=float(cph.log_likelihood_), concordance=float(cph.concordance_index_),
        interval_handling=opts.interval_in_tests,
        interval_ids=interval_ids if opts.interval_in_tests == "exclude" else (),
        alpha=opts.alpha,
    )


def analyse_survival(frame: pd.DataFrame, options: SurvivalOptions | None = None, *,
                     groupings: Sequence[str] | None = None) -> SurvivalReport:
    """The survival synthesis of a case frame (see :func:`~hrhlessons.synthesis.frame.cases_frame`).

    ``groupings`` defaults to :data:`BASE_GROUPINGS` present in the frame plus every condition.
    """
    opts = options or SurvivalOptions()
    if groupings is None:
        groupings = [g for g in BASE_GROUPINGS if g in frame.columns] + list(CONDITION_COLUMNS)
    exclusions = tuple(
        (reason, tuple(frame.loc[frame["exclusion"] == reason, "id"]))
        for reason in EXCLUSION_REASONS
    )
    overall = survival_curve(frame, options=opts)
    comparisons = tuple(compare_groups(frame, g, opts) for g in groupings)
    cox = cox_conditions(frame, opts)
    notes: list[str] = []
    warnings: list[str] = [w for c in comparisons for w in c.warnings]
    if overall.interval:
        notes.append(TURNBULL_NOTE.format(n=overall.interval, b=opts.n_bootstrap))
        template = INTERVAL_EXCLUDED if opts.interval_in_tests == "exclude" else INTERVAL_MIDPOINT
        notes.append(template.format(n=overall.interval))
    if cox is None:
        rows, _ = _test_rows(frame, opts)
        warnings.append(COX_TOO_FEW.format(n=len(rows), events=int(rows["observed"].sum()),
                                           missing=opts.cox_missing))
    elif cox.dropped:
        notes.append("conditions left out of the Cox model: " + "; ".join(cox.dropped))
    return SurvivalReport(opts, len(frame), exclusions, overall, comparisons, cox,
                          tuple(notes), tuple(warnings))


def exclusion_counts(report: SurvivalReport) -> Mapping[str, int]:
    """How many cases each exclusion reason removed."""
    return {reason: len(ids) for reason, ids in report.exclusions}
