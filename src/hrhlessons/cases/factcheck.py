"""The fact-check log: which case records were checked against their sources, when, and with
what result.

A record is *fact-checked* when a reviewer read the pages its sources point to and compared
every stated fact (years, status, figures, conditions, outcomes, text) with them, correcting
what the pages do not support. The log is a CSV shipped beside the registry
(``data/review/fact-checks.csv``), one row per check:

``id``
    the case id;
``checked_on``
    the date of the check (ISO 8601, ``YYYY-MM-DD``);
``result``
    ``supported`` (every fact found in the sources, nothing changed) or ``corrected`` (the
    record was edited to match its sources);
``note``
    what was changed, in a sentence.

A case may be checked more than once; its latest check counts. Pure: text in, records out;
problems are located by file, line and column (:class:`hrhlessons.errors.InvalidInput`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hrhlessons.errors import InvalidInput, Problem

COLUMNS: tuple[str, ...] = ("id", "checked_on", "result", "note")
RESULTS: tuple[str, ...] = ("supported", "corrected")


@dataclass(frozen=True, order=True)
class FactCheck:
    """One check of one case record against its sources."""

    id: str
    checked_on: dt.date
    result: str
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "checked_on": self.checked_on.isoformat(),
                "result": self.result, "note": self.note}


def _rows(text: str, columns: tuple[str, ...], file: str,
          problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, row)`` for each well-formed row of a CSV with exactly ``columns``; a row of
    another width is added to ``problems`` and skipped, a wrong header refuses the text."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != columns:
        raise InvalidInput([Problem(file, 1, "", f"the header must be {','.join(columns)}")])
    for row in reader:
        if None in row or any(row.get(c) is None for c in columns):
            problems.append(Problem(file, reader.line_num, "", f"a row needs exactly "
                                                               f"{len(columns)} columns"))
            continue
        yield reader.line_num, row


#: Why a pass with no note is refused: the note is the only record of what the pass did.
EMPTY_NOTE = "the note is empty: say what the check found or changed"


def _one_line(note: str) -> str:
    return " ".join(note.split())


def _future(day: dt.date, today: dt.date | None) -> str | None:
    """Why ``day`` cannot be a check's date, or None when it can."""
    return f"{day.isoformat()} is in the future" if day > (today or dt.date.today()) else None


def _not_a_result(result: str) -> str | None:
    return None if result in RESULTS else f"'{result}' is not one of {', '.join(RESULTS)}"


def parse_fact_checks(text: str, *, file: str = "fact-checks.csv",
                      today: dt.date | None = None) -> list[FactCheck]:
    """The checks in the text of a fact-check CSV; every problem is collected, then raised."""
    checks: list[FactCheck] = []
    problems: list[Problem] = []
    for line, row in _rows(text, COLUMNS, file, problems):
        case_id = row["id"].strip()
        if not case_id:
            problems.append(Problem(file, line, "id", "the case id is empty"))
        try:
            day = dt.date.fromisoformat(row["checked_on"].strip())
        except ValueError:
            problems.append(Problem(file, line, "checked_on",
                                    f"'{row['checked_on']}' is not a date (YYYY-MM-DD)"))
            continue
        if (why := _future(day, today)) is not None:
            problems.append(Problem(file, line, "checked_on", why))
        result = row["result"].strip()
        if (why := _not_a_result(result)) is not None:
            problems.append(Problem(file, line, "result", why))
        checks.append(FactCheck(case_id, day, result, row["note"].strip()))
    if problems:
        raise InvalidInput(problems)
    return checks


