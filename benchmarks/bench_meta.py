"""Benchmark: random-effects meta-analysis of k = 10,000 simulated studies.

    .venv/bin/python benchmarks/bench_meta.py [--k 10000] [--repeats 7] [--seed 20240501]

Times hrhlessons.synthesis.meta.meta_analysis (the full result: estimate, tau^2 with its
Q-profile interval, I2, H2, Q, prediction interval) for REML, DL and PM, and the same
estimators in statsmodels (``combine_effects``: method_re="chi2" is DerSimonian-Laird,
"iterated" is Paule-Mandel; it has no REML) and PyMARE (``VarianceBasedLikelihoodEstimator``
REML, ``DerSimonianLaird``) when it is installed, all in this one run. The target is REML under
200 ms. Figures are printed (best of ``repeats``, after a warm-up run); nothing is asserted.
"""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Callable
from functools import partial

import numpy as np
from statsmodels.stats.meta_analysis import combine_effects

from hrhlessons.synthesis.meta import estimate_tau2, meta_analysis
from timing import best_ms

TARGET_MS = 200.0


def simulate(k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    vi = rng.uniform(0.005, 0.25, size=k)
    yi = rng.normal(0.3, np.sqrt(vi + 0.04))
    return yi, vi


def pymare_runs(yi: np.ndarray, vi: np.ndarray) -> dict[str, Callable[[], float]]:
    try:
        from pymare import Dataset
        from pymare.estimators import DerSimonianLaird, VarianceBasedLikelihoodEstimator
    except ImportError:
        return {}

    def reml() -> float:
        est = VarianceBasedLikelihoodEstimator(method="REML").fit_dataset(Dataset(yi, vi))
        return float(np.ravel(est.params_["tau2"])[0])

    def dl() -> float:
        return float(np.ravel(DerSimonianLaird().fit_dataset(Dataset(yi, vi)).params_["tau2"])[0])

    return {"REML": reml, "DL": dl}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=20240501)
    args = parser.parse_args()
    yi, vi = simulate(args.k, args.seed)
    warnings.simplefilter("ignore")

    print(f"meta-analysis of k = {args.k:,} simulated studies (seed {args.seed}), "
          f"best of {args.repeats}")
    ours: dict[str, tuple[float, float, float]] = {}
    for method in ("REML", "DL", "PM"):
        ms, res = best_ms(partial(meta_analysis, yi, vi, method=method), args.repeats)
        ms_est, _ = best_ms(partial(estimate_tau2, yi, vi, method=method), args.repeats)
        ours[method] = (ms, ms_est, res.tau2)
        flag = ""
        if method == "REML":
            flag = f"  (target < {TARGET_MS:.0f} ms: {'met' if ms < TARGET_MS else 'NOT met'})"
        print(f"  hrhlessons {method:<4} full result {ms:8.2f} ms, tau2 estimator alone "
              f"{ms_est:6.2f} ms  tau2 = {res.tau2:.8f}{flag}")
    print("  baselines compute less (no Q-profile interval): ratios are given against our full "
          "result and against our tau2 estimator alone")

    baselines: list[tuple[str, str, Callable[[], float]]] = [
        ("statsmodels combine_effects chi2 (DL)", "DL",
         lambda: float(combine_effects(yi, vi, method_re="chi2").tau2)),
        ("statsmodels combine_effects iterated (PM)", "PM",
         lambda: float(combine_effects(yi, vi, method_re="iterated").tau2)),
    ]
    pymare = pymare_runs(yi, vi)
    if pymare:
        baselines += [(f"PyMARE {m}", m, fn) for m, fn in pymare.items()]
    else:
        print("  PyMARE is not installed: no PyMARE baseline")
    for name, method, fn in baselines:
        ms, tau2 = best_ms(fn, args.repeats)
        full, alone, ours_tau2 = ours[method]
        rel = abs(tau2 - ours_tau2) / ours_tau2
        print(f"  {name:<42} {ms:8.2f} ms  tau2 = {tau2:.8f}  hrhlessons/baseline time: "
              f"full {full / ms:.2f}, estimator {alone / ms:.2f}  tau2 rel. diff = {rel:.1e}")


if __name__ == "__main__":
    main()
