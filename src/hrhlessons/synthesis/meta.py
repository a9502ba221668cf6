"""Meta-analysis of study effect sizes: pooling, heterogeneity, subgroups, meta-regression, Egger.

Pure functions of ``yi`` (effect sizes) and ``vi`` (their sampling variances, see
:mod:`.effects`), returning immutable results that match R metafor's ``rma()`` (pinned in
``tests/data/metafor_*.json``).

Vocabulary:

method
    How the between-study variance tau^2 is estimated. ``FE``: fixed effect (tau^2 = 0).
    ``DL``: DerSimonian & Laird (1986), method of moments. ``REML``: restricted maximum
    likelihood (Viechtbauer 2005). ``ML``: maximum likelihood. ``PM``: Paule & Mandel (1982),
    the tau^2 at which the generalised Q statistic equals its degrees of freedom.
knha
    The Hartung & Knapp (2001) / Sidik & Jonkman (2002) adjustment (metafor ``test="knha"``):
    the standard errors are rescaled by the weighted residual variance and tests and intervals
    use the t distribution with k - p degrees of freedom. No truncation at 1 (metafor's default).
Q, I2, H2
    Cochran's Q (fixed-effect weights) and its p-value; I2 the share of the total variability
    that is between-study variance, H2 total over sampling variability. For random-effects
    models they are computed from tau^2 and the "typical" sampling variance
    ``(k - p) / tr(P)``, as metafor does; for the fixed-effect model from Q.
tau2 confidence interval
    The Q-profile interval of Viechtbauer (2007): the tau^2 values at which the generalised Q
    equals the chi-square quantiles with k - p degrees of freedom. Bounds are exact roots;
    metafor's ``confint`` stops searching at max(100, 10 tau^2) and reports that cap instead
    (only reached with very few studies, e.g. k = 2).
prediction interval
    Where the true effect of a new study would lie: estimate +/- crit * sqrt(se^2 + tau^2).
subgroup differences
    Each subgroup fitted separately (its own tau^2), then a fixed-effect test of whether the
    subgroup estimates differ (Q between, chi-square with groups - 1 degrees of freedom).
Q_M
    The omnibus test that all moderator coefficients of a meta-regression are zero.
Egger test
    Egger et al. (1997) regression test for funnel-plot asymmetry, in metafor ``regtest``'s
    default form: a meta-regression with the standard error ``sqrt(vi)`` as the moderator,
    fitted with the same method; the test of its coefficient.

Why the estimators are written here: scipy and statsmodels give the root finder (``brentq``)
and the distributions used below, but no function of theirs fits REML/ML/PM with moderators
and Hartung-Knapp; statsmodels' ``combine_effects`` covers only intercept-only DL and PM.
ML and REML are found as the root of their score (estimating) equations (Viechtbauer 2005)
with ``brentq`` to machine precision, so results sit at the optimum rather than an iteration
threshold away from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from hrhlessons.errors import HRHError, InvalidInput, Problem

Numbers = Sequence[float] | np.ndarray

METHODS: tuple[str, ...] = ("FE", "DL", "REML", "ML", "PM")
METHOD_NAMES: dict[str, str] = {
    "FE": "fixed effect",
    "DL": "DerSimonian-Laird",
    "REML": "restricted maximum likelihood",
    "ML": "maximum likelihood",
    "PM": "Paule-Mandel",
}

_WHERE = "meta-analysis input"
_EPS = np.finfo(float).eps


# ----- results -----------------------------------------------------------------------------

@dataclass(frozen=True)
class MetaResult:
    """An intercept-only (fixed- or random-effects) meta-analysis.

    ``stat`` is z, or t with ``df`` degrees of freedom under ``knha``. ``weights`` are the
    percentage weights of the studies in the pooled estimate. Interval bounds of tau^2, I2 and
    H2 are ``None`` for the fixed-effect model.
    """

    method: str
    knha: bool
    level: float
    labels: tuple[str, ...]
    yi: tuple[float, ...]
    vi: tuple[float, ...]
    weights: tuple[float, ...]
    estimate: float
    se: float
    stat: float
    p: float
    ci_low: float
    ci_high: float
    df: int | None
    tau2: float
    tau2_ci: tuple[float, float] | None
    i2: float
    i2_ci: tuple[float, float] | None
    h2: float
    h2_ci: tuple[float, float] | None
    q: float
    q_df: int
    q_p: float
    pi_low: float
    pi_high: float

    @property
    def k(self) -> int:
        return len(self.yi)

    def to_dict(self) -> dict[str, Any]:
        """Every number of the fit, plus the study labels, as plain JSON-ready values."""
        lo_hi = {
            f"{name}_ci_{end}": (None if ci is None else ci[i])
            for name, ci in (("tau2", self.tau2_ci), ("i2", self.i2_ci), ("h2", self.h2_ci))
            for i, end in enumerate(("low", "high"))
        }
        return {
            "k": self.k, "estimate": self.estimate, "se": self.se,
            "ci_low": self.ci_low, "ci_high": self.ci_high, "tau2": self.tau2,
            "i2": self.i2, "h2": self.h2, "q": self.q, "q_p": self.q_p,
            "pi_low": self.pi_low, "pi_high": self.pi_high,
            "method": self.method, "test": "knha" if self.knha else "z", "level": self.level,
            "stat": self.stat, "p": self.p, "df": self.df, "q_df": self.q_df, **lo_hi,
            "labels": list(self.labels),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per study: its effect, variance, confidence interval and weight (%)."""
        y, v = np.asarray(self.yi), np.asarray(self.vi)
        z = stats.norm.ppf(0.5 + self.level / 2)
        return pd.DataFrame({
            "label": self.labels, "yi": y, "vi": v,
            "ci_low": y - z * np.sqrt(v), "ci_high": y + z * np.sqrt(v),
            "weight": self.weights,
        })

    def summary(self) -> str:
        pct = f"{self.level:.0%}"
        name = METHOD_NAMES[self.method] + (", Hartung-Knapp" if self.knha else "")
        stat = f"t({self.df})" if self.knha else "z"
        lines = [
            f"Meta-analysis, {name} (k = {self.k})",
            f"  estimate {self.estimate:.4f} (SE {self.se:.4f}), {pct} CI "
            f"{self.ci_low:.4f} to {self.ci_high:.4f}; {stat} = {self.stat:.3f}, "
            f"p = {self.p:.4g}",
            f"  heterogeneity: Q({self.q_df}) = {self.q:.3f}, p = {self.q_p:.4g}; "
            f"I2 = {self.i2:.1f}%, H2 = {self.h2:.2f}",
        ]
        if self.method != "FE":
            ci = self.tau2_ci
            ci_txt = "" if ci is None else f" ({pct} CI {ci[0]:.4f} to {ci[1]:.4f})"
            lines.append(f"  tau2 = {self.tau2:.4f}{ci_txt}; prediction interval "
                         f"{self.pi_low:.4f} to {self.pi_high:.4f}")
        return "\n".join(lines)


