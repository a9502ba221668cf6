"""The fact-check log: parsing with located problems, latest checks, the summary, and the log
shipped with the bundled registry."""

from __future__ import annotations

import datetime as dt

import pytest

from hrhlessons.cases.factcheck import (
    FactCheck,
    RoundTally,
    case_readings,
    case_rounds,
    draw,
    facts_left,
    first_read_after,
    format_fact_checks,
    found_in,
    has_finding,
    is_clean,
    is_round_label,
    last_found,
    last_readings,
    last_rounds,
    latest_checks,
    parse_fact_checks,
    parse_passes,
    read_since,
    record_check,
    record_passes,
    round_order,
    spot_check_rounds,
    summarise,
    tally_round,
)
from hrhlessons.errors import InvalidInput
from hrhlessons.ingest import bundled_cases_dir, load_fact_checks

HEADER = "id,checked_on,result,note\n"
TODAY = dt.date(2026, 11, 29)


def test_parse_and_format_round_trip() -> None:
    text = (HEADER + "b-case,2026-01-02,corrected,\"year fixed, source added\"\n"
            "a-case,2025-05-01,supported,all facts supported\n")
    checks = parse_fact_checks(text, today=TODAY)
    assert checks[0] == FactCheck("b-case", dt.date(2026, 1, 2), "corrected",
                                  "year fixed, source added")
    again = parse_fact_checks(format_fact_checks(checks), today=TODAY)
    assert sorted(checks) == again
    assert again[0].id == "a-case"          # the written log is sorted by id


def test_every_problem_is_located() -> None:
    text = (HEADER + "a,2026-13-01,supported,x\n"
            "b,2026-01-01,maybe,x\n"
            ",2026-01-01,supported,x\n"
            "c,2027-01-01,supported,x\n"
            "d,2026-01-01\n")
    with pytest.raises(InvalidInput) as err:
        parse_fact_checks(text, file="log.csv", today=TODAY)
    found = {(p.line, p.field) for p in err.value.problems}
    assert found == {(2, "checked_on"), (3, "result"), (4, "id"), (5, "checked_on"), (6, "")}
    assert all(p.file == "log.csv" for p in err.value.problems)


def test_wrong_header_is_refused() -> None:
    with pytest.raises(InvalidInput, match="header"):
        parse_fact_checks("case,date,result,note\n")


def test_latest_check_counts() -> None:
    checks = [FactCheck("a", dt.date(2025, 1, 1), "corrected", ""),
              FactCheck("a", dt.date(2026, 1, 1), "supported", ""),
              FactCheck("b", dt.date(2024, 6, 1), "corrected", ""),
              FactCheck("gone", dt.date(2026, 2, 1), "supported", "")]
    assert latest_checks(checks)["a"].result == "supported"
    summary = summarise(checks, ["a", "b", "c"])
    assert (summary.cases, summary.checked, summary.supported, summary.corrected) == (3, 2, 1, 1)
    assert summary.share == round(2 / 3, 4)
    assert summary.last_checked == dt.date(2026, 1, 1)   # "gone" is not in this registry


