"""The case analysis table and its lifetime rules."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from hrhlessons.cases.model import Case
from hrhlessons.ingest import bundled_cases_dir, read_paths
from hrhlessons.synthesis.frame import (
    CONDITION_COLUMNS,
    EXCLUSION_REASONS,
    ZERO_LIFETIME,
    cases_frame,
    lifetime,
)


def make_case(**overrides: Any) -> Case:
    data: dict[str, Any] = {
        "id": "ken-test-case", "name": "Test", "countries": ["KEN"], "level": "national",
        "domain": "task_sharing", "description": "A test case.", "status": "active",
        "start_year": 2000, "status_year": 2010,
        "sources": [{"title": "A source", "url": "https://example.org"}],
    }
    data.update(overrides)
    return Case.model_validate(data)


def test_ended_case_is_an_event_of_end_minus_start() -> None:
    assert lifetime(make_case(status="ended", end_year=2007)) == ("event", 7.0, 7.0, None)


def test_active_case_is_censored_at_status_year() -> None:
    kind, lower, upper, reason = lifetime(make_case(status_year=2012))
    assert (kind, lower, reason) == ("censored", 12.0, None)
    assert math.isinf(upper)


def test_ended_without_end_year_is_interval_censored_up_to_status_year() -> None:
    case = make_case(status="ended", status_year=2009)
    assert case.end_year_unknown
    assert lifetime(case) == ("interval", ZERO_LIFETIME, 9.0, None)


def test_same_year_start_and_end_lasts_half_a_year() -> None:
    assert lifetime(make_case(status="ended", end_year=2000)) == ("event", 0.5, 0.5, None)
    kind, lower, _, _ = lifetime(make_case(status_year=2000))
    assert (kind, lower) == ("censored", ZERO_LIFETIME)


@pytest.mark.parametrize("overrides, reason", [
    ({"status": "not_implemented", "start_year": None}, "not_implemented"),
    ({"status": "unknown"}, "unknown_status"),
    ({"start_year": None}, "no_start_year"),
    ({"status_year": None}, "no_status_year"),
    ({"status": "ended", "status_year": None}, "no_status_year"),
])
def test_exclusions_name_their_reason(overrides: dict[str, Any], reason: str) -> None:
    kind, lower, upper, got = lifetime(make_case(**overrides))
    assert (kind, got) == ("excluded", reason)
    assert math.isnan(lower) and math.isnan(upper)
    assert reason in EXCLUSION_REASONS


def test_frame_has_one_row_per_case_with_typed_columns() -> None:
    cases = [
        make_case(id="ken-a", conditions={"political_champion": True}),
        make_case(id="ken-b", status="ended", end_year=2004, funding="donor",
                  conditions={"political_champion": False}),
    ]
    df = cases_frame(cases)
    assert list(df["id"]) == ["ken-a", "ken-b"]
    assert "who_region" not in df and "income_group" not in df
    for col in CONDITION_COLUMNS:
        assert str(df[col].dtype) == "boolean"
    assert df["political_champion"].tolist() == [True, False]
    assert df["donor_dependent"].isna().all()
    assert df["kind"].tolist() == ["censored", "event"]
    assert df["event"].tolist() == [False, True]
    assert df.loc[1, "funding"] == "donor"
    assert str(df["end_year"].dtype) == "Int64"
    assert df.loc[0, "end_year"] is pd.NA


def test_lookups_use_the_first_country_and_the_start_year() -> None:
    seen: list[tuple[str, int]] = []

    def income(iso3: str, year: int) -> str:
        seen.append((iso3, year))
        return "low" if year < 2000 else "lower_middle"

    case = make_case(id="multi-x", countries=["UGA", "KEN"], start_year=1995)
    df = cases_frame([case, make_case(start_year=None)], region_of=lambda c: f"region-{c}",
                     income_of=income)
    assert df.loc[0, "who_region"] == "region-UGA"
    assert df.loc[0, "income_group"] == "low"
    assert df.loc[0, "countries"] == "UGA;KEN"
    assert df.loc[1, "income_group"] is None  # no start year: no income group at start
    assert seen == [("UGA", 1995)]


def test_bundled_registry_frame_is_consistent() -> None:
    cases = read_paths([bundled_cases_dir()]).cases
    df = cases_frame(cases)
    assert len(df) == len(cases) >= 157
    assert df["id"].is_unique
    used = df[df["kind"] != "excluded"]
    assert (used["lower"] > 0).all()
    assert (used["upper"] >= used["lower"]).all()
    assert df.loc[df["kind"] == "excluded", "exclusion"].notna().all()
    assert df.loc[df["kind"] != "excluded", "exclusion"].isna().all()
    unknown_end = {c.id for c in cases if c.end_year_unknown and c.status_year is not None
                   and c.start_year is not None}
    assert set(df.loc[df["kind"] == "interval", "id"]) <= unknown_end
