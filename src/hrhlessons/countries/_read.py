"""Helpers the country parsers share: decoding sources, reading CSV rows with line numbers,
and turning cells into numbers, each failure a located :class:`~hrhlessons.errors.Problem`.

A *source* is CSV text (``str``), raw bytes, or an open file (text or binary). Parsers never
open paths themselves; :mod:`hrhlessons.reference` and the build script do the file reading.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator, Sequence
from typing import IO

from hrhlessons.errors import NOT_UTF8, Problem

Source = str | bytes | IO[str] | IO[bytes]
BinarySource = bytes | IO[bytes]


def source_text(source: Source, file: str) -> tuple[str | None, list[Problem]]:
    """The text of a source, decoded strictly as UTF-8 (a byte-order mark is dropped)."""
    data: str | bytes = source if isinstance(source, str | bytes) else source.read()
    if isinstance(data, str):
        return data.removeprefix("\ufeff"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        detail = f"byte 0x{data[exc.start]:02x} at position {exc.start}"
        return None, [Problem(file, line, "", NOT_UTF8.format(detail=detail))]


def source_bytes(source: BinarySource) -> io.BytesIO:
    """A seekable binary stream over a binary source (for openpyxl)."""
    if isinstance(source, bytes):
        return io.BytesIO(source)
    return io.BytesIO(source.read())


def csv_rows(
    text: str, file: str, required: Sequence[str]
) -> tuple[Iterator[tuple[int, dict[str, str]]], list[Problem]]:
    """Rows of a CSV text as ``(line, {column: cell})``, after checking the header.

    ``line`` is the line of the file on which the row ends (the header is line 1). If a required
    column is missing, the problems name each one and no rows are returned.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return iter(()), [Problem(file, 1, "", "the file is empty; expected a CSV header line")]
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        found = ", ".join(header[:8]) + (", ..." if len(header) > 8 else "")
        return iter(()), [
            Problem(file, 1, c, f"the header has no column '{c}' (found: {found}); "
                                "is this the right kind of file?")
            for c in missing
        ]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            padded = cells + [""] * (len(header) - len(cells))
            yield reader.line_num, {h: c.strip() for h, c in zip(header, padded, strict=False)}

    return rows(), []


def parse_number(cell: str) -> float | None:
    """A finite float from a cell, or ``None`` if it is not one. Thin spaces and spaces used as
    thousands separators (GHO's display values) are not accepted: cells must be plain numbers."""
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_year(cell: str) -> int | None:
    """A four-digit year from a cell (``"2020"``, or ``"2020.0"`` as spreadsheets write it)."""
    text = cell.strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not re.fullmatch(r"\d{4}", text):
        return None
    return int(text)
