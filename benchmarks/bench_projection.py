"""Benchmark: Monte Carlo workforce projection, 200 countries x 3 cadres x 1,000 draws x 30 years.

Vectorised path: for each cadre, one call of :func:`hrhlessons.adapt.projection.simulate` on
200 x 1,000 rows (draws x years arrays), then the density percentiles per country and year and
each draw's target year. Baseline: the same model as a plain Python loop, one draw and one year
at a time, timed on a subset (the first few countries, all cadres and draws) and scaled to 200
countries; the subset's results are compared with the vectorised ones.

Run: .venv/bin/python benchmarks/bench_projection.py [--countries 200 --draws 1000 --years 30]
Times only; nothing asserts on them.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from hrhlessons.adapt.projection import PER, first_reached_index, percentile_paths, simulate

#: Cadre -> (training years, target density per 10,000). Synthetic numbers for timing only.
CADRES = {"doctors": (6, 10.0), "nurses_midwives": (3, 30.0), "chw": (0, 20.0)}


def synthetic_countries(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    population = rng.uniform(1e6, 1e8, n)
    return {
        "population": population,
        "stock": population * rng.uniform(1.0, 15.0, n) / PER,
        "intake": population * rng.uniform(0.05, 1.0, n) / PER,
        "attrition": rng.uniform(0.02, 0.1, n),
        "completion": rng.uniform(0.6, 0.95, n),
        "intake_growth": rng.uniform(0.0, 0.05, n),
        "population_growth": rng.uniform(0.005, 0.035, n),
    }


def draws_for(countries: dict[str, np.ndarray], draws: int, seed: int) -> dict[str, np.ndarray]:
    """Each country's ranged parameters drawn uniformly in +/-25% (rates) or +/-1 point
    (growths) around its point value; rows are country-major (country 0's draws first)."""
    rng = np.random.default_rng(seed)
    n = countries["population"].shape[0]
    out = {k: np.repeat(countries[k], draws) for k in ("population", "stock", "intake")}
    for name, low, high in (("attrition", 0.75, 1.25), ("completion", 0.75, 1.0)):
        base = np.repeat(countries[name], draws)
        out[name] = base * rng.uniform(low, high, n * draws)
    for name in ("intake_growth", "population_growth"):
        out[name] = np.repeat(countries[name], draws) + rng.uniform(-0.01, 0.01, n * draws)
    return out


def vectorised(drawn: dict[str, np.ndarray], duration: int, target: float, n: int,
               draws: int, years: int, chunk: int) -> tuple[np.ndarray, np.ndarray]:
    """Density percentiles (percentiles x countries x years) and each draw's target-year index
    (-1: not reached), ``chunk`` countries (chunk x draws rows) per call of ``simulate``."""
    bands = np.empty((5, n, years))
    first = np.empty(n * draws, dtype=np.intp)
    for c0 in range(0, n, chunk):
        c1 = min(c0 + chunk, n)
        rows = slice(c0 * draws, c1 * draws)
        paths = simulate(duration=duration, years=years, **{k: v[rows] for k, v in drawn.items()})
        bands[:, c0:c1] = percentile_paths(paths.density, groups=c1 - c0)
        first[rows] = first_reached_index(paths.density, target)
    return bands, first


def naive(drawn: dict[str, np.ndarray], rows: int, duration: int, years: int) -> np.ndarray:
    """The model one draw and one year at a time, in plain Python floats."""
    out = np.empty((rows, years))
    for r in range(rows):
        s = float(drawn["stock"][r])
        pop = float(drawn["population"][r])
        i0 = float(drawn["intake"][r])
        gi = float(drawn["intake_growth"][r])
        gp = float(drawn["population_growth"][r])
        comp = float(drawn["completion"][r])
        keep = 1.0 - float(drawn["attrition"][r])
        intake = [i0 * (1 + gi) ** j for j in range(years)]
        for j in range(years):
            if j > 0:
                grads = (intake[j - duration] if j >= duration else i0) * comp
                s = s * keep + grads
                pop = pop * (1 + gp)
            out[r, j] = s / pop * PER
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=200)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--subset", type=int, default=4, help="countries timed in the loop")
    parser.add_argument("--repeat", type=int, default=3, help="vectorised runs; best is kept")
    parser.add_argument("--chunk", type=int, default=2,
                        help="countries per simulate call (2 x 1,000 draws keeps arrays in cache)")
    args = parser.parse_args()
    n, draws, years = args.countries, args.draws, args.years
    countries = synthetic_countries(n, seed=1)
    drawn = {c: draws_for(countries, draws, seed=10 + i) for i, c in enumerate(CADRES)}

    vectorised(drawn["chw"], 0, 20.0, n, draws, min(years, 3), args.chunk)  # warm up numpy
    fast = float("inf")
    for _ in range(args.repeat):  # best of a few runs: the machine may be shared
        start = time.perf_counter()
        results = {c: vectorised(drawn[c], d, t, n, draws, years, args.chunk)
                   for c, (d, t) in CADRES.items()}
        fast = min(fast, time.perf_counter() - start)

    rows = args.subset * draws
    start = time.perf_counter()
    loops = {c: naive({k: v[:rows] for k, v in drawn[c].items()}, rows, d, years)
             for c, (d, _) in CADRES.items()}
    slow_subset = time.perf_counter() - start
    slow = slow_subset * n / args.subset

    worst = 0.0
    for c, (d, _) in CADRES.items():
        check = simulate(duration=d, years=years, **{k: v[:rows] for k, v in drawn[c].items()})
        worst = max(worst, float(np.max(np.abs(check.density - loops[c]))))
    reached = sum(int(np.count_nonzero(results[c][1] >= 0)) for c in results)
    total = n * len(CADRES) * draws

    print(f"projection: {n} countries x {len(CADRES)} cadres x {draws:,} draws x {years} years "
          f"= {total:,} paths")
    print(f"  vectorised (numpy, draws x years arrays, {args.chunk} countries per call, with "
          f"percentiles and target years; best of {args.repeat}): {fast:.3f} s")
    print(f"  naive per-draw Python loop: {slow_subset:.3f} s for {args.subset} countries, "
          f"scaled x{n / args.subset:g} to {n} countries: {slow:.1f} s (estimate)")
    print(f"  ratio naive / vectorised: {slow / fast:,.0f}x")
    print(f"  agreement on the subset: max |density difference| = {worst:.2e} per 10,000")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"  machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min) at the end")
    print(f"  draws reaching their target within {years} years: {reached / total:.1%}")


if __name__ == "__main__":
    main()