def format_fact_checks(checks: Iterable[FactCheck]) -> str:
    """The CSV text of a log, sorted by case id and date."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for check in sorted(checks):
        writer.writerow(check.to_dict())
    return out.getvalue()


def record_check(checks: Iterable[FactCheck], case_id: str, day: dt.date, note: str, *,
                 corrected: bool, today: dt.date | None = None) -> list[FactCheck]:
    """The log with one more pass over a case recorded.

    The log keeps one running row per case: a new pass dates that row ``day``, appends
    ``note`` to its note, and marks it ``corrected`` when the pass changed the record (a
    pass that changed nothing keeps the row's result, since earlier corrections still
    stand). A case not yet in the log gets its first row. Refused, as
    :func:`parse_fact_checks` would refuse the log that results: a ``day`` after ``today``
    or before the row's date, and an empty note (the note is the only record of what the
    pass did).
    """
    text = _one_line(note)
    if not text:
        raise ValueError(EMPTY_NOTE)
    if (why := _future(day, today)) is not None:
        raise ValueError(why)
    rows = list(checks)
    mine = [c for c in rows if c.id == case_id]
    if not mine:
        return [*rows, FactCheck(case_id, day, "corrected" if corrected else "supported",
                                 text)]
    last = max(mine, key=lambda c: c.checked_on)
    if day < last.checked_on:
        raise ValueError(f"{case_id} was last checked on {last.checked_on.isoformat()}, "
                         f"after {day.isoformat()}")
    result = "corrected" if corrected else last.result
    joined = f"{last.note} {text}" if last.note else text
    updated = FactCheck(case_id, day, result, joined)
    return [updated if c is last else c for c in rows]


PASS_COLUMNS: tuple[str, ...] = ("id", "result", "note")


@dataclass(frozen=True)
class Pass:
    """One line of a batch of passes to log: a case, whether the pass changed it, the note."""

    id: str
    corrected: bool
    note: str
    line: int


def parse_passes(text: str, known_ids: Collection[str], *,
                 file: str = "passes.csv") -> list[Pass]:
    """The passes in a batch CSV (header ``id,result,note``); every problem is collected, then
    raised, so a bad line refuses the whole batch before anything is logged.

    ``result`` uses the log's words: ``corrected`` (the pass changed the record) or
    ``supported`` (it changed nothing). A case named twice is refused: one pass, one note.
    """
    known = set(known_ids)
    passes: list[Pass] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, row in _rows(text, PASS_COLUMNS, file, problems):
        case_id = row["id"].strip()
        if case_id not in known:
            problems.append(Problem(file, line, "id", f"no case record '{case_id}'"))
        elif case_id in seen:
            problems.append(Problem(file, line, "id", f"'{case_id}' is already on line "
                                                      f"{seen[case_id]}"))
        seen.setdefault(case_id, line)
        result = row["result"].strip()
        if (why := _not_a_result(result)) is not None:
            problems.append(Problem(file, line, "result", why))
        note = _one_line(row["note"])
        if not note:
            problems.append(Problem(file, line, "note", EMPTY_NOTE))
        passes.append(Pass(case_id, result == "corrected", note, line))
    if problems:
        raise InvalidInput(problems)
    return passes


def record_passes(checks: Iterable[FactCheck], passes: Iterable[Pass], day: dt.date, *,
                  file: str = "passes.csv", today: dt.date | None = None) -> list[FactCheck]:
    """The log with every pass of a batch recorded on ``day`` (see :func:`record_check`).

    All or nothing: a pass the log refuses (a case last checked after ``day``) is reported by
    its batch line, and the log comes back only when every pass was accepted.
    """
    if (why := _future(day, today)) is not None:
        raise InvalidInput([Problem(file, None, "", why)])
    rows = list(checks)
    problems: list[Problem] = []
    for one in passes:
        try:
            rows = record_check(rows, one.id, day, one.note, corrected=one.corrected,
                                today=today)
        except ValueError as exc:
            problems.append(Problem(file, one.line, "id", str(exc)))
    if problems:
        raise InvalidInput(problems)
    return rows


def latest_checks(checks: Iterable[FactCheck]) -> dict[str, FactCheck]:
    """The latest check of each case id."""
    out: dict[str, FactCheck] = {}
    for check in sorted(checks, key=lambda c: (c.id, c.checked_on)):
        out[check.id] = check
    return out


@dataclass(frozen=True)
class FactCheckSummary:
    """How much of a registry has been checked against its sources, and what each case's latest
    spot-check reading found (``spot_checked`` cases have one: ``latest_clean`` had every
    counted fact supported, ``latest_with_finding`` a weaker or contradicted one, found by the
    round or by a close-call review after it, since mended as each mends what it finds, and
    the rest fell short only by facts not reached;
    ``facts_left`` of those facts, in ``cases_with_facts_left`` cases, the tries and passes
    logged since have not reached either, :func:`facts_left`)."""

    cases: int
    checked: int
    supported: int
    corrected: int
    last_checked: dt.date | None
    spot_checked: int = 0
    latest_clean: int = 0
    latest_with_finding: int = 0
    facts_left: int = 0              # not reached in the latest readings nor by passes since
    cases_with_facts_left: int = 0

    @property
    def latest_only_not_reached(self) -> int:
        """Cases whose latest reading fell short only by facts its pages did not show."""
        return self.spot_checked - self.latest_clean - self.latest_with_finding

    @property
    def share(self) -> float:
        return round(self.checked / self.cases, 4) if self.cases else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"cases": self.cases, "checked": self.checked, "share": self.share,
                "supported": self.supported, "corrected": self.corrected,
                "last_checked": self.last_checked.isoformat() if self.last_checked else None,
                "spot_checked": self.spot_checked, "latest_clean": self.latest_clean,
                "latest_only_not_reached": self.latest_only_not_reached,
                "latest_with_finding": self.latest_with_finding, "facts_left": self.facts_left,
                "cases_with_facts_left": self.cases_with_facts_left}


def summarise(checks: Iterable[FactCheck], case_ids: Iterable[str], *,
              file: str = "fact-checks.csv") -> FactCheckSummary:
    """Count the cases of a registry whose latest check found them supported or corrected, and
    what their latest spot-check readings found and left not reached (:func:`facts_left`; a
    note whose counts do not add up refuses the log, named by ``file``)."""
    checks = list(checks)
    ids = set(case_ids)
    latest = {k: v for k, v in latest_checks(checks).items() if k in ids}
    results = [c.result for c in latest.values()]
    found = [reading for case_id, reading in _latest_and_left(checks, file).items()
             if case_id in ids and reading is not None]
    readings = [counts for counts, _ in found]
    return FactCheckSummary(
        cases=len(ids), checked=len(latest), supported=results.count("supported"),
        corrected=results.count("corrected"),
        last_checked=max((c.checked_on for c in latest.values()), default=None),
        spot_checked=len(readings), latest_clean=sum(map(is_clean, readings)),
        latest_with_finding=sum(map(has_finding, readings)),
        facts_left=sum(left for _, left in found),
        cases_with_facts_left=sum(1 for _, left in found if left))


# ----- spot-check rounds -----
#
# A spot-check round re-reads a set of records against their pages and logs, per record, a note
# "Spot-check AT (how it was drawn and read): S 61, W 4, C 0, N 0 of 65": facts supported,
# weaker than the record states, contradicted, and not reached (their pages did not come back).
# One note may carry several rounds.

#: The counts after a round's label in a note; older notes leave out a zero ("S 63, W 1 of 64").
ROUND_COUNTS = r": S (\d+)(?:, W (\d+))?(?:, C (\d+))?(?:, N (\d+))? of (\d+)"
#: A round's label: one or two capitals (AT, DP), ordered by :func:`round_order`.
ROUND_LABEL = r"[A-Z]{1,2}"
_ROUND = re.compile(rf"Spot-check (?P<round>{ROUND_LABEL})\b[^:]*" + ROUND_COUNTS)


def is_round_label(text: str) -> bool:
    """Whether ``text`` is a round label as the log's notes write them."""
    return re.fullmatch(ROUND_LABEL, text) is not None


