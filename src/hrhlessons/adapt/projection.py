"""Workforce scale-up projection: a stock-and-flow model per cadre, in annual steps.

Vocabulary
----------
cadre
    One of :data:`CADRES`: ``doctors``, ``nurses_midwives``, ``chw`` (community health workers).
stock
    Workers of the cadre in post in a year (a headcount).
intake
    Trainees admitted to pre-service training in a year. ``intake_growth`` makes it grow
    geometrically from the start year; before the start year it is the first year's intake,
    unless ``prior_intake`` says what the cohorts already in training were admitted at.
duration
    Years of pre-service training: a cohort admitted in year *y* graduates in year *y + duration*.
completion
    Share of an intake that graduates and enters the workforce, in (0, 1].
attrition
    Share of the stock that leaves each year (retirement, death, emigration, leaving the sector),
    in [0, 1).
density
    Workers per 10,000 population, the unit of the WHO Global Health Observatory (HWF_0001,
    HWF_0006) and of the SDG index threshold.
target year
    The first year of the horizon in which density reaches the target density.
required intake
    The constant annual intake, admitted from the start year on, that makes density reach the
    target density by a given year.
need, gap
    The workers a service norm the user states requires (for example one CHW per 1,000 people,
    or 175 births per midwife per year) and ``need - stock``: a positive gap is a shortfall.

The model
---------
For the years ``start .. end`` (inclusive), with ``j = t - start``::

    intake[t]     = intake * (1 + intake_growth) ** j       t >= start
                  = prior_intake (default: intake)          t <  start
    graduates[t]  = intake[t - duration] * completion
    stock[start]  = stock                                   (given; graduates[start] are in it)
    stock[t + 1]  = stock[t] * (1 - attrition) + graduates[t + 1]
    population[t] = population * (1 + population_growth) ** j
    density[t]    = stock[t] / population[t] * 10000

Required intake is computed in closed form, not by search: the stock in a year is affine in a
constant intake *I* (``stock_t(I) = a_t + I * b_t``, with ``a_t`` the path with no new intake
and ``b_t`` the path of one trainee a year from an empty stock), so the smallest *I* whose
density reaches the target in year *t* is ``(target * population_t / 10000 - a_t) / b_t``, and
the smallest that reaches it in *some* year up to ``by_year`` is the minimum of these over the
years in which new intake can graduate (``b_t > 0``). Cohorts admitted before the start year
keep their intake (``prior_intake``, default the parameters' intake): a new intake shows in the
stock only ``duration`` years after the start year.

"Reached" compares ``density >= target * (1 - 1e-9)`` (:data:`REACHED_RTOL`), so that a path
run with the required intake reaches the target despite floating-point rounding.

Uncertainty (Monte Carlo): attrition, completion, intake growth and population growth may each
be given a range ``(low, high)``; every draw takes each ranged parameter independently and
uniformly from its range (``numpy.random.default_rng(seed).uniform``, drawn in that order),
the others fixed at their point values. All draws are projected at once with numpy (arrays of
draws x years); the result reports the 2.5th, 10th, 50th, 90th and 97.5th percentiles of
density per year (the 95% and 80% bands and the median) and the distribution of the target year.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from numbers import Real
from typing import Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from hrhlessons.countries.model import CountryReference
from hrhlessons.countries.vocab import GHO_SOURCE, POPULATION
from hrhlessons.errors import InvalidInput, MissingCountryData, Problem

#: The cadres HRH Lessons projects, with the WHO GHO indicator that gives their latest figure:
#: HWF_0001 medical doctors per 10,000, HWF_0006 nursing and midwifery personnel per 10,000,
#: HWF_0024 community health workers (a number, not a density).
CADRES: tuple[str, ...] = ("doctors", "nurses_midwives", "chw")
CADRE_INDICATORS: dict[str, str] = {
    "doctors": "HWF_0001",
    "nurses_midwives": "HWF_0006",
    "chw": "HWF_0024",
}

PER: float = 10_000.0
"""Densities are per 10,000 population (WHO GHO convention)."""

REACHED_RTOL: float = 1e-9
"""Relative tolerance of "density reaches the target", absorbing floating-point rounding."""

PERCENTILES: tuple[float, ...] = (2.5, 10.0, 50.0, 90.0, 97.5)
"""Percentiles of density a Monte Carlo projection reports: 95% band, 80% band, median."""

RANGED: tuple[str, ...] = ("attrition", "completion", "intake_growth", "population_growth")
"""Parameters a Monte Carlo projection can draw from a range, in the order they are drawn."""

FloatArray = npt.NDArray[np.float64]
ArrayLike = float | Sequence[float] | FloatArray


# --------------------------------------------------------------------------------------------
# Parameters


@dataclass(frozen=True)
class UnitCosts:
    """Unit costs, in one currency the user names; any may be left out."""

    per_trainee_year: float | None = None
    per_graduate: float | None = None
    per_worker_year: float | None = None
    currency: str = ""


@dataclass(frozen=True)
class ServiceNorm:
    """A needs-based staffing norm the user states, with where it comes from.

    ``basis="population"``: one worker per ``per_worker`` people (e.g. 1,000 people per CHW).
    ``basis="births"``: one worker per ``per_worker`` births a year, applied to ``births`` (the
    annual births in the start year), which grow with the population.
    """

    basis: Literal["population", "births"]
    per_worker: float
    births: float | None = None
    source: str = ""

    def requirement(self, population: FloatArray) -> FloatArray:
        """Workers required each year, for a population path starting in the start year."""
        if self.basis == "population":
            return population / self.per_worker
        births = float(self.births or 0.0) * population / population[0]
        return births / self.per_worker


@dataclass(frozen=True)
class CadreParameters:
    """Everything one cadre's projection needs. Growth rates are fractions a year (0.02 = 2%)."""

    cadre: str
    stock: float
    population: float
    population_growth: float
    intake: float
    duration: int
    completion: float
    attrition: float
    start: int
    end: int
    intake_growth: float = 0.0
    prior_intake: float | None = None
    target_density: float | None = None
    costs: UnitCosts | None = None
    norm: ServiceNorm | None = None

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start, self.end + 1))

    @property
    def pipeline_intake(self) -> float:
        """Intake of the cohorts admitted before the start year."""
        return self.intake if self.prior_intake is None else self.prior_intake

    def problems(self) -> list[Problem]:
        """Every problem with these parameters (empty when they are valid)."""
        return _parameter_problems(self)

    def check(self) -> CadreParameters:
        """Return self, or raise :class:`InvalidInput` naming each bad parameter and value."""
        found = self.problems()
        if found:
            raise InvalidInput(found)
        return self