def test_summary_counts_what_each_case_s_latest_spot_check_found() -> None:
    note = ("Spot-check AB (x): S 9, W 1, C 0, N 0 of 10. "
            "Spot-check AC (y): S 10, W 0, C 0, N 0 of 10.")
    checks = [FactCheck("a", TODAY, "corrected", note),            # latest AC: clean
              FactCheck("b", TODAY, "corrected", "Spot-check AB (x): S 8, W 0, C 1, N 1 of 10."),
              FactCheck("c", TODAY, "supported", "Spot-check AC (y): S 7, W 0, C 0, N 3 of 10."),
              FactCheck("d", TODAY, "supported", "read by an editor, no round."),
              FactCheck("gone", TODAY, "supported", "Spot-check AC (y): S 5, W 0, C 0, N 0 of 5.")]
    summary = summarise(checks, ["a", "b", "c", "d", "e"])
    assert (summary.spot_checked, summary.latest_clean, summary.latest_with_finding,
            summary.latest_only_not_reached) == (3, 1, 1, 1)
    assert summary.to_dict()["latest_only_not_reached"] == 1
    # A close-call review after the reading found a weaker fact among those it graded
    # supported: the reading is no longer entirely supported. One that found none leaves it.
    reviewed = [FactCheck("a", TODAY, "corrected", note + " Close-call review after AC (z): "
                          "close calls 2: S 1, W 1, C 0, N 0."),
                FactCheck("c", TODAY, "supported", "Spot-check AC (y): S 7, W 0, C 0, N 3 of 10."
                          " Close-call review after AC (z): close calls 1: S 1, W 0, C 0, N 0.")]
    summary = summarise(reviewed, ["a", "c"])
    assert (summary.latest_clean, summary.latest_with_finding,
            summary.latest_only_not_reached) == (0, 1, 1)
    # A review logged before the latest reading speaks for an earlier one.
    earlier = [FactCheck("a", TODAY, "corrected", "Spot-check AB (x): S 10, W 0, C 0, N 0 of 10."
                         " Close-call review after AB (z): close calls 1: S 0, W 0, C 1, N 0."
                         " Spot-check AC (y): S 10, W 0, C 0, N 0 of 10.")]
    assert summarise(earlier, ["a"]).latest_clean == 1
    bad = [FactCheck("a", TODAY, "corrected", "Spot-check AB (x): S 9, W 1 of 11.")]
    with pytest.raises(InvalidInput, match="do not add up"):
        summarise(bad, ["a"], file="log.csv")


def test_facts_left_follow_the_latest_reading_and_the_passes_since() -> None:
    checks = [
        # A second try and a re-citing pass after the round: the last count stands.
        FactCheck("a", TODAY, "corrected",
                  "Spot-check AB (x): S 6, W 0, C 0, N 4 of 10. Second try after sample AB (y): "
                  "reached 1 of 4 facts not reached before: S 1, W 0, C 0; still not reached 3. "
                  "Re-citing pass after sample AB (z): reached 1 of 3 facts not reached before: "
                  "S 1, W 0, C 0; re-cited 1; still not reached 1."),
        # A try of an earlier round does not speak for a later reading.
        FactCheck("b", TODAY, "corrected",
                  "Spot-check AB (x): S 8, W 0, C 0, N 2 of 10. Second try after sample AB (y): "
                  "reached 0 of 2 facts not reached before: S 0, W 0, C 0; still not reached 2. "
                  "Spot-check AC (z): S 7, W 1, C 0, N 2 of 10."),
        # An editor's narrowing leaves the others as they stood.
        FactCheck("c", TODAY, "corrected",
                  "Spot-check AC (x): S 7, W 0, C 0, N 3 of 10. Editor's pass on the facts left "
                  "not reached (y): narrowed 1 of the 3 facts left not reached, the other 2 left "
                  "as they stood."),
        FactCheck("d", TODAY, "supported", "Spot-check AC (x): S 9, W 0, C 0, N 0 of 9."),
        FactCheck("e", TODAY, "supported", "read by an editor, no round.")]
    assert facts_left(checks) == {"a": 1, "b": 2, "c": 2, "d": 0, "e": None}
    # Two rows for one case: the latest round across them, as case_readings orders them.
    rows = [FactCheck("f", TODAY, "corrected", "Spot-check AC (x): S 5, W 0, C 0, N 5 of 10."),
            FactCheck("f", TODAY, "corrected", "Spot-check AC (y): S 7, W 0, C 0, N 3 of 10."),
            FactCheck("f", TODAY, "corrected", "Spot-check AB (x): S 9, W 0, C 0, N 1 of 10.")]
    assert facts_left(rows) == {"f": 3} and case_readings(rows)["f"][-1][1][3] == 3
    summary = summarise(checks, ["a", "b", "c", "d", "e"])
    assert (summary.facts_left, summary.cases_with_facts_left) == (5, 3)
    assert summarise(checks, ["d"]).to_dict()["facts_left"] == 0


def test_bundled_log_names_bundled_cases() -> None:
    checks = load_fact_checks()
    ids = [p.stem for p in bundled_cases_dir().glob("*.yaml")]
    assert sorted({c.id for c in checks} - set(ids)) == []   # no check names a missing case
    assert len({c.id for c in checks}) == len(checks)   # one check per case so far
    assert summarise(checks, ids).checked == len(checks)


