"""Synthetic but valid case records, for benchmarks and load tests only.

The records are made up: they never enter the registry. Their text is drawn from a small
vocabulary of HRH words so that full-text queries match a realistic share of them, and their
facets follow the spread of the real registry roughly. Seeded: the same ``seed`` gives the same
records.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import (
    BuildingBlock,
    Condition,
    Direction,
    Domain,
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


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(n)]
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
    n_sources = rng.randint(1, 4)
    return {
        "id": f"{country.lower()}-synthetic-{i:06d}",
        "name": " ".join(rng.choice(_WORDS) for _ in range(4)).title(),
        "countries": [country],
        "level": rng.choice(list(Level)).value,
        "domain": rng.choice(list(Domain)).value,
        "interventions": sorted({rng.choice(list(Intervention)).value for _ in range(3)}),
        "cadres": [rng.choice(["nurses", "midwives", "doctors", "community health workers"])],
        "description": " ".join(_sentence(rng, 14) for _ in range(3)),
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
        "provenance": {"start_year": [0], "end_year": [], "status": [0]},
    }


def synthetic_records(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(n):
        yield synthetic_record(rng, i)


def synthetic_cases(n: int, seed: int = 0) -> list[Case]:
    return [Case.model_validate(r) for r in synthetic_records(n, seed)]
