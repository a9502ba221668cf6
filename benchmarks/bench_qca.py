"""Benchmark: crisp-set QCA with 12 conditions over 5,000 synthetic cases.

Times the truth table plus the complex and parsimonious solutions (the 3^k prime implicant
search of :mod:`hrhlessons.synthesis.qca` and the exact minimal-cover search), and, in the same
run, a naive baseline for the step that blows up: a pure-Python brute force over all 3^k terms
that checks each term's configurations one by one against the truth table. Prints the figures and
their ratio; it asserts nothing about time.

Run: ``.venv/bin/python benchmarks/bench_qca.py [--cases 5000] [--conditions 12]``
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np
import pandas as pd

from hrhlessons.synthesis import qca


def synthetic(n: int, k: int, noise: float = 0.0, seed: int = 20240601
              ) -> tuple[pd.DataFrame, list[str]]:
    """Cases whose outcome follows a known rule (C01*C02 + C03*~C04*C05 + C06*C07*C08), with a
    share ``noise`` of the outcomes flipped."""
    rng = np.random.default_rng(seed)
    names = [f"C{i + 1:02d}" for i in range(k)]
    x = rng.integers(0, 2, size=(n, k))
    y = (x[:, 0] & x[:, 1]) | (x[:, 2] & (1 - x[:, 3]) & x[:, 4]) | (x[:, 5] & x[:, 6] & x[:, 7])
    flip = rng.random(n) < noise
    y = np.where(flip, 1 - y, y)
    frame = pd.DataFrame(x, columns=names)
    frame["Y"] = y
    frame.index = pd.Index([f"case{i + 1}" for i in range(n)])
    return frame, names


def naive_primes(k: int, allowed: np.ndarray, required: np.ndarray) -> set[tuple[int, int]]:
    on = {i for i in range(1 << k) if allowed[i]}
    req = {i for i in range(1 << k) if required[i]}

    def minterms(mask: int, value: int):
        free = [1 << b for b in range(k) if not mask & (1 << b)]
        for bits in itertools.product((0, 1), repeat=len(free)):
            yield value | sum(f for f, b in zip(free, bits, strict=True) if b)

    def ok(mask: int, value: int) -> bool:
        return all(m in on for m in minterms(mask, value))

    primes = set()
    for digits in itertools.product((0, 1, 2), repeat=k):
        mask = sum(1 << (k - 1 - j) for j, d in enumerate(digits) if d != 2)
        value = sum(1 << (k - 1 - j) for j, d in enumerate(digits) if d == 1)
        if not ok(mask, value) or not any(m in req for m in minterms(mask, value)):
            continue
        if any(ok(mask & ~(1 << b), value & ~(1 << b)) for b in range(k) if mask & (1 << b)):
            continue
        primes.add((mask, value))
    return primes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--conditions", type=int, default=12)
    parser.add_argument("--noise", type=float, default=0.0,
                        help="share of outcomes flipped (0.03 with --incl-cut 0.75 is a stress "
                             "test whose charts are too large for exact minimal covers)")
    parser.add_argument("--incl-cut", type=float, default=1.0)
    args = parser.parse_args()
    data, names = synthetic(args.cases, args.conditions, args.noise)

    t0 = time.perf_counter()
    tt = qca.truth_table(data, "Y", names, incl_cut=args.incl_cut)
    t1 = time.perf_counter()
    res = qca.minimize(tt)
    t2 = time.perf_counter()
    fast = t2 - t0
    print(f"{args.cases} cases, {args.conditions} conditions, noise {args.noise}, incl cut "
          f"{args.incl_cut}: {len(tt.rows)} observed "
          f"configurations, {len(tt.remainders)} remainders")
    print(f"truth table {t1 - t0:.3f} s; complex + parsimonious {t2 - t1:.3f} s; "
          f"total {fast:.3f} s")
    for sol in (res.complex, res.parsimonious):
        first = sol.expressions[0] if sol.expressions else "-"
        if len(first) > 100:
            first = f"{len(sol.models[0].terms)} terms: {first[:80]} ..."
        flag = " (search budget hit: not proven minimal)" if sol.truncated else ""
        print(f"  {sol.kind}: {len(sol.prime_implicants)} prime implicants, "
              f"{len(sol.models)} model(s){flag}; M1 = {first}")

    space = qca._space(tt, False)
    required = space.indicator(space.explain.tolist())
    allowed = required | space.indicator(space.remainders.tolist())
    t3 = time.perf_counter()
    ours = set(qca.prime_implicants(args.conditions, allowed, required))
    t4 = time.perf_counter()
    base = naive_primes(args.conditions, allowed, required)
    t5 = time.perf_counter()
    assert ours == base, "the prime implicants differ from the brute force"
    print(f"parsimonious prime implicants: 3^k array search {t4 - t3:.3f} s, "
          f"naive pure-Python brute force {t5 - t4:.3f} s "
          f"(ratio {(t5 - t4) / (t4 - t3):.0f}x); same {len(ours)} primes")
    print(f"whole QCA ({fast:.3f} s) vs the naive prime search alone ({t5 - t4:.3f} s): "
          f"{(t5 - t4) / fast:.1f}x")


if __name__ == "__main__":
    main()