@dataclass(frozen=True)
class RoundTally:
    """What one spot-check round found, summed over the records it re-read."""

    round: str
    records: int
    supported: int
    weaker: int
    contradicted: int
    not_reached: int
    clean: int                      # records with every counted fact supported
    flawed: int                     # records with a weaker or contradicted fact

    @property
    def facts(self) -> int:
        return self.supported + self.weaker + self.contradicted + self.not_reached

    @property
    def findings(self) -> int:
        """Facts weaker than the record states or contradicted by their page."""
        return self.weaker + self.contradicted

    @property
    def free_of_findings(self) -> int:
        """Records with no weaker or contradicted fact (clean, or short only by facts not
        reached)."""
        return self.records - self.flawed

    @property
    def only_unreached(self) -> int:
        """Records short of entirely supported only by facts not reached."""
        return self.records - self.clean - self.flawed

    @property
    def share(self) -> float:
        return round(self.supported / self.facts, 4) if self.facts else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"round": self.round, "records": self.records, "facts": self.facts,
                "supported": self.supported, "share": self.share, "weaker": self.weaker,
                "contradicted": self.contradicted, "not_reached": self.not_reached,
                "clean": self.clean, "flawed": self.flawed}


def is_clean(counts: tuple[int, int, int, int]) -> bool:
    """One reading's ``(S, W, C, N)`` found every counted fact supported."""
    return counts[1:] == (0, 0, 0)


