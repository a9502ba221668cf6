"""Synthetic but valid case records, for benchmarks and load tests only.

The records are made up: they never enter the registry. Their text is filler drawn from a
vocabulary of a few thousand words with Zipf-like frequencies (HRH words among them at
middling ranks), plus topical phrases ("rural retention", "community health workers", ...)
each put into a record with the share of records that match it in the real registry (1% to
20%), so that a full-text query matches as many records as it would in real use rather than
nearly all of them. Facets are spread evenly over their values.
Seeded: the same ``seed`` gives the same records.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import (
    KNOWN_DOMAINS,
    BuildingBlock,
    Condition,
    Direction,
    Evidence,
    Funding,
    Intervention,
    Level,
    Status,
    Trajectory,
)

_WORDS = [
    "rural",
    "retention",
    "allowance",
    "nurses",
    "midwives",
    "doctors",
    "clinical",
    "officers",
    "community",
    "health",
    "workers",
    "volunteers",
    "training",
    "school",
    "curriculum",
    "deployment",
    "scholarship",
    "bonded",
    "service",
    "supervision",
    "incentive",
    "salary",
    "district",
    "hospital",
    "primary",
    "care",
    "maternal",
    "child",
    "immunisation",
    "task",
    "sharing",
    "scope",
    "practice",
    "programme",
    "ministry",
    "donor",
    "funding",
    "pilot",
    "scale",
    "national",
    "government",
    "policy",
    "workforce",
    "shortage",
    "migration",
    "recruitment",
    "graduates",
    "faculty",
    "distance",
    "learning",
    "mentoring",
    "housing",
    "career",
    "motivation",
    "attrition",
    "vacancy",
    "posting",
    "remote",
    "village",
    "outreach",
    "household",
    "visits",
    "referral",
    "quality",
    "coverage",
    "equity",
    "budget",
    "evaluation",
]

_COUNTRIES = [
    "MWI",
    "KEN",
    "TZA",
    "UGA",
    "ETH",
    "GHA",
    "NGA",
    "ZMB",
    "ZWE",
    "MOZ",
    "RWA",
    "SEN",
    "MLI",
    "NER",
    "BFA",
    "COD",
    "CMR",
    "IND",
    "NPL",
    "BGD",
    "PAK",
    "AFG",
    "IDN",
    "PHL",
    "THA",
    "VNM",
    "LAO",
    "KHM",
    "BRA",
    "MEX",
    "PER",
    "BOL",
    "GTM",
    "HTI",
    "ZAF",
    "NAM",
    "BWA",
    "LSO",
    "SWZ",
    "MDG",
    "SLE",
    "LBR",
]


def _vocabulary() -> tuple[list[str], list[float]]:
    """Words and cumulative Zipf weights (exponent 1.1); HRH words take every 40th rank
    from rank 80, filler words (``w`` + a number) the rest."""
    words: list[str] = []
    hrh = iter(_WORDS)
    filler = 0
    for rank in range(4000):
        word = next(hrh, None) if rank >= 60 and rank % 40 == 0 else None
        if word is None:
            word = f"w{filler}"
            filler += 1
        words.append(word)
    cumulative: list[float] = []
    total = 0.0
    for rank in range(len(words)):
        total += 1.0 / (rank + 1) ** 1.1
        cumulative.append(total)
    return words, cumulative


_VOCAB, _CUM = _vocabulary()

#: Topical phrases and the share of bundled records whose text matched all their words
#: (measured on the registry of 2026-11-29).
PHRASES: dict[str, float] = {
    "rural retention": 0.048, "community health workers": 0.202, "nurses training": 0.155,
    "midwives": 0.103, "scholarship": 0.071, "supervision incentive": 0.032,
    "district hospital": 0.095, "donor funding": 0.123, "task sharing": 0.044,
    "distance learning": 0.012,
}


def _sentence(rng: random.Random, n: int) -> str:
    words = rng.choices(_VOCAB, cum_weights=_CUM, k=n)
    return " ".join(words).capitalize() + "."


def synthetic_record(rng: random.Random, i: int) -> dict[str, Any]:
    """One synthetic record as raw data (what a YAML file would hold)."""
    country = rng.choice(_COUNTRIES)
    status = rng.choices(list(Status), weights=[65, 28, 2, 5])[0]
    start = None if status is Status.NOT_IMPLEMENTED else rng.randint(1960, 2020)
    end = None
    if status is Status.ENDED and start is not None and rng.random() < 0.85:
        end = min(start + rng.randint(0, 25), 2024)
    status_year = None if start is None else max(start, end or start) + rng.randint(0, 4)
    if status_year is not None:
        status_year = min(status_year, 2025)
    if status is Status.UNKNOWN:
        # The model refuses a year for an unknown status. The draw above still happens, so the
        # random stream, and every later synthetic record, is the same as before this rule.
        status_year = None
    n_sources = rng.randint(1, 4)
    return {
        "id": f"{country.lower()}-synthetic-{i:06d}",
        "name": " ".join(rng.choices(_VOCAB, cum_weights=_CUM, k=4)).title(),
        "countries": [country],
        "level": rng.choice(list(Level)).value,
        "domain": rng.choice(KNOWN_DOMAINS).value,
        "interventions": sorted({rng.choice(list(Intervention)).value for _ in range(3)}),
        "cadres": [rng.choice(["nurses", "midwives", "doctors", "community health workers"])],
        "description": " ".join([*(_sentence(rng, 14) for _ in range(3)),
                                 *(f"It concerns {p}." for p, share in PHRASES.items()
                                   if rng.random() < share)]),
        "start_year": start,
        "end_year": end,
        "status": status.value,
        "status_year": status_year,
        "trajectory": rng.choice(list(Trajectory)).value,
        "funding": rng.choice(list(Funding)).value,
        "scale": [{"metric": "workers", "value": rng.randint(10, 50000), "year": status_year}],
        "conditions": {c.value: rng.choice([True, False, None]) for c in Condition},
        "outcomes": [
            {
                "building_block": rng.choice(list(BuildingBlock)).value,
                "indicator": _sentence(rng, 4),
                "baseline": None,
                "followup": None,
                "direction": rng.choice(list(Direction)).value,
                "evidence": rng.choice(list(Evidence)).value,
                "source": 0,
            }
        ],
        "success_factors": [_sentence(rng, 6) for _ in range(2)],
        "failure_factors": [_sentence(rng, 6) for _ in range(2)],
        "lessons": [_sentence(rng, 10)],
        "sources": [
            {
                "title": _sentence(rng, 6),
                "publisher": "Synthetic",
                "year": None,
                "url": f"https://example.org/synthetic/{i}/{k}",
            }
            for k in range(n_sources)
        ],
        # A source is listed only for a year the record states (check_case refuses a list
        # behind a null year, as `validate` does).
        "provenance": {"start_year": [0] if start is not None else [], "end_year": [],
                       "status": [0]},
    }


def synthetic_records(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(n):
        yield synthetic_record(rng, i)


def synthetic_cases(n: int, seed: int = 0) -> list[Case]:
    return [Case.model_validate(r) for r in synthetic_records(n, seed)]