@dataclass(frozen=True)
class MetaRegressionResult:
    """A meta-regression (mixed-effects model); coefficients in the order of ``terms``."""

    method: str
    knha: bool
    level: float
    labels: tuple[str, ...]
    moderators: tuple[str, ...]
    coef: tuple[float, ...]
    se: tuple[float, ...]
    stat: tuple[float, ...]
    p: tuple[float, ...]
    ci_low: tuple[float, ...]
    ci_high: tuple[float, ...]
    df: int | None
    tau2: float
    qm: float
    qm_df: int
    qm_p: float
    qe: float
    qe_df: int
    qe_p: float
    i2: float
    h2: float
    r2: float | None

    @property
    def k(self) -> int:
        return len(self.labels)

    @property
    def terms(self) -> tuple[str, ...]:
        return ("intercept", *self.moderators)

    def to_dict(self) -> dict[str, Any]:
        return {
            "k": self.k, "terms": list(self.terms), "coef": list(self.coef), "se": list(self.se),
            "stat": list(self.stat), "p": list(self.p), "ci_low": list(self.ci_low),
            "ci_high": list(self.ci_high), "tau2": self.tau2, "qm": self.qm,
            "qm_df": self.qm_df, "qm_p": self.qm_p, "qe": self.qe, "qe_df": self.qe_df,
            "qe_p": self.qe_p, "i2": self.i2, "h2": self.h2, "r2": self.r2,
            "method": self.method, "test": "knha" if self.knha else "z", "df": self.df,
            "level": self.level, "labels": list(self.labels),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per term (intercept first)."""
        return pd.DataFrame({"term": self.terms, "coef": self.coef, "se": self.se,
                             "stat": self.stat, "p": self.p, "ci_low": self.ci_low,
                             "ci_high": self.ci_high})

    def summary(self) -> str:
        name = METHOD_NAMES[self.method] + (", Hartung-Knapp" if self.knha else "")
        test = (f"F({self.qm_df}, {self.df})" if self.knha else f"QM({self.qm_df})")
        lines = [f"Meta-regression, {name} (k = {self.k}; moderators: "
                 f"{', '.join(self.moderators)})"]
        lines += [f"  {t:<12} {c: .4f} (SE {s:.4f}), p = {p:.4g}"
                  for t, c, s, p in zip(self.terms, self.coef, self.se, self.p, strict=True)]
        r2 = "" if self.r2 is None else f", R2 = {self.r2:.1f}%"
        lines.append(f"  moderators: {test} = {self.qm:.3f}, p = {self.qm_p:.4g}; "
                     f"residual QE({self.qe_df}) = {self.qe:.3f}, p = {self.qe_p:.4g}")
        lines.append(f"  residual tau2 = {self.tau2:.4f}, I2 = {self.i2:.1f}%{r2}")
        return "\n".join(lines)


@dataclass(frozen=True)
class SubgroupResult:
    """Separate fits per subgroup and the test of subgroup differences."""

    method: str
    knha: bool
    groups: tuple[str, ...]
    fits: tuple[MetaResult, ...]
    q_between: float
    df: int
    p_between: float

    @property
    def k(self) -> int:
        return sum(f.k for f in self.fits)

    def fit(self, group: str) -> MetaResult:
        return self.fits[self.groups.index(group)]

    def to_dict(self) -> dict[str, Any]:
        return {"k": self.k, "method": self.method, "test": "knha" if self.knha else "z",
                "q_between": self.q_between, "df": self.df, "p_between": self.p_between,
                "groups": {g: f.to_dict() for g, f in zip(self.groups, self.fits, strict=True)}}

    def to_frame(self) -> pd.DataFrame:
        """One row per subgroup."""
        keys = ("k", "estimate", "se", "ci_low", "ci_high", "tau2", "i2", "q", "q_p")
        return pd.DataFrame([{"group": g, **{key: f.to_dict()[key] for key in keys}}
                             for g, f in zip(self.groups, self.fits, strict=True)])

    def summary(self) -> str:
        lines = [f"Subgroup analysis, {METHOD_NAMES[self.method]} (k = {self.k}, "
                 f"{len(self.groups)} groups)"]
        lines += [f"  {g}: k = {f.k}, estimate {f.estimate:.4f} ({f.ci_low:.4f} to "
                  f"{f.ci_high:.4f}), tau2 = {f.tau2:.4f}"
                  for g, f in zip(self.groups, self.fits, strict=True)]
        lines.append(f"  test of subgroup differences: Q({self.df}) = {self.q_between:.3f}, "
                     f"p = {self.p_between:.4g}")
        return "\n".join(lines)


@dataclass(frozen=True)
class EggerResult:
    """Egger's regression test: the coefficient of ``sqrt(vi)`` in a meta-regression."""

    method: str
    knha: bool
    k: int
    slope: float
    slope_se: float
    z: float
    p: float
    limit_estimate: float
    df: int | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        return {"k": self.k, "method": self.method, "test": "knha" if self.knha else "z",
                "egger_z": self.z, "egger_p": self.p, "slope": self.slope,
                "slope_se": self.slope_se, "limit_estimate": self.limit_estimate,
                "df": self.df}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.to_dict()])

    def summary(self) -> str:
        stat = f"t({self.df})" if self.knha else "z"
        return (f"Egger's regression test for funnel-plot asymmetry ({METHOD_NAMES[self.method]},"
                f" k = {self.k}): {stat} = {self.z:.3f}, p = {self.p:.4g}; "
                f"limit estimate {self.limit_estimate:.4f}")