def has_finding(counts: tuple[int, int, int, int]) -> bool:
    """One reading's ``(S, W, C, N)`` found a fact weaker than stated or contradicted."""
    return bool(counts[1] or counts[2])


def tally_round(label: str, records: Sequence[tuple[int, int, int, int]]) -> RoundTally:
    """A round's totals from each record's ``(S, W, C, N)`` counts."""
    s, w, c, n = (sum(col) for col in zip(*records, strict=True)) if records else (0, 0, 0, 0)
    return RoundTally(label, len(records), s, w, c, n,
                      clean=sum(map(is_clean, records)), flawed=sum(map(has_finding, records)))


def round_order(label: str) -> tuple[int, str]:
    """Sort key of round labels: A ... Z, then AA ... ZZ (AZ before BA)."""
    return len(label), label


#: A reading's counts ``(S, W, C, N)``.
_Counts = tuple[int, int, int, int]


def _round_matches(check: FactCheck, file: str) -> Iterator[tuple[str, _Counts, int, _Counts]]:
    """``(round, (S, W, C, N), end, reviewed)`` for each round a log row's note records,
    ``end`` being where the round's counts end in the note and ``reviewed`` the counts as the
    close-call reviews logged after it, before the next round's counts, leave them
    (:func:`_with_close_calls`; the log is written in order). Counts that do not add up to
    the note's total refuse the log (named by ``file`` and the row's case id, the log having
    one row per case), since the tally would be wrong, and so do a review's."""
    note = check.note
    rounds = list(_ROUND.finditer(note))
    # Every review in the note is checked, one before the first round (which belongs to no
    # reading) too; each reading takes those between its counts and the next round's.
    reviews = _close_call_reviews(check.id, note, file)
    for k, found in enumerate(rounds):
        stop = rounds[k + 1].start() if k + 1 < len(rounds) else len(note)
        s, w, c, n, total = (int(g or 0) for g in found.groups()[1:])
        if s + w + c + n != total:
            raise InvalidInput([Problem(file, None, "note",
                                        f"{check.id}: round {found['round']} counts "
                                        f"S {s}, W {w}, C {c}, N {n} do not add up to {total}")])
        after = [(label, weaker, contradicted) for at, label, weaker, contradicted
                 in reviews if found.end() <= at < stop]
        reviewed = _with_close_calls((s, w, c, n), check.id, after, file)
        yield found["round"], (s, w, c, n), found.end(), reviewed


def spot_check_rounds(checks: Iterable[FactCheck], *,
                      file: str = "fact-checks.csv") -> list[RoundTally]:
    """Each spot-check round's totals over the records it re-read, oldest round first."""
    per_round: dict[str, list[tuple[int, int, int, int]]] = {}
    for check in checks:
        for label, counts, _, _ in _round_matches(check, file):
            per_round.setdefault(label, []).append(counts)
    return [tally_round(label, per_round[label]) for label in sorted(per_round, key=round_order)]


_Placed = tuple[str, _Counts, str, int, _Counts]


def _placed_readings(checks: Iterable[FactCheck], file: str,
                     up_to: str | None) -> dict[str, list[_Placed]]:
    """Each case's spot-check readings in round order, ``(round, (S, W, C, N), note, end,
    reviewed)``: the note a reading sits in and where its counts end there, for what was
    logged after it, and its counts as close-call reviews left them (:func:`_round_matches`).
    Of two readings with one label the last written (in a later row, or later in the note)
    comes last, the sort being stable; ``up_to`` as in :func:`case_readings`."""
    readings: dict[str, list[_Placed]] = {}
    for check in checks:
        readings.setdefault(check.id, []).extend(
            (label, counts, check.note, end, reviewed)
            for label, counts, end, reviewed in _round_matches(check, file)
            if up_to is None or round_order(label) <= round_order(up_to))
    return {case_id: sorted(found, key=lambda reading: round_order(reading[0]))
            for case_id, found in readings.items()}