def _problem(cadre: str, name: str, message: str) -> Problem:
    return Problem(file=f"{cadre} projection", line=None, field=name, message=message)


def _parameter_problems(p: CadreParameters) -> list[Problem]:
    out: list[Problem] = []

    def bad(name: str, message: str) -> None:
        out.append(_problem(p.cadre, name, message))

    if p.cadre not in CADRES:
        bad("cadre", f"'{p.cadre}' is not a cadre HRH Lessons projects; use one of "
                     f"{', '.join(CADRES)}")
    numbers = {
        "stock": p.stock, "population": p.population, "population_growth": p.population_growth,
        "intake": p.intake, "intake_growth": p.intake_growth, "completion": p.completion,
        "attrition": p.attrition,
    }
    optional = {"prior_intake": p.prior_intake, "target_density": p.target_density}
    not_numbers = False
    for name, value in {**numbers, **{k: v for k, v in optional.items() if v is not None}}.items():
        if not isinstance(value, Real) or isinstance(value, bool) or not math.isfinite(value):
            bad(name, f"{name} must be a finite number, got {value!r}")
            not_numbers = True
    if not_numbers:  # the checks below compare numbers
        return out
    if p.stock < 0:
        bad("stock", f"stock must be 0 or more workers, got {p.stock:g}")
    if p.population <= 0:
        bad("population", f"population must be more than 0, got {p.population:g}")
    for name in ("population_growth", "intake_growth"):
        value = getattr(p, name)
        if value <= -1:
            bad(name, f"{name} is a yearly fraction (0.02 = 2%) above -1, got {value:g}")
    if p.intake < 0:
        bad("intake", f"intake must be 0 or more trainees a year, got {p.intake:g}")
    if p.prior_intake is not None and p.prior_intake < 0:
        bad("prior_intake", f"prior_intake must be 0 or more trainees a year, "
                            f"got {p.prior_intake:g}")
    if not 0 < p.completion <= 1:
        bad("completion", f"completion is the share of an intake that graduates, in (0, 1]; "
                          f"got {p.completion:g}")
    if not 0 <= p.attrition < 1:
        bad("attrition", f"attrition is the share of the stock leaving each year, in [0, 1); "
                         f"got {p.attrition:g}")
    if not isinstance(p.duration, int) or isinstance(p.duration, bool) or p.duration < 0:
        bad("duration", f"duration is whole years of training, 0 or more; got {p.duration!r}")
    if p.end < p.start:
        bad("end", f"end year {p.end} is before start year {p.start}; give an end year on or "
                   f"after the start")
    if p.target_density is not None and p.target_density <= 0:
        bad("target_density", f"target_density must be more than 0 per 10,000, "
                              f"got {p.target_density:g}")
    if p.costs is not None:
        for name in ("per_trainee_year", "per_graduate", "per_worker_year"):
            value = getattr(p.costs, name)
            if value is not None and (not math.isfinite(value) or value < 0):
                bad(f"costs.{name}", f"a unit cost must be 0 or more, got {value:g}")
    if p.norm is not None:
        out.extend(_norm_problems(p.cadre, p.norm))
    return out