# ----- input checks --------------------------------------------------------------------------

def _method(method: str) -> str:
    m = method.upper()
    if m == "EE":  # metafor >= 3 calls the fixed-effect ("equal-effects") model EE
        m = "FE"
    if m not in METHODS:
        raise InvalidInput([Problem(_WHERE, None, "method",
                                    f"'{method}' is not a method; use one of "
                                    f"{', '.join(METHODS)}")])
    return m


def _inputs(yi: Numbers, vi: Numbers, labels: Sequence[str] | None, level: float,
            min_k: int = 2) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    y = np.asarray(yi, dtype=float).ravel()
    v = np.asarray(vi, dtype=float).ravel()
    k = y.shape[0]
    names = (tuple(f"Study {i + 1}" for i in range(k)) if labels is None
             else tuple(str(x) for x in labels))
    problems: list[Problem] = []
    if v.shape[0] != k or len(names) != k:
        problems.append(Problem(_WHERE, None, "vi",
                                f"{k} effect sizes, {v.shape[0]} variances and {len(names)} "
                                "labels; give one of each per study"))
        raise InvalidInput(problems)
    for i in np.flatnonzero(~np.isfinite(y)):
        problems.append(Problem(_WHERE, None, "yi",
                                f"study '{names[i]}': the effect size is missing or infinite"))
    for i in np.flatnonzero(~(np.isfinite(v) & (v > 0))):
        problems.append(Problem(_WHERE, None, "vi",
                                f"study '{names[i]}': the variance is {v[i]}; a sampling "
                                "variance must be a finite number above 0"))
    if k < min_k:
        problems.append(Problem(_WHERE, None, "yi",
                                f"{k} study(ies); a meta-analysis needs at least {min_k}"))
    if not 0 < level < 1:
        problems.append(Problem(_WHERE, None, "level",
                                f"level {level} must lie between 0 and 1, e.g. 0.95"))
    if problems:
        raise InvalidInput(problems)
    return y, v, names