def case_readings(checks: Iterable[FactCheck], *, file: str = "fact-checks.csv",
                  up_to: str | None = None,
                  ) -> dict[str, list[tuple[str, tuple[int, int, int, int]]]]:
    """Each case's spot-check readings, ``(round, (S, W, C, N))``, in round order (empty when
    no round re-read it): how each independent reading of one record graded it. With
    ``up_to``, only the rounds up to that one: the log as it stood after it, so a set drawn
    then can be drawn again."""
    return {case_id: [(label, counts) for label, counts, *_ in found]
            for case_id, found in _placed_readings(checks, file, up_to).items()}


def case_rounds(checks: Iterable[FactCheck], *, file: str = "fact-checks.csv",
                up_to: str | None = None) -> dict[str, list[str]]:
    """The spot-check rounds that re-read each case, in round order (empty when none did);
    ``up_to`` as in :func:`case_readings`."""
    return {case_id: [label for label, _ in found]
            for case_id, found in case_readings(checks, file=file, up_to=up_to).items()}


def last_readings(checks: Iterable[FactCheck], *, file: str = "fact-checks.csv",
                  up_to: str | None = None,
                  ) -> dict[str, tuple[str, tuple[int, int, int, int]] | None]:
    """Each case's latest spot-check reading, ``(round, (S, W, C, N))`` (None when no round
    re-read it), from one parse of the log: what :func:`last_rounds` and :func:`last_found`
    read, so a caller wanting both parses once; ``up_to`` as in :func:`case_readings`."""
    return {case_id: found[-1] if found else None
            for case_id, found in case_readings(checks, file=file, up_to=up_to).items()}


def last_rounds(checks: Iterable[FactCheck], *, file: str = "fact-checks.csv",
                up_to: str | None = None) -> dict[str, str | None]:
    """Each case's latest spot-check round (None when no round re-read it); ``up_to`` as in
    :func:`case_readings`."""
    return {case_id: reading and reading[0]
            for case_id, reading in last_readings(checks, file=file, up_to=up_to).items()}


def found_in(readings: dict[str, tuple[str, tuple[int, int, int, int]] | None]) -> set[str]:
    """The cases whose reading in ``readings`` (as :func:`last_readings` gives them) found a
    weaker or contradicted fact."""
    return {case_id for case_id, reading in readings.items()
            if reading is not None and has_finding(reading[1])}


def read_since(reading: tuple[str, tuple[int, int, int, int]] | None, label: str) -> bool:
    """Whether a case's latest reading (as :func:`last_readings` gives it) is from round
    ``label`` or a later one; a case no round has read was not."""
    return reading is not None and round_order(reading[0]) >= round_order(label)


def first_read_after(rounds: Mapping[str, Sequence[str]], label: str) -> set[str]:
    """The cases whose first spot-check round (``rounds`` as :func:`case_rounds` gives them, so
    one parse of the log serves any number of labels) came after round ``label``. From round AT
    on every record the registry held had been read by a round, so these are the records added
    to it since: what a sample drawn at ``label`` did not draw from, and what ``draw --as-of``
    leaves out to draw such a sample again."""
    after = round_order(label)
    return {case_id for case_id, found in rounds.items()
            if found and round_order(found[0]) > after}


def last_found(checks: Iterable[FactCheck], *, file: str = "fact-checks.csv",
               up_to: str | None = None) -> set[str]:
    """The cases whose latest spot-check reading found a weaker or contradicted fact (since
    mended, as a round mends what it finds): the set a re-read of findings draws from;
    ``up_to`` as in :func:`case_readings`."""
    return found_in(last_readings(checks, file=file, up_to=up_to))


#: A close-call review after a run of rounds logs "close calls 2: S 1, W 1, C 0, N 0": facts a
#: round's checker graded supported while doubting them, read again strictly by another checker.
#: Those it grades weaker or contradicted are findings of the reading they belong to. The
#: counts after the review's parenthesis: facts reviewed, then S, W, C and N.
CLOSE_CALL_COUNTS = r": close calls (\d+): S (\d+), W (\d+), C (\d+), N (\d+)"
_CLOSE_CALLS = re.compile(rf"Close-call review after (?P<round>{ROUND_LABEL}) \([^:]*\)"
                          + CLOSE_CALL_COUNTS)


