"""Docs that cannot drift: every command and option has help, and docs/cli.md is current."""

from __future__ import annotations

import functools
import itertools
import re
from pathlib import Path

import pytest

from hrhlessons.cases.coverage import is_failure
from hrhlessons.cases.factcheck import (
    CLOSE_CALL_COUNTS,
    ROUND_COUNTS,
    FactCheck,
    FactCheckSummary,
    RoundTally,
    case_readings,
    case_rounds,
    draw,
    first_read_after,
    has_finding,
    is_clean,
    is_round_label,
    last_found,
    last_readings,
    last_rounds,
    read_since,
    round_order,
    spot_check_rounds,
    summarise,
    tally_round,
)
from hrhlessons.cases.records import Batch
from hrhlessons.cases.vocab import Condition
from hrhlessons.clidocs import missing_help, render
from hrhlessons.ingest import load_fact_checks

ROOT = Path(__file__).resolve().parents[1]
HISTORY = "docs/review-history.md"


def test_every_command_and_option_has_help_text() -> None:
    assert missing_help() == []


def test_cli_reference_is_generated_from_the_code() -> None:
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == render(), (
        "docs/cli.md is out of date: run 'python -m hrhlessons.clidocs > docs/cli.md'")


def test_readme_shows_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


@functools.cache
def _checks() -> tuple[FactCheck, ...]:
    # The fact-check log (2.4 MB) is read and parsed once for every test here.
    return tuple(load_fact_checks())


def _log_notes() -> tuple[tuple[str, str], ...]:
    return tuple((check.id, check.note) for check in _checks())


def _logged(pattern: str) -> list[tuple[str, tuple[int, ...]]]:
    """``(case id, counts)`` for each log note with ``pattern``; a count it leaves out is 0."""
    logged = re.compile(pattern)
    return [(case_id, tuple(int(g or 0) for g in found.groups()))
            for case_id, note in _log_notes() if (found := logged.search(note))]


def _column_sums(rows: list[tuple[str, tuple[int, ...]]]) -> tuple[int, ...]:
    """Each count summed over the records of ``_logged`` rows."""
    return tuple(sum(column) for column in zip(*(counts for _, counts in rows), strict=True))


# Each spot-check round's per-record counts are in the fact-check log ("Spot-check AF: S 63, W 1
# of 64"), and `hrh-lessons spot-checks` sums them (cases.factcheck.spot_check_rounds). The
# history's totals for a round were typed by hand from those counts; they are held to the
# command's sums here, so a later edit of either cannot drift unnoticed, and a round logged
# but not stated fails. Rounds AF to AH are stated together, with the records added then,
# whose note says "checked by an independent checker (no log seen): S .., W .. of ..".
_AF_TO_AH = r"(?:Spot-check A[FGH]\b[^:]*|checked by an independent checker \(no log seen\))"


@functools.cache
def _tallies() -> dict[str, RoundTally]:
    tallies = {t.round: t for t in spot_check_rounds(_checks())}
    records = []
    for case_id, (s, w, c, n, total) in _logged(_AF_TO_AH + ROUND_COUNTS):
        assert s + w + c + n == total, case_id
        records.append((s, w, c, n))
    tallies["AF-AH"] = tally_round("AF-AH", records)
    return tallies


ROUNDS = ("AF-AH", *(r for r in _tallies()
                    if r != "AF-AH" and round_order(r) >= round_order("AI")))


@functools.cache
def _folded(path: str) -> str:
    """A document of the repository with its whitespace folded, as statements are sought."""
    return " ".join((ROOT / path).read_text(encoding="utf-8").split())


def _history() -> str:
    """docs/review-history.md, where README.md sends readers for the review round by round."""
    return _folded(HISTORY)


def _assert_in_history(*statements: str) -> None:
    """Each statement is in the review history (whitespace folded); the failure lists those
    missing."""
    missing = [stated for stated in statements if stated not in _history()]
    assert missing == [], f"{HISTORY} does not state: {missing}"


def _assert_after(anchor: str, *statements: str, within: int) -> None:
    """Each statement is in the review history within ``within`` characters after ``anchor``
    (a round's totals, say), for short sentences that recur from round to round; where the
    anchor itself recurs, after one of its occurrences. The failure lists those missing after
    the first."""
    history = _history()
    starts = [found.start() for found in re.finditer(re.escape(anchor), history)]
    assert starts, f"{HISTORY} does not state: {anchor!r}"
    missing = [[stated for stated in statements if stated not in history[at:at + within]]
               for at in starts]
    assert [] in missing, f"{HISTORY} does not state, after {anchor!r}: {missing[0]}"


def _stated(t: RoundTally) -> str:
    graded = (f"{t.weaker} weaker, {t.not_reached} not reached, none contradicted"
              if t.contradicted == 0
              else f"{t.weaker} weaker, {t.contradicted} contradicted, {t.not_reached} not reached")
    return (f"{t.supported:,} of {t.facts:,} facts supported ({100 * t.supported / t.facts:.1f}%)"
            f", {graded}; {t.clean} of the {t.records} records entirely supported")


@pytest.mark.parametrize("round_", ROUNDS)
def test_history_figures_for_each_spot_check_round_are_the_logged_counts(round_: str) -> None:
    tally = _tallies().get(round_)
    assert tally is not None and tally.records, f"no fact-check row carries round {round_}'s counts"
    assert _stated(tally) in _history(), f"{HISTORY} does not state round {round_}'s logged totals"


def test_round_totals_are_rendered_as_the_readme_writes_them() -> None:
    counts = [(63, 1, 0, 0), (40, 0, 0, 0), (1000, 2, 1, 7)]
    assert _stated(tally_round("X", counts)) == (
        "1,103 of 1,114 facts supported (99.0%), 3 weaker, 1 contradicted, 7 not reached; "
        "1 of the 3 records entirely supported")
    assert _stated(tally_round("X", counts[:2])).startswith(
        "103 of 104 facts supported (99.0%), 1 weaker, 0 not reached, none contradicted;")


# From ES the draws took ten at a time from the records no draw from EM had read (`draw 10
# --before EM`), not from all 283: their notes say so, and they are summed apart.
_FROM_THE_UNREAD = "records that no draw from EM had read"


@functools.cache
def _from_the_unread() -> frozenset[str]:
    """The rounds that drew from the records no draw from EM had read (ES, ET, ...)."""
    return frozenset(_stated_per_round(f"({_FROM_THE_UNREAD})"))


def _draws() -> list[RoundTally]:
    """The random draws of ten from all the records (AJ, AK, AN, AQ, AT, AW, ...), in order."""
    return sorted((t for t in _tallies().values()
                   if t.records == 10 and t.round not in _from_the_unread()),
                  key=lambda t: round_order(t.round))


def _unread_draws() -> list[RoundTally]:
    """The draws of ten from the records no draw from EM had read (ES, ...), in order."""
    return sorted((_tallies()[label] for label in _from_the_unread()),
                  key=lambda t: round_order(t.round))


def _draws_between(first: str, last: str) -> list[RoundTally]:
    """The random draws from round ``first`` to round ``last``, both included, in order."""
    return [t for t in _draws()
            if round_order(first) <= round_order(t.round) <= round_order(last)]


def _listed(items: list[str] | tuple[str, ...], conjunction: str = "and") -> str:
    """'a, b and c' (or 'a, b or c'), as the history lists counts and rounds."""
    return (", ".join(items[:-1]) + f" {conjunction} " + items[-1]) if len(items) > 1 else items[0]