# ----- the weighted least-squares core -------------------------------------------------------

@dataclass(frozen=True)
class _WLS:
    """Weighted least-squares fit of ``y = X b`` with weights ``1 / (v + tau2)``."""

    b: np.ndarray
    vb: np.ndarray
    w: np.ndarray
    resid: np.ndarray

    @property
    def q(self) -> float:
        return float(np.dot(self.w, self.resid**2))

    def trace_p(self, X: np.ndarray) -> float:
        """tr(P), P = W - W X (X'WX)^-1 X'W."""
        xw2x = X.T @ (X * (self.w**2)[:, None])
        return float(self.w.sum() - np.trace(self.vb @ xw2x))


def _wls(y: np.ndarray, v: np.ndarray, X: np.ndarray, tau2: float) -> _WLS:
    w = 1.0 / (v + tau2)
    xw = X * w[:, None]
    vb = np.linalg.inv(X.T @ xw)
    b = vb @ (xw.T @ y)
    return _WLS(b, vb, w, y - X @ b)


def _root_above_zero(f: Any, scale: float) -> float:
    """The root of a function positive at 0 and negative for large tau^2 (bracketed upward)."""
    lo, hi = 0.0, max(scale, 1e-8)
    for _ in range(400):
        if f(hi) < 0:
            break
        lo, hi = hi, hi * 4
    else:
        raise HRHError("tau^2 could not be bracketed: the estimating equation stayed positive "
                       "up to very large values; check the effect sizes and variances")
    return float(optimize.brentq(f, lo, hi, xtol=1e-15, rtol=4 * _EPS, maxiter=1000))