def test_record_check_appends_to_the_running_row() -> None:
    checks = [FactCheck("a", dt.date(2026, 1, 1), "supported", "all found."),
              FactCheck("b", dt.date(2026, 1, 1), "corrected", "year fixed.")]
    out = record_check(checks, "a", TODAY, "  tag\n removed. ", corrected=True)
    assert out[0] == FactCheck("a", TODAY, "corrected", "all found. tag removed.")
    assert out[1] == checks[1]                       # other rows untouched
    # A pass that changes nothing keeps an earlier correction standing.
    again = record_check(out, "b", TODAY, "re-read, nothing changed.", corrected=False)
    assert latest_checks(again)["b"].result == "corrected"
    assert len(again) == 2


def test_record_check_starts_a_row_and_refuses_bad_passes() -> None:
    out = record_check([], "new", TODAY, "first pass", corrected=False)
    assert out == [FactCheck("new", TODAY, "supported", "first pass")]
    with pytest.raises(ValueError, match="empty"):
        record_check(out, "new", TODAY, "  ", corrected=True)
    with pytest.raises(ValueError, match="last checked on 2026-11-29"):
        record_check(out, "new", dt.date(2026, 1, 1), "older", corrected=True)
    with pytest.raises(ValueError, match="2026-11-30 is in the future"):
        record_check(out, "new", dt.date(2026, 11, 30), "later", corrected=True, today=TODAY)


def test_a_batch_of_passes_is_logged_whole_or_not_at_all() -> None:
    checks = [FactCheck("a", dt.date(2026, 1, 1), "supported", "all found.")]
    text = 'id,result,note\na,corrected,year fixed.\nb,supported,"  all\n found. "\n'
    passes = parse_passes(text, {"a", "b"})
    assert [(p.id, p.corrected, p.note, p.line) for p in passes] == [
        ("a", True, "year fixed.", 2), ("b", False, "all found.", 4)]   # line of the row's end
    out = record_passes(checks, passes, TODAY, today=TODAY)
    assert latest_checks(out) == {
        "a": FactCheck("a", TODAY, "corrected", "all found. year fixed."),
        "b": FactCheck("b", TODAY, "supported", "all found.")}


def test_a_bad_batch_names_every_line_and_field() -> None:
    text = ("id,result,note\nzz,corrected,x\na,maybe,x\na,supported,\n"
            "b,supported,x,extra\n")
    with pytest.raises(InvalidInput) as err:
        parse_passes(text, {"a", "b"}, file="round.csv")
    assert [str(p) for p in err.value.problems] == [
        "round.csv:2 [id]: no case record 'zz'",
        "round.csv:3 [result]: 'maybe' is not one of supported, corrected",
        "round.csv:4 [id]: 'a' is already on line 3",
        "round.csv:4 [note]: the note is empty: say what the check found or changed",
        "round.csv:5: a row needs exactly 3 columns"]
    with pytest.raises(InvalidInput, match="header must be id,result,note"):
        parse_passes("id,note\na,x\n", {"a"})
    # The log refuses a pass dated before the case's last check: the batch line is named.
    checks = [FactCheck("a", TODAY, "supported", "all found.")]
    late = parse_passes("id,result,note\nb,supported,x\na,supported,older\n", {"a", "b"},
                        file="round.csv")
    with pytest.raises(InvalidInput) as err:
        record_passes(checks, late, dt.date(2026, 6, 1), file="round.csv", today=TODAY)
    assert [str(p) for p in err.value.problems] == [
        "round.csv:3 [id]: a was last checked on 2026-11-29, after 2026-06-01"]
    with pytest.raises(InvalidInput, match="2026-11-30 is in the future"):
        record_passes(checks, late, dt.date(2026, 11, 30), today=TODAY)


def _check(case_id: str, note: str) -> FactCheck:
    return FactCheck(case_id, TODAY, "corrected", note)


ROUNDS_LOG = [
    _check("a-case", "Spot-check Z (old rules): S 9, W 1 of 10. Fixed. Spot-check AB (new rules; "
                     "8 look-ups): S 20, W 0, C 0, N 0 of 20. Nothing needed mending."),
    _check("b-case", "Spot-check AB (new rules; 8 look-ups): S 5, W 2, C 1, N 3 of 11. Mended."),
    _check("c-case", "Checked before it went in. Title pass AM: 3 titles: 3 shown."),
]


