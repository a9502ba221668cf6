"""Errors and warnings of HRH Lessons, in one place.

Vocabulary:

problem
    One thing wrong with the input, located by file, line and field path, with a plain message
    that says what is wrong and what would be accepted. Problems are collected, never raised
    one at a time, so a user sees every mistake in one run.
flag
    Something valid but worth a reader's attention (for example an ended programme whose end
    year no source gives). Flags never block an import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in the input."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class HRHError(Exception):
    """Base of every error HRH Lessons raises on purpose."""


class InvalidInput(HRHError):
    """Input that cannot be accepted; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(problems, key=_problem_key)
        count = len(self.problems)
        head = "; ".join(str(p) for p in self.problems[:3])
        more = f" (and {count - 3} more)" if count > 3 else ""
        super().__init__(f"{count} problem(s) in the input, nothing was written: {head}{more}")


def _problem_key(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, p.line if p.line is not None else -1, p.field, p.message)


class NotFound(HRHError):
    """A case, country or indicator that does not exist."""


class UnknownCountry(NotFound):
    def __init__(self, code: str):
        super().__init__(
            f"'{code}' is not an ISO 3166-1 alpha-3 country code known to HRH Lessons; "
            "use a three-letter code such as MWI (Malawi) or KEN (Kenya)."
        )


class MissingCountryData(NotFound):
    """The reference data lack a figure a calculation needs.

    ``what`` is ``"figure"`` (no value of ``indicator`` for the country) or ``"population"``
    (no population in ``year``, the year of a count that must become a density); callers word
    the message for their reader.
    """

    def __init__(self, what: str, iso3: str, indicator: str, year: int | None = None):
        self.what, self.iso3, self.indicator, self.year = what, iso3, indicator, year
        detail = (f"no {indicator} figure for {iso3}" if what == "figure"
                  else f"no population for {iso3} in {year}, the year of its {indicator} count")
        super().__init__(f"the reference data have {detail}")


class DatabaseNotReady(HRHError):
    """The database has not been created or migrated to the current schema."""


def format_problems(problems: Sequence[Problem], limit: int | None = None) -> str:
    """Render problems one per line, for a terminal."""
    shown = problems if limit is None else problems[:limit]
    lines = [str(p) for p in shown]
    if limit is not None and len(problems) > limit:
        lines.append(f"... and {len(problems) - limit} more problem(s)")
    return "\n".join(lines)


# Messages used in several places: each says what happened and what to do.
NOT_UTF8 = "the file is not valid UTF-8 text ({detail}); save it as UTF-8"
NOT_YAML = "the file is not valid YAML: {detail}"
NOT_A_MAPPING = "a case record must be a YAML mapping of field: value, not {kind}"
TOO_LARGE = (
    "the file is {size:,} bytes, more than the {limit:,} bytes a case file may have; "
    "is it really a case record?"
)
DUPLICATE_ID = "id '{id}' is used again here; it was first used in {first}"
UNSUPPORTED_FILE = (
    "HRH Lessons reads .yaml/.yml case files, the .json and .csv files that 'export' writes, "
    "and datapackage.json; this file is none of those"
)