def _close_call_reviews(case_id: str, note: str,
                        file: str) -> list[tuple[int, str, int, int]]:
    """``(where, round, weaker, contradicted)`` for each close-call review in ``note``,
    ``where`` being its place there; a review whose facts are not its S + W + C + N refuses
    the log, as a round's do."""
    reviews = []
    for found in _CLOSE_CALLS.finditer(note):
        calls, s, w, c, n = (int(g) for g in found.groups()[1:])
        if s + w + c + n != calls:
            raise InvalidInput([Problem(file, None, "note",
                                        f"{case_id}: close-call review after {found['round']} "
                                        f"counts S {s}, W {w}, C {c}, N {n} do not add up to "
                                        f"{calls}")])
        reviews.append((found.start(), found["round"], w, c))
    return reviews


def _with_close_calls(counts: _Counts, case_id: str,
                      reviews: Iterable[tuple[str, int, int]], file: str) -> _Counts:
    """A reading's ``(S, W, C, N)`` with what the close-call reviews logged after it (before
    the next reading's counts), each ``(round, weaker, contradicted)``, found among the facts
    it graded supported: those move to weaker or contradicted, so a reading a review found
    fault with is no longer entirely supported. A review cannot find more of them than the
    reading graded supported; if it does, the log is refused (the counts belong to another
    reading, or were mistyped)."""
    s, w, c, n = counts
    for label, weaker, contradicted in reviews:
        if weaker + contradicted > s:
            raise InvalidInput([Problem(file, None, "note",
                                        f"{case_id}: close-call review after {label} finds "
                                        f"{weaker + contradicted} weaker or contradicted facts "
                                        f"where the reading before it graded supported only "
                                        f"{s}")])
        s, w, c = s - weaker - contradicted, w + weaker, c + contradicted
    return s, w, c, n


#: What a pass logged after a round says is still left of the facts the round did not reach: a
#: second try or a re-citing pass "...; still not reached 3", an editor's narrowing "narrowed 1 of
#: the 3 facts left not reached, the other 2 left as they stood".
_LEFT = re.compile(r"still not reached (\d+)|the other (\d+) left as they stood")


def _latest_and_left(checks: Iterable[FactCheck],
                     file: str) -> dict[str, tuple[tuple[int, int, int, int], int] | None]:
    """Each case's latest spot-check reading, ``(S, W, C, N)`` as close-call reviews since left
    it (:func:`_round_matches`), with how many of its N facts no pass logged since has reached
    (None when no round re-read the case). The latest reading is the one :func:`case_readings`
    puts last; the log is written in order, so what follows its counts in its note came after
    it, and the last count a pass gives there stands, else the round's N."""
    latest: dict[str, tuple[tuple[int, int, int, int], int] | None] = {}
    for case_id, found in _placed_readings(checks, file, None).items():
        if not found:
            latest[case_id] = None
            continue
        _, counts, note, end, reviewed = found[-1]
        since = list(_LEFT.finditer(note, end))
        latest[case_id] = reviewed, int(since[-1][1] or since[-1][2]) if since else counts[3]
    return latest


def facts_left(checks: Iterable[FactCheck], *,
               file: str = "fact-checks.csv") -> dict[str, int | None]:
    """Each case's facts not reached in its latest spot-check reading that no pass logged
    since has reached either (None when no round re-read it): the round's N, or the count the
    last such pass after it in the note gives (:func:`_latest_and_left`)."""
    return {case_id: None if reading is None else reading[1]
            for case_id, reading in _latest_and_left(checks, file).items()}


def draw(case_ids: Iterable[str], n: int, seed: str) -> list[str]:
    """``n`` case ids drawn at random, in id order; the same ids and seed draw the same sample.

    The ids are sorted before the draw, so the order they come in does not matter; Python's
    seeded generator (a string seed is hashed with SHA-512) makes the draw repeatable, which
    is what lets a reader re-draw a published sample and check it was not picked by hand.
    """
    pool = sorted(set(case_ids))
    if not 0 < n <= len(pool):
        raise ValueError(f"cannot draw {n} of {len(pool)} case(s)")
    return sorted(random.Random(seed).sample(pool, n))