def test_spot_check_rounds_sum_each_rounds_counts_in_round_order() -> None:
    z, ab = spot_check_rounds(ROUNDS_LOG)
    assert (z.round, z.records, z.supported, z.weaker, z.contradicted, z.not_reached,
            z.clean) == ("Z", 1, 9, 1, 0, 0, 0)
    assert (ab.round, ab.records, ab.supported, ab.weaker, ab.contradicted, ab.not_reached,
            ab.clean) == ("AB", 2, 25, 2, 1, 3, 1)
    assert ab.facts == 31 and ab.share == round(25 / 31, 4)
    assert (z.flawed, ab.flawed) == (1, 1)      # a W in Z; a W and a C in one AB record
    assert tally_round("x", [(3, 0, 0, 2), (3, 0, 1, 0)]).flawed == 1   # N alone is no flaw
    assert ab.to_dict()["not_reached"] == 3 and ab.to_dict()["flawed"] == 1
    assert tally_round("none", []) == RoundTally("none", 0, 0, 0, 0, 0, 0, 0)


def test_a_round_tally_counts_findings_and_records_short_only_by_facts_not_reached() -> None:
    # One clean record, one short only by N, one with a W, one with a C and an N.
    t = tally_round("x", [(5, 0, 0, 0), (4, 0, 0, 2), (3, 1, 0, 0), (2, 0, 1, 1)])
    assert (t.clean, t.flawed) == (1, 2)
    assert t.findings == 2 and t.free_of_findings == 2 and t.only_unreached == 1
    # Not in the JSON contract: derived, so `spot-checks --format json` is unchanged.
    assert "findings" not in t.to_dict() and "only_unreached" not in t.to_dict()


def test_spot_check_counts_that_do_not_add_up_refuse_the_log() -> None:
    bad = [_check("a-case", "Spot-check AB (rules): S 5, W 2, C 0, N 0 of 8.")]
    with pytest.raises(InvalidInput, match=r"a-case: round AB counts .* do not add up to 8"):
        spot_check_rounds(bad)
    with pytest.raises(InvalidInput) as refused:
        last_rounds(bad, file="log.csv")
    assert refused.value.problems[0].file == "log.csv"


def test_close_call_counts_that_do_not_add_up_refuse_the_log() -> None:
    # The facts a review read must be its S + W + C + N, as a round's must be its total, and
    # it cannot find more weaker or contradicted facts than the reading before it graded
    # supported: either would change what coverage counts as that reading's findings.
    reading = "Spot-check AB (rules): S 3, W 0, C 0, N 1 of 4. "
    miscounted = [_check("a-case", reading + "Close-call review after AB (z): close calls 3: "
                         "S 1, W 1, C 0, N 0.")]
    with pytest.raises(InvalidInput, match=r"a-case: close-call review after AB counts "
                                           r"S 1, W 1, C 0, N 0 do not add up to 3"):
        spot_check_rounds(miscounted)
    too_many = [_check("a-case", reading + "Close-call review after AB (z): close calls 4: "
                       "S 0, W 3, C 1, N 0.")]
    with pytest.raises(InvalidInput, match=r"a-case: close-call review after AB finds 4 weaker "
                                           r"or contradicted facts .* supported only 3"):
        summarise(too_many, ["a-case"], file="log.csv")
    fine = [_check("a-case", reading + "Close-call review after AB (z): close calls 3: S 1, "
                   "W 1, C 1, N 0.")]
    assert summarise(fine, ["a-case"]).latest_with_finding == 1
    # A review belongs to the reading just before it in the note, not to a later one, and is
    # held to that reading's S even when another reading follows.
    earlier = [_check("a-case", reading + "Close-call review after AB (z): close calls 4: S 0, "
                      "W 4, C 0, N 0. Spot-check AC (y): S 9, W 0, C 0, N 0 of 9.")]
    with pytest.raises(InvalidInput, match=r"review after AB finds 4 .* supported only 3"):
        spot_check_rounds(earlier)
    ordered = [_check("a-case", reading + "Close-call review after AB (z): close calls 3: S 0, "
                      "W 3, C 0, N 0. Spot-check AC (y): S 9, W 0, C 0, N 0 of 9.")]
    assert summarise(ordered, ["a-case"]).latest_clean == 1


