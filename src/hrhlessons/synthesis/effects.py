"""Effect sizes of single studies, computed the way R metafor's ``escalc`` computes them.

Vocabulary:

yi, vi
    A study's effect size and its sampling variance; every model in :mod:`.meta` starts here.
measure
    What the effect size is. From 2x2 counts (``ai``/``bi`` events/non-events in the treated
    group, ``ci``/``di`` in the control group): ``RR`` log risk ratio, ``OR`` log odds ratio,
    ``RD`` risk difference. From group means (``m1i``, ``sd1i``, ``n1i`` vs ``m2i``, ``sd2i``,
    ``n2i``): ``SMD`` standardised mean difference with Hedges' small-sample correction, ``MD``
    raw mean difference. From correlations (``ri``, ``ni``): ``ZCOR`` Fisher's z.
zero cells
    A count of zero makes the log RR and log OR infinite. As metafor does by default
    (``add=1/2, to="only0"``), 1/2 is added to all four cells of a study that has a zero in any
    cell, for RR, OR and RD alike; studies with no events in either arm are kept.

Variances follow metafor's defaults (``vtype="LS"``): large-sample variances, with the SMD
variance ``1/n1 + 1/n2 + g^2 / (2 (n1 + n2))`` and the exact Hedges (1981) correction factor
``J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2))`` with ``m = n1 + n2 - 2``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.special import gammaln

from hrhlessons.errors import InvalidInput, Problem

Numbers = Sequence[float] | np.ndarray
CountMeasure = Literal["RR", "OR", "RD"]
MeanMeasure = Literal["SMD", "MD"]
ZeroRule = Literal["only0", "all", "if0all", "none"]

COUNT_MEASURES: tuple[str, ...] = ("RR", "OR", "RD")
MEAN_MEASURES: tuple[str, ...] = ("SMD", "MD")
CORRELATION_MEASURES: tuple[str, ...] = ("ZCOR",)
MEASURES: tuple[str, ...] = COUNT_MEASURES + MEAN_MEASURES + CORRELATION_MEASURES

_WHERE = "effect-size input"


@dataclass(frozen=True)
class EffectSizes:
    """Study effect sizes ``yi`` with sampling variances ``vi``, ready for :mod:`.meta`.

    ``adjusted`` marks the studies whose cells had ``add`` added (2x2 measures only).
    """

    measure: str
    labels: tuple[str, ...]
    yi: tuple[float, ...]
    vi: tuple[float, ...]
    adjusted: tuple[bool, ...]
    add: float = 0.0

    @property
    def k(self) -> int:
        return len(self.yi)

    def to_dict(self) -> dict[str, Any]:
        return {"measure": self.measure, "k": self.k, "labels": list(self.labels),
                "yi": list(self.yi), "vi": list(self.vi), "adjusted": list(self.adjusted),
                "add": self.add}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"label": self.labels, "yi": self.yi, "vi": self.vi,
                             "adjusted": self.adjusted})

    def summary(self) -> str:
        n_adj = sum(self.adjusted)
        extra = f"; {n_adj} study(ies) had {self.add:g} added to every cell" if n_adj else ""
        return f"{self.k} {self.measure} effect size(s){extra}"


def _array(name: str, values: Numbers | None, k: int | None = None) -> np.ndarray:
    if values is None:
        raise InvalidInput([Problem(_WHERE, None, name, f"'{name}' is required for this measure")])
    arr = np.asarray(values, dtype=float)
    problems: list[Problem] = []
    if arr.ndim != 1:
        problems.append(Problem(_WHERE, None, name, f"'{name}' must be a flat list of numbers"))
    elif k is not None and arr.shape[0] != k:
        problems.append(Problem(_WHERE, None, name,
                                f"'{name}' has {arr.shape[0]} values but the first input has {k}; "
                                "give one value per study"))
    else:
        for i in np.flatnonzero(~np.isfinite(arr)):
            problems.append(Problem(_WHERE, None, name,
                                    f"study {i + 1}: '{name}' is missing or not a finite number"))
    if problems:
        raise InvalidInput(problems)
    return arr


def _labels(labels: Sequence[str] | None, k: int) -> tuple[str, ...]:
    if labels is None:
        return tuple(f"Study {i + 1}" for i in range(k))
    if len(labels) != k:
        raise InvalidInput([Problem(_WHERE, None, "labels",
                                    f"{len(labels)} labels for {k} studies; give one per study")])
    return tuple(str(x) for x in labels)


def _check(condition: np.ndarray, name: str, message: str,
           names: Sequence[str]) -> list[Problem]:
    return [Problem(_WHERE, None, name, f"study '{names[int(i)]}': {message}")
            for i in np.flatnonzero(~condition)]


def two_by_two(
    measure: CountMeasure,
    ai: Numbers,
    bi: Numbers | None = None,
    ci: Numbers | None = None,
    di: Numbers | None = None,
    *,
    n1i: Numbers | None = None,
    n2i: Numbers | None = None,
    add: float = 0.5,
    to: ZeroRule = "only0",
    labels: Sequence[str] | None = None,
) -> EffectSizes:
    """Log risk ratios, log odds ratios or risk differences from 2x2 counts.

    Give ``bi`` and ``di`` (non-events), or the group sizes ``n1i`` and ``n2i`` instead.
    ``to`` says which studies get ``add`` added to their cells, as in metafor: ``"only0"``
    (studies with a zero cell; the default), ``"all"``, ``"if0all"`` (every study, if any has a
    zero cell) or ``"none"``.
    """
    if measure not in COUNT_MEASURES:
        raise InvalidInput([Problem(_WHERE, None, "measure",
                                    f"'{measure}' is not a 2x2 measure; use one of "
                                    f"{', '.join(COUNT_MEASURES)}")])
    a = _array("ai", ai)
    k = a.shape[0]
    names = _labels(labels, k)
    c = _array("ci", ci, k)
    b = _array("bi", bi, k) if bi is not None else _array("n1i", n1i, k) - a
    d = _array("di", di, k) if di is not None else _array("n2i", n2i, k) - c
    problems: list[Problem] = []
    for name, arr in (("ai", a), ("bi", b), ("ci", c), ("di", d)):
        problems += _check(arr >= 0, name,
                           f"'{name}' is negative (or larger than the group size); counts must be "
                           "0 or more", names)
    if problems:
        raise InvalidInput(problems)

    zero = (a == 0) | (b == 0) | (c == 0) | (d == 0)
    if to == "only0":
        adjusted = zero
    elif to == "all":
        adjusted = np.ones(k, dtype=bool)
    elif to == "if0all":
        adjusted = np.full(k, bool(zero.any()))
    elif to == "none":
        adjusted = np.zeros(k, dtype=bool)
    else:
        raise InvalidInput([Problem(_WHERE, None, "to", f"'{to}' is not one of only0, all, "
                                    "if0all, none")])
    shift = np.where(adjusted, add, 0.0)
    a, b, c, d = a + shift, b + shift, c + shift, d + shift
    n1, n2 = a + b, c + d
    if (n1 <= 0).any() or (n2 <= 0).any():
        raise InvalidInput(_check(n1 > 0, "n1i", "the treated group is empty", names)
                           + _check(n2 > 0, "n2i", "the control group is empty", names))

    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "RR":
            yi = np.log(a / n1) - np.log(c / n2)
            vi = 1 / a - 1 / n1 + 1 / c - 1 / n2
        elif measure == "OR":
            yi = np.log(a * d / (b * c))
            vi = 1 / a + 1 / b + 1 / c + 1 / d
        else:
            p1, p2 = a / n1, c / n2
            yi = p1 - p2
            vi = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
    bad = _check(np.isfinite(yi) & np.isfinite(vi), measure,
                 f"the {measure} is undefined because of a zero cell; keep the default "
                 "to='only0' (add 1/2 to such studies) or drop the study", names)
    if bad:
        raise InvalidInput(bad)
    return EffectSizes(measure, names, tuple(yi.tolist()), tuple(vi.tolist()),
                       tuple(adjusted.tolist()), float(add))


def mean_difference(
    measure: MeanMeasure,
    m1i: Numbers,
    sd1i: Numbers,
    n1i: Numbers,
    m2i: Numbers,
    sd2i: Numbers,
    n2i: Numbers,
    *,
    labels: Sequence[str] | None = None,
) -> EffectSizes:
    """Standardised (Hedges' g) or raw mean differences, group 1 minus group 2."""
    if measure not in MEAN_MEASURES:
        raise InvalidInput([Problem(_WHERE, None, "measure",
                                    f"'{measure}' is not a mean-difference measure; "
                                    "use SMD or MD")])
    m1 = _array("m1i", m1i)
    k = m1.shape[0]
    names = _labels(labels, k)
    s1, n1 = _array("sd1i", sd1i, k), _array("n1i", n1i, k)
    m2, s2, n2 = _array("m2i", m2i, k), _array("sd2i", sd2i, k), _array("n2i", n2i, k)
    problems = (_check(s1 >= 0, "sd1i", "a standard deviation cannot be negative", names)
                + _check(s2 >= 0, "sd2i", "a standard deviation cannot be negative", names)
                + _check(n1 >= 1, "n1i", "a group needs at least one participant", names)
                + _check(n2 >= 1, "n2i", "a group needs at least one participant", names))
    if measure == "SMD":
        problems += _check(n1 + n2 > 3, "n1i", "the SMD needs n1i + n2i of 4 or more", names)
    if problems:
        raise InvalidInput(problems)
    if measure == "MD":
        yi = m1 - m2
        vi = s1**2 / n1 + s2**2 / n2
    else:
        m = n1 + n2 - 2
        pooled_sd = np.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / m)
        if (pooled_sd <= 0).any():
            raise InvalidInput(_check(pooled_sd > 0, "sd1i",
                                      "both standard deviations are zero; the SMD is undefined",
                                      names))
        # Hedges (1981) exact correction, via log-gamma so large samples do not overflow.
        j = np.exp(gammaln(m / 2) - 0.5 * np.log(m / 2) - gammaln((m - 1) / 2))
        yi = j * (m1 - m2) / pooled_sd
        vi = 1 / n1 + 1 / n2 + yi**2 / (2 * (n1 + n2))
    return EffectSizes(measure, names, tuple(yi.tolist()), tuple(vi.tolist()), (False,) * k)


def fisher_z(ri: Numbers, ni: Numbers, *, labels: Sequence[str] | None = None) -> EffectSizes:
    """Fisher's r-to-z transformed correlations (``ZCOR``), variance ``1 / (n - 3)``."""
    r = _array("ri", ri)
    k = r.shape[0]
    names = _labels(labels, k)
    n = _array("ni", ni, k)
    problems = (_check(np.abs(r) < 1, "ri", "a correlation must lie strictly between -1 and 1",
                       names)
                + _check(n > 3, "ni", "Fisher's z needs a sample size of 4 or more", names))
    if problems:
        raise InvalidInput(problems)
    yi = np.arctanh(r)
    vi = 1 / (n - 3)
    return EffectSizes("ZCOR", names, tuple(yi.tolist()), tuple(vi.tolist()), (False,) * k)
