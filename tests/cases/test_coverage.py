"""Coverage counts, checked by hand on three made-up cases."""

from __future__ import annotations

from hrhlessons.cases.coverage import OUTCOME_GROUPS, coverage, is_failure, outcome_group
from hrhlessons.cases.vocab import Status, Trajectory
from hrhlessons.cases.yamlio import parse_yaml
from tests.cases.test_model import GOOD


def _case(**changes: str):  # type: ignore[no-untyped-def]
    text = GOOD
    for old, new in changes.items():
        text = text.replace(old.replace("__", ": "), new)
    [case] = parse_yaml(text, file="x").cases
    return case


def test_counts_by_hand() -> None:
    running = _case()
    ended = _case(**{"id__mwi-test-programme": "id: mwi-ended"}, status__active="status: ended",
                  end_year__null="end_year: 2010")
    unknown_start = _case(**{"id__mwi-test-programme": "id: ken-other"},
                          **{'title__"A source"': 'title: "[descriptive title; headline not '
                                                  'shown] A report"'},
                          **{"countries__[MWI]": "countries: [KEN, MWI]"},
                          start_year__2000="start_year: null",
                          **{"  start_year__[0]": "  start_year: []"},
                          trajectory__expanded="trajectory: contracted",
                          **{'publisher__null, year__null': "publisher: null, year: 2011"})
    regions = {"MWI": ("AFR", "L"), "KEN": ("AFR", "LM")}
    result = coverage([running, ended, unknown_start],
                      lambda iso3, year: regions[iso3])
    assert result.cases == 3 and result.countries == 2
    assert result.failure_share == round(2 / 3, 4)
    assert result.by_region == {"AFR": 3}          # once per case, not per country
    assert result.by_income == {"L": 3, "LM": 1}
    assert result.by_decade == {"2000s": 2, "unknown": 1}
    assert result.by_outcome == {"ended": 1, "running": 1, "running, contracted": 1}
    # Contracted with no status stated is not called running.
    quiet = coverage([unknown_start.model_copy(update={"status": Status.UNKNOWN,
                                                       "status_year": None})],
                     lambda iso3, year: regions[iso3])
    assert quiet.by_outcome == {"contracted, status unknown": 1}
    assert quiet.failure_share == 1.0
    assert result.unknown_fields["start_year"] == round(1 / 3, 4)
    assert result.unknown_fields["end_year (ended cases)"] == 0.0
    assert result.unknown_fields["condition: donor_dependent"] == 1.0
    assert result.unknown_fields["condition: government_ownership"] == 0.0
    assert result.sources_total == 6 and result.sources_per_case == 2.0
    assert result.sources_described == 1
    assert result.to_dict()["sources_described"] == 1
    assert result.sources_undated == 2              # "Another" is dated in one case of three
    assert result.sourced_facts == {"start_year": 1.0, "end_year": 0.0, "status": 1.0}
    assert "3 cases in 2 countries" in result.summary()


def test_outcome_groups() -> None:
    assert not is_failure(_case())
    unknown = _case(status__active="status: unknown", status_year__2019="status_year: null")
    assert outcome_group(unknown) == "status unknown"
    ni = _case(status__active="status: not_implemented", start_year__2000="start_year: null",
               **{"  start_year__[0]": "  start_year: []"})
    assert is_failure(ni) and outcome_group(ni) == "never implemented"


def test_fact_checks_are_counted_for_the_cases_given() -> None:
    import datetime as dt

    from hrhlessons.cases.factcheck import FactCheck

    checks = [FactCheck("mwi-test-programme", dt.date(2026, 1, 5), "corrected",
                        "year. Spot-check AB (x): S 9, W 0, C 0, N 1 of 10."),
              FactCheck("not-here", dt.date(2026, 3, 1), "supported",
                        "Spot-check AB (x): S 4, W 0, C 0, N 0 of 4.")]
    result = coverage([_case()], lambda iso3, year: ("AFR", "L"), checks)
    assert result.to_dict()["fact_checks"] == {
        "cases": 1, "checked": 1, "share": 1.0, "supported": 0, "corrected": 1,
        "last_checked": "2026-01-05", "spot_checked": 1, "latest_clean": 0,
        "latest_only_not_reached": 1, "latest_with_finding": 0, "facts_left": 1,
        "cases_with_facts_left": 1}
    assert coverage([_case()], lambda iso3, year: ("AFR", "L")).fact_checks.checked == 0


def test_outcome_groups_are_exactly_those_outcome_group_gives() -> None:
    # Every status with every trajectory lands in a listed group, and every listed group is
    # reached: the tables keyed by group are checked against OUTCOME_GROUPS.
    base = _case()
    given = {outcome_group(base.model_copy(update={"status": status, "trajectory": trajectory}))
             for status in Status for trajectory in Trajectory}
    assert given == set(OUTCOME_GROUPS) and len(OUTCOME_GROUPS) == len(given)