def estimate_tau2(yi: Numbers, vi: Numbers, X: np.ndarray | None = None,
                  method: str = "REML") -> float:
    """Between-study variance tau^2 by ``method`` (FE, DL, REML, ML, PM), truncated at 0.

    ``X`` is the design matrix (intercept column included); ``None`` means intercept only.
    """
    y, v = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)
    X = np.ones((y.shape[0], 1)) if X is None else np.asarray(X, dtype=float)
    m = _method(method)
    k, p = X.shape
    if m == "FE":
        return 0.0
    if m == "DL":
        # DerSimonian & Laird (1986), generalised to moderators: (Q_E - (k - p)) / tr(P).
        fe = _wls(y, v, X, 0.0)
        return max(0.0, (fe.q - (k - p)) / fe.trace_p(X))
    scale = max(float(np.var(y)), float(np.mean(v)))
    if m == "PM":
        # Paule & Mandel (1982): generalised Q(tau2) = k - p; Q falls monotonically in tau2.
        def f(t: float) -> float:
            return _wls(y, v, X, t).q - (k - p)
    elif m == "REML":
        # Viechtbauer (2005): REML score 1/2 [y'PPy - tr(P)], with y'PPy = sum (w r)^2.
        def f(t: float) -> float:
            fit = _wls(y, v, X, t)
            return float(np.sum((fit.w * fit.resid) ** 2)) - fit.trace_p(X)
    else:
        # ML score: 1/2 [sum (w r)^2 - sum w].
        def f(t: float) -> float:
            fit = _wls(y, v, X, t)
            return float(np.sum((fit.w * fit.resid) ** 2) - fit.w.sum())
    if f(0.0) <= 0:
        return 0.0
    return _root_above_zero(f, scale)


def tau2_qprofile_ci(yi: Numbers, vi: Numbers, X: np.ndarray | None = None,
                     level: float = 0.95) -> tuple[float, float]:
    """Q-profile confidence interval of tau^2 (Viechtbauer 2007), bounds truncated at 0."""
    y, v = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)
    X = np.ones((y.shape[0], 1)) if X is None else np.asarray(X, dtype=float)
    k, p = X.shape
    df = k - p
    alpha = 1 - level
    q0 = _wls(y, v, X, 0.0).q
    scale = max(float(np.var(y)), float(np.mean(v)))
    bounds = []
    for crit in (stats.chi2.ppf(1 - alpha / 2, df), stats.chi2.ppf(alpha / 2, df)):
        if q0 < crit:
            bounds.append(0.0)
        else:
            bounds.append(_root_above_zero(lambda t, c=crit: _wls(y, v, X, t).q - c, scale))
    return bounds[0], bounds[1]


# ----- shared pieces ---------------------------------------------------------------------------

def _heterogeneity(method: str, tau2: float, q: float, df: int, trace_p_fe: float
                   ) -> tuple[float, float]:
    """I2 (%) and H2, as metafor computes them."""
    if method == "FE":
        return (max(0.0, 100 * (q - df) / q) if q > 0 else 0.0), q / df
    typical = df / trace_p_fe
    return 100 * tau2 / (typical + tau2), (typical + tau2) / typical


def _tests(b: np.ndarray, se: np.ndarray, df: int | None, level: float
           ) -> tuple[np.ndarray, np.ndarray, float]:
    stat = b / se
    if df is None:
        return stat, 2 * stats.norm.sf(np.abs(stat)), float(stats.norm.ppf(0.5 + level / 2))
    return stat, 2 * stats.t.sf(np.abs(stat), df), float(stats.t.ppf(0.5 + level / 2, df))


def _fit(y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str, knha: bool
         ) -> tuple[float, _WLS, np.ndarray, int | None]:
    """tau^2, the WLS fit at tau^2, the (possibly Knapp-Hartung-scaled) covariance, t df."""
    k, p = X.shape
    if k - p < 1:
        raise InvalidInput([Problem(_WHERE, None, "moderators",
                                    f"{k} studies for {p} coefficients; a model needs more "
                                    "studies than coefficients")])
    if np.linalg.matrix_rank(X) < p:
        raise InvalidInput([Problem(_WHERE, None, "moderators",
                                    "the moderators are collinear (or constant); drop one")])
    tau2 = estimate_tau2(y, v, X, method)
    fit = _wls(y, v, X, tau2)
    if not knha:
        return tau2, fit, fit.vb, None
    # Hartung & Knapp (2001): scale by the weighted residual variance, t with k - p df.
    s2 = fit.q / (k - p)
    return tau2, fit, fit.vb * s2, k - p