_ONES = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _in_words(n: int) -> str:
    """A count as the history spells it ("nine draws", "sixteen times", "one hundred and two
    draws"; 0 is "none"), up to 999, so a sentence's words follow the log as its figures do."""
    if n >= 100:
        hundreds = f"{_ONES[n // 100]} hundred"
        return hundreds if n % 100 == 0 else f"{hundreds} and {_in_words(n % 100)}"
    if n < 20:
        return _ONES[n]
    tens = _TENS[n // 10 - 2]
    return tens if n % 10 == 0 else f"{tens}-{_ONES[n % 10]}"


def test_counts_are_spelt_as_the_history_spells_them() -> None:
    assert [_in_words(n) for n in (0, 7, 16, 20, 21, 45, 99, 100, 102, 120)] == [
        "none", "seven", "sixteen", "twenty", "twenty-one", "forty-five", "ninety-nine",
        "one hundred", "one hundred and two", "one hundred and twenty"]


def _all_last_in(up_to: str, latest: tuple[str, ...],
                 count: int) -> tuple[str, tuple[str, ...], int, str]:
    # A re-read worded the history's usual way: "re-read all 42 records whose last sample up to
    # BT was in BL or BM".
    return (up_to, latest, count, f"re-read all {count} records whose last sample up to "
                                  f"{up_to} was in {_listed(latest, 'or')}")


# The rounds that re-read every record whose latest round up to an earlier one was among some
# rounds: round -> (up to, latest rounds, how many, the history's words for it).
RE_READS_OF_ALL = {
    "AV": ("AU", ("AO", "AP"), 115, "re-read all 115 records whose last sample up to AU"),
    "AX": _all_last_in("AW", ("AR", "AQ", "AT"), 62),
    "BF": ("BE", ("AX",), 59, "re-read all 59 records whose last sample was in AX"),
    "BH": ("BG", ("AV", "AS"), 90, "re-read all 90 records whose last sample was in AV or AS"),
    "BK": ("BJ", ("AZ", "AU"), 35, "re-read all 35 records whose last sample was in AZ or AU"),
    "BM": _all_last_in("BL", ("BD",), 35),
    "BN": _all_last_in("BM", ("AW", "AY", "BA", "BB"), 30),
    "BP": _all_last_in("BO", ("BH",), 75),
    "BQ": _all_last_in("BP", ("BF",), 48),
    "BR": _all_last_in("BQ", ("BC", "BE"), 18),
    "BT": _all_last_in("BS", ("BG", "BI", "BJ", "BK"), 57),
    "BU": _all_last_in("BT", ("BL", "BM"), 42),
    "BW": _all_last_in("BV", ("BN", "BO"), 37),
    "BX": _all_last_in("BW", ("BP",), 73),
    "CA": _all_last_in("BZ", ("BQ", "BR", "BS"), 59),
    "CB": _all_last_in("CA", ("BT",), 50),
    "CE": _all_last_in("CD", ("BU", "BW"), 67),
    "CL": _all_last_in("CK", ("BV", "BY", "BZ", "CC"), 30),
    "DD": _all_last_in("DC", ("BX", "CE"), 73),
    "DG": _all_last_in("DF", ("CA", "CB", "CL"), 50),
    "DL": _all_last_in("DK", ("DD",), 61),
    # EF re-read those whose latest reading still counted a null source year (rounds up to CU).
    "EF": _all_last_in("EE", ("CD", "CF", "CG", "CH", "CJ", "CK", "CM", "CN", "CO", "CP", "CQ",
                              "CR", "CS", "CT", "CU"), 27),
}


def test_history_samples_from_at_on_are_re_drawn_from_the_log() -> None:
    # The history: "`draw 10 --seed AT-2026-11-30` on the 283 records gives sample AT". The records
    # there were then are those some round up to AT had re-read (each record had been re-read
    # by then; one added later has only later rounds), and the log names the records each
    # round read (cases.factcheck.case_rounds; `draw --last-round R --up-to L` reads the log as
    # it stood after round L, as last_rounds(up_to=L) does here).
    rounds = case_rounds(_checks())

    def read_in(label: str) -> list[str]:
        return sorted(i for i, found in rounds.items() if label in found)

    def last_in(label: str, latest: tuple[str, ...]) -> list[str]:
        # Records whose latest round up to ``label`` was one of ``latest``.
        then = last_rounds(_checks(), up_to=label)
        return [i for i in pool if then[i] in latest]

    pool = sorted(i for i, found in case_rounds(_checks(), up_to="AT").items() if found)
    readme = _history()
    assert len(pool) == 283 and "on the 283 records gives sample AT" in readme
    assert draw(pool, 10, "AT-2026-11-30") == read_in("AT")
    # AU drew 15 from the 130 last re-read in AO or AP (AV then re-read all those left).
    assert len(last_in("AT", ("AO", "AP"))) == 130
    assert "(seed \"AU-2026-11-30\") from the 130 last re-read" in readme
    assert draw(last_in("AT", ("AO", "AP")), 15, "AU-2026-11-30") == read_in("AU")
    # AZ re-read 29 of the records whose latest round up to AY was AS (those citing the most
    # source years not in their address, a count its own mends have since lowered).
    last_as = set(last_in("AY", ("AS",)))
    assert set(read_in("AZ")) <= last_as and len(read_in("AZ")) == 29
    assert "sample AZ re-read the 29 records last sampled in AS" in readme
    # BA re-read 12 others of them.
    assert set(read_in("BA")) <= last_as - set(read_in("AZ")) and len(read_in("BA")) == 12
    assert "the next 12 records last sampled in AS" in readme
    # BD drew 40 of the records whose latest round up to BC was AV.
    last_av = last_in("BC", ("AV",))
    assert len(last_av) == 98 and "from the 98 whose last sample was in AV" in readme
    assert draw(last_av, 40, "BD-2026-11-30") == read_in("BD")
    for label, (before, latest, count, stated) in RE_READS_OF_ALL.items():
        assert read_in(label) == last_in(before, latest) and len(read_in(label)) == count, label
        assert stated in readme, label
    # The random draws in between took ten from all of them again (AW, AY, BB after the
    # source-date pass, BC after its second step, BE, BG, BI after BH, BJ after the further
    # try, BL after BK, BO after BN, BS after BR, BV after BU, BY after BX, BZ after BY, CC
    # after CB, then CD, CF, CG, CH, CI, CJ, CK, CM, CN, CO, CP, CQ, CR, CS, CT and CU with more
    # look-ups a record, CV, CW, CX, CY, CZ, DA and DB with null source years not counted as
    # facts, DC after the codes-and-lessons audit, DE and DF after the re-read DD, DH, DI, DJ
    # and DK, drawn on 2026-12-01, after the re-read DG, DM, DN, DO and DP after the re-read
    # DL, DR and DS after the re-read of findings DQ, DU and DV after the re-citing pass, DW
    # and DX after them, DY after the codes-and-lessons audit after DX, DZ and EA after the
    # fourth re-citing pass, EB and EC after them, ED after those, EE after the fifth
    # re-citing pass, EG after the re-read EF, with EH, EI and EJ after them, EK after those,
    # and EL after EK; EM to ER with a look-up for every cited page, FP to FR once every record
    # had been so read, FS to FU after the lessons-and-factors audit after FR, FV to FX after
    # them, FY to GA after the close-call review after FX, GB and GC after the one after GA, and
    # GD to GH after the start-year search after GC, GI after the monitoring audit after GH, and
    # GJ, GK and GL after it, GN after the close-call review after GM, and GO, GP and GQ after
    # it, and GS after the close-call review after GR). Each drew from the records then held: the
    # 283, from GN the two added after GL too, and from GS the three first read in GR (`draw
    # --as-of` leaves out the records first read after a round).
    after_at = [t.round for t in _draws() if round_order(t.round) > round_order("AT")]
    assert len(after_at) == 102
    seeds = _seeds()
    for label in after_at:
        seed = seeds[label]
        then = sorted(rounds.keys() - first_read_after(rounds, label))
        assert seed.startswith(f"{label}-"), label
        assert f'ten from all {len(then)} records (sample {label}, seed "{seed}"' in readme
        assert draw(then, 10, seed) == read_in(label)
    assert {len(rounds.keys() - first_read_after(rounds, label))
            for label in ("GL", "GN", "GS")} == {283, 285, 288}


@functools.cache
def _added_after_gl() -> frozenset[str]:
    """The records added to the registry after the close-call review after GL, two first read
    in GM and three in GR: no earlier round, audit or search could read them, so the tests of
    those leave them out."""
    return frozenset(first_read_after(case_rounds(_checks()), "GL"))


ADDED_IN_GR = {"lso-us-funded-health-workers", "swz-us-funded-health-workers",
               "bgd-community-based-skilled-birth-attendants"}


def test_records_added_after_gl_and_draw_as_of_leaves_them_out(bundled_batch: Batch) -> None:
    # "a sample drawn before can be drawn again with `--as-of` a round before GM (`draw 10
    # --seed CO-2026-11-30 --as-of GL` gives CO)": the bundled records less those first read
    # after GL, as the command draws from them. Two were first read in GM and three in GR,
    # after the draws GN to GQ, which drew from the 285 then held.
    assert _added_after_gl() == {"tza-us-funded-health-workers", "zmb-us-funded-health-workers",
                                 *ADDED_IN_GR}
    assert first_read_after(case_rounds(_checks()), "GQ") == ADDED_IN_GR
    registry = {case.id for case in bundled_batch.cases}
    assert len(registry) == 288 and _added_after_gl() <= registry
    rounds = case_rounds(_checks())
    then = registry - _added_after_gl()
    for label in ("AT", "CO", "GL"):
        seed = _seeds()[label]
        assert draw(then, 10, seed) == sorted(i for i, r in rounds.items() if label in r)
    # Drawn from all 288, the seed gives another sample: why --as-of is needed.
    assert draw(registry, 10, _seeds()["CO"]) != draw(then, 10, _seeds()["CO"])
    _assert_in_history("`draw 10 --seed CO-2026-11-30 --as-of GL` gives sample CO again")


def _not_read_since_em(up_to: str) -> list[str]:
    """The records no draw from EM had read, with the log as it stood after round ``up_to``
    (`draw --before EM --up-to`, cases.factcheck.read_since)."""
    return [i for i, reading in last_readings(_checks(), up_to=up_to).items()
            if not read_since(reading, "EM") and i not in _added_after_gl()]


def test_history_draws_from_the_records_no_draw_from_em_had_read_are_re_drawn_from_the_log(
        ) -> None:
    # "A first draw of ten from the 228 records that no draw from EM had read (sample ES, seed
    # "ES-2026-12-01")": `draw 10 --seed ES-2026-12-01 --before EM --up-to ER` gives ES, and
    # each later draw the same way with --up-to the round before it, whose records it leaves
    # out (cases.factcheck.read_since).
    rounds = case_rounds(_checks())
    labels = sorted((r for r in _tallies() if is_round_label(r)), key=round_order)
    seeds = _seeds()
    unread = [t.round for t in _unread_draws()]
    assert unread[:2] == ["ES", "ET"]
    for k, label in enumerate(unread):
        before = labels[labels.index(label) - 1]
        assert before == (unread[k - 1] if k else "ER"), label
        pool = _not_read_since_em(before)
        assert len(pool) == 228 - 10 * k, label
        # The last draw, FO, took all 8 that were left.
        n = min(10, len(pool))
        assert draw(pool, n, seeds[label]) == sorted(i for i, r in rounds.items() if label in r)
        _assert_in_history(f"{'ten from the' if n < len(pool) else 'all'} {len(pool)} records "
                           f'that no draw from EM had read (sample {label}, seed "{seeds[label]}"')
    # After FO every record had been read with a look-up for each page it cites: the 55 the
    # draws EM to ER read and the 228 the draws from ES read.
    assert _not_read_since_em(unread[-1]) == []
    wide = _read_in(tuple(t.round for t in _draws_between("EM", "ER")))
    assert len(wide) == 55 and len(wide) + 228 == len(rounds) - len(_added_after_gl()) == 283
    _assert_in_history("every one of the 283 records had been read with a look-up for each page "
                       "it cites: the 55 that EM to ER drew and the 228 that the draws from ES to "
                       f"{unread[-1]} drew")
    # "Those first full readings found a weaker fact in more than half of the records, one
    # contradicted code among them" (FI's, in a record with weaker facts too).
    tallies = _unread_draws()
    assert 2 * _total(tallies, "flawed") > _total(tallies, "records") == 228
    assert _total(tallies, "contradicted") == 1
    _assert_in_history("Those first full readings found a weaker fact in more than half of the "
                       "records, one contradicted code among them")


def _latest_findings(up_to: str) -> dict[str, tuple[int, int, int, int]]:
    """The records whose latest reading up to round ``up_to`` found a weaker or contradicted
    fact (cases.factcheck.last_found, as `draw --last-finding --up-to` reads the log), with
    that reading's counts."""
    then = case_readings(_checks(), up_to=up_to)
    return {case_id: then[case_id][-1][1] for case_id in last_found(_checks(), up_to=up_to)}


def test_history_every_record_has_been_read_by_the_rules_of_cv_on_since_ef() -> None:
    # "Sample EF then re-read all 27 records whose last sample up to EE was in CD, ... or CU, the
    # rounds that still counted a null source year as a fact, so that every record has now been
    # read by the rules the draws use": after EF no record's latest reading is before CV.
    latest = {i: r for i, r in last_rounds(_checks(), up_to="EF").items()
              if i not in _added_after_gl()}
    assert len(latest) == 283
    assert [i for i, r in latest.items() if r is None or round_order(r) < round_order("CV")] == []
    before = last_rounds(_checks(), up_to="EE")
    assert sum(r is not None and round_order(r) < round_order("CV") for r in before.values()) == 27
    _assert_in_history("so that every record has now been read by the rules the draws use")


def test_history_figures_for_the_editors_pass_on_the_facts_left_are_the_logged_counts() -> None:
    # "In an editor's pass on the facts left (no look-ups) the editor narrowed 38 facts in 28
    # records": each record's note gives how many of the facts it had left it narrowed.
    rows = _logged(r"Editor's pass on the facts left not reached \([^:]*\): narrowed (\d+) of "
                   r"the (\d+) facts left not reached, the other (\d+) left as they stood")
    for case_id, (narrowed, left, other) in rows:
        assert 0 < narrowed <= left and narrowed + other == left, case_id
    narrowed = sum(counts[0] for _, counts in rows)
    _assert_in_history(f"the editor narrowed {narrowed} facts in {len(rows)} records to what "
                       "their pages show")


@pytest.mark.parametrize(("re_read", "up_to"), [("DQ", "DP"), ("DT", "DS")])
def test_history_re_read_of_findings_is_every_record_whose_latest_reading_found_one(
        re_read: str, up_to: str) -> None:
    # "Sample DQ then re-read all 84 records whose latest sample up to DP had found a weaker or
    # contradicted fact (136 such facts in those readings, all since mended; `draw
    # --last-finding --up-to DP` gives the set)"; DT did the same for the records DQ, DR and DS
    # had found such facts in.
    pool = _latest_findings(up_to)
    read = {case_id for case_id, found in _readings().items()
            if any(label == re_read for label, _ in found)}
    assert read == pool.keys()
    found_before = sum(counts[1] + counts[2] for counts in pool.values())
    _assert_in_history(
        f"re-read all {len(pool)} records whose latest sample up to {up_to} had found a weaker "
        f"or contradicted fact ({found_before} such facts")
    if re_read == "DQ":
        _assert_in_history(f"`draw --last-finding --up-to {up_to}` gives the set")


def test_history_compares_dq_with_the_same_records_previous_readings() -> None:
    # "one finding in every twenty-eight records, against 136 in the same records' previous
    # readings"
    found_before = sum(counts[1] + counts[2] for counts in _latest_findings("DP").values())
    dq = _tallies()["DQ"]
    _assert_in_history(
        f"one finding in every {_in_words(round(dq.records / dq.findings))} records, "
        f"against {found_before} in the same records' previous readings")


def _seeds() -> dict[str, str]:
    """Each random draw's seed as its log notes give it ("Spot-check DF (... seed
    DF-2026-11-30, ...)")."""
    return _stated_per_round(r"seed ([A-Z]{1,2}-\d{4}-\d\d-\d\d)")


def _stated_per_round(value: str) -> dict[str, str]:
    """What the log notes state of each round in its parenthesis ("Spot-check CD (... with at
    most 20 look-ups per record): ..."), ``value`` capturing it, read in one pass over the log;
    a round whose notes state two values fails."""
    stated = re.compile(r"Spot-check ([A-Z]{1,2}) \([^:]*" + value)
    found: dict[str, set[str]] = {}
    for _, note in _log_notes():
        for m in stated.finditer(note):
            found.setdefault(m.group(1), set()).add(m.group(2))
    assert all(len(v) == 1 for v in found.values()), {r: v for r, v in found.items() if len(v) > 1}
    return {r: v.pop() for r, v in found.items()}


def _draws_to_cu() -> list[RoundTally]:
    """The random draws graded with a null source year counted as part of its entry (to CU)."""
    return [t for t in _draws() if round_order(t.round) <= round_order("CU")]


def _total(group: list[RoundTally], count: str) -> int:
    """One of RoundTally's counts ("facts", "findings", "clean", ...) summed over rounds."""
    return sum(getattr(t, count) for t in group)


def _rate(group: list[RoundTally]) -> float:
    """The share of a group's facts that drew a finding."""
    return _total(group, "findings") / _total(group, "facts")


def _found(group: list[RoundTally], of: str = "of", noun: str = "") -> str:
    """Findings over facts as the history words them: "22 of 4,021 (0.5%)", or with ``of`` and
    ``noun`` "58 of their 3,635 facts (1.6%)"."""
    return (f"{_total(group, 'findings')} {of} {_total(group, 'facts'):,}{noun} "
            f"({100 * _rate(group):.1f}%)")


def test_history_sums_the_random_draws_of_ten_from_the_log() -> None:
    # The history lists each random draw up to CU's count of records entirely supported, in
    # order, and sums them; the draws from CV on, graded with null source years not counted,
    # are summed apart (below).
    draws = _draws_to_cu()
    assert len(draws) == 36
    *earlier, last = (str(t.clean) for t in draws)
    facts = sum(t.facts for t in draws)
    found = sum(t.findings for t in draws)
    per_record = facts / sum(t.records for t in draws)
    # Share of facts with a finding at which a draw of ten is clean half the time.
    half_clean = 1 - 0.5 ** (1 / (10 * per_record))
    times_lower = found / facts / half_clean
    assert 12.5 < times_lower < 13.5  # "about thirteen times lower"
    _assert_in_history(f"The {_in_words(len(draws))} draws up to CU ({', '.join(earlier)} and "
                       f"{last} of 10 entirely",
                       f"Over the {_in_words(len(draws))} draws {sum(t.clean for t in draws)} "
                       f"of the {10 * len(draws)} records were entirely supported, and {found} of "
                       f"{facts:,} facts ({100 * found / facts:.1f}%) were weaker or contradicted",
                       f"With about {round(per_record)} facts a record",
                       f"fewer than about one fact in {round(1 / half_clean, -2):.0f} could draw "
                       f"a finding, a rate about {_in_words(round(times_lower))} times lower")
    # "The four draws before BS found the fewest so far (3 of 533, 4 of 500, 2 of 570 and 2 of
    # 585 facts, 0.6%, 0.8%, 0.4% and 0.3%, against 1.9% to 4.4% in the 11 draws before them),
    # and 7, 7, 8 and 8 of the 10 records in them had no weaker or contradicted fact; ... 21 of
    # those 40 records fell short of entirely supported only by facts not reached. The fourteen
    # draws since ... found 11 of 586 (1.9%), ... and 10 of 620 (1.6%), with 3, 7, 8, ..., 8
    # and 6 of their 10 records free of findings. Over those eighteen draws 113 of 10,032 facts
    # (1.1%) drew a finding and 112 of the 180 records had none, while 85 of the 180 fell short
    # of entirely supported only by facts not reached".
    # BS is where the checkers' rules changed; the groups are counted from it, not restated.
    at = [t.round for t in draws].index("BS")
    before, four, since = draws[:at - 4], draws[at - 4:at], draws[at:]
    rates = [100 * t.findings / t.facts for t in draws]
    earlier_rates, latest_four = rates[:at - 4], rates[at - 4:at]
    assert max(latest_four) < min(earlier_rates)

    recent = [*four, *since]
    recent_found = sum(t.findings for t in recent)
    recent_facts = sum(t.facts for t in recent)
    _assert_in_history(
        f"The {_in_words(len(four))} draws before {since[0].round} found the fewest so far ("
        + _listed([f"{t.findings} of {t.facts}" for t in four]) + " facts, "
        + _listed([f"{r:.1f}%" for r in latest_four]) + f", against {min(earlier_rates):.1f}% to "
        f"{max(earlier_rates):.1f}% in the {len(before)} draws before them)",
        _listed([str(t.free_of_findings) for t in four])
        + " of the 10 records in them had no weaker",
        f"{sum(t.only_unreached for t in four)} of those {10 * len(four)} records fell short "
        "of entirely supported only by facts not reached",
        f"The {_in_words(len(since))} draws since, read under the same rules, found "
        + _listed([f"{t.findings} of {t.facts} ({100 * t.findings / t.facts:.1f}%)"
                   for t in since])
        + ", with " + _listed([str(t.free_of_findings) for t in since])
        + " of their 10 records free of findings",
        f"Over those {_in_words(len(recent))} draws {recent_found} of {recent_facts:,} facts "
        f"({100 * recent_found / recent_facts:.1f}%) drew a finding and "
        f"{sum(t.free_of_findings for t in recent)} of the {10 * len(recent)} records had none, "
        f"while {sum(t.only_unreached for t in recent)} of the {10 * len(recent)} fell short of "
        "entirely supported "
        "only by facts not reached")
    # "... the pages the search tool does not return now keep more records from a clean result
    # than findings do".
    assert sum(t.only_unreached for t in recent) > sum(t.flawed for t in recent)
    # "(the two draws read with at most 14 and 12 look-ups a record, BZ and CC, found none of
    # their ten records entirely supported; the nine since, CD, CF, CG, CH, CI, CJ, CK, CM and
    # CN, read with up to 20, found three, one, one, one, one, two, none, none and none, while
    # four, four, five, five, two, five, three, eight and six others fell short only by facts
    # not reached)": the latest draws are those read with the latest draw's look-up limit, and the
    # limits are the ones their log notes give.
    limits = _look_up_limits()
    limit = {t.round: limits[t.round] for t in since}
    more = list(itertools.takewhile(lambda t: limit[t.round] == limit[draws[-1].round],
                                    reversed(since)))[::-1]
    fewer = since[len(since) - len(more) - 2:len(since) - len(more)]
    assert all(limit[t.round] < limit[more[0].round] for t in fewer)
    assert [t.clean for t in fewer] == [0, 0]
    _assert_in_history(
        f"the {_in_words(len(fewer))} draws read with at most "
        + _listed([str(limit[t.round]) for t in fewer])
        + f" look-ups a record, {_listed([t.round for t in fewer])}, found none of their ten "
        f"records entirely supported; the {_in_words(len(more))} since, "
        + _listed([t.round for t in more]) + f", read with up to {limit[more[0].round]}, found "
        + _listed([_in_words(t.clean) for t in more]) + ", while "
        + _listed([_in_words(t.only_unreached) for t in more])
        + " others fell short only by facts not reached")
    # "In the last two draws 13 of the 20 records fell short of a clean result only through
    # facts not reached".
    last_two = draws[-2:]
    _assert_in_history(f"In the last two draws {sum(t.only_unreached for t in last_two)} of the "
                       f"{10 * len(last_two)} records fell short of a clean result only through "
                       "facts not reached")
    # "The seven draws CO to CU found 22 of 4,021 facts (0.5%) with a finding, half the rate of
    # the eighteen before them, and 54 of their 70 records free of findings; the three after the
    # lessons-and-factors audit (CS, CT and CU) found 10 of 1,691 (0.6%), against 12 of 2,330
    # (0.5%) in the four before it".
    labels = [t.round for t in draws]
    co, cs = labels.index("CO"), labels.index("CS")
    session, before_session = draws[co:labels.index("CU") + 1], recent[:co - (at - 4)]
    before_audit, after_audit = draws[co:cs], session[cs - co:]
    assert 0.4 < _rate(session) / _rate(before_session) < 0.6  # "half the rate of the eighteen"
    _assert_in_history(
        f"The {_in_words(len(session))} draws CO to CU found "
        f"{_found(session, noun=' facts')} with a finding, half the rate of the "
        f"{_in_words(len(before_session))} before them, and "
        f"{_total(session, 'free_of_findings')} of their {10 * len(session)} records free "
        f"of findings; the {_in_words(len(after_audit))} after the lessons-and-factors audit ("
        + _listed([t.round for t in after_audit]) + f") found {_found(after_audit)}, against "
        f"{_found(before_audit)} in the {_in_words(len(before_audit))} before it")


def test_history_sums_the_draws_from_cv_apart() -> None:
    # "The seven draws CV to DB, read with up to 20 look-ups a record and null
    # source years not counted as facts, found two, ..., four of their ten records entirely
    # supported, 18 of 70, against 11 of 70 in the seven draws CO to CU; they left 1.7 facts
    # not reached a record against 2.7, and 21 of their records fell short only by facts not
    # reached, against 43. But 58 of their 3,635 facts (1.6%) drew a finding, against 22 of
    # 4,021 (0.5%) in CO to CU, and 39 of the 70 records had none, against 54."
    draws = _draws()
    labels = [t.round for t in draws]
    cv, co, dc = labels.index("CV"), labels.index("CO"), labels.index("DC")
    since, before = draws[cv:dc], draws[co:cv]
    limits = _look_up_limits()
    assert {limits[t.round] for t in draws[co:dc]} == {20}  # "read with up to 20", as CO to CU
    # DC, after the codes-and-lessons audit, had what the session's look-ups left: "at most 13
    # look-ups per record"; it, DE and DF (after the re-read DD, at 20 again), DH to DK (after
    # the re-read DG, at 20), DM to DP (after the re-read DL, at 20), DR and DS (after the
    # re-read DQ, at 20), DU to DX (after the re-citing pass, at 20), DY, and DZ onward
    # (after the fourth re-citing pass, at 20) are stated on their own, and all the draws are
    # counted together.
    assert limits["DC"] == 13 and labels[dc:labels.index("DZ")] == [
        "DC", "DE", "DF", "DH", "DI", "DJ", "DK", "DM", "DN", "DO", "DP", "DR", "DS", "DU", "DV",
        "DW", "DX", "DY"]
    # DY, after the second codes-and-lessons audit, EE, after the fifth re-citing pass, and EL had
    # what their sessions' look-ups left: "at most 15 (12) look-ups per record".
    short = {"DY": 15, "EE": 12, "EL": 12}
    assert {label: limits[label] for label in short} == short
    # From EM the draws gave each record as many look-ups as it cites sources plus ten, a limit
    # their notes state in words and no number.
    per_source = sorted(_stated_per_round(r"with at most (as many look-ups per record as it "
                                          r"cites sources plus ten)"), key=round_order)
    unread = [t.round for t in _unread_draws()]
    # GR, the first reading of the three records added after GQ, gave each the same limit.
    first_readings = ["GR"]
    assert per_source == sorted(labels[labels.index("EM"):] + unread + first_readings,
                                key=round_order)
    assert not set(per_source) & set(limits)
    assert {limits[label] for label in labels[dc + 1:]
            if label not in short and label not in per_source} == {20}
    for label in short:  # each stated in its own draw's opening sentence
        _assert_after(f"(sample {label}, seed", f"but with at most {limits[label]} look-ups per "
                       "record, since the session's", within=250)
    for label in per_source:
        opening = (f"(sample {label}, by the rules of AW" if label in first_readings
                   else f"(sample {label}, seed")
        _assert_after(opening, "with at most as many look-ups per record as it cites sources "
                      "plus ten", within=250)

    def unreached_a_record(group: list[RoundTally]) -> str:
        return f"{_total(group, 'not_reached') / _total(group, 'records'):.1f}"

    _assert_in_history(
        f"The {_in_words(len(since))} draws {since[0].round} to {since[-1].round}, read with up "
        "to 20 look-ups a record and null source years not counted as facts, found "
        + _listed([_in_words(t.clean) for t in since]) + " of their ten records entirely "
        f"supported, {_total(since, 'clean')} of {10 * len(since)}, against "
        f"{_total(before, 'clean')} of {10 * len(before)} in the {_in_words(len(before))} draws CO "
        f"to CU; they left {unreached_a_record(since)} facts not reached a record against "
        f"{unreached_a_record(before)}, and {_total(since, 'only_unreached')} of their records "
        f"fell short only by facts not reached, against {_total(before, 'only_unreached')}. But "
        f"{_found(since, 'of their', ' facts')} drew a finding, "
        f"against {_found(before)} in CO to CU, and "
        f"{_total(since, 'free_of_findings')} of the {10 * len(since)} records had none, against "
        f"{_total(before, 'free_of_findings')}",
        f"Over all {_in_words(len(draws))} draws {_total(draws, 'clean')} of the "
        f"{10 * len(draws):,} records were entirely supported")
    # "findings, not pages out of reach, are again what keeps most records from a clean result"
    assert _total(since, "flawed") > _total(since, "only_unreached")


@functools.cache
def _readings() -> dict[str, list[tuple[str, tuple[int, int, int, int]]]]:
    """Each record's spot-check readings in round order (cases.factcheck.case_readings)."""
    return case_readings(_checks())


def _read_in(rounds: tuple[str, ...]) -> dict[str, list[tuple[int, int, int, int]]]:
    """The ``(S, W, C, N)`` of each reading in ``rounds``, for the records read in any."""
    found = {case_id: [counts for label, counts in readings if label in rounds]
             for case_id, readings in _readings().items()}
    return {case_id: counts for case_id, counts in found.items() if counts}


def _read_more_than_once(rounds: tuple[str, ...]) -> dict[str, list[tuple[int, int, int, int]]]:
    """The ``(S, W, C, N)`` of each reading in ``rounds``, for the records read in two or more
    (a record drawn twice in a run of draws)."""
    return {case_id: counts for case_id, counts in _read_in(rounds).items() if len(counts) > 1}


@pytest.mark.parametrize(("re_read", "draws"), [("DD", ("DE", "DF")), ("DG", ("DH", "DI")),
                                                ("DQ", ("DR", "DS"))])
def test_history_counts_the_records_read_in_a_re_read_and_a_draw_after_it(
        re_read: str, draws: tuple[str, str]) -> None:
    # "Five records DD re-read were drawn again in DE or DF: four drew a weaker fact there, two
    # of them entirely supported in DD": two independent readings of one record, compared.
    in_re_read, later = _read_in((re_read,)), _read_in(draws)
    both = in_re_read.keys() & later.keys()
    flawed = [i for i in both if any(map(has_finding, later[i]))]
    clean_before = [i for i in flawed if is_clean(in_re_read[i][0])]
    clean_in_both = [i for i in both if all(map(is_clean, in_re_read[i] + later[i]))]
    drawn_again = (f"{_in_words(len(both)).capitalize()} records {re_read} re-read were drawn "
                   f"again in {_listed(draws, 'or')}: {_in_words(len(flawed))} drew a weaker "
                   "fact there")
    # "Four records DG re-read were drawn again in DH or DI: none drew a weaker fact there, and
    # two were entirely supported in both readings."
    _assert_in_history(drawn_again + (
        f", {_in_words(len(clean_before))} of them entirely supported in {re_read}" if flawed
        else f", and {_in_words(len(clean_in_both))} were entirely supported in both readings"))


@pytest.mark.parametrize(("re_read", "per"), [("DG", 5), ("DL", 3)])
def test_history_compares_the_findings_of_a_later_re_read_with_dd(re_read: str, per: int) -> None:
    # "about one finding in every five records, where DD had found seven in ten" (DG); DL, which
    # re-read DD's own records after DD's mends, "about one finding in every three records".
    later, dd = _tallies()[re_read], _tallies()["DD"]
    _assert_in_history(f"about {_in_words(round(per * later.findings / later.records))} finding "
                       f"in every {_in_words(per)} records, where DD had found "
                       f"{_in_words(round(10 * dd.findings / dd.records))} in ten")


@pytest.mark.parametrize("rounds", [("DG", "DH", "DI", "DJ", "DK"),
                                    ("DL", "DM", "DN", "DO", "DP")])
def test_history_counts_the_records_read_more_than_once_in_a_run_of_rounds(
        rounds: tuple[str, ...]) -> None:
    # "Eight records were read more than once in DG to DK, and a later reading found a weaker
    # fact in three of them ... the same record's count differed between readings by as much as
    # 8 facts, and one was entirely supported in every reading": how far independent readings
    # of one record agree, from the log. The spread and the clean count are looked for just
    # after the run's own sentence, since another run's may state the same.
    more_than_once = _read_more_than_once(rounds)
    later_weaker = [i for i, found in more_than_once.items() if any(map(has_finding, found[1:]))]
    spread = max(max(map(sum, found)) - min(map(sum, found)) for found in more_than_once.values())
    stated = (f"{_in_words(len(more_than_once)).capitalize()} records were read more than once "
              f"in {rounds[0]} to {rounds[-1]}, and a later reading found a weaker fact in "
              f"{_in_words(len(later_weaker))} of them")
    clean_always = [i for i, found in more_than_once.items() if all(map(is_clean, found))]
    _assert_after(stated, f"differed between readings by as much as {spread} facts",
                  f"{_in_words(len(clean_always))} {'was' if len(clean_always) == 1 else 'were'} "
                  "entirely supported in every reading", within=800)


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def test_history_counts_the_draws_of_ten_with_no_record_entirely_supported() -> None:
    # GB: "the seventh random draw of ten with no record entirely supported, and the first
    # since CS"; GD: "the eighth ..., and the second since CS".
    none_clean = [t.round for t in _draws() if t.clean == 0]
    assert none_clean[-3:] == ["CS", "GB", "GD"]
    for label, since in (("GB", "the first"), ("GD", "the second")):
        _assert_after(_stated(_tallies()[label]), f"the {_ORDINALS[none_clean.index(label)]} "
                       f"random draw of ten with no record entirely supported, and {since} since "
                       "CS", within=400)


def test_history_counts_the_draws_of_ten_with_no_finding() -> None:
    # "the first draw of ten with no finding at all" (DI), "the second draw of ten with no
    # finding" (DM), "the third ..." (DO), "the fourth ..." (EC): each stated just after its
    # draw's own totals, and DO "the one with most records entirely supported", which DZ, ED
    # and FW later matched; FX, the eighth, had none before the close-call review after it.
    draws = _draws()
    none_found = [t for t in draws if t.findings == 0]
    assert [t.round for t in none_found] == ["DI", "DM", "DO", "EC", "ED", "EG", "EK", "FX"]
    for ordinal, t in zip(_ORDINALS, none_found, strict=True):
        _assert_after(_stated(t), f"the {ordinal} draw of ten with no finding", within=400)
    most = max(t.clean for t in draws)
    assert [t.round for t in draws if t.clean == most] == ["DO", "DZ", "ED", "FW"]
    _assert_after(_stated(_tallies()["DO"]), "and the one with most records entirely supported",
                  within=400)
    _assert_after(_stated(_tallies()["DZ"]), "DZ had as many records entirely supported as DO, "
                  "the most of any draw", within=400)
    _assert_after(_stated(_tallies()["ED"]), "as many records entirely supported as DO and DZ",
                  within=400)
    _assert_after(_stated(_tallies()["FW"]), "FW had as many records entirely supported as DO, "
                  "DZ and ED, the most of any draw", within=400)


def test_history_sums_the_draws_after_every_record_was_read_by_their_rules() -> None:
    # "The six draws EG to EL, after every record had been read by the rules the draws use,
    # found 29 of their 60 records entirely supported; 5 of the 60 had a weaker fact and none a
    # contradicted one, while 26 fell short only by facts not reached".
    since = _draws_between("EG", "EL")
    assert [t.round for t in since] == ["EG", "EH", "EI", "EJ", "EK", "EL"]
    assert _total(since, "contradicted") == 0
    _assert_in_history(
        f"The {_in_words(len(since))} draws {since[0].round} to {since[-1].round}, after every "
        f"record had been read by the rules the draws use, found {_total(since, 'clean')} of "
        f"their {10 * len(since)} records entirely supported; {_total(since, 'flawed')} of the "
        f"{10 * len(since)} had a weaker fact and none a contradicted one, while "
        f"{_total(since, 'only_unreached')} fell short only by facts not reached")


def test_history_compares_the_draws_with_a_look_up_for_every_source_with_eg_to_el() -> None:
    # "The six draws EM to ER, with at most as many look-ups per record as it cites sources
    # plus ten, ... found 24 of their 60 records entirely supported, against 29 of 60 in EG to
    # EL ... 14 of 60, against 26 of 60, but ... a weaker fact in 22 of the 60, against 5 of 60,
    # and none a contradicted one: 40 weaker facts, against 6."
    wide, before = _draws_between("EM", "ER"), _draws_between("EG", "EL")
    assert [t.round for t in wide] == ["EM", "EN", "EO", "EP", "EQ", "ER"]
    assert _total(wide, "contradicted") == 0
    n, m = 10 * len(wide), 10 * len(before)
    _assert_in_history(
        f"The {_in_words(len(wide))} draws EM to ER, with at most as many look-ups per record as "
        "it cites sources plus ten,",
        f"found {_total(wide, 'clean')} of their {n} records entirely supported, against "
        f"{_total(before, 'clean')} of {m} in EG to EL",
        f"fell short only by facts not reached to {_total(wide, 'only_unreached')} of {n}, "
        f"against {_total(before, 'only_unreached')} of {m}",
        f"found a weaker fact in {_total(wide, 'flawed')} of the {n}, against "
        f"{_total(before, 'flawed')} of {m}, and none a contradicted one: "
        f"{_total(wide, 'weaker')} weaker facts, against {_total(before, 'weaker')}")
    # "Five records were drawn twice: Zimbabwe's cadetship bonding (1 fact not reached in EM, 6
    # in EO ...), Nepal's MBBS scholarships (entirely supported in EM ...), ... and El Salvador's
    # Misión Milagro and ECOS teams, each mended after its first reading and entirely supported
    # in its second."
    twice = _read_more_than_once(tuple(t.round for t in wide))
    assert sorted(twice) == ["nga-midwives-service-scheme",
                             "npl-mbbs-scholarship-mandatory-service",
                             "slv-ecos-familiares",
                             "slv-mision-milagro-cuban-ophthalmology",
                             "zwe-cadetship-bonding-of-health-graduates"]
    em, eo = (n for *_, n in twice["zwe-cadetship-bonding-of-health-graduates"])
    assert is_clean(twice["npl-mbbs-scholarship-mandatory-service"][0])
    for salvadoran in ("slv-ecos-familiares", "slv-mision-milagro-cuban-ophthalmology"):
        first, second = twice[salvadoran]
        assert not is_clean(first) and is_clean(second), salvadoran
    _assert_in_history(f"Five records were drawn twice: Zimbabwe's cadetship bonding ({em} "
                       f"fact not reached in EM, {eo} in EO",
                       "entirely supported in EM", "each mended after its first reading and "
                       "entirely supported in its second")


# Each run of three random draws from all records that the history sets against the run before
# it ("The three draws FP to FR, from all 283 records once every one had been read with a look-up
# for each page it cites, found 13 of their 30 records entirely supported, against 24 of 60 in
# EM to ER; ..."): the run, the run before it, and how the history introduces the run.
RUNS_COMPARED = [
    (("FP", "FQ", "FR"), ("EM", "ER"),
     "from all 283 records once every one had been read with a look-up for each page it cites, "),
    (("FS", "FT", "FU"), ("FP", "FR"), "after the lessons-and-factors audit after FR, "),
    (("FV", "FW", "FX"), ("FS", "FU"), "after FS to FU, "),
    (("FY", "FZ", "GA"), ("FV", "FX"), "under the brief now kept in the repository, "),
    (("GB", "GC"), ("FY", "GA"), "whose checkers settled or listed each doubt, "),
    (("GD", "GE", "GF", "GG", "GH"), ("GB", "GC"), "by the same brief, "),
    (("GI", "GJ", "GK", "GL"), ("GD", "GH"), "after the monitoring audit after GH, "),
    (("GN", "GO", "GP", "GQ"), ("GI", "GL"), "after the close-call review after GM, "),
]


@pytest.mark.parametrize(("run", "earlier", "intro"), RUNS_COMPARED)
def test_history_compares_each_run_of_draws_from_all_records_with_the_run_before(
        run: tuple[str, ...], earlier: tuple[str, str], intro: str) -> None:
    since, before = _draws_between(run[0], run[-1]), _draws_between(*earlier)
    assert tuple(t.round for t in since) == run
    _assert_in_history(f"The {_in_words(len(since))} draws {run[0]} to {run[-1]}, {intro}"
                       + _compared(since, before, f"{earlier[0]} to {earlier[1]}"))


def test_history_counts_the_records_fp_to_fr_drew_that_fl_to_fo_had_read() -> None:
    # "Six of the 30 had been read in FL to FO, and a later reading found a weaker fact in three
    # of them". The draws took ten from all 283 again (`draw 10` with no --before), after FO,
    # when no record was left unread by EM's rules (the re-draw test of the draws from the
    # unread records checks that).
    since = _draws_between("FP", "FR")
    later = _read_in(tuple(t.round for t in since))
    again = later.keys() & _read_in(("FL", "FM", "FN", "FO")).keys()
    later_weaker = [i for i in again if any(w for _, w, _, _ in later[i])]
    _assert_in_history(f"{_in_words(len(again)).capitalize()} of the {_total(since, 'records')} "
                       "had been read in FL to FO, and a later reading found a weaker fact in "
                       f"{_in_words(len(later_weaker))} of them")


def test_history_names_the_records_fs_to_fu_drew_twice() -> None:
    # "Two records were drawn twice: the Gambian village health workers, entirely supported in
    # FT and in FU, and Afghanistan's Sehatmandi pay, with only a page not reached in FS and a
    # lesson found weaker in FT".
    twice = _read_more_than_once(("FS", "FT", "FU"))
    assert sorted(twice) == ["afg-sehatmandi-health-worker-pay",
                             "gmb-village-primary-health-care-workers"]
    assert all(map(is_clean, twice["gmb-village-primary-health-care-workers"]))
    in_fs, in_ft = twice["afg-sehatmandi-health-worker-pay"]
    # FS: no finding, yet not clean (a page not reached); FT: one weaker fact, none contradicted.
    assert not has_finding(in_fs) and not is_clean(in_fs)
    assert in_ft[1:3] == (1, 0)
    _assert_in_history(f"{_in_words(len(twice)).capitalize()} records were drawn twice: the "
                       "Gambian village health workers, entirely supported in FT and in FU, and "
                       "Afghanistan's Sehatmandi pay, with only a page not reached in FS and a "
                       "lesson found weaker in FT")


def test_history_names_the_records_fv_to_fx_drew_twice() -> None:
    # "Two records were drawn twice, Ethiopia's integrated emergency surgical officers and the
    # United Kingdom's physician associates, each entirely supported both times".
    twice = _read_more_than_once(("FV", "FW", "FX"))
    assert sorted(twice) == ["eth-integrated-emergency-surgical-officers",
                             "gbr-physician-associates"]
    assert all(is_clean(counts) for readings in twice.values() for counts in readings)
    _assert_in_history(f"{_in_words(len(twice)).capitalize()} records were drawn twice, "
                       "Ethiopia's integrated emergency surgical officers and the United "
                       "Kingdom's physician associates, each entirely supported both times")


def test_history_names_the_records_fy_to_ga_drew_again() -> None:
    # "The Bhutanese MBBS programme was drawn three times, with two weaker facts in FY, none in
    # FZ and two others in GA ...; Guyana's Medex, entirely supported in FW, had two weaker facts
    # in FY, and the Gambian village health workers, entirely supported in FT and FU, had a
    # weaker lesson in GA".
    run = ("FY", "FZ", "GA")
    more = _read_more_than_once(run)
    assert list(more) == ["btn-kgumsb-mbbs-programme"]
    readings = more["btn-kgumsb-mbbs-programme"]
    assert [is_clean(counts) for counts in readings] == [False, True, False]
    first, _, third = (weaker for _, weaker, _, _ in readings)
    _assert_in_history(f"The Bhutanese MBBS programme was drawn {_in_words(len(readings))} "
                       f"times, with {_in_words(first)} weaker facts in FY, none in FZ and "
                       f"{_in_words(third)} others in GA")
    medex, gambian = (_read_in(("FT", "FU", "FW", *run))[case_id]
                       for case_id in ("guy-medex-programme",
                                      "gmb-village-primary-health-care-workers"))
    assert all(map(is_clean, medex[:-1])) and all(map(is_clean, gambian[:-1]))
    _assert_in_history(f"Guyana's Medex, entirely supported in FW, had {_in_words(medex[-1][1])} "
                       "weaker facts in FY, and the Gambian village health workers, entirely "
                       f"supported in FT and FU, had a weaker lesson in GA")
    assert len(medex) == 2 and len(gambian) == 3 and gambian[-1][1] == 1


def test_history_names_the_records_gd_to_gh_drew_twice() -> None:
    # "Three records were drawn twice: Uganda's US-funded HIV workers, with two weaker facts in GD
    # and one other in GE, South Africa's outreach teams, with four weaker facts in GF and only
    # facts not reached in GG, and Ecuador's Médico del Barrio, with three weaker facts in GG and
    # one other in GH".
    twice = _read_more_than_once(("GD", "GE", "GF", "GG", "GH"))
    named = {"uga-us-funded-hiv-health-workers": ("Uganda's US-funded HIV workers", "GD", "GE"),
             "zaf-ward-based-primary-health-care-outreach-teams": (
                 "South Africa's outreach teams", "GF", "GG"),
             "ecu-medico-del-barrio": ("Ecuador's Médico del Barrio", "GG", "GH")}
    assert sorted(twice) == sorted(named)
    said = []
    for case_id, (name, first, second) in named.items():
        (_, w1, c1, _), (_, w2, c2, n2) = twice[case_id]
        assert c1 == c2 == 0
        later = (f"only facts not reached in {second}" if w2 == 0 and n2
                 else f"{_in_words(w2)} other in {second}" if w2 == 1
                 else f"{_in_words(w2)} others in {second}")
        said.append(f"{name}, with {_in_words(w1)} weaker facts in {first} and {later}")
    _assert_in_history(f"{_in_words(len(twice)).capitalize()} records were drawn twice: "
                       + ", ".join(said[:-1]) + f", and {said[-1]}")


def test_history_names_the_records_gi_to_gl_drew_twice() -> None:
    # "Two records were drawn twice: the RAcE programme, with three weaker facts in GI and none
    # in GK, and Namibia's nurse-initiated ART, entirely supported in GI and in GL".
    twice = _read_more_than_once(("GI", "GJ", "GK", "GL"))
    assert sorted(twice) == ["multi-who-race-iccm-programme", "nam-nurse-initiated-art"]
    (_, w1, c1, n1), (_, w2, c2, n2) = twice["multi-who-race-iccm-programme"]
    assert c1 == n1 == w2 == c2 == n2 == 0
    assert all(w == c == n == 0 for _, w, c, n in twice["nam-nurse-initiated-art"])
    _assert_in_history(f"Two records were drawn twice: the RAcE programme, with {_in_words(w1)} "
                       "weaker facts in GI and none in GK, and Namibia's nurse-initiated ART, "
                       "entirely supported in GI and in GL")


def test_history_names_the_record_gn_to_gq_drew_twice() -> None:
    # "One record was drawn twice: the Congolese withdrawal of donor-funded PBF, with four weaker
    # facts in GN and one other in GQ".
    twice = _read_more_than_once(("GN", "GO", "GP", "GQ"))
    assert list(twice) == ["cod-donor-funded-pbf-withdrawal"]
    (_, w1, c1, n1), (_, w2, c2, n2) = twice["cod-donor-funded-pbf-withdrawal"]
    assert c1 == n1 == c2 == n2 == 0 and w2 == 1
    _assert_in_history("One record was drawn twice: the Congolese withdrawal of donor-funded PBF, "
                       f"with {_in_words(w1)} weaker facts in GN and one other in GQ")


def test_history_figures_for_the_review_of_gf_doubts_before_gg_are_the_logged_counts() -> None:
    # "the GF checker's 4 doubts in South Africa's outreach teams, read before GG drew the record
    # again and logged as a review after GF (3 supported, 1 weaker, mended)".
    rows = _close_calls("GF")
    assert [case_id for case_id, _ in rows] == ["zaf-ward-based-primary-health-care-outreach-teams"]
    calls, s, w, c, n = _column_sums(rows)
    assert c == n == 0
    _assert_in_history(f"the GF checker's {calls} doubts in South Africa's outreach teams, read "
                       f"before GG drew the record again and logged as a review after GF ({s} "
                       f"supported, {w} weaker, mended)")


# A close-call review logs per record "Close-call review after FX (...): close calls 2: S 0, W 2,
# C 0, N 0": the facts a run of draws' checkers graded supported while naming a doubt, read
# again strictly by another checker (after FX for FV to FX, after GA for FY to GA, after GC for
# the doubts the GB and GC checkers listed).
@functools.cache
def _close_calls(after: str) -> list[tuple[str, tuple[int, ...]]]:
    """The log rows of the close-call review after round ``after``, each checked."""
    rows = _logged(rf"Close-call review after {after} \([^:]*\)" + CLOSE_CALL_COUNTS)
    assert rows, f"no fact-check row carries the close-call review after {after}"
    for case_id, (calls, s, w, c, n) in rows:
        assert calls == s + w + c + n, case_id
    return rows


def _held_strictly(*runs: tuple[str, str, str]) -> int:
    """How many readings of the runs ``(first, last, after)`` (:func:`_read_strictly`) were
    entirely supported and not cast in doubt by the close-call review after them."""
    return sum(sum(clean.values()) - sum(doubted.values())
               for clean, doubted in (_read_strictly(*run) for run in runs))


@functools.cache
def _read_strictly(first: str, last: str, after: str) -> tuple[dict[str, int], dict[str, int]]:
    """How many of each record's readings in the draws ``first`` to ``last`` were entirely
    supported (where any were), and of those the records in which the close-call review after
    ``after`` found a weaker or contradicted fact: it casts doubt on every such reading."""
    found = {case_id for case_id, counts in _close_calls(after) if counts[2] or counts[3]}
    rounds = tuple(t.round for t in _draws_between(first, last))
    clean = {case_id: k for case_id, readings in _read_in(rounds).items()
             if (k := sum(map(is_clean, readings)))}
    return clean, {case_id: k for case_id, k in clean.items() if case_id in found}


def _assert_close_call_figures_with_none_contradicted(after: str) -> tuple[int, int]:
    """The history's figures for a close-call review that found no contradicted fact ("of the
    29 facts in 15 records, 14 were supported, 11 weaker, none contradicted, and 4 not reached
    ... The 11 weaker facts, in 9 records, were mended"), held to its log rows; returns how
    many facts and records it read."""
    rows = _close_calls(after)
    calls, s, w, c, n = _column_sums(rows)
    assert c == 0  # the history's wording has no contradicted facts
    weaker = {case_id for case_id, counts in rows if counts[2]}
    _assert_in_history(
        f"of the {calls} facts in {len(rows)} records, {s} were supported, {w} weaker, none "
        f"contradicted, and {n} not reached",
        f"The {w} weaker facts, in "
        + ("one record" if len(weaker) == 1 else f"{len(weaker)} records") + ", were mended")
    return calls, len(rows)


def test_history_figures_for_the_close_call_review_after_fx_are_the_logged_counts() -> None:
    # "of the 29 facts in 15 records, 14 were supported, 11 weaker, none contradicted, and 4 not
    # reached ... The 11 weaker facts, in 9 records, were mended"; "Read as strictly, 7 of the 15
    # records FV to FX found entirely supported (8 of those 17 readings, ...) had a weaker fact,
    # so 9 of 30 readings would have been entirely supported".
    _assert_close_call_figures_with_none_contradicted("FX")
    draws = _draws_between("FV", "FX")
    clean, doubted = _read_strictly("FV", "FX", "FX")
    assert [i for i, found in doubted.items() if found > 1] == ["gbr-physician-associates"]
    readings, lost = sum(clean.values()), sum(doubted.values())
    _assert_in_history(
        f"Read as strictly, {len(doubted)} of the {len(clean)} records FV to FX found entirely "
        f"supported ({lost} of those {readings} readings, the physician associates in "
        f"both draws) had a weaker fact, so {readings - lost} of {10 * len(draws)} readings "
        "would have been entirely supported")
    # data/review/README.md gives the reason for the review: "whose checkers found 3 weaker
    # facts against 26 in FS to FU".
    assert (f"whose checkers found {_total(draws, 'weaker')} weaker facts against "
            f"{_total(_draws_between('FS', 'FU'), 'weaker')} in FS to FU"
            in _folded("src/hrhlessons/data/review/README.md"))


# The close-call reviews after GA and after GC, each set beside the run of draws it followed:
# the review, the run's first and last draws, how the history introduces the facts reviewed, and
# what the history sets the strict count of clean readings against.
CLOSE_CALL_REVIEWS = [
    ("GA", "FY", "GA", "named facts they graded supported while doubting them, {calls} in "
     "{records} records", ", against {before} of 30 for FV to FX"),
    ("GC", "GB", "GC", "The checkers listed {calls} doubts in {records} records", ""),
    ("GG", "GD", "GG", "A close-call review after GG read {calls} of the doubts the checkers of "
     "GD to GG listed, in {records} records", ""),
    ("GH", "GH", "GH", "GH's checkers listed {calls} doubts in {records} records", ""),
    ("GL", "GI", "GL", "A close-call review after GL read {calls} of the doubts the checkers of "
     "GI to GL listed, in {records} records", ""),
    ("GQ", "GN", "GQ", "A close-call review after GQ read {calls} of the doubts the checkers of "
     "GN to GQ listed, in {records} records", ""),
    ("GS", "GS", "GS", "A close-call review after GS read {calls} of the doubts the GS checkers "
     "listed, in {records} records", ""),
]
# Where a record was entirely supported in more than one reading of a run, the history names it.
CLEAN_TWICE = {"GL": "Namibia's nurse-initiated ART in GI and in GL"}


@pytest.mark.parametrize(("after", "first", "last", "intro", "against"), CLOSE_CALL_REVIEWS)
def test_history_figures_for_each_later_close_call_review_are_the_logged_counts(
        after: str, first: str, last: str, intro: str, against: str) -> None:
    # After GA: "of the 37 facts in 19 records, 17 were supported, 17 weaker, 2 contradicted,
    # and 1 not reached ... The 19 weaker or contradicted facts, in 15 records, were mended";
    # "Read as strictly, 8 of the 12 records FY to GA found entirely supported had a weaker or
    # contradicted fact, so 4 of 30 readings would have been entirely supported, against 9 of
    # 30 for FV to FX".
    rows = _close_calls(after)
    calls, s, w, c, n = _column_sums(rows)
    found = {case_id for case_id, counts in rows if counts[2] or counts[3]}
    _assert_in_history(
        intro.format(calls=calls, records=len(rows)),
        f"of the {calls} facts in {len(rows)} records, {s} were supported, {w} weaker, {c} "
        f"contradicted, and {n} not reached",
        f"The {w + c} weaker or contradicted facts, in {len(found)} records, were mended")
    draws = _draws_between(first, last)
    clean, doubted = _read_strictly(first, last, after)
    readings, lost = sum(clean.values()), sum(doubted.values())
    # Where each record was entirely supported in one reading at most, records and readings
    # agree; where one was so in two, the history names it and counts the readings apart.
    twice = [case_id for case_id, k in clean.items() if k > 1]
    assert len(twice) == (after in CLEAN_TWICE)
    if against:
        against = against.format(before=_held_strictly(("FV", "FX", "FX")))
    drawn = f"{first} to {last}" if first != last else first
    readings_apart = (f" ({lost} of those {readings} readings, {CLEAN_TWICE[after]})" if twice
                      else "")
    _assert_in_history(
        f"Read as strictly, {len(doubted)} of the {len(clean)} records {drawn} found "
        f"entirely supported{readings_apart} had a weaker or contradicted fact, so "
        f"{readings - lost} of {10 * len(draws)} readings would have been entirely "
        "supported" + against)


def test_history_figures_for_the_codes_audit_after_gc_are_the_logged_counts() -> None:
    # "of 1,574 codes 11 were changed, in 9 records": every record read, each note counting
    # the record's domain, tags and true or false conditions and how many were changed.
    (codes, changed), records = _audited(
        r"Codes audit after GC \([^:]*\): (\d+) codes?, (\d+) changed", changes=(1,))
    _assert_in_history(f"of {codes:,} codes {changed} were changed, in {records} records")


def test_history_figures_for_the_monitoring_audit_after_gh_are_the_logged_counts(
        bundled_batch: Batch) -> None:
    # "of 87 codes 0 were changed, in 0 records": one note per record read, each with its one
    # monitoring_evaluation code, and every record still coded true was read (save those added
    # after GL).
    rows = _logged(r"Monitoring audit after GH \([^:]*\): (\d+) codes?, (\d+) changed")
    codes, changed = _column_sums(rows)
    assert codes == len(rows)
    records = sum(1 for _, (_, k) in rows if k)
    coded = {case.id for case in bundled_batch.cases
             if case.condition(Condition.MONITORING_EVALUATION) is True
             and case.id not in _added_after_gl()}
    assert coded <= {case_id for case_id, _ in rows} and len(coded) == codes - changed
    _assert_in_history(f"the {codes} records coded as monitored or evaluated",
                       f"of {codes} codes {changed} were changed, in {records} records")


def test_history_figures_for_the_years_audit_after_gc_are_the_logged_counts() -> None:
    # "of 251 years 3 were changed, in 2 records, to null ..., and the editor restored 2 more
    # that readers had nulled": each note counts the record's non-null start and end years.
    (years, changed), records = _audited(
        r"Years audit after GC \([^:]*\): (\d+) years?, (\d+) changed", changes=(1,))
    restored = [note for _, note in _log_notes() if "the editor restored the year" in note]
    _assert_in_history(f"of {years} years {changed} were changed, in {records} records, to null",
                       f"the editor restored {len(restored)} more that readers had nulled")


# Start-year searches: each gave the records whose start year had been set to null to another
# checker, who logged "Start-year search after GC (...): start year found, 1994" or "... not
# found". The history names each year found, in the order given here.
START_YEAR_SEARCHES = [
    # "3 of the 11 found one (Ghana's CHPS, 1994, ...; Sierra Leone's pay reform, 2010, ...;
    # Uganda's CHEWs, 2022, ...), and the other 8 stay null".
    ("GC", (("Ghana's CHPS", 1994), ("Sierra Leone's pay reform", 2010),
            ("Uganda's CHEWs", 2022))),
    # "3 of the 3 found one (Amref's e-learning, 2012, ...; Compañeros En Salud, 2012, ...;
    # Malawi's PEPFAR-paid workers, 2017, ...), and the other 0 stay null".
    ("GH", (("Amref's e-learning", 2012), ("Compañeros En Salud", 2012),
            ("Malawi's PEPFAR-paid workers", 2017))),
]


def _year_searches(which: str, after: str) -> dict[str, int | None]:
    """What each record's "Start-year search after GC (...): start year found, 1994" (or "not
    found"; ``which`` is "Start" or "End") logged: the year found, or None."""
    logged = re.compile(rf"{which}-year search after {after} \([^:]*\): {which.lower()} year "
                        r"(?:found, (\d{4})|not found)")
    return {case_id: int(found[1]) if found[1] else None
            for case_id, note in _log_notes() if (found := logged.search(note))}


@pytest.mark.parametrize(("after", "named"), START_YEAR_SEARCHES)
def test_history_counts_the_start_years_each_search_found(
        after: str, named: tuple[tuple[str, int], ...]) -> None:
    found = list(_year_searches("Start", after).values())
    years = [year for year in found if year is not None]
    assert sorted(years) == sorted(year for _, year in named)
    (first, first_year), *rest = named
    _assert_in_history(f"{len(years)} of the {len(found)} found one ({first}, {first_year}",
                       *(f"{name}, {year}" for name, year in rest),
                       f"and the other {len(found) - len(years)} stay null")


def test_history_says_the_end_year_search_after_gh_found_none() -> None:
    # "An end-year search after GH gave the Jan Swasthya Rakshaks' null end year to another
    # checker ...: no page states in its own voice when the scheme stopped ..., so its end year
    # stays null".
    assert _year_searches("End", "GH") == {"ind-madhya-pradesh-jan-swasthya-rakshak": None}
    _assert_in_history("An end-year search after GH gave the Jan Swasthya Rakshaks' null end year",
                       "so its end year stays null")


def test_history_sums_the_strict_readings_of_fy_to_gc() -> None:
    # "the draws' checkers ... passed over 19 facts that a second strict reader then found
    # weaker or contradicted" (after GA); "Over the five draws FY to GC, 5 of 50 readings would
    # have been entirely supported at the strictest reading the project has applied".
    _, w, c, _ = _column_sums(_close_calls("GA"))[1:]
    _assert_in_history(f"passed over {w + c} facts that a second strict reader then found weaker "
                       "or contradicted")
    held = _held_strictly(*_strict_runs_from_fy(0))
    draws = _draws_between("FY", "GC")
    _assert_in_history(f"Over the {_in_words(len(draws))} draws FY to GC, {held} of "
                       f"{10 * len(draws)} readings would have been entirely supported at the "
                       "strictest reading the project has applied")


def test_history_counts_the_records_with_no_start_year(bundled_batch: Batch) -> None:
    # "so the decade of start is unknown for 88 records": the registry's null start years, as
    # `hrh-lessons coverage` counts them.
    unknown = sum(case.start_year is None for case in bundled_batch.cases)
    _assert_in_history(f"the decade of start is unknown for {unknown} records")


# Each later run of draws whose strict count the history sums with the runs before it from FY:
# the run's first and last draws, and the runs ``(first, last, after)`` of _held_strictly its
# readings fall in (FY to GC are summed apart, by the test of the strict readings of FY to GC).
STRICT_RUNS = [("GD", "GH", (("GD", "GG", "GG"), ("GH", "GH", "GH"))),
               ("GI", "GL", (("GI", "GL", "GL"),)),
               ("GN", "GQ", (("GN", "GQ", "GQ"),))]


def _strict_runs_from_fy(k: int | None = None) -> list[tuple[str, str, str]]:
    """The runs ``(first, last, after)`` of _held_strictly from FY: FY to GC, then those of
    STRICT_RUNS before its ``k``-th (all of them when ``k`` is None)."""
    return [("FY", "GA", "GA"), ("GB", "GC", "GC"),
            *(run for _, _, runs in STRICT_RUNS[:k] for run in runs)]


@pytest.mark.parametrize("k", range(len(STRICT_RUNS)))
def test_history_sums_the_strict_readings_of_each_later_run_and_of_all_from_fy(k: int) -> None:
    # "Over the five draws GD to GH, 1 of 50 readings would have been entirely supported at the
    # strictest reading, and 6 of 100 over the ten draws FY to GH"; "Over the four draws GI to
    # GL, 1 of 40 ..., and 7 of 140 over the fourteen draws FY to GL".
    first, last, runs = STRICT_RUNS[k]
    held = _held_strictly(*runs)
    held_before = _held_strictly(*_strict_runs_from_fy(k))
    draws, all_draws = _draws_between(first, last), _draws_between("FY", last)
    _assert_in_history(f"Over the {_in_words(len(draws))} draws {first} to {last}, {held} of "
                       f"{10 * len(draws)} readings would have been entirely supported at the "
                       f"strictest reading, and {held + held_before} of {10 * len(all_draws)} over "
                       f"the {_in_words(len(all_draws))} draws FY to {last}")


def test_history_sums_the_strict_readings_of_all_draws_from_fy_to_gs() -> None:
    # "so 0 of 10 readings would have been entirely supported, and 13 of 190 over the nineteen
    # draws FY to GS": the runs STRICT_RUNS sums, with FY to GC before them and GS after.
    held = _held_strictly(*_strict_runs_from_fy(), ("GS", "GS", "GS"))
    draws = _draws_between("FY", "GS")
    assert draws[-1].round == "GS"
    _assert_in_history(f"and {held} of {10 * len(draws)} over the {_in_words(len(draws))} draws "
                       "FY to GS")


def test_history_names_the_records_gs_drew_again_from_gn_to_gq() -> None:
    # "Three of the ten had been drawn in GN to GQ: Ghana's allowance and Liberia's plan, whose
    # weaker facts GN and GP and the review after GQ had found and mended, were entirely
    # supported this time, and Brazil's community health agents ... had two other weaker facts".
    before = _read_in(("GN", "GO", "GP", "GQ"))
    again = {case_id: counts[0] for case_id, counts in _read_in(("GS",)).items()
             if case_id in before}
    assert sorted(again) == ["bra-community-health-agents-programme",
                             "gha-additional-duty-hours-allowance",
                             "lbr-emergency-human-resources-plan"]
    assert all(before[case_id][0][1] for case_id in again)  # each had a weaker fact before
    found = {case_id for case_id, counts in _close_calls("GQ") if counts[2] or counts[3]}
    assert {"gha-additional-duty-hours-allowance", "lbr-emergency-human-resources-plan"} <= found
    assert is_clean(again["gha-additional-duty-hours-allowance"])
    assert is_clean(again["lbr-emergency-human-resources-plan"])
    weaker = again["bra-community-health-agents-programme"][1]
    _assert_in_history(f"{_in_words(len(again)).capitalize()} of the ten had been drawn in GN to "
                       "GQ: Ghana's allowance and Liberia's plan",
                       f"and Brazil's community health agents, mended after GO and its review, "
                       f"had {_in_words(weaker)} other weaker facts")


def _status_searches(after: str) -> dict[str, str]:
    """What each record's "Status search after GL (...): status unknown -> active, status year
    2021" (or "status unchanged") logged: "unknown -> active" or "unchanged"."""
    searched = re.compile(rf"Status search after {after} \([^)]*\): status "
                          r"(unknown -> \w+|unchanged)")
    return {case_id: found.group(1) for case_id, note in _log_notes()
            if (found := searched.search(note))}


def test_history_figures_for_the_status_search_after_gl_are_the_logged_counts() -> None:
    # "a status search after GL gave six of the records whose status was unknown to another
    # checker each ...: of 6 records, 1 changed and 5 were left unknown".
    notes = list(_status_searches("GL").values())
    changed = sum(outcome != "unchanged" for outcome in notes)
    _assert_in_history(f"a status search after GL gave {_in_words(len(notes))} of the records "
                       "whose status was unknown",
                       f"of {len(notes)} records, {changed} changed and {len(notes) - changed} "
                       "were left unknown")


def test_history_says_the_status_search_after_gq_left_the_partnership_unknown(
        bundled_batch: Batch) -> None:
    # "a status search after GQ gave it to another checker ...: ... no reached page says the
    # partnership ended, so its status stays unknown": the one record the search logged, whose
    # status the record still gives as unknown.
    notes = _status_searches("GQ")
    # The other note is the Bangladeshi draft's, searched before GR read it ("who found no page
    # after 2014 that shows the state of the government programme, so it stays active as of
    # 2014").
    assert notes == {"multi-global-health-service-partnership": "unchanged",
                     "bgd-community-based-skilled-birth-attendants": "unchanged"}
    cases = {case.id: case for case in bundled_batch.cases if case.id in notes}
    partnership = cases["multi-global-health-service-partnership"]
    assert partnership.status.value == "unknown" and partnership.end_year is None
    draft = cases["bgd-community-based-skilled-birth-attendants"]
    assert (draft.status.value, draft.status_year) == ("active", 2014)
    _assert_in_history("who found no page after 2014 that shows the state of the government "
                       "programme, so it stays active as of 2014")
    _assert_in_history("a status search after GQ gave it to another checker",
                       "no reached page says the partnership ended, so its status stays unknown")


def test_history_figures_for_the_close_call_review_after_gr_are_the_logged_counts() -> None:
    # "A close-call review after GR read the 8 doubts the GR checkers listed, in 3 records ...: of
    # the 8 facts in 3 records, 6 were supported, 2 weaker, none contradicted, and 0 not reached.
    # The 2 weaker facts, in one record, were mended (both in Lesotho's)".
    rows = _close_calls("GR")
    assert {case_id for case_id, _ in rows} == ADDED_IN_GR
    assert [case_id for case_id, counts in rows if counts[2]] == ["lso-us-funded-health-workers"]
    calls, records = _assert_close_call_figures_with_none_contradicted("GR")
    _assert_in_history(f"A close-call review after GR read the {calls} doubts the GR checkers "
                       f"listed, in {records} records",
                       "were mended (both in Lesotho's)")


def test_history_states_the_share_of_failure_cases(bundled_batch: Batch) -> None:
    # "With the three records, 110 of the 288 (38.2%) ended, were never implemented, contracted
    # or were replaced": what `hrh-lessons coverage` counts as failure cases, at or above the
    # issue's 38%.
    cases = bundled_batch.cases
    failures = sum(map(is_failure, cases))
    assert failures / len(cases) >= 0.38
    _assert_in_history(f"{failures} of the {len(cases)} ({100 * failures / len(cases):.1f}%) "
                       "ended, were never implemented, contracted or were replaced")


def test_history_figures_for_the_close_call_review_after_gm_are_the_logged_counts() -> None:
    # "A close-call review after GM read the 10 doubts the GM checkers listed, in 2 records ...:
    # of the 10 facts in 2 records, 5 were supported, 4 weaker, none contradicted, and 1 not
    # reached. The 4 weaker facts, in 2 records, were mended". GM found no record entirely
    # supported, so the review had no clean reading to cast in doubt.
    assert _tallies()["GM"].clean == 0
    calls, records = _assert_close_call_figures_with_none_contradicted("GM")
    _assert_in_history(f"A close-call review after GM read the {calls} doubts the GM checkers "
                       f"listed, in {records} records")


def _compared(group: list[RoundTally], earlier: list[RoundTally], where: str) -> str:
    """How the history sets one run of draws against an earlier one ("found 18 of their 60
    records entirely supported, against 24 of 60 in EM to ER; 8 fell short only by facts not
    reached, against 14, ...")."""
    return (f"found {_total(group, 'clean')} of their {_total(group, 'records')} records "
            f"entirely supported, against {_total(earlier, 'clean')} of "
            f"{_total(earlier, 'records')} in {where}; "
            f"{_total(group, 'only_unreached')} fell short only by facts not reached, against "
            f"{_total(earlier, 'only_unreached')}, and {_total(group, 'flawed')} had a weaker "
            f"fact, against {_total(earlier, 'flawed')}, {_contradicted(group)}: "
            f"{_total(group, 'weaker')} weaker facts, against {_total(earlier, 'weaker')}")


def _contradicted(group: list[RoundTally]) -> str:
    """How a comparison of draws names their contradicted facts: "none a contradicted one", or
    "one of them a contradicted one as well" (in a record with weaker facts too, as FI's
    Bhutanese record had)."""
    found = _total(group, "contradicted")
    return (f"{_in_words(found)} of them a contradicted one as well" if found
            else "none a contradicted one")


# The draws from the records no draw from EM had read, six at a time (the last five, FK to FO,
# took the 48 left), each set against the six before it (ES to EX against the wide draws EM to
# ER): their labels and contradicted facts.
UNREAD_GROUPS = [(["ES", "ET", "EU", "EV", "EW", "EX"], 0),
                 (["EY", "EZ", "FA", "FB", "FC", "FD"], 0),
                 (["FE", "FF", "FG", "FH", "FI", "FJ"], 1),   # FI's trajectory code
                 (["FK", "FL", "FM", "FN", "FO"], 0)]


@pytest.mark.parametrize("k", range(len(UNREAD_GROUPS)))
def test_history_compares_each_group_of_draws_from_the_records_not_yet_read_with_the_one_before(
        k: int) -> None:
    # "The six draws ES to EX, reading 60 of the 228 records that no draw from EM had read, ...
    # found 18 of their 60 records entirely supported, against 24 of 60 in EM to ER; 8 fell
    # short only by facts not reached, against 14, and 34 had a weaker fact, against 22, none a
    # contradicted one: 52 weaker facts, against 40"; "The six draws EY to FD, reading 60 more
    # of the records ..., against 18 of 60 in ES to EX; ... 34 of the 120 records the twelve
    # draws from ES read were entirely supported".
    # The groups are the draws from the unread records, in order, each once.
    unread = _unread_draws()
    assert [label for labels, _ in UNREAD_GROUPS for label in labels] == [t.round for t in unread]
    labels, contradicted = UNREAD_GROUPS[k]
    later = [_tallies()[label] for label in labels]
    earlier = ([_tallies()[label] for label in UNREAD_GROUPS[k - 1][0]] if k
               else _draws_between("EM", "ER"))
    assert _total(later, "contradicted") == contradicted
    if not k:  # the wide draws EM to ER found none either
        assert _total(earlier, "contradicted") == 0
    # A contradicted fact sat in a record with weaker facts too, so "one of them a contradicted
    # one as well" counts it among those that had a weaker fact.
    assert all(w for readings in _readings().values() for label, (_, w, c, _) in readings
               if label in labels and c)
    read = f"{_total(later, 'records')} more of the records" if k else (
        f"{_total(later, 'records')} of the 228 records")
    stated = [f"The {_in_words(len(later))} draws {labels[0]} to {labels[-1]}, reading {read} "
              "that no draw from EM had read,",
              _compared(later, earlier, f"{earlier[0].round} to {earlier[-1].round}")]
    if k:
        so_far = unread[:unread.index(later[-1]) + 1]
        stated.append(f"{_total(so_far, 'clean')} of the {_total(so_far, 'records')} records the "
                       f"{_in_words(len(so_far))} draws from ES read were entirely supported")
    _assert_in_history(*stated)


@functools.cache
def _coverage_summary() -> tuple[list[str], FactCheckSummary]:
    """The log's record ids and what `hrh-lessons coverage` sums of their latest readings
    (cases.factcheck.summarise, as coverage reads the log)."""
    ids = sorted(case_rounds(_checks()))
    return ids, summarise(_checks(), ids)


def test_history_facts_left_are_what_coverage_counts() -> None:
    # "237 facts in 83 records were left that neither a record's latest reading nor a try or
    # pass since had reached (`hrh-lessons coverage` counts them), and 200 of the 283 records
    # had none": cases.factcheck.summarise, as coverage reads the log.
    ids, summary = _coverage_summary()
    _assert_in_history(
        f"{summary.facts_left} facts in {summary.cases_with_facts_left} records were left that "
        "neither a record's latest reading nor a try or pass since had reached (`hrh-lessons "
        f"coverage` counts them), and {len(ids) - summary.cases_with_facts_left} of the "
        f"{len(ids)} records had none")


def _latest_readings_stated() -> str:
    """"of the 283 records' latest readings, 91 are entirely supported, 34 fall short only by
    facts not reached and 158 had a weaker or contradicted fact": cases.factcheck.summarise,
    which counts a close-call review's findings with the reading they belong to."""
    ids, summary = _coverage_summary()
    return (f"of the {len(ids)} records' latest readings, {summary.latest_clean} are entirely "
            f"supported, {summary.latest_only_not_reached} fall short only by facts not "
            f"reached and {summary.latest_with_finding} had a weaker or contradicted fact")


def test_history_latest_readings_are_what_coverage_counts() -> None:
    _assert_in_history(_latest_readings_stated())


def test_readme_says_where_the_review_stands() -> None:
    # README.md keeps the review history in docs/review-history.md and states only where it
    # stands, from the log: the draws' count of records entirely supported, what the latest
    # readings found and the facts left, as `hrh-lessons coverage` and `spot-checks` sum them.
    _, summary = _coverage_summary()
    draws = _draws()
    readme = _folded("README.md")
    stated = (
        f"Over all {_in_words(len(draws))} random draws of ten, {_total(draws, 'clean')} of the "
        f"{10 * len(draws):,} records were entirely supported",
        _latest_readings_stated(),
        f"{summary.facts_left} facts in {summary.cases_with_facts_left} records are left that "
        "no reading, try or pass has reached",
        "[docs/review-history.md](docs/review-history.md)")
    missing = [statement for statement in stated if statement not in readme]
    assert missing == [], f"README.md does not state: {missing}"
    assert len(readme) < 20_000  # the history stays out of the README


@functools.cache
def _look_up_limits() -> dict[str, int]:
    """The look-ups a record each round allowed, where its log notes state it ("Spot-check CD
    (... with at most 20 look-ups per record): ...")."""
    return {r: int(v) for r, v in _stated_per_round(r"at most (\d+) look-ups per record").items()}


# Where the history says how many of a round's records had a weaker (or contradicted) fact and
# how many others had only facts not reached, those counts are held to the log's too.
# The history words them in one of two ways (for a random draw, for a re-read of many) or, for
# a few rounds, in a sentence of their own.
_OF_THE_DRAW = ("{flawed} of the {records} had a weaker fact",
                "{some} had only facts not reached")
_IN_THE_RE_READ = ("weaker facts were in {flawed} records, {only_unreached} {others} had only "
                   "facts not reached",)
_OR_CONTRADICTED = ("{flawed} of the {records} had a weaker fact or a contradicted one, and "
                    "{only_unreached} {others} had only facts not reached",)
# A random draw of ten after AT is worded the draw's way unless listed here; re-reads of many
# records and the draws worded otherwise are listed.
FINDINGS = {
    **{t.round: _OF_THE_DRAW for t in _draws() if round_order(t.round) > round_order("AT")},
    **{t.round: _OF_THE_DRAW for t in _unread_draws()},
    "AU": ("{flawed} of the {records} had a weaker fact", "The other {only_unreached} had only "
           "facts not reached"),
    "AV": _IN_THE_RE_READ, "AX": _IN_THE_RE_READ, "AZ": _IN_THE_RE_READ, "BA": _IN_THE_RE_READ,
    "BD": _IN_THE_RE_READ, "BF": _IN_THE_RE_READ, "BH": _IN_THE_RE_READ, "BK": _IN_THE_RE_READ,
    "BI": _OR_CONTRADICTED,
    "BJ": ("{flawed} of the {records} had a weaker fact and {only_unreached} {others} had only "
           "facts not reached",),
    "BM": _IN_THE_RE_READ, "BN": _IN_THE_RE_READ,
    "BO": _OR_CONTRADICTED, "BP": _IN_THE_RE_READ, "BQ": _IN_THE_RE_READ,
    "BR": _IN_THE_RE_READ, "BS": _OR_CONTRADICTED, "BT": _IN_THE_RE_READ,
    "BU": _OR_CONTRADICTED, "BW": _OR_CONTRADICTED,
    "BX": _OR_CONTRADICTED, "BY": _OR_CONTRADICTED, "BZ": _OR_CONTRADICTED,
    "CA": _OR_CONTRADICTED, "CB": _OR_CONTRADICTED, "CE": _IN_THE_RE_READ,
    "CL": _OR_CONTRADICTED, "DD": _IN_THE_RE_READ, "DG": _IN_THE_RE_READ,
    "DL": _OR_CONTRADICTED, "DQ": _IN_THE_RE_READ, "EA": _OR_CONTRADICTED,
    "EF": _IN_THE_RE_READ,
    "DT": ("{flawed} of the {records} had a weaker fact, and all {only_unreached} had facts not "
           "reached",),
    "BG": ("{flawed} of the {records} had a weaker fact and {only_unreached} had only facts not "
           "reached",),
    "FI": ("{flawed} of the {records} had a weaker fact or a contradicted one",
           "{some} had only facts not reached"),
    "GH": _OR_CONTRADICTED,  # Burkina Faso's start year: a contradicted fact and no weaker one
}


@pytest.mark.parametrize("round_", sorted(FINDINGS))
def test_history_counts_of_records_with_findings_are_the_logged_counts(round_: str) -> None:
    t = _tallies()[round_]
    only_unreached = t.only_unreached
    # A draw's wording: "1 other had only ...", "2 others ...", and for none "no other ...".
    counts = {"records": t.records, "flawed": t.flawed, "only_unreached": only_unreached,
              "others": "other" if only_unreached == 1 else "others",
              "some": {0: "no other", 1: "1 other"}.get(only_unreached, f"{only_unreached} others")}
    # The short sentences recur from round to round ("6 of the 10 had a weaker fact"), so each
    # is looked for just after the round's own totals, where the history states it.
    _assert_after(_stated(t), *(template.format(**counts) for template in FINDINGS[round_]),
                  within=1200)


# A title pass logs per record "N titles: a shown as the headline, b shown with other words,
# c with no headline on the stored page, d not reached". The history's pass totals are held to
# the sums of those counts, as the spot-check rounds' are.
_TITLE_COUNTS = (r"[^:]*: (\d+) titles?: (\d+) shown as the headline(?:, (\d+) shown with "
                 r"other words)?(?:, (\d+) with no headline on the stored page)?(?:, (\d+) "
                 r"not reached)?")
TITLE_PASSES = {
    "AM, parts 1 and 2": ((r"Title pass AM \(", r"Title pass AM, second part"),
                           ("the {titles:,} unmarked titles",
                           "Of the {reached:,} pages reached, {none} showed no headline",
                           "{other} showed other words")),
    "AM, part 3": ((r"Title pass AM, third part",),
                   ("searched the {titles:,} titles 60-80%",
                    "of the {reached:,} pages reached, {none} showed no headline",
                    "{other} showed other words")),
}


def _title_pass_totals(labels: tuple[str, ...]) -> dict[str, int]:
    rows = [row for label in labels for row in _logged(label + _TITLE_COUNTS)]
    for case_id, (n, same, o, d, u) in rows:
        assert n == same + o + d + u, case_id
    titles, _, other, none, unreached = _column_sums(rows) if rows else (0,) * 5
    return {"titles": titles, "reached": titles - unreached, "none": none, "other": other}


@pytest.mark.parametrize("pass_", sorted(TITLE_PASSES))
def test_history_figures_for_each_title_pass_are_the_logged_counts(pass_: str) -> None:
    labels, templates = TITLE_PASSES[pass_]
    totals = _title_pass_totals(labels)
    assert totals["titles"], f"no fact-check row carries title pass {pass_}'s counts"
    _assert_in_history(*(template.format(**totals) for template in templates))


# The source-date pass logs per record "Source-date pass (...): N sources, a shown as written,
# b years removed, c years corrected, d titles marked as ours, e titles corrected[, g
# publishers corrected], f not reached" (its third part also held publishers to the page).
# The history's figures for it are held to the sums, as the rounds' are.
_SOURCE_DATE_COUNTS = (r"Source-date pass \([^:]*\): (\d+) sources, (\d+) shown as written, "
                       r"(\d+) years removed, (\d+) years corrected, (\d+) titles marked as ours, "
                       r"(\d+) titles corrected, (?:(\d+) publishers corrected, )?"
                       r"(\d+) not reached")


_SOURCE_DATE_STATED = ("looked up again each of the {sources:,} sources in {records} records",
                       "{shown} were shown as written", "{removed} years are not shown",
                       "{corrected} were shown as another year",
                       "{marked} titles are now marked as ours and {retitled} follow the headline",
                       "{publishers} publishers now name what the page shows",
                       "{unreached} pages were not reached")


def test_history_figures_for_the_source_date_pass_are_the_logged_counts() -> None:
    rows = _logged(_SOURCE_DATE_COUNTS)
    assert rows, "no fact-check row carries the source-date pass's counts"
    for case_id, (n, shown, removed, corrected, marked, retitled, publishers,
                  unreached) in rows:
        # A source counts once in shown or not reached, or in one or more of the mend columns.
        mended = removed + corrected + marked + retitled + publishers
        assert shown + unreached <= n <= shown + unreached + mended, case_id
    totals = dict(zip(("sources", "shown", "removed", "corrected", "marked", "retitled",
                       "publishers", "unreached"), _column_sums(rows), strict=True),
                  records=len(rows))
    _assert_in_history(*(template.format(**totals) for template in _SOURCE_DATE_STATED))


# Passes that log one count per record ("Address-date audit (...): 2 sources given the
# address's year"): the history states the sum over the records and how many records.
_ONE_COUNT_PASSES = {
    "address-date audit": (r"Address-date audit \([^:]*\): (\d+) sources? given the address's "
                           r"year", "the {sources} sources in {records} records it found"),
    # Its later steps, stated together after sample BH.
    "address-date audit, later steps": (
        r"Address-date audit, (?:third|fourth) step \([^:]*\): (\d+) sources? given the "
        r"address's year",
        "found {sources} more sources in {records} records without the year their address shows"),
    # Its fifth step, after sample BP.
    "address-date audit, fifth step": (
        r"Address-date audit, fifth step \([^:]*\): (\d+) sources? given the address's year",
        "found {sources} more source without the year its address shows"),
    "publisher-author sweep": (
        r"Publisher-author sweep \([^:]*\): (\d+) sources?'s? publishers? no longer",
        "the author names from the {sources} sources in {records} records"),
    # Its second step, after sample BK.
    "publisher-author sweep, second step": (
        r"Publisher-author sweep, second step \([^:]*\): (\d+) sources?'?s? publishers? no "
        r"longer",
        "dropped the names from {sources} more sources in {records} records"),
}


@pytest.mark.parametrize("pass_", sorted(_ONE_COUNT_PASSES))
def test_history_figures_for_each_one_count_pass_are_the_logged_counts(pass_: str) -> None:
    pattern, stated = _ONE_COUNT_PASSES[pass_]
    rows = _logged(pattern)
    assert rows, f"no fact-check row carries the {pass_}'s counts"
    (sources,) = _column_sums(rows)
    _assert_in_history(stated.format(sources=sources, records=len(rows)))


# Passes that log per record a count of sources and how each ended ("Wire-credit check (...):
# N sources, a showing the credit, b credits removed, c not reached"): each row's parts add up
# to its count, and the history's figures are the sums, with how many records.
_PARTED_PASSES = {
    "wire-credit check": (
        r"Wire-credit check \([^:]*\): (\d+) sources?, (\d+) showing the credit, (\d+) "
        r"credits? removed, (\d+) not reached",
        ("looked up once each of the {sources} sources whose publisher credits",
         "{a} show the credit", "{b} credits the page does not show were removed, and {c} "
         "pages were not reached")),
    "journal-year step": (
        r"Journal-year step \([^:]*\): (\d+) sources?: (\d+) dated from the page, (\d+) no "
        r"date line seen, (\d+) not reached",
        ("the {sources} year-null journal pages in {records} records",
         "{reached} were reached, {a} could be dated from the page and {b} showed no date line")),
}


@pytest.mark.parametrize("pass_", sorted(_PARTED_PASSES))
def test_history_figures_for_each_parted_pass_are_the_logged_counts(pass_: str) -> None:
    pattern, stated = _PARTED_PASSES[pass_]
    rows = _logged(pattern)
    assert rows, f"no fact-check row carries the {pass_}'s counts"
    for case_id, (n, *parts) in rows:
        assert n == sum(parts), case_id
    sources, a, b, c = _column_sums(rows)
    _assert_in_history(*(template.format(sources=sources, records=len(rows), a=a, b=b, c=c,
                                        reached=sources - c) for template in stated))


# The repository-copy pass and the document-copy pass log per record "N sources: a shown as
# written, b publishers corrected, c years changed, d titles changed, e not reached"; the
# history's totals are the sums.
_COPY_COUNTS = (r" \([^:]*\): (\d+) sources?: (\d+) shown as written, (\d+) publishers? "
                r"corrected, (\d+) years? changed, (\d+) titles? changed, (\d+) not reached")
COPY_PASSES = {
    "Repository-copy pass": "each of the {sources} sources in {records} records on a copy site",
    "Document-copy pass": "the same rules to the {sources} sources in {records} records on "
                           "document-copy sites",
}


@pytest.mark.parametrize("pass_", sorted(COPY_PASSES))
def test_history_figures_for_each_copy_pass_are_the_logged_counts(pass_: str) -> None:
    rows = _logged(re.escape(pass_) + _COPY_COUNTS)
    assert rows, f"no fact-check row carries the {pass_}'s counts"
    for case_id, (n, shown, publishers, years, titles, unreached) in rows:
        assert shown + unreached <= n <= shown + unreached + publishers + years + titles, case_id
    sources, shown, publishers, years, titles, unreached = _column_sums(rows)
    _assert_in_history(COPY_PASSES[pass_].format(sources=sources, records=len(rows)),
                       f"{shown} were shown as written, {publishers} publishers now name what the "
                       f"copy shows (years changed {years}, titles {titles}), and {unreached} "
                       "pages were not reached")


# A second try logs per record "Second try after sample XX (...): reached x of y facts not
# reached before: S a, W b, C c; still not reached d" (the further try after BD and BF logs the
# same counts). The history's figures are held to the sums, with the round's own count of facts
# not reached where it states one.
_TRY_COUNTS = (r": reached (\d+) of (\d+) facts not reached before: S (\d+), W (\d+), C (\d+); "
               r"still not reached (\d+)")


def _try_sums(pattern: str) -> dict[str, int]:
    """The counts of every try logged with ``pattern`` (+ _TRY_COUNTS), each row checked."""
    rows = _logged(pattern + _TRY_COUNTS)
    assert rows, f"no fact-check row carries the counts of {pattern!r}"
    for case_id, (reached, tried, s, w, c, still) in rows:
        assert reached == s + w + c and tried == reached + still, case_id
    return dict(zip(("reached", "tried", "s", "w", "c", "still"), _column_sums(rows),
                    strict=True), records=len(rows))


def _mended(round_: str) -> tuple[str, str]:
    # "reached 195 of 331 (189 supported, 6 weaker, all mended ...), so 440 of AV's 635 remain
    # unreached": the history's usual wording when the try found weaker (or contradicted) facts;
    # {found} names the contradicted ones only where the log has some.
    return ("reached {reached} of {tried} ({s} supported, {found}, all mended",
            f"so {{left}} of {round_}'s {{round_unreached}} remain unreached")


def _none_weaker(round_: str) -> tuple[str]:
    # "reached 10 of 36 (10 supported, 0 weaker, so 35 of AW's 45 remain unreached)".
    return (f"reached {{reached}} of {{tried}} ({{s}} supported, {{w}} weaker, so {{left}} of "
            f"{round_}'s {{round_unreached}} remain unreached)",)


# Second tries the history words in a sentence of their own; every other logged second try is
# worded the usual way, _mended where it found weaker or contradicted facts, else _none_weaker.
SECOND_TRIES = {
    "AP": ("{tried} of the {round_unreached} facts not reached were in four records",
           "tried again for them and reached {reached}: {s} supported, {w} weaker"),
    "AQ": ("they reached {reached} of the {tried} that AQ left unreached in one record ({s} "
           "supported, {w} weaker, mended)",),
    "AV": ("reached {reached} of {tried} ({s} supported, {w} weaker, all mended",
           "{left} of AV's {round_unreached} remain unreached"),
    "AZ": ("reached {reached} of {tried} ({s} supported, {w} weaker,",
           "so {left} of AZ's {round_unreached} remain unreached"),
}
# Every round the log has a second try for ("Second try after sample CO (...): ..."), so a try
# logged but not stated in the history fails.
SECOND_TRY_ROUNDS = sorted({found for _, note in _log_notes()
                            for found in re.findall(r"Second try after sample ([A-Z]{1,2})\b",
                                                    note)}, key=round_order)


def test_history_figures_for_the_further_try_after_bd_and_bf_are_the_logged_counts() -> None:
    sums = _try_sums(r"Further try after samples BD and BF \([^:]*\)")
    assert sums["c"] == 0  # the history's wording has no contradicted facts
    stated = ("the {records} records, last sampled in BD or BF, with most facts",
              "it reached {reached} of {tried} ({s} supported, {w} weaker, all mended",
              "and {still} remain unreached")
    _assert_in_history(*(template.format(**sums) for template in stated))


@pytest.mark.parametrize("round_", SECOND_TRY_ROUNDS)
def test_history_figures_for_each_second_try_are_the_logged_counts(round_: str) -> None:
    sums = _try_sums(rf"Second try after sample {round_}\b[^:]*")
    round_unreached = _tallies()[round_].not_reached
    totals: dict[str, int | str] = {
        **sums, "round_unreached": round_unreached, "left": round_unreached - sums["reached"],
        "found": f"{sums['w']} weaker" + (f", {sums['c']} contradicted" if sums["c"] else "")}
    templates = SECOND_TRIES.get(round_) or (
        _mended(round_) if sums["w"] or sums["c"] else _none_weaker(round_))
    # A wording that cannot name contradicted facts is only for tries that found none.
    assert totals["c"] == 0 or any("{found}" in t for t in templates), round_
    stated = [template.format(**totals) for template in templates]
    if round_ not in SECOND_TRIES and len(stated) == 2:
        # The counts of a _mended try recur from round to round ("reached 2 of 5 (1 supported,
        # 1 weaker, all mended"), so they must be the ones just before this round's own "so 3
        # of FH's 5 remain unreached".
        _assert_after(stated[0], stated[1], within=700)
    else:
        _assert_in_history(*stated)


def test_review_readme_examples_are_the_logged_counts() -> None:
    # src/hrhlessons/data/review/README.md shows round CO's note and its second try's as
    # examples; they are the log's sums, not made-up figures.
    text = _folded("src/hrhlessons/data/review/README.md")
    t = _tallies()["CO"]
    assert (f"Spot-check CO (how the records were drawn and read): S {t.supported}, W {t.weaker}, "
            f"C {t.contradicted}, N {t.not_reached} of {t.facts}.") in text
    tries = _try_sums(r"Second try after sample CO\b[^:]*")
    assert (f"reached {tries['reached']} of {tries['tried']} facts not reached before: "
            f"S {tries['s']}, W {tries['w']}, C {tries['c']}; still not reached "
            f"{tries['still']}.") in text
    assert "hrh-lessons draw 10 --seed CO-2026-11-30" in text


def test_history_figures_for_the_journal_date_pilot_are_the_logged_counts() -> None:
    # "16 journal article pages cited with a null year (in 14 records) ... All 16 came back at
    # their cited addresses and none showed a date or citation line".
    rows = _logged(r"Journal-date pilot \([^:]*\): (\d+) sources? \([^)]*\): (\d+) dated, (\d+) "
                   r"reached without a date line, (\d+) not reached")
    sources, dated, undated, unreached = _column_sums(rows)
    assert sources == dated + undated + unreached and dated == 0 and unreached == 0
    _assert_in_history(f"{sources} journal article pages cited with a null year (in {len(rows)} "
                       f"records)", f"All {undated} came back at their cited addresses and none "
                       "showed a date or citation line")


# Further tries worded "in the five records with most of them ... it reached 13 of 39 facts (13
# supported, 0 weaker)": the log pattern of their notes, and how the history names the records.
FURTHER_TRIES = {
    "third try": (r"Third try after sample [A-Z]{2}\b[^:]*", "records with most of them"),
    "appended-page pass": (r"Appended-page pass \([^:]*\)", "records with such hints"),
    "reworded-clause try": (r"Reworded-clause try \([^:]*\)",
                            "records where no try had yet graded them"),
    "reworded-clause try after DG to DK": (r"Reworded-clause try after DG to DK \([^:]*\)",
                                           "record with such a clause"),
    "reworded-clause try after DL": (r"Reworded-clause try after DL \([^:]*\)",
                                     "records with such a clause"),
    "reworded-clause try after DU": (r"Reworded-clause try after DU \([^:]*\)",
                                     "records with a clause split after DU"),
}


@pytest.mark.parametrize("try_", sorted(FURTHER_TRIES))
def test_history_figures_for_each_further_try_are_the_logged_counts(try_: str) -> None:
    pattern, records = FURTHER_TRIES[try_]
    sums = _try_sums(pattern)
    assert sums["c"] == 0  # the history's wording has no contradicted facts
    _assert_in_history(f"in the {_in_words(sums['records'])} {records}",
                       "it reached {reached} of {tried} facts ({s} supported, {w} weaker"
                       .format(**sums))


def _audited(pattern: str, changes: tuple[int, ...]) -> tuple[tuple[int, ...], int]:
    """A no-look-up audit's counts summed over the log notes with ``pattern``, and how many
    records it changed (a note with any of the counts at ``changes`` above 0); every record of
    the log must carry one."""
    rows = _logged(pattern)
    # every record of the log was audited, save those added after GL
    assert len(rows) == len(_log_notes()) - len(_added_after_gl())
    changed = sum(1 for _, counts in rows if any(counts[i] for i in changes))
    return _column_sums(rows), changed


# The lessons-and-factors audits, after CR and after FR, each read every record: "of 605 lessons
# 99 were reworded, and of 529 factors 11, in 92 records; no code changed" (after CR, whose notes
# also count the codes changed), "of 605 lessons 21 were reworded, and of 528 factors 13, in 34
# records. The editor kept ..." (after FR, which left codes to the editor).
# The notes after FR end their counts at the factors; the empty group stands for the codes.
@pytest.mark.parametrize(("after", "codes_logged", "then"), [
    ("", r"; (\d+) codes? changed", "; no code changed"),
    ("after FR ", r"()\.", ". The editor kept")])
def test_history_figures_for_each_lessons_and_factors_audit_are_the_logged_counts(
        after: str, codes_logged: str, then: str) -> None:
    (lessons, lessons_reworded, factors, factors_reworded, codes), changed = _audited(
        rf"Lessons-and-factors audit {after}\([^:]*\): (\d+) lessons?, (\d+) reworded; "
        rf"(\d+) factors?, (\d+) reworded{codes_logged}", changes=(1, 3, 4))
    assert codes == 0  # "no code changed" (after FR the empty group counts none)
    _assert_in_history(f"of {lessons} lessons {lessons_reworded} were reworded, and of {factors} "
                       f"factors {factors_reworded}, in {changed} records{then}")


# The codes-and-lessons audits, after DB and after DX, log the same counts: "of 605 lessons 89
# were reworded, of 529 factors 43, and of 2,454 codes 1 was changed, in 98 records" (after DB),
# "of 605 lessons 49 were reworded, of 528 factors 4, and of 2,448 codes 1 was changed, in 48
# records" (after DX).
@pytest.mark.parametrize("after", ["", "after DX "])
def test_history_figures_for_each_codes_and_lessons_audit_are_the_logged_counts(after: str) -> None:
    (lessons, lessons_reworded, factors, factors_reworded, codes, changed), records = _audited(
        rf"Codes-and-lessons audit {after}\([^:]*\): (\d+) lessons?, (\d+) reworded; "
        r"(\d+) factors?, (\d+) reworded; (\d+) codes?, (\d+) changed", changes=(1, 3, 5))
    _assert_in_history(f"of {lessons} lessons {lessons_reworded} were reworded, of {factors} "
                       f"factors {factors_reworded}, and of {codes:,} codes {changed} "
                       f"{'was' if changed == 1 else 'were'} changed, in {records} records")


# A re-citing pass logs per record "Re-citing pass after sample XX (...): reached r of n facts
# not reached before: S s, W w, C c; re-cited a; still not reached k": a fact no cited page
# showed could be given to another page reached at its own address (appended as a source where
# the record did not cite it). The first pass took the records with one to three such facts,
# the second those with four to six, the third facts in records drawn in DU to DY that a
# checker had found on another page the record cites; the parenthesis says which. Each pass:
# the words its parenthesis names it by, the range of facts a record had, the history's wording.
_FIRST_TWO = ("the {records} records with {band} of them ({tried} facts)",
              "{reached} were reached at a cited page ({s} supported, {w} weaker, mended), "
              "{recited} were re-cited to", "and {still} remain not reached",
              "{cleared} of the {records} records now have no fact left unreached")
def _took(named: str, tried: tuple[int, int], where: str = "",
          after: str = "") -> tuple[str, tuple[int, int], tuple[str, ...]]:
    """A re-citing band whose sentence in the history names the records by the phrase its log notes
    carry ("took the 7 records drawn in EY to FD {named} (31 facts)"), so the two cannot drift
    apart."""
    return named, tried, (f"took the {{records}} records {where}{named}{after} ({{tried}} "
                           "facts)", *_FIRST_TWO[1:])


RE_CITING_PASSES = {
    "one to three": ("with one to three of them", (1, 3), _FIRST_TWO),
    "four to six": ("with four to six of them", (4, 6), _FIRST_TWO),
    # The fourth took, with them, one record with four that the second had missed.
    "seven or more": ("with seven or more of them", (4, 99), (
        "the {records_seven} records with {band} of them and {fewer} that the second pass had "
        "missed ({tried} facts)", *_FIRST_TWO[1:])),
    # The fifth, after DZ to ED, took every record with any such fact that no pass had taken
    # since its latest sample.
    "taken since": ("that no re-citing pass had taken since", (1, 10), (
        "the {records} records with any that no re-citing pass had taken since their latest "
        "sample ({tried} facts)", *_FIRST_TWO[1:])),
    # The sixth, after ER, took the records with exactly one such fact that no try after EL
    # had taken.
    "exactly one": ("with exactly one of them", (1, 1), _FIRST_TWO),
    # The seventh, after EX, took every record drawn before ES with any such fact that no
    # re-citing pass had taken since its latest sample.
    "no pass since": _took("with facts left and no re-citing pass since", (1, 9),
                           "drawn before ES ", " their latest sample"),
    # The eighth, after EX, took the records drawn in ES to EX with such a fact that a page
    # other than the one cited could show.
    "can be re-cited": _took("whose facts left include a clause, code, factor or provenance "
                             "index", (1, 9), "drawn in ES to EX ",
                             ", which unlike a source entry can be re-cited"),
    # The ninth, after FD, took the records drawn in EY to FD whose facts left count a fact a
    # page other than the one cited could show.
    "among them": _took("with a clause, code, scale entry, lesson or provenance index among "
                        "them", (1, 14), "drawn in EY to FD "),
    # The tenth, after FD, took one look-up a fact in the records with one or two facts left
    # that no try or pass of the session of EY to FD had sought.
    "one or two left": _took("with one or two facts left that no try or pass this session had "
                             "sought", (1, 2)),
    # The eleventh, after FK, took the records drawn in FE to FK whose facts left count one
    # that a page other than the one cited could show.
    "another page": _took("with a fact left that another page could carry", (1, 9),
                           "drawn in FE to FK "),
    # The twelfth, after FR, took the records drawn in FL to FR whose facts left count a factor
    # or a provenance index, which another page could show.
    "factor or index": _took("with a factor or provenance index left", (1, 3),
                             "drawn in FL to FR "),
    "a page the record already cites": ("a page the record already cites", (1, 3), (
        "took {tried} such facts in {records} records drawn in DU to DY, where a checker had "
        "named {band} as showing them",
        "reached {reached} at its own cited page ({s} supported, {w} weaker), re-cited {recited} "
        "to the page named and left {still} not reached")),
}


def _re_citing_rows(band: str) -> list[tuple[str, tuple[int, ...]]]:
    """The log rows of the re-citing pass named by ``band`` (RE_CITING_PASSES), each checked:
    ``(case id, (reached, tried, S, W, C, re-cited, still not reached))``."""
    named, (low, high), _ = RE_CITING_PASSES[band]
    rows = _logged(rf"Re-citing pass after sample [A-Z]{{1,2}} \([^:]*{named}[^:]*\): "
                   r"reached (\d+) of (\d+) facts not reached before: S (\d+), W (\d+), "
                   r"C (\d+); re-cited (\d+); still not reached (\d+)")
    assert rows, f"no fact-check row carries the re-citing pass of records {named}"
    for case_id, (reached, tried, s, w, c, recited, still) in rows:
        assert reached == s + w + c and tried == reached + recited + still, case_id
        assert low <= tried <= high, case_id  # the records "with one to three of them"
    return rows


# The editor's pass and the page-reading pass after the codes-and-lessons audit after DX log one
# outcome a record ("Editor's pass after ... (...): doubt upheld. ...", "Page-reading pass after
# ... (...): settled by a cited page, the field kept. ..."); the history counts each outcome.
_AFTER_DX = "after the codes-and-lessons audit after DX"
_OUTCOME_PASSES = {
    "editor's pass": (
        rf"Editor's pass {_AFTER_DX} \([^:]*\): doubt (upheld|not upheld)\.",
        {"upheld": "upheld", "not upheld": "not_upheld"},
        ("the editor in {records} records, each settled by the record's own text and "
         "SCHEMA.md: {upheld} doubts were upheld and {not_upheld} not",)),
    "page-reading pass": (
        rf"Page-reading pass {_AFTER_DX} \([^:]*\): (settled by a cited page, the field "
        r"(?:changed|kept)|not settled)\.",
        {"settled by a cited page, the field changed": "changed",
         "settled by a cited page, the field kept": "kept", "not settled": "unsettled"},
        ("in {records} records, each settled by the record's own cited pages",
         "{changed} were settled with the field changed, {kept} with it kept and {unsettled} were "
         "not settled")),
}


@pytest.mark.parametrize("pass_", sorted(_OUTCOME_PASSES))
def test_history_counts_each_outcome_of_the_passes_after_the_audit_after_dx(pass_: str) -> None:
    pattern, names, stated = _OUTCOME_PASSES[pass_]
    found = [name for _, note in _log_notes() for name in re.findall(pattern, note)]
    assert found, f"no fact-check row carries the {pass_}"
    counts = {names[name]: found.count(name) for name in names}
    _assert_in_history(*(template.format(records=len(found), **counts) for template in stated))


@pytest.mark.parametrize("band", sorted(RE_CITING_PASSES))
def test_history_figures_for_each_re_citing_pass_are_the_logged_counts(band: str) -> None:
    rows = _re_citing_rows(band)
    reached, tried, s, w, c, recited, still = _column_sums(rows)
    assert c == 0  # the history's wording has no contradicted facts
    cleared = sum(1 for _, counts in rows if counts[-1] == 0)
    records_seven = sum(1 for _, counts in rows if counts[1] >= 7)
    fewer = " and ".join(f"one with {_in_words(counts[1])}" for _, counts in rows
                         if counts[1] < 7)
    _assert_in_history(*(template.format(
        band=band, records=len(rows), tried=tried, reached=reached, s=s, w=w, recited=recited,
        still=still, cleared=cleared, records_seven=records_seven, fewer=fewer)
        for template in RE_CITING_PASSES[band][2]))


def _first_readings_by_re_citing(
        rounds: tuple[str, ...], bands: tuple[str, ...],
) -> tuple[dict[str, tuple[int, int, int, int]], list[tuple[int, int, int, int]],
           list[tuple[int, int, int, int]]]:
    """Each record's first reading in ``rounds`` (a record drawn twice counts once), and those
    readings split into the records a re-citing pass of ``bands`` (RE_CITING_PASSES) had worked
    on and the others."""
    first = {case_id: found[0] for case_id, found in _read_in(rounds).items()}
    re_cited = {case_id for band in bands for case_id, _ in _re_citing_rows(band)}
    return (first, [counts for case_id, counts in first.items() if case_id in re_cited],
            [counts for case_id, counts in first.items() if case_id not in re_cited])


def test_history_compares_the_re_cited_records_drawn_in_du_to_dx_with_the_others() -> None:
    # "The four draws found 14 of the 40 in DU to DX entirely supported, against 127 of 560 in
    # the fifty-six draws before them. The re-citing passes do not account for that: of the 11
    # records drawn in DU to DX that a re-citing pass had worked on, 4 were entirely supported
    # on their first reading there, against 10 of the 28 others." A record drawn twice counts
    # once, by its first reading in those draws.
    draws = _draws_between("DU", "DX")
    rounds = tuple(t.round for t in draws)
    assert rounds == ("DU", "DV", "DW", "DX")
    clean_in_draws = _total(draws, "clean")
    # The passes before the draws, not the third, which came after them.
    _, worked, others = _first_readings_by_re_citing(rounds, ("one to three", "four to six"))
    before = [t for t in _draws() if round_order(t.round) < round_order("DU")]
    _assert_in_history(
        f"{clean_in_draws} of the {10 * len(rounds)} in DU to DX entirely supported, against "
        f"{_total(before, 'clean')} of {10 * len(before)} in the {_in_words(len(before))} draws "
        "before them",
        f"of the {len(worked)} records drawn in DU to DX that a re-citing pass had worked on, "
        f"{sum(map(is_clean, worked))} were entirely supported on their first reading there, "
        f"against {sum(map(is_clean, others))} of the {len(others)} others")


def test_history_compares_the_re_cited_records_drawn_in_dz_to_ed_with_the_others() -> None:
    # "The five draws DZ to ED found 29 of their 50 records entirely supported, against 14 of 40
    # in DU to DX. ... of the 44 records drawn in DZ to ED, the 21 that a re-citing pass had
    # worked on before them were entirely supported on their first reading there in 7 cases,
    # the 23 others in 19." A record drawn twice counts once, by its first reading.
    rounds, earlier = _draws_between("DZ", "ED"), _draws_between("DU", "DX")
    assert [t.round for t in rounds + earlier] == ["DZ", "EA", "EB", "EC", "ED",
                                                   "DU", "DV", "DW", "DX"]
    # The four passes before the draws, not the fifth, which came after them.
    first, worked, others = _first_readings_by_re_citing(
        tuple(t.round for t in rounds), ("one to three", "four to six",
                                         "a page the record already cites", "seven or more"))
    _assert_in_history(
        f"The {_in_words(len(rounds))} draws DZ to ED found {_total(rounds, 'clean')} of their "
        f"{10 * len(rounds)} records entirely supported, against {_total(earlier, 'clean')} of "
        f"{10 * len(earlier)} in DU to DX",
        f"of the {len(first)} records drawn in DZ to ED, the {len(worked)} that a re-citing pass "
        f"had worked on before them were entirely supported on their first reading there in "
        f"{sum(map(is_clean, worked))} cases, the {len(others)} others in "
        f"{sum(map(is_clean, others))}",
        # "The gain is in findings: 6 of the 50 records had a weaker or contradicted fact,
        # against 13 of the 40 in DU to DX, ... while 15 of the 50 fell short only by facts not
        # reached, against 13 of the 40."
        f"The gain is in findings: {_total(rounds, 'flawed')} of the {10 * len(rounds)} records "
        f"had a weaker or contradicted fact, against {_total(earlier, 'flawed')} of the "
        f"{10 * len(earlier)} in DU to DX",
        f"while {_total(rounds, 'only_unreached')} of the {10 * len(rounds)} fell short only by "
        f"facts not reached, against {_total(earlier, 'only_unreached')} of the "
        f"{10 * len(earlier)}")
