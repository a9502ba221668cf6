"""Benchmark: the survival synthesis on 10,000 synthetic cases.

Measures frame building (10,000 valid :class:`Case` objects -> analysis table), the overall
curve, curves by domain with the log-rank test, and the penalised Cox model of the conditions.
The baseline, measured in the same run, is a plain-Python Kaplan–Meier loop over the same
lifetimes (what one would write without numpy or lifelines). Prints timings and ratios; asserts
nothing about time. Target: the synthesis under 5 s.

    .venv/bin/python benchmarks/bench_synthesis.py [n_cases]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import Condition, Domain, Funding, Level
from hrhlessons.synthesis.frame import cases_frame
from hrhlessons.synthesis.survival import (
    SurvivalOptions,
    compare_groups,
    cox_conditions,
    survival_curve,
)

T = TypeVar("T")
COUNTRIES = ("KEN", "ETH", "IND", "BGD", "MWI", "GHA", "NPL", "PER", "BRA", "ZMB")


def synthetic_cases(n: int, seed: int = 12345) -> list[Case]:
    """Valid cases with lifetimes whose hazard depends on donor dependence and funding."""
    rng = np.random.default_rng(seed)
    domains, levels, fundings = list(Domain), list(Level), list(Funding)
    cases = []
    for i in range(n):
        start = int(rng.integers(1960, 2020))
        donor = bool(rng.random() < 0.3)
        rate = 0.08 if donor else 0.03
        life = int(rng.exponential(1 / rate))
        conditions: dict[str, bool | None] = {
            c.value: (None if rng.random() < 0.5 else bool(rng.random() < 0.5)) for c in Condition
        }
        conditions["donor_dependent"] = donor
        status_year = 2023
        if start + life <= status_year:
            status = "ended"
            end: int | None = None if rng.random() < 0.05 else start + life
        else:
            status, end = "active", None
        if rng.random() < 0.03:
            status, end = "unknown", None
        cases.append(Case.model_validate({
            "id": f"ken-synthetic-{i}", "name": f"Synthetic {i}",
            "countries": ["KEN", COUNTRIES[i % len(COUNTRIES)]] if i % 7 == 0 else ["KEN"],
            "level": levels[i % len(levels)].value, "domain": domains[i % len(domains)].value,
            "funding": fundings[int(rng.integers(len(fundings)))].value,
            "description": "Synthetic case for benchmarking.", "status": status,
            "start_year": start, "end_year": end, "status_year": status_year,
            "conditions": conditions,
            "sources": [{"title": "Synthetic", "url": "https://example.org"}],
        }))
    return cases


def naive_km(durations: list[float], events: list[bool]) -> list[tuple[float, float]]:
    """Kaplan–Meier by a plain loop over distinct times (the baseline)."""
    surv, out = 1.0, []
    for t in sorted(set(durations)):
        at_risk = sum(1 for d in durations if d >= t)
        died = sum(1 for d, e in zip(durations, events, strict=True) if e and d == t)
        if died:
            surv *= 1 - died / at_risk
        out.append((t, surv))
    return out


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main(n: int) -> None:
    cases, t_make = timed(lambda: synthetic_cases(n))
    opts = SurvivalOptions()
    frame, t_frame = timed(lambda: cases_frame(cases, region_of=lambda c: "AFR"))

    def synthesis() -> dict[str, Any]:
        return {
            "overall": survival_curve(frame, options=opts),
            "domain": compare_groups(frame, "domain", opts),
            "cox": cox_conditions(frame, opts),
        }

    result, t_synth = timed(synthesis)
    used = frame[frame["kind"].isin(["event", "censored"])]
    durations, events = used["lower"].tolist(), used["kind"].eq("event").tolist()
    _, t_naive = timed(lambda: naive_km(durations, events))
    _, t_km = timed(lambda: survival_curve(used, options=opts))

    total = t_frame + t_synth
    kinds = frame["kind"].value_counts().to_dict()
    print(f"cases: {n:,} synthetic ({kinds}); building Case objects took {t_make:.2f} s "
          "(not counted)")
    print(f"frame:                         {t_frame:8.3f} s")
    print(f"overall + by domain + log-rank + Cox: {t_synth:8.3f} s "
          f"(overall: {result['overall'].method}, {opts.n_bootstrap} bootstrap resamples)")
    print(f"survival synthesis total:      {total:8.3f} s  (target < 5 s)")
    print(f"Kaplan-Meier, {len(used):,} right-censored lifetimes: library {t_km:.4f} s, "
          f"naive pure-Python loop {t_naive:.4f} s, ratio naive/library {t_naive / t_km:.1f}x")
    print(f"synthesis total / naive KM baseline: {total / t_naive:.2f}x")
    lr = result["domain"].logrank
    print(f"check: log-rank by domain chi2={lr.statistic:.2f} p={lr.p_value:.3g}; "
          f"Cox n={result['cox'].n} events={result['cox'].events}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