# ----- models ----------------------------------------------------------------------------------

def meta_analysis(
    yi: Numbers,
    vi: Numbers,
    *,
    method: str = "REML",
    knha: bool = False,
    level: float = 0.95,
    labels: Sequence[str] | None = None,
) -> MetaResult:
    """Pool effect sizes with a fixed- or random-effects model (metafor ``rma(yi, vi)``)."""
    y, v, names = _inputs(yi, vi, labels, level)
    m = _method(method)
    X = np.ones((y.shape[0], 1))
    k = y.shape[0]
    tau2, fit, vb, df = _fit(y, v, X, m, knha)
    est, se = float(fit.b[0]), float(np.sqrt(vb[0, 0]))
    stat, p, crit = _tests(np.array([est]), np.array([se]), df, level)

    fe = _wls(y, v, X, 0.0)
    q, q_df = fe.q, k - 1
    tr_fe = fe.trace_p(X)
    i2, h2 = _heterogeneity(m, tau2, q, q_df, tr_fe)
    if m == "FE":
        tau2_ci = i2_ci = h2_ci = None
    else:
        tau2_ci = tau2_qprofile_ci(y, v, X, level)
        bounds = [_heterogeneity(m, t, q, q_df, tr_fe) for t in tau2_ci]
        i2_ci = (bounds[0][0], bounds[1][0])
        h2_ci = (bounds[0][1], bounds[1][1])
    half_pi = crit * np.sqrt(se**2 + tau2)
    weights = 100 * fit.w / fit.w.sum()
    return MetaResult(
        method=m, knha=knha, level=level, labels=names,
        yi=tuple(y.tolist()), vi=tuple(v.tolist()), weights=tuple(weights.tolist()),
        estimate=est, se=se, stat=float(stat[0]), p=float(p[0]),
        ci_low=est - crit * se, ci_high=est + crit * se, df=df,
        tau2=tau2, tau2_ci=tau2_ci, i2=i2, i2_ci=i2_ci, h2=h2, h2_ci=h2_ci,
        q=q, q_df=q_df, q_p=float(stats.chi2.sf(q, q_df)),
        pi_low=float(est - half_pi), pi_high=float(est + half_pi),
    )


def meta_regression(
    yi: Numbers,
    vi: Numbers,
    moderators: Mapping[str, Numbers],
    *,
    method: str = "REML",
    knha: bool = False,
    level: float = 0.95,
    labels: Sequence[str] | None = None,
) -> MetaRegressionResult:
    """Mixed-effects meta-regression on numeric moderators (metafor ``rma(yi, vi, mods=)``).

    An intercept is always included; coefficients come intercept first, then the moderators
    in the order given.
    """
    y, v, names = _inputs(yi, vi, labels, level)
    m = _method(method)
    k = y.shape[0]
    if not moderators:
        raise InvalidInput([Problem(_WHERE, None, "moderators",
                                    "no moderators given; use meta_analysis for a model "
                                    "without them")])
    columns = [np.ones(k)]
    problems: list[Problem] = []
    for name, values in moderators.items():
        col = np.asarray(values, dtype=float).ravel()
        if col.shape[0] != k:
            problems.append(Problem(_WHERE, None, name,
                                    f"moderator '{name}' has {col.shape[0]} values for {k} "
                                    "studies"))
            continue
        problems += [Problem(_WHERE, None, name,
                             f"study '{names[i]}': moderator '{name}' is missing or not a number")
                     for i in np.flatnonzero(~np.isfinite(col))]
        columns.append(col)
    if problems:
        raise InvalidInput(problems)
    X = np.column_stack(columns)
    p = X.shape[1]
    tau2, fit, vb, df = _fit(y, v, X, m, knha)
    se = np.sqrt(np.diag(vb))
    stat, pv, crit = _tests(fit.b, se, df, level)

    mods = slice(1, p)
    qm = float(fit.b[mods] @ np.linalg.solve(vb[mods, mods], fit.b[mods]))
    qm_df = p - 1
    if knha:
        qm /= qm_df
        qm_p = float(stats.f.sf(qm, qm_df, k - p))
    else:
        qm_p = float(stats.chi2.sf(qm, qm_df))
    fe = _wls(y, v, X, 0.0)
    qe, qe_df = fe.q, k - p
    i2, h2 = _heterogeneity(m, tau2, qe, qe_df, fe.trace_p(X))
    r2: float | None = None
    if m != "FE":
        tau2_re = estimate_tau2(y, v, None, m)
        r2 = max(0.0, 100 * (tau2_re - tau2) / tau2_re) if tau2_re > 0 else None
    return MetaRegressionResult(
        method=m, knha=knha, level=level, labels=names, moderators=tuple(moderators),
        coef=tuple(fit.b.tolist()), se=tuple(se.tolist()), stat=tuple(stat.tolist()),
        p=tuple(pv.tolist()), ci_low=tuple((fit.b - crit * se).tolist()),
        ci_high=tuple((fit.b + crit * se).tolist()), df=df, tau2=tau2,
        qm=qm, qm_df=qm_df, qm_p=qm_p, qe=qe, qe_df=qe_df, qe_p=float(stats.chi2.sf(qe, qe_df)),
        i2=i2, h2=h2, r2=r2,
    )