def _norm_problems(cadre: str, norm: ServiceNorm) -> list[Problem]:
    out: list[Problem] = []
    if norm.basis not in ("population", "births"):
        out.append(_problem(cadre, "norm.basis", f"a service norm is per 'population' or per "
                                                 f"'births', not {norm.basis!r}"))
    if not math.isfinite(norm.per_worker) or norm.per_worker <= 0:
        out.append(_problem(cadre, "norm.per_worker",
                            f"per_worker must be more than 0, got {norm.per_worker:g}"))
    if norm.basis == "births" and (norm.births is None or not norm.births >= 0):
        out.append(_problem(cadre, "norm.births",
                            "a births-based norm needs the annual births in the start year "
                            f"(0 or more), got {norm.births!r}"))
    return out


# --------------------------------------------------------------------------------------------
# The vectorised core


class Paths(NamedTuple):
    """Projected paths, each an array of shape (rows, years)."""

    graduates: FloatArray
    stock: FloatArray
    population: FloatArray
    density: FloatArray


def simulate(
    *,
    stock: ArrayLike,
    population: ArrayLike,
    population_growth: ArrayLike,
    intake: ArrayLike,
    intake_growth: ArrayLike,
    completion: ArrayLike,
    attrition: ArrayLike,
    duration: int,
    years: int,
    prior_intake: ArrayLike | None = None,
) -> Paths:
    """Project many parameter sets at once: every argument but ``duration`` and ``years`` is a
    number or an array of one value per row (broadcast together). No validation: callers check
    their parameters (:meth:`CadreParameters.check`) first.

    One numpy step per year over all rows. Graduates of year ``j >= duration`` are
    ``intake * completion * (1 + intake_growth) ** (j - duration)``, kept as a running product;
    before that they are ``prior_intake * completion``. Thousands of rows at a time keep the
    arrays in cache; callers with millions of rows do best to call it in chunks.
    """
    args = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (
        stock, population, population_growth, intake, intake_growth, completion, attrition,
        intake if prior_intake is None else prior_intake)))
    s0, p0, gp, i0, gi, comp, attr, prior = (np.atleast_1d(a).ravel() for a in args)
    rows = s0.shape[0]
    # Year-major buffers: each step writes one contiguous row; returned transposed.
    grads_t = np.empty((years, rows))
    stock_t = np.empty((years, rows))
    pop_t = np.empty((years, rows))
    keep = 1.0 - attr
    grow_p = 1.0 + gp
    grow_i = 1.0 + gi
    for j in range(years):
        if j < duration:
            np.multiply(prior, comp, out=grads_t[j])
        elif j == duration:
            np.multiply(i0, comp, out=grads_t[j])
        else:
            np.multiply(grads_t[j - 1], grow_i, out=grads_t[j])
        if j == 0:
            stock_t[0] = s0
            pop_t[0] = p0
        else:
            np.multiply(pop_t[j - 1], grow_p, out=pop_t[j])
            np.multiply(stock_t[j - 1], keep, out=stock_t[j])
            stock_t[j] += grads_t[j]
    density_t = stock_t / pop_t
    density_t *= PER
    return Paths(grads_t.T, stock_t.T, pop_t.T, density_t.T)


