"""Peer countries: the countries most like a target country in the context that matters for a
health-workforce innovation.

Vocabulary
----------
feature
    One number describing a country's context. The features, with their weights, are
    :data:`FEATURES`:

    ============================  ======  =================================================
    feature                       weight  from
    ============================  ======  =================================================
    ``log_doctors``               1.0     ln of medical doctors per 10,000, latest year
                                          (WHO GHO HWF_0001)
    ``log_nurses_midwives``       1.0     ln of nurses and midwives per 10,000, latest year
                                          (WHO GHO HWF_0006)
    ``income``                    1.0     World Bank income group as an ordinal, L=0, LM=1,
                                          UM=2, H=3 (CLASS.xlsx, fiscal year 2023)
    ``who_region``                1.0     0 if both countries are in the same WHO region,
                                          1 if not
    ``log_population``            0.5     ln of total population, latest year (World Bank)
    ============================  ======  =================================================

    Densities below :data:`DENSITY_FLOOR` (0.01 per 10,000) are taken as the floor before the
    logarithm, so that a reported 0 does not give minus infinity.
standardised difference
    For a numeric feature, ``(x_a - x_b) / sd``, where ``sd`` is the standard deviation
    (population, ddof=0) of the feature over every country of the reference data that has it.
    For ``who_region`` it is 0 or 1 as above, not rescaled.
distance
    The weighted root mean square of the standardised differences over the features both
    countries have::

        d(a, b) = sqrt( sum_i w_i * dz_i**2 / sum_i w_i )     (i: features known for a and b)

    It is in units of standard deviations: 0 is identical, 1 is "one standard deviation apart
    on average". Two countries are compared only when they share at least
    :data:`MIN_SHARED_FEATURES` features; otherwise their distance is unknown (``None``), never
    filled in.
similarity
    ``1 / (1 + d)``: 1 for the same country, 0.5 at distance 1 (used by the transferability
    ranking, :mod:`hrhlessons.adapt.transfer`).
close
    A feature on which two countries differ by at most :data:`CLOSE_SD` standard deviations
    (or share the WHO region); the reasons given for a peer.

Pure: a :class:`~hrhlessons.countries.model.CountryReference` and cases in, immutable results
out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from hrhlessons.cases.coverage import is_failure
from hrhlessons.cases.model import Case
from hrhlessons.countries.model import CountryReference
from hrhlessons.countries.vocab import DOCTORS_DENSITY, NURSES_MIDWIVES_DENSITY, POPULATION
from hrhlessons.errors import UnknownCountry


@dataclass(frozen=True)
class Feature:
    """A context feature of the peer distance, with its weight and where it comes from."""

    name: str
    label: str
    weight: float
    source: str
    short: str = ""


FEATURES: tuple[Feature, ...] = (
    Feature("log_doctors", "medical doctors per 10,000 (log)", 1.0,
            f"WHO GHO {DOCTORS_DENSITY}, latest year", "doctors"),
    Feature("log_nurses_midwives", "nurses and midwives per 10,000 (log)", 1.0,
            f"WHO GHO {NURSES_MIDWIVES_DENSITY}, latest year", "nurses and midwives"),
    Feature("income", "World Bank income group (L=0, LM=1, UM=2, H=3)", 1.0,
            "World Bank CLASS.xlsx, fiscal year 2023", "income group"),
    Feature("who_region", "same WHO region (0) or not (1)", 1.0, "WHO GHO", "WHO region"),
    Feature("log_population", "population (log)", 0.5,
            f"World Bank population ({POPULATION}), latest year", "population"),
)
NUMERIC: tuple[str, ...] = ("log_doctors", "log_nurses_midwives", "income", "log_population")
INCOME_ORDINAL: dict[str, int] = {"L": 0, "LM": 1, "UM": 2, "H": 3}
DENSITY_FLOOR = 0.01
MIN_SHARED_FEATURES = 3
CLOSE_SD = 0.5
_WEIGHTS = {f.name: f.weight for f in FEATURES}

FloatArray = npt.NDArray[np.float64]


def similarity(distance: float | None) -> float | None:
    """``1 / (1 + distance)``; ``None`` when the distance is unknown."""
    return None if distance is None else 1.0 / (1.0 + distance)


@dataclass(frozen=True)
class CountryContext:
    """The raw context of one country: what each feature is made from, with its year."""

    iso3: str
    name: str
    who_region: str | None
    income_group: str | None
    doctors: tuple[int, float] | None
    nurses_midwives: tuple[int, float] | None
    population: tuple[int, float] | None

    def features(self) -> dict[str, float | None]:
        """Numeric feature values (``None`` when unknown); ``who_region`` is compared apart."""
        def log_density(p: tuple[int, float] | None) -> float | None:
            return None if p is None else math.log(max(p[1], DENSITY_FLOOR))

        return {
            "log_doctors": log_density(self.doctors),
            "log_nurses_midwives": log_density(self.nurses_midwives),
            "income": (None if self.income_group is None
                       else float(INCOME_ORDINAL[self.income_group])),
            "log_population": (None if self.population is None or self.population[1] <= 0
                               else math.log(self.population[1])),
        }

    def describe(self, name: str) -> str:
        """The raw value behind a feature, in words, with its year."""
        if name == "log_doctors":
            return _pair(self.doctors, "per 10,000")
        if name == "log_nurses_midwives":
            return _pair(self.nurses_midwives, "per 10,000")
        if name == "log_population":
            return ("unknown" if self.population is None
                    else f"{self.population[1]:,.0f} ({self.population[0]})")
        if name == "income":
            return self.income_group or "unknown"
        return self.who_region or "unknown"


def _pair(p: tuple[int, float] | None, unit: str) -> str:
    return "unknown" if p is None else f"{p[1]:.2f} {unit} ({p[0]})"


def country_context(reference: CountryReference, iso3: str) -> CountryContext:
    """The context of one country from the reference data. Raises UnknownCountry."""
    meta = reference.meta(iso3)
    return CountryContext(
        iso3=meta.iso3, name=meta.name, who_region=meta.who_region,
        income_group=meta.income_group,
        doctors=reference.doctors_density(meta.iso3),
        nurses_midwives=reference.nurses_midwives_density(meta.iso3),
        population=reference.latest(meta.iso3, POPULATION),
    )


@dataclass(frozen=True)
class PeerSpace:
    """Every country's features, standardised once, for fast distances to all countries.

    ``values`` is countries x :data:`NUMERIC` (NaN = unknown); ``sd`` is each numeric feature's
    standard deviation over the countries that have it.
    """

    contexts: tuple[CountryContext, ...]
    values: FloatArray = field(repr=False)
    sd: tuple[float, ...]
    index: Mapping[str, int] = field(repr=False)

    def context(self, iso3: str) -> CountryContext:
        code = iso3.strip().upper()
        if code not in self.index:
            raise UnknownCountry(iso3)
        return self.contexts[self.index[code]]

    def standardised_differences(self, a: str, b: str) -> dict[str, float | None]:
        """``dz`` per feature (``who_region``: 0 or 1), ``None`` where either is unknown."""
        ia, ib = self.index[self.context(a).iso3], self.index[self.context(b).iso3]
        out: dict[str, float | None] = {}
        for j, name in enumerate(NUMERIC):
            x, y = self.values[ia, j], self.values[ib, j]
            out[name] = None if (np.isnan(x) or np.isnan(y) or self.sd[j] == 0) else float(
                (x - y) / self.sd[j])
        ra, rb = self.contexts[ia].who_region, self.contexts[ib].who_region
        out["who_region"] = None if ra is None or rb is None else float(ra != rb)
        return out

    def distances_from(self, iso3: str) -> dict[str, float | None]:
        """Distance from ``iso3`` to every country of the space (itself: 0), vectorised."""
        i = self.index[self.context(iso3).iso3]
        sd = np.asarray(self.sd)
        safe_sd = np.where(sd > 0, sd, np.nan)
        dz = (self.values - self.values[i]) / safe_sd  # countries x numeric
        w = np.array([_WEIGHTS[n] for n in NUMERIC])
        known = ~np.isnan(dz)
        num = np.where(known, dz**2, 0.0) @ w
        den = known.astype(float) @ w
        count = known.sum(axis=1)
        region = self.contexts[i].who_region
        regions = [c.who_region for c in self.contexts]
        rk = np.array([region is not None and r is not None for r in regions])
        rd = np.array([float(r != region) for r in regions])
        wr = _WEIGHTS["who_region"]
        num = num + np.where(rk, wr * rd, 0.0)
        den = den + np.where(rk, wr, 0.0)
        count = count + rk
        with np.errstate(invalid="ignore", divide="ignore"):
            d = np.sqrt(num / den)
        out: dict[str, float | None] = {}
        for k, c in enumerate(self.contexts):
            ok = count[k] >= MIN_SHARED_FEATURES and den[k] > 0
            out[c.iso3] = float(d[k]) if ok else None
        out[self.contexts[i].iso3] = 0.0
        return out

    def distance(self, a: str, b: str) -> float | None:
        """The distance between two countries (see the module docstring), or ``None``."""
        dz = self.standardised_differences(a, b)
        known = {k: v for k, v in dz.items() if v is not None}
        if self.context(a).iso3 == self.context(b).iso3:
            return 0.0
        if len(known) < MIN_SHARED_FEATURES:
            return None
        num = sum(_WEIGHTS[k] * v * v for k, v in known.items())
        return math.sqrt(num / sum(_WEIGHTS[k] for k in known))


def peer_space(reference: CountryReference) -> PeerSpace:
    """Build the feature space of every country in the reference metadata."""
    contexts = tuple(country_context(reference, iso3) for iso3 in reference.all_meta())
    values = np.array([[np.nan if v is None else v for v in (c.features()[n] for n in NUMERIC)]
                       for c in contexts], dtype=np.float64).reshape(len(contexts), len(NUMERIC))
    sd = tuple(float(np.nanstd(values[:, j])) if np.any(~np.isnan(values[:, j])) else 0.0
               for j in range(len(NUMERIC)))
    return PeerSpace(contexts, values, sd, {c.iso3: i for i, c in enumerate(contexts)})


@dataclass(frozen=True)
class Peer:
    """One peer country: how far, on which features it is close, and what was tried there."""

    iso3: str
    name: str
    distance: float
    close: tuple[str, ...]
    differences: Mapping[str, float | None]
    worked: tuple[str, ...]
    failed: tuple[str, ...]
    other: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "iso3": self.iso3, "name": self.name, "distance": round(self.distance, 4),
            "similarity": round(1.0 / (1.0 + self.distance), 4),
            "close": list(self.close),
            "standardised_differences": {k: None if v is None else round(v, 4)
                                         for k, v in self.differences.items()},
            "worked": list(self.worked), "failed": list(self.failed),
            "status_unknown": list(self.other),
        }


@dataclass(frozen=True)
class PeerResult:
    """The peers of a target country, nearest first, with the features and weights used."""

    iso3: str
    name: str
    peers: tuple[Peer, ...]
    features: tuple[Feature, ...] = FEATURES
    compared: int = 0
    not_comparable: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "iso3": self.iso3, "name": self.name,
            "features": [{"name": f.name, "label": f.label, "weight": f.weight,
                          "source": f.source} for f in self.features],
            "distance": "sqrt(sum w_i dz_i^2 / sum w_i) over features both countries have; "
                        "dz = difference / standard deviation across countries",
            "compared": self.compared,
            "not_comparable": list(self.not_comparable),
            "peers": [p.to_dict() for p in self.peers],
        }

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"iso3": p.iso3, "name": p.name, "distance": p.distance,
                              "close": "; ".join(p.close), "worked": len(p.worked),
                              "failed": len(p.failed)} for p in self.peers])

    def summary(self) -> str:
        if not self.peers:
            return f"{self.name}: no comparable country (too few features known)"
        return f"{self.name}: nearest peers " + ", ".join(
            f"{p.name} ({p.distance:.2f})" for p in self.peers)


def _close_reasons(space: PeerSpace, target: str, other: str,
                   dz: Mapping[str, float | None]) -> tuple[str, ...]:
    a, b = space.context(target), space.context(other)
    out: list[str] = []
    for f in FEATURES:
        v = dz.get(f.name)
        if v is None:
            continue
        if f.name == "who_region":
            if v == 0:
                out.append(f"same WHO region ({a.who_region})")
        elif abs(v) <= CLOSE_SD:
            out.append(f"{f.short}: {b.describe(f.name)} here vs {a.describe(f.name)} in "
                       f"{a.iso3}")
    return tuple(out)


def cases_by_country(cases: Iterable[Case]) -> dict[str, list[Case]]:
    """Cases indexed by each of their countries."""
    out: dict[str, list[Case]] = {}
    for c in cases:
        for iso3 in c.countries:
            out.setdefault(iso3, []).append(c)
    return out


def find_peers(reference: CountryReference, iso3: str, cases: Iterable[Case] = (), k: int = 5,
               space: PeerSpace | None = None) -> PeerResult:
    """The ``k`` nearest comparable countries to ``iso3``, with the reasons for each match and
    the innovations recorded there (worked: running; failed: ended, never implemented,
    contracted or replaced — :func:`hrhlessons.cases.coverage.is_failure`).

    Raises UnknownCountry for a code not in the reference metadata.
    """
    space = space or peer_space(reference)
    target = space.context(iso3)
    distances = space.distances_from(target.iso3)
    by_country = cases_by_country(cases)
    ranked = sorted(((d, c) for c, d in distances.items() if d is not None and c != target.iso3),
                    key=lambda t: (t[0], t[1]))
    missing = tuple(sorted(c for c, d in distances.items() if d is None))
    peers: list[Peer] = []
    for d, code in ranked[:k]:
        dz = space.standardised_differences(target.iso3, code)
        here = by_country.get(code, [])
        peers.append(Peer(
            iso3=code, name=space.context(code).name, distance=d,
            close=_close_reasons(space, target.iso3, code, dz), differences=dz,
            worked=tuple(c.id for c in here if not is_failure(c) and c.status.value == "active"),
            failed=tuple(c.id for c in here if is_failure(c)),
            other=tuple(c.id for c in here
                        if not is_failure(c) and c.status.value != "active"),
        ))
    return PeerResult(target.iso3, target.name, tuple(peers), FEATURES, len(ranked), missing)