def subgroup_analysis(
    yi: Numbers,
    vi: Numbers,
    groups: Sequence[str],
    *,
    method: str = "REML",
    knha: bool = False,
    level: float = 0.95,
    labels: Sequence[str] | None = None,
) -> SubgroupResult:
    """Fit each subgroup on its own, then test whether the subgroup estimates differ.

    The test is a fixed-effect Q between the subgroup estimates, weighted by their inverse
    squared standard errors (chi-square, groups - 1 df), as in the metafor documentation's
    subgroup analysis with separate tau^2 per subgroup.
    """
    y, v, names = _inputs(yi, vi, labels, level)
    if len(groups) != y.shape[0]:
        raise InvalidInput([Problem(_WHERE, None, "groups",
                                    f"{len(groups)} group values for {y.shape[0]} studies")])
    g = np.asarray([str(x) for x in groups])
    levels = tuple(sorted(set(g.tolist())))
    small = [lv for lv in levels if int(np.sum(g == lv)) < 2]
    if len(levels) < 2 or small:
        why = (f"subgroup(s) {', '.join(small)} have fewer than 2 studies" if small
               else "all studies are in one subgroup")
        raise InvalidInput([Problem(_WHERE, None, "groups",
                                    f"{why}; each of at least two subgroups needs 2 or more")])
    fits = tuple(
        meta_analysis(y[g == lv], v[g == lv], method=method, knha=knha, level=level,
                      labels=[n for n, gi in zip(names, g, strict=True) if gi == lv])
        for lv in levels
    )
    est = np.array([f.estimate for f in fits])
    w = 1 / np.array([f.se for f in fits]) ** 2
    pooled = np.dot(w, est) / w.sum()
    q_between = float(np.dot(w, (est - pooled) ** 2))
    df = len(levels) - 1
    return SubgroupResult(method=_method(method), knha=knha, groups=levels, fits=fits,
                          q_between=q_between, df=df, p_between=float(stats.chi2.sf(q_between, df)))


def egger_test(
    yi: Numbers,
    vi: Numbers,
    *,
    method: str = "REML",
    knha: bool = False,
    labels: Sequence[str] | None = None,
) -> EggerResult:
    """Egger's regression test, as metafor ``regtest(rma(yi, vi, method=...))`` by default."""
    y, v, names = _inputs(yi, vi, labels, 0.95, min_k=3)
    reg = meta_regression(y, v, {"sei": np.sqrt(v)}, method=method, knha=knha, labels=names)
    return EggerResult(method=reg.method, knha=knha, k=reg.k, slope=reg.coef[1],
                       slope_se=reg.se[1], z=reg.stat[1], p=reg.p[1],
                       limit_estimate=reg.coef[0], df=reg.df)