def _simulate_params(p: CadreParameters) -> Paths:
    return simulate(
        stock=p.stock, population=p.population, population_growth=p.population_growth,
        intake=p.intake, intake_growth=p.intake_growth, completion=p.completion,
        attrition=p.attrition, duration=p.duration, years=len(p.years),
        prior_intake=p.pipeline_intake,
    )


def first_reached_index(density: FloatArray, target: float) -> npt.NDArray[np.intp]:
    """For each row of ``density`` (rows x years), the index of the first year it reaches
    ``target``, or -1 when it never does."""
    by_year = np.atleast_2d(density).T  # years x rows
    threshold = target * (1.0 - REACHED_RTOL)
    reached = by_year >= threshold
    years = reached.shape[0]
    # Weight year i by (years - i) and take the maximum down each column: a contiguous
    # reduction, faster than argmax along the strided axis. A maximum of 0: never reached.
    weights = np.arange(years, 0, -1, dtype=np.int16 if years < 2**15 else np.int64)[:, None]
    best = (reached * weights).max(axis=0)
    return np.where(best > 0, years - best, -1).astype(np.intp)


def first_year_reached(
    density: FloatArray, target: float, years: Sequence[int]
) -> list[int | None]:
    """For each row of ``density`` (rows x years), the first year it reaches ``target``."""
    return [None if i < 0 else int(years[i]) for i in first_reached_index(density, target)]


def percentile_paths(density: FloatArray, groups: int = 1) -> FloatArray:
    """The :data:`PERCENTILES` of density over draws, per group and year.

    ``density`` is (groups x draws) rows by years, rows group by group (group 0's draws first);
    the result is (len(PERCENTILES), groups, years). Same definition as ``numpy.percentile``'s
    default (linear interpolation between order statistics), computed by one sort, which is
    several times faster than ``numpy.percentile`` over many small groups.
    """
    rows, years = density.shape
    draws = rows // groups
    by_year = np.sort(density.T.reshape(years, groups, draws), axis=2)
    pos = np.asarray(PERCENTILES) / 100.0 * (draws - 1)
    lo = np.floor(pos).astype(np.intp)
    hi = np.minimum(lo + 1, draws - 1)
    frac = pos - lo
    low, high = by_year[..., lo], by_year[..., hi]
    out = low + (high - low) * frac  # years x groups x percentiles
    return np.ascontiguousarray(out.transpose(2, 1, 0))


# --------------------------------------------------------------------------------------------
# Deterministic projection


@dataclass(frozen=True)
class CostPath:
    """Yearly costs of a projection: training, graduation, employment; and their totals."""

    currency: str
    trainees: tuple[float, ...]
    training: tuple[float, ...] | None
    graduation: tuple[float, ...] | None
    employment: tuple[float, ...] | None

    @property
    def total(self) -> tuple[float, ...]:
        parts = [p for p in (self.training, self.graduation, self.employment) if p is not None]
        return tuple(float(sum(v)) for v in zip(*parts, strict=True)) if parts else ()

    @property
    def horizon_total(self) -> float:
        return float(sum(self.total))


@dataclass(frozen=True)
class Projection:
    """One cadre's deterministic projection, with the parameters it came from."""

    parameters: CadreParameters
    years: tuple[int, ...]
    intake: tuple[float, ...]
    graduates: tuple[float, ...]
    stock: tuple[float, ...]
    population: tuple[float, ...]
    density: tuple[float, ...]
    target_year: int | None
    need: tuple[float, ...] | None = None
    costs: CostPath | None = None

    @property
    def cadre(self) -> str:
        return self.parameters.cadre

    @property
    def gap(self) -> tuple[float, ...] | None:
        """``need - stock`` per year (a positive gap is a shortfall), when a norm was given."""
        if self.need is None:
            return None
        return tuple(n - s for n, s in zip(self.need, self.stock, strict=True))

    def to_frame(self) -> pd.DataFrame:
        """One row per year."""
        data: dict[str, Any] = {
            "year": self.years, "intake": self.intake, "graduates": self.graduates,
            "stock": self.stock, "population": self.population, "density": self.density,
        }
        if self.need is not None:
            data["need"] = self.need
            data["gap"] = self.gap
        if self.costs is not None:
            data["cost"] = self.costs.total or None
        return pd.DataFrame(data).assign(cadre=self.cadre)

    def summary(self) -> str:
        p = self.parameters
        text = (f"{p.cadre}: {self.stock[0]:,.0f} in {self.years[0]} "
                f"({self.density[0]:.2f} per 10,000) -> {self.stock[-1]:,.0f} in "
                f"{self.years[-1]} ({self.density[-1]:.2f} per 10,000)")
        if p.target_density is not None:
            when = (f"reached in {self.target_year}" if self.target_year is not None
                    else f"not reached by {self.years[-1]}")
            text += f"; target {p.target_density:g} per 10,000 {when}"
        return text