def test_last_rounds_orders_two_letter_rounds_after_one_letter_ones() -> None:
    assert last_rounds(ROUNDS_LOG) == {"a-case": "AB", "b-case": "AB", "c-case": None}
    assert case_rounds(ROUNDS_LOG) == {"a-case": ["Z", "AB"], "b-case": ["AB"], "c-case": []}
    # Both readings a note carries, with the counts an old note leaves out read as 0.
    assert case_readings(ROUNDS_LOG) == {"a-case": [("Z", (9, 1, 0, 0)), ("AB", (20, 0, 0, 0))],
                                         "b-case": [("AB", (5, 2, 1, 3))], "c-case": []}
    # a-case's finding in Z was followed by a clean AB; only b-case's latest reading found one.
    assert last_found(ROUNDS_LOG) == {"b-case"}
    # The log as it stood after Z: a-case's Z reading, its finding then the latest.
    assert case_readings(ROUNDS_LOG, up_to="Z") == {"a-case": [("Z", (9, 1, 0, 0))],
                                                    "b-case": [], "c-case": []}
    assert last_found(ROUNDS_LOG, up_to="Z") == {"a-case"}
    assert last_rounds(ROUNDS_LOG, up_to="Z") == {"a-case": "Z", "b-case": None, "c-case": None}
    # One parse gives both: each case's latest reading, and the cases it found something in.
    readings = last_readings(ROUNDS_LOG, up_to="Z")
    assert readings == {"a-case": ("Z", (9, 1, 0, 0)), "b-case": None, "c-case": None}
    assert found_in(readings) == {"a-case"} and found_in(last_readings(ROUNDS_LOG)) == {"b-case"}
    # Read since a round: from that round on (two-letter rounds after one-letter ones); a case
    # no round has read was not.
    latest = last_readings(ROUNDS_LOG)
    assert {c for c, r in latest.items() if read_since(r, "AB")} == {"a-case", "b-case"}
    assert {c for c, r in latest.items() if read_since(r, "AC")} == set()
    assert {c for c, r in readings.items() if read_since(r, "Y")} == {"a-case"}
    assert {c for c, r in readings.items() if read_since(r, "AA")} == set()
    assert sorted(["AB", "B", "BA", "AA", "Z", "AZ"], key=round_order) == [
        "B", "Z", "AA", "AB", "AZ", "BA"]
    # First read after a round: b-case (first read in AB) after Z, a-case (first read in Z) not;
    # c-case, which no round has read, is never among them.
    rounds = case_rounds(ROUNDS_LOG)
    assert first_read_after(rounds, "Z") == {"b-case"}
    assert first_read_after(rounds, "Y") == {"a-case", "b-case"}
    assert first_read_after(rounds, "AB") == set()


def test_draw_is_repeatable_from_its_seed_whatever_the_order_of_the_ids() -> None:
    ids = [f"case-{k:03d}" for k in range(200)]
    first = draw(ids, 10, "AT-2026-11-30")
    assert first == draw(list(reversed(ids)), 10, "AT-2026-11-30")
    assert first == sorted(first) and len(set(first)) == 10 and set(first) <= set(ids)
    assert draw(ids, 10, "another seed") != first
    assert draw(ids, 200, "x") == ids
    for n in (0, 201):
        with pytest.raises(ValueError, match=f"cannot draw {n} of 200"):
            draw(ids, n, "x")


def test_a_reading_is_clean_only_with_every_fact_supported_and_a_finding_is_w_or_c() -> None:
    assert [is_clean(r) for r in ((9, 0, 0, 0), (9, 0, 0, 1), (9, 1, 0, 0), (9, 0, 1, 0))] == [
        True, False, False, False]
    assert [has_finding(r) for r in ((9, 0, 0, 0), (9, 0, 0, 1), (9, 1, 0, 0), (9, 0, 1, 0))] == [
        False, False, True, True]


def test_round_labels_are_one_or_two_capitals() -> None:
    assert [is_round_label(x) for x in ("AT", "Z", "DP")] == [True, True, True]
    assert not any(map(is_round_label, ("", "dp", "ABC", "D1", " DP", "DP\n")))
