"""The ``qca`` command: crisp-set QCA of a CSV of 0/1 columns.

JSON output (stable): ``{"complex": [...], "parsimonious": [...], "truth_table": [...]}`` plus
``"intermediate"`` when ``--directional`` is given; each solution list holds one string per
minimal sum, in R QCA notation.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich.table import Table

from hrhlessons.cli.app import console, fail
from hrhlessons.synthesis.qca import QCAInputError, QCAResult, minimize, truth_table


class Format(StrEnum):
    json = "json"
    table = "table"


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _directional(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in _split(text):
        name, sep, value = item.partition("=")
        if not sep or value.strip() not in ("0", "1") or not name.strip():
            fail(f"--directional item {item!r} is not NAME=1 or NAME=0 (for example "
                 "'--directional A=1,B=0')")
        out[name.strip()] = int(value.strip())
    return out


def _read(path: Path, case_col: str | None) -> pd.DataFrame:
    if not path.is_file():
        fail(f"{path}: no such file; give the path of a CSV file with a header row")
    try:
        data = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        fail(f"{path}: not a readable CSV file ({exc}); save it as UTF-8 CSV with a header row")
    if case_col is not None:
        if case_col not in data.columns:
            fail(f"{path}: --case-col {case_col!r} is not a column; the columns are "
                 f"{', '.join(map(str, data.columns))}")
        data = data.set_index(case_col)
    else:
        data.index = pd.Index([str(i + 1) for i in range(len(data))])
    return data


def _payload(result: QCAResult) -> dict[str, Any]:
    tt = result.truth_table
    out: dict[str, Any] = {
        "complex": list(result.complex.expressions),
        "parsimonious": list(result.parsimonious.expressions),
        "truth_table": [r.to_dict(tt.conditions) for r in tt.rows],
    }
    if result.intermediate is not None:
        out["intermediate"] = list(result.intermediate_expressions())
    return out


def _print_tables(result: QCAResult) -> None:
    tt = result.truth_table
    table = Table(title=f"Truth table: {tt.outcome_label}")
    for col in ("row", *tt.conditions, "OUT", "n", "incl", "cases"):
        table.add_column(col, justify="left" if col == "cases" else "right")
    for r in tt.rows:
        table.add_row(str(r.row), *map(str, r.values), r.out, str(r.n),
                      f"{r.consistency:.3f}", ",".join(r.cases))
    console.print(table)
    if tt.excluded:
        console.print(f"{len(tt.excluded)} case(s) left out for missing values: "
                      f"{', '.join(tt.excluded)}", highlight=False)
    sols = [("complex", result.complex), ("parsimonious", result.parsimonious)]
    sols += [(f"intermediate ({s.complex_model} | {s.parsimonious_model})", s)
             for s in result.intermediate or ()]
    for name, sol in sols:
        if not sol.models:
            console.print(f"[bold]{name}[/]: no model ({sol.note})", highlight=False)
        for i, model in enumerate(sol.models, start=1):
            console.print(f"[bold]{name} M{i}[/]: {model.expression} -> {tt.outcome_label}  "
                          f"(inclS {model.consistency:.3f}, covS {model.coverage:.3f})",
                          highlight=False, markup=True)
        if sol.truncated:
            console.print(f"  ({name}: more models exist than were listed)", highlight=False)


def qca(
    file: Path = typer.Argument(..., help="CSV file with a header row and 0/1 columns."),
    outcome: str = typer.Option(..., "--outcome", help="Outcome column (0/1)."),
    conditions: str = typer.Option(
        ..., "--conditions", help="Condition columns, comma-separated, e.g. A,B,C."),
    incl_cut: float = typer.Option(
        1.0, "--incl-cut", help="Consistency a configuration needs to count as positive."),
    n_cut: int = typer.Option(
        1, "--n-cut", help="Fewest cases a configuration needs not to be a remainder."),
    case_col: str = typer.Option(
        None, "--case-col", help="Column with case labels (default: the row numbers)."),
    directional: str = typer.Option(
        None, "--directional",
        help="Directional expectations for the intermediate solution, e.g. A=1,B=0."),
    fmt: Format = typer.Option(Format.table, "--format", help="Output: table or json."),
) -> None:
    """Crisp-set QCA: truth table, complex, parsimonious (and intermediate) solutions."""
    names = _split(conditions)
    if not names:
        fail("--conditions names no column; give at least one, e.g. --conditions A,B,C")
    expectations = _directional(directional) if directional else None
    data = _read(file, case_col)
    try:
        tt = truth_table(data, outcome, names, incl_cut=incl_cut, n_cut=n_cut)
        result = minimize(tt, directional=expectations)
    except QCAInputError as exc:
        fail(f"{file}: {exc}")
    if fmt is Format.json:
        typer.echo(json.dumps(_payload(result), indent=2))
    else:
        _print_tables(result)


def register(app: typer.Typer) -> None:
    app.command()(qca)