def project(params: CadreParameters) -> Projection:
    """Project one cadre deterministically. Raises :class:`InvalidInput` on bad parameters."""
    p = params.check()
    paths = _simulate_params(p)
    years = p.years
    target_year = (first_year_reached(paths.density, p.target_density, years)[0]
                   if p.target_density is not None else None)
    need = (tuple(p.norm.requirement(paths.population[0]).tolist())
            if p.norm is not None else None)
    return Projection(
        parameters=p, years=years,
        intake=tuple(float(v) for v in _intake_path(p)), graduates=_row(paths.graduates),
        stock=_row(paths.stock),
        population=_row(paths.population), density=_row(paths.density),
        target_year=target_year, need=need,
        costs=_costs(p, paths) if p.costs is not None else None,
    )


def project_cadres(params: Iterable[CadreParameters]) -> tuple[Projection, ...]:
    """Project several cadres in one run; every cadre's problems are reported together."""
    params = tuple(params)
    found = [problem for p in params for problem in p.problems()]
    cadres = [p.cadre for p in params]
    for cadre in sorted({c for c in cadres if cadres.count(c) > 1}):
        found.append(_problem(cadre, "cadre", f"cadre '{cadre}' is given more than once; give "
                                              "each cadre once per run"))
    if found:
        raise InvalidInput(found)
    return tuple(project(p) for p in params)


def _intake_path(p: CadreParameters) -> FloatArray:
    return p.intake * (1.0 + p.intake_growth) ** np.arange(len(p.years), dtype=np.float64)


def _row(a: FloatArray) -> tuple[float, ...]:
    return tuple(float(v) for v in a[0])


def _costs(p: CadreParameters, paths: Paths) -> CostPath:
    """Training cost counts every admitted trainee for each year of the course (completion is
    applied at graduation), so it is an upper bound when trainees drop out."""
    assert p.costs is not None
    c = p.costs
    intake = _intake_path(p)
    n = intake.shape[0]
    trainees = np.zeros(n)
    for back in range(p.duration):  # cohorts admitted in t, t-1, ..., t-duration+1
        shifted = np.full(n, p.pipeline_intake)
        if back < n:
            shifted[back:] = intake[: n - back]
        trainees += shifted

    def scaled(unit: float | None, base: FloatArray) -> tuple[float, ...] | None:
        return None if unit is None else tuple(float(v) for v in unit * base)

    return CostPath(
        currency=c.currency, trainees=tuple(float(v) for v in trainees),
        training=scaled(c.per_trainee_year, trainees),
        graduation=scaled(c.per_graduate, paths.graduates[0]),
        employment=scaled(c.per_worker_year, paths.stock[0]),
    )


# --------------------------------------------------------------------------------------------
# Required intake


def required_intake(params: CadreParameters, by_year: int | None = None) -> float | None:
    """The smallest constant annual intake, admitted from the start year on, with which density
    reaches ``params.target_density`` in some year up to ``by_year`` (default: the end year).

    Closed form (see the module docstring). Returns 0.0 when the target is reached by then with
    no new intake at all, and ``None`` when no intake can reach it in time (new trainees
    graduate only ``duration`` years after the start year). ``intake_growth`` is ignored: the
    intake asked for is constant. Cohorts admitted before the start year keep their intake.
    """
    p = params.check()
    if p.target_density is None:
        raise InvalidInput([_problem(p.cadre, "target_density",
                                     "required intake needs a target density; give one")])
    by = p.end if by_year is None else by_year
    if not p.start <= by <= p.end:
        raise InvalidInput([_problem(p.cadre, "by_year",
                                     f"by year {by} is outside the projection {p.start}-{p.end}; "
                                     "give a year within it")])
    n = by - p.start + 1
    # Row 0: the stock with no new intake (a_t). Row 1: one trainee a year from an empty
    # stock and an empty pipeline (b_t).
    paths = simulate(
        stock=[p.stock, 0.0], population=p.population, population_growth=p.population_growth,
        intake=[0.0, 1.0], intake_growth=0.0, completion=p.completion, attrition=p.attrition,
        duration=p.duration, years=n, prior_intake=[p.pipeline_intake, 0.0],
    )
    a, b = paths.stock[0], paths.stock[1]
    needed = p.target_density * paths.population[0] / PER
    if np.any(a >= needed * (1.0 - REACHED_RTOL)):
        return 0.0
    can = b > 0
    if not can.any():
        return None
    return float(np.min((needed[can] - a[can]) / b[can]))


