"""Turning raw data into cases and cases back into data, with every problem located.

Pure functions: text or plain Python data in, :class:`Case` objects and :class:`Problem` lists
out. Reading files is the caller's job (see :mod:`hrhlessons.ingest`).

``case_to_dict`` gives the canonical form of a record: fields in the order of SCHEMA.md, every
field present (unknown as ``None``), enums as their strings. YAML, JSON, CSV and the database all
store this form, which is what makes export -> import -> export stable byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from hrhlessons.cases.model import Case, check_case
from hrhlessons.errors import DUPLICATE_ID, NOT_A_MAPPING, Problem

#: Field order of the canonical record (as in SCHEMA.md).
FIELDS: tuple[str, ...] = tuple(Case.model_fields)

Locator = Callable[[tuple[str | int, ...]], int | None]


def _no_line(_: tuple[str | int, ...]) -> int | None:
    return None


def _friendly(err: Mapping[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    given = err.get("input")
    if kind == "extra_forbidden":
        return "unknown field: it is not part of the case record (see SCHEMA.md for the fields)"
    if kind == "missing":
        return "this required field is missing"
    if kind == "enum":
        return f"'{given}' is not allowed here; use one of: {ctx.get('expected', '')}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"expected a whole number (a year or a count), got {given!r}"
    if kind in {"float_type", "float_parsing"}:
        return f"expected a number, got {given!r}"
    if kind in {"string_type"}:
        return f"expected text, got {given!r}"
    if kind in {"list_type"}:
        return f"expected a list (for example [a, b]), got {given!r}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"expected a mapping of field: value, got {given!r}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"expected true, false or null, got {given!r}"
    if kind == "too_short":
        return "this list may not be empty"
    if kind == "string_too_short":
        return "this text may not be empty"
    if kind == "greater_than_equal":
        return f"expected a number of at least {ctx.get('ge')}, got {given!r}"
    msg = str(err.get("msg", "invalid value"))
    return msg.removeprefix("Value error, ")


def _path(loc: Iterable[str | int]) -> tuple[str | int, ...]:
    """Pydantic's error location, without its union-branch and '[key]' markers."""
    out: list[str | int] = []
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, str) and ("[" in part or part in {"int", "float"}):
            continue  # union branch names such as 'int' or 'function-after[...]'
        out.append(part)
    return tuple(out)


def dotted(path: Iterable[str | int]) -> str:
    return ".".join(str(p) for p in path)


def parse_case(
    data: Any, *, file: str, locate: Locator = _no_line, today_year: int | None = None
) -> tuple[Case | None, list[Problem]]:
    """Validate one record's raw data. Returns the case, or ``None`` and its problems."""
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"{type(data).__name__} {data!r:.40}"
        return None, [Problem(file, locate(()), "", NOT_A_MAPPING.format(kind=kind))]
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            path = _path(err["loc"])
            problems.append(Problem(file, locate(path), dotted(path), _friendly(err)))
        return None, problems
    rules = check_case(case, today_year=today_year)
    if rules:
        return None, [
            Problem(file, locate(tuple(_split(p))), p, msg) for p, msg in rules
        ]
    return case, []


def _split(path: str) -> Iterator[str | int]:
    for part in path.split("."):
        yield int(part) if part.isdigit() else part


@dataclass
class Batch:
    """Cases read from one or more files, with every problem and where each id came from."""

    cases: list[Case] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    origin: dict[str, tuple[str, int | None]] = field(default_factory=dict)

    def add(self, case: Case | None, problems: list[Problem], *, file: str,
            line: int | None = None) -> None:
        self.problems.extend(problems)
        if case is None:
            return
        first = self.origin.get(case.id)
        if first is not None:
            where = first[0] if first[1] is None else f"{first[0]}:{first[1]}"
            self.problems.append(
                Problem(file, line, "id", DUPLICATE_ID.format(id=case.id, first=where))
            )
            return
        self.origin[case.id] = (file, line)
        self.cases.append(case)

    def extend(self, other: Batch) -> None:
        self.problems.extend(other.problems)
        for case in other.cases:
            file, line = other.origin[case.id]
            self.add(case, [], file=file, line=line)

    @property
    def ok(self) -> bool:
        return not self.problems


# ----- canonical form -----

def case_to_dict(case: Case) -> dict[str, Any]:
    """The canonical, JSON-ready form of a case (see module docstring)."""
    data = case.model_dump(mode="json")
    data["conditions"] = {str(k): v for k, v in data["conditions"].items()}
    return {name: data[name] for name in FIELDS}


def case_to_json(case: Case) -> str:
    """Compact canonical JSON of one case (what the database stores)."""
    return json.dumps(case_to_dict(case), ensure_ascii=False, separators=(",", ":"))


def case_from_json(text: str) -> Case:
    return Case.model_validate(json.loads(text))
