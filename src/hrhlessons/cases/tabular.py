"""Cases as JSON documents and CSV rows: the formats ``export`` writes and ``import`` reads.

JSON: ``{"format": "hrh-lessons/cases", "version": 1, "cases": [...]}``, each case in its
canonical form (a bare list of records is read too). CSV: one row per case, one column per field
in canonical order; scalar fields as text (empty for null), list and mapping fields as compact
JSON. Both are pure: text in, :class:`Batch` out; text out from cases.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from hrhlessons.cases.model import Case
from hrhlessons.cases.records import FIELDS, Batch, case_to_dict, parse_case
from hrhlessons.errors import Problem

JSON_FORMAT = "hrh-lessons/cases"
JSON_VERSION = 1

#: Fields held as JSON inside a CSV cell.
JSON_FIELDS = frozenset(
    {"countries", "interventions", "cadres", "scale", "conditions", "outcomes",
     "success_factors", "failure_factors", "lessons", "sources", "provenance"}
)
INT_FIELDS = frozenset({"start_year", "end_year", "status_year"})


# ----- JSON -----

def cases_to_json(cases: Iterable[Case]) -> str:
    records = [case_to_dict(c) for c in sorted(cases, key=lambda c: c.id)]
    doc = {"format": JSON_FORMAT, "version": JSON_VERSION, "cases": records}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _id_lines(text: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        m = re.match(r'\s*"id":\s*"([^"]+)"', line)
        if m:
            lines.setdefault(m.group(1), number)
    return lines


def parse_json(text: str, *, file: str, today_year: int | None = None) -> Batch:
    batch = Batch()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"the file is not valid JSON: {exc.msg}"
        batch.problems.append(Problem(file, exc.lineno, "", message))
        return batch
    if isinstance(doc, dict) and "cases" in doc:
        if doc.get("format") not in (None, JSON_FORMAT):
            batch.problems.append(Problem(file, 1, "format", f"expected format '{JSON_FORMAT}', "
                                                             f"got {doc.get('format')!r}"))
            return batch
        records = doc["cases"]
    else:
        records = doc
    if not isinstance(records, list):
        batch.problems.append(Problem(file, 1, "", "expected a list of case records, or an "
                                                   "object with a 'cases' list"))
        return batch
    lines = _id_lines(text)
    for i, record in enumerate(records):
        rid = record.get("id") if isinstance(record, dict) else None
        line = lines.get(rid) if isinstance(rid, str) else None

        def locate(path: tuple[str | int, ...], _line: int | None = line) -> int | None:
            return _line

        case, problems = parse_case(record, file=file, locate=locate, today_year=today_year)
        problems = [
            Problem(p.file, p.line, f"cases.{i}.{p.field}" if p.field else f"cases.{i}", p.message)
            for p in problems
        ]
        batch.add(case, problems, file=file, line=line)
    return batch


# ----- CSV -----

def _cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name in JSON_FIELDS:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def cases_to_csv(cases: Iterable[Case]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(FIELDS)
    for case in sorted(cases, key=lambda c: c.id):
        d = case_to_dict(case)
        writer.writerow([_cell(name, d[name]) for name in FIELDS])
    return buf.getvalue()


def parse_csv(text: str, *, file: str, today_year: int | None = None) -> Batch:
    batch = Batch()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        batch.problems.append(Problem(file, 1, "", "the file is empty: no header row"))
        return batch
    except csv.Error as exc:
        batch.problems.append(Problem(file, 1, "", f"the file is not valid CSV: {exc}"))
        return batch
    unknown = [h for h in header if h not in FIELDS]
    missing = [f for f in ("id", "name", "countries", "level", "domain", "status", "sources",
                           "description") if f not in header]
    if unknown or missing:
        for h in unknown:
            batch.problems.append(Problem(file, 1, h, "unknown column: it is not a case field"))
        for h in missing:
            batch.problems.append(Problem(file, 1, h, "required column is missing"))
        return batch
    start = reader.line_num + 1
    try:
        for row in reader:
            line = start
            start = reader.line_num + 1
            if not any(row):
                continue
            if len(row) != len(header):
                batch.problems.append(Problem(file, line, "", f"the row has {len(row)} cells, "
                                                              f"the header {len(header)}"))
                continue
            record, problems = _row_record(dict(zip(header, row, strict=True)), file, line)
            if problems:
                batch.problems.extend(problems)
                continue
            case, problems = parse_case(record, file=file, locate=_fixed_line(line),
                                        today_year=today_year)
            batch.add(case, problems, file=file, line=line)
    except csv.Error as exc:
        message = f"the file is not valid CSV: {exc}"
        batch.problems.append(Problem(file, reader.line_num, "", message))
    return batch


def _fixed_line(line: int) -> Callable[[tuple[str | int, ...]], int | None]:
    """A locator for a CSV row: every field of the row is on the row's line."""
    def locate(_path: tuple[str | int, ...]) -> int | None:
        return line
    return locate


def _row_record(row: dict[str, str], file: str, line: int) -> tuple[dict[str, Any], list[Problem]]:
    record: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, text in row.items():
        if text == "":
            if name not in JSON_FIELDS:  # an empty JSON cell means "use the default"
                record[name] = None
            continue
        if name in JSON_FIELDS:
            try:
                record[name] = json.loads(text)
            except json.JSONDecodeError as exc:
                problems.append(Problem(file, line, name, f"this cell should hold JSON: {exc.msg}"))
        elif name in INT_FIELDS:
            try:
                record[name] = int(text)
            except ValueError:
                problems.append(Problem(file, line, name, f"expected a whole number, got {text!r}"))
        else:
            record[name] = text
    return record, problems