# --------------------------------------------------------------------------------------------
# Monte Carlo


@dataclass(frozen=True)
class Ranges:
    """Ranges ``(low, high)`` to draw parameters from, uniformly; ``None`` keeps the point value."""

    attrition: tuple[float, float] | None = None
    completion: tuple[float, float] | None = None
    intake_growth: tuple[float, float] | None = None
    population_growth: tuple[float, float] | None = None

    def given(self) -> dict[str, tuple[float, float]]:
        return {name: r for name in RANGED if (r := getattr(self, name)) is not None}

    def problems(self, cadre: str) -> list[Problem]:
        out: list[Problem] = []
        domain = {
            "attrition": (lambda v: 0 <= v < 1, "in [0, 1)"),
            "completion": (lambda v: 0 < v <= 1, "in (0, 1]"),
            "intake_growth": (lambda v: v > -1, "above -1"),
            "population_growth": (lambda v: v > -1, "above -1"),
        }
        for name, (low, high) in self.given().items():
            ok, words = domain[name]
            where = f"{name}_range"
            if not (math.isfinite(low) and math.isfinite(high)) or low > high:
                out.append(_problem(cadre, where, f"a range is (low, high) with low <= high, "
                                                  f"got ({low:g}, {high:g})"))
            elif not (ok(low) and ok(high)):
                out.append(_problem(cadre, where, f"both ends of the {name} range must be "
                                                  f"{words}, got ({low:g}, {high:g})"))
        return out


@dataclass(frozen=True)
class MonteCarloProjection:
    """Percentiles of density per year over ``draws`` draws, and the target year's distribution.

    ``density_percentiles[q]`` is the q-th percentile path for q in :data:`PERCENTILES`.
    ``target_year_counts`` pairs each year with the draws that first reach the target then;
    ``never_reached`` counts the draws that do not reach it within the horizon.
    """

    parameters: CadreParameters
    ranges: Ranges
    draws: int
    seed: int
    years: tuple[int, ...]
    density_percentiles: tuple[tuple[float, tuple[float, ...]], ...]
    stock_median: tuple[float, ...]
    target_year_counts: tuple[tuple[int, int], ...] = ()
    never_reached: int = 0

    def density(self, percentile: float) -> tuple[float, ...]:
        for q, path in self.density_percentiles:
            if q == percentile:
                return path
        raise KeyError(f"percentile {percentile} was not computed; use one of {PERCENTILES}")

    @property
    def median(self) -> tuple[float, ...]:
        return self.density(50.0)

    def to_dict(self) -> dict[str, Any]:
        """The JSON fields the CLI and the web share: ``density_p<q>`` paths, draws, seed,
        the ranges drawn from and, with a target, the target year's distribution."""
        out: dict[str, Any] = {f"density_p{q:g}": list(self.density(q)) for q in PERCENTILES}
        out["draws"], out["seed"] = self.draws, self.seed
        out["ranges"] = {k: list(v) for k, v in self.ranges.given().items()}
        if self.parameters.target_density is not None:
            out["target_year_distribution"] = {str(y): c for y, c in self.target_year_counts}
            out["never_reached"] = self.never_reached
        return out

    def share_reached_by(self, year: int) -> float:
        """Share of draws whose density has reached the target by ``year``."""
        return sum(c for y, c in self.target_year_counts if y <= year) / self.draws

    def target_year_percentile(self, percentile: float) -> int | None:
        """The year by which ``percentile`` % of draws reached the target (None: not within the
        horizon). Never-reached draws count as reaching it after the horizon."""
        need = percentile / 100.0 * self.draws
        seen = 0
        for year, count in self.target_year_counts:
            seen += count
            if seen >= need:
                return year
        return None

    def to_frame(self) -> pd.DataFrame:
        data: dict[str, Any] = {"year": self.years}
        for q, path in self.density_percentiles:
            data[f"density_p{q:g}"] = path
        data["stock_p50"] = self.stock_median
        return pd.DataFrame(data).assign(cadre=self.parameters.cadre)

    def summary(self) -> str:
        lo, mid, hi = self.density(10.0)[-1], self.median[-1], self.density(90.0)[-1]
        text = (f"{self.parameters.cadre}, {self.draws} draws (seed {self.seed}): density in "
                f"{self.years[-1]} {mid:.2f} per 10,000 (80% band {lo:.2f}-{hi:.2f})")
        if self.parameters.target_density is not None:
            text += (f"; {self.share_reached_by(self.years[-1]):.0%} of draws reach "
                     f"{self.parameters.target_density:g} by {self.years[-1]}")
        return text


