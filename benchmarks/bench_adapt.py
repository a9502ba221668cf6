"""Benchmark: ``adapt`` (transferability ranking) for one country with 1,000 cases.

    .venv/bin/python benchmarks/bench_adapt.py [--cases 1000] [--country MWI] [--repeats 5]

The registry is ``hrhlessons.cases.synthetic.synthetic_cases(n)``; the answers are the bundled
Malawi example. Timed, in this one run:

- ``rank_innovations`` as the CLI calls it (peer space built, decisive conditions computed,
  every case scored, risks collected for the 10 shown), and with risks for every case;
- a naive per-case Python loop: for each case, the peer distance recomputed from the raw
  reference data in plain Python (features, means and standard deviations of every country),
  the decisive conditions recomputed, and risks found by scanning every other case.

The target is under 200 ms for the ranking. Figures are printed (best of ``repeats`` after a
warm-up run; the naive loop runs once); nothing is asserted. Reading the cases from the database
and printing the table are not timed.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Sequence

from hrhlessons.adapt.questions import Answers, Questionnaire, bundled_questionnaire, parse_answers
from hrhlessons.adapt.readiness import decisive_conditions, readiness
from hrhlessons.adapt.transfer import WEIGHTS, rank_innovations, record_strength
from hrhlessons.cases.coverage import is_failure
from hrhlessons.cases.model import Case
from hrhlessons.cases.synthetic import synthetic_cases
from hrhlessons.countries.model import CountryReference
from hrhlessons.countries.peers import DENSITY_FLOOR, FEATURES, INCOME_ORDINAL
from hrhlessons.reference import load_reference
from timing import best_ms

TARGET_MS = 200.0


def _naive_distance(ref: CountryReference, a: str, b: str) -> float | None:
    """The peer distance from scratch: every country's features, their standard deviations."""
    weights = {f.name: f.weight for f in FEATURES}
    rows: dict[str, dict[str, float | None]] = {}
    regions: dict[str, str | None] = {}
    for iso3, meta in ref.all_meta().items():
        d, n = ref.doctors_density(iso3), ref.nurses_midwives_density(iso3)
        pop = ref.latest(iso3, "POP")
        rows[iso3] = {
            "log_doctors": None if d is None else math.log(max(d[1], DENSITY_FLOOR)),
            "log_nurses_midwives": None if n is None else math.log(max(n[1], DENSITY_FLOOR)),
            "income": (None if meta.income_group is None
                       else float(INCOME_ORDINAL[meta.income_group])),
            "log_population": None if pop is None or pop[1] <= 0 else math.log(pop[1]),
        }
        regions[iso3] = meta.who_region
    if a not in rows or b not in rows:
        return None
    if a == b:
        return 0.0
    num = den = 0.0
    count = 0
    for name in ("log_doctors", "log_nurses_midwives", "income", "log_population"):
        values = [v for r in rows.values() if (v := r[name]) is not None]
        mean = sum(values) / len(values)
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
        x, y = rows[a][name], rows[b][name]
        if x is None or y is None or sd == 0:
            continue
        num += weights[name] * ((x - y) / sd) ** 2
        den += weights[name]
        count += 1
    if regions[a] is not None and regions[b] is not None:
        num += weights["who_region"] * float(regions[a] != regions[b])
        den += weights["who_region"]
        count += 1
    return math.sqrt(num / den) if count >= 3 else None


def naive(cases: Sequence[Case], ref: CountryReference, iso3: str, answers: Answers,
          q: Questionnaire) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = []
    for case in cases:
        distances = [d for c in case.countries if (d := _naive_distance(ref, iso3, c)) is not None]
        sim = 1.0 / (1.0 + min(distances)) if distances else 0.0
        weights = decisive_conditions(cases).weights()
        ready = readiness(case, answers, weights, q).score
        risks = [f for other in cases if other.id != case.id and is_failure(other)
                 and other.domain == case.domain
                 and set(other.interventions) & set(case.interventions)
                 for f in other.failure_factors]
        del risks
        score = 100 * (WEIGHTS["strength"] * record_strength(case).score
                       + WEIGHTS["similarity"] * sim + WEIGHTS["readiness"] * ready)
        out.append((score, case.id))
    out.sort(key=lambda t: (-t[0], t[1]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--country", default="MWI")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from importlib import resources

    q = bundled_questionnaire()
    text = (resources.files("hrhlessons") / "data" / "adapt" / "answers-example.yaml").read_text(
        encoding="utf-8")
    answers = parse_answers(text, q, file="answers-example.yaml")
    ref = load_reference()
    cases = synthetic_cases(args.cases)
    print(f"adapt {args.country}: {len(cases):,} synthetic cases, "
          f"{len(ref.all_meta())} countries, {len(q.questions)} questions")

    fast_ms, ranking = best_ms(lambda: rank_innovations(cases, ref, args.country, answers, q,
                                                        detail=10), args.repeats)
    all_ms, _ = best_ms(lambda: rank_innovations(cases, ref, args.country, answers, q),
                        args.repeats)
    start = time.perf_counter()
    slow = naive(cases, ref, args.country, answers, q)
    naive_ms = 1000 * (time.perf_counter() - start)

    same = [cid for _, cid in slow] == list(ranking.case_ids)
    print(f"  rank_innovations (risks for the 10 shown): {fast_ms:9.1f} ms   "
          f"(target < {TARGET_MS:.0f} ms: {'met' if fast_ms < TARGET_MS else 'NOT met'})")
    print(f"  rank_innovations (risks for every case):   {all_ms:9.1f} ms")
    print(f"  naive per-case loop (one run):             {naive_ms:9.1f} ms")
    print(f"  ratio naive / rank_innovations:            {naive_ms / fast_ms:9.1f} x")
    print(f"  same order in both: {same}")


if __name__ == "__main__":
    main()