def draw_parameters(params: CadreParameters, ranges: Ranges, draws: int,
                    seed: int) -> dict[str, FloatArray]:
    """The ``draws`` values of each of :data:`RANGED`, uniformly within its range or fixed."""
    rng = np.random.default_rng(seed)
    out: dict[str, FloatArray] = {}
    for name in RANGED:
        r = getattr(ranges, name)
        out[name] = (rng.uniform(r[0], r[1], size=draws) if r is not None
                     else np.full(draws, float(getattr(params, name))))
    return out


def monte_carlo(params: CadreParameters, ranges: Ranges, draws: int = 1000,
                seed: int = 0) -> MonteCarloProjection:
    """Project ``draws`` parameter sets drawn from ``ranges`` (see the module docstring)."""
    found = params.problems() + ranges.problems(params.cadre)
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        found.append(_problem(params.cadre, "draws", f"draws must be a whole number of 1 or "
                                                     f"more, got {draws!r}"))
    if found:
        raise InvalidInput(found)
    p = params
    drawn = draw_parameters(p, ranges, draws, seed)
    paths = simulate(
        stock=p.stock, population=p.population, population_growth=drawn["population_growth"],
        intake=p.intake, intake_growth=drawn["intake_growth"], completion=drawn["completion"],
        attrition=drawn["attrition"], duration=p.duration, years=len(p.years),
        prior_intake=p.pipeline_intake,
    )
    pct = percentile_paths(paths.density)[:, 0, :]
    counts: tuple[tuple[int, int], ...] = ()
    never = 0
    if p.target_density is not None:
        first = first_reached_index(paths.density, p.target_density)
        never = int(np.count_nonzero(first < 0))
        tally = np.bincount(first[first >= 0], minlength=len(p.years))
        counts = tuple((p.start + int(i), int(c)) for i, c in enumerate(tally) if c)
    return MonteCarloProjection(
        parameters=p, ranges=ranges, draws=draws, seed=seed, years=p.years,
        density_percentiles=tuple((q, tuple(float(v) for v in row))
                                  for q, row in zip(PERCENTILES, pct, strict=True)),
        stock_median=tuple(float(v) for v in np.median(paths.stock, axis=0)),
        target_year_counts=counts, never_reached=never,
    )


# --------------------------------------------------------------------------------------------
# Defaults from a country's data


def defaults_from_country(
    latest_density: float,
    density_year: int,
    population_series: Sequence[tuple[int, float]],
    start: int,
) -> dict[str, Any]:
    """Stock, start-year population and population growth from a country's data.

    - ``population_growth``: compound annual growth over the last 10 years of the series
      (latest year *L* against year *L - 10*; when the series is shorter, against its earliest
      year, with a note saying so).
    - ``stock``: ``latest_density * population[density_year] / 10000``; the population of that
      year is read from the series, or extrapolated with that growth when the series lacks it.
    - ``population``: the series' value for ``start``, or the latest value extrapolated to
      ``start`` with that growth.

    Returns ``{"stock", "population", "population_growth", "stock_year", "growth_years",
    "notes"}``; ``notes`` say, in words, what was derived how (assumptions a reader must see:
    the stock is the ``density_year`` count, used as the start-year stock).
    """
    problems: list[Problem] = []

    def bad(name: str, message: str) -> None:
        problems.append(Problem(file="country data", line=None, field=name, message=message))

    if not math.isfinite(latest_density) or latest_density < 0:
        bad("latest_density", f"the latest density must be 0 or more, got {latest_density!r}")
    clean = sorted({int(y): float(v) for y, v in population_series}.items())
    if any(not math.isfinite(v) or v <= 0 for _, v in clean):
        bad("population_series", "every population value must be more than 0")
    if len(clean) < 2:
        bad("population_series", f"population growth needs at least two years of population, "
                                 f"got {len(clean)}")
    if problems:
        raise InvalidInput(problems)
    pop = dict(clean)
    last_year, last = clean[-1]
    base_candidates = [y for y, _ in clean if y <= last_year - 10]
    base_year = base_candidates[-1] if base_candidates else clean[0][0]
    span = last_year - base_year
    growth = (last / pop[base_year]) ** (1.0 / span) - 1.0
    notes = [f"population growth {growth:.4%} a year: compound growth {base_year}-{last_year}"]
    if span < 10:
        notes.append(f"the population series covers only {span} year(s) up to {last_year}, not 10")

    def population_in(year: int) -> float:
        if year in pop:
            return pop[year]
        notes.append(f"population in {year} extrapolated from {last_year} at that growth")
        return last * (1.0 + growth) ** (year - last_year)

    pop_density_year = population_in(density_year)
    stock = latest_density * pop_density_year / PER
    notes.append(f"stock {stock:,.0f}: density {latest_density:g} per 10,000 in {density_year} x "
                 f"population {pop_density_year:,.0f} / 10,000")
    if density_year != start:
        notes.append(f"the {density_year} stock is used as the {start} stock (no data for "
                     f"the years between)")
    population = population_in(start)
    return {
        "stock": stock, "population": population, "population_growth": growth,
        "stock_year": density_year, "growth_years": (base_year, last_year), "notes": notes,
    }


def country_inputs(ref: CountryReference, iso3: str, cadre: str, start: int) -> dict[str, Any]:
    """:func:`defaults_from_country` fed from the reference data, for the CLI and the web.

    The cadre's latest GHO figure (a CHW count becomes a density with the population of its
    year) and the World Bank population series up to ``start``. Returns what
    :func:`defaults_from_country` returns, its notes led by the figure used and its source, plus
    ``source_year`` and ``indicator``. Raises :class:`~hrhlessons.errors.MissingCountryData`
    when a figure is missing, :class:`~hrhlessons.errors.InvalidInput` when the data cannot give
    defaults, :class:`~hrhlessons.errors.UnknownCountry` for an unknown code.
    """
    indicator = CADRE_INDICATORS[cadre]
    latest = ref.latest(iso3, indicator)
    if latest is None:
        raise MissingCountryData("figure", iso3, indicator)
    year, value = int(latest[0]), float(latest[1])
    series = [(y, v) for y, v in ref.series(iso3, POPULATION) if y <= start]
    if cadre == "chw":  # HWF_0024 is a number of workers, not a density
        people = ref.population(iso3, year)
        if not people:
            raise MissingCountryData("population", iso3, indicator, year)
        density = value / people * PER
    else:
        density = value
    found = defaults_from_country(density, year, series, start)
    unit = "workers" if cadre == "chw" else "per 10,000"
    found["notes"].insert(0, f"{cadre} {indicator} {year}: {value:g} {unit} ({GHO_SOURCE})")
    found["source_year"] = year
    found["indicator"] = indicator
    return found


def with_intake(params: CadreParameters, intake: float) -> CadreParameters:
    """The same parameters with a constant ``intake`` from the start year on, the pipeline of
    cohorts already admitted unchanged: the run :func:`required_intake` solves for."""
    return replace(params, intake=intake, intake_growth=0.0,
                   prior_intake=params.pipeline_intake)


#: Planning values used when a user gives none: ILLUSTRATIVE, not taken from the literature or
#: from any country's data, and always listed as assumptions in the output. Replace them with
#: the country's own training durations, completion and attrition rates.
ILLUSTRATIVE: dict[str, dict[str, float]] = {
    "doctors": {"duration": 6, "completion": 0.85, "attrition": 0.05},
    "nurses_midwives": {"duration": 3, "completion": 0.85, "attrition": 0.05},
    "chw": {"duration": 1, "completion": 0.85, "attrition": 0.05},
}
