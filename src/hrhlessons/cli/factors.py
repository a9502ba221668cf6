"""The ``factors`` and ``gapmap`` commands: why innovations die out, what survivors share, and
where the evidence is.

JSON output (stable): ``factors`` prints :meth:`FactorSynthesis.to_dict` with the two lists cut
to ``--top`` (``why_die_out``, ``survivors_share``: factor id, label, counts, shares, case ids,
phrases and confidence with reasons); ``gapmap`` prints :meth:`GapMap.to_dict` (one object per
non-empty cell with case ids, outcomes per direction, best evidence and confidence) and ``--format
csv`` the cell table (one row per non-empty cell).
"""

from __future__ import annotations

import json
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import Domain
from hrhlessons.cli.app import console, err_console, fail, fail_from
from hrhlessons.errors import HRHError, format_problems
from hrhlessons.factor_data import load_mapping, load_vocabulary
from hrhlessons.ingest import bundled_cases_dir, read_paths
from hrhlessons.synthesis.factors import FactorFinding, FactorOptions, synthesize_factors
from hrhlessons.synthesis.gapmap import DIRECTIONS, GapOptions, gap_map


class FactorFormat(StrEnum):
    table = "table"
    json = "json"


class GapFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


PATHS = typer.Argument(None, help="Case files or folders (default: the bundled registry).")


def _cases(paths: list[Path] | None) -> list[Case]:
    batch = read_paths(paths or [bundled_cases_dir()])
    if batch.problems:
        err_console.print(format_problems(batch.problems, limit=20), markup=False,
                          highlight=False, soft_wrap=True)
        fail(f"{len(batch.problems)} problem(s) in the case files; run 'hrh-lessons validate' "
             "to see them all.")
    return list(batch.cases)


def _domain(value: str | None) -> Domain | None:
    if value is None:
        return None
    try:
        return Domain(value)
    except ValueError:
        fail(f"--domain '{value}' is not known; use one of {', '.join(d.value for d in Domain)}")


def _ids(ids: tuple[str, ...], shown: int = 6) -> str:
    more = len(ids) - shown
    return ", ".join(ids[:shown]) + (f" (+{more} more; --format json lists all)"
                                     if more > 0 else "")


def _table(title: str, findings: tuple[FactorFinding, ...]) -> Table:
    table = Table(title=title, title_justify="left")
    for col in ("#", "factor", "cases", "share", "contrast", "confidence", "case ids"):
        table.add_column(col, justify="right" if col in {"#", "cases", "share", "contrast"}
                         else "left", overflow="fold")
    for i, f in enumerate(findings, start=1):
        table.add_row(str(i), f.label, f"{f.n_cases}/{f.group_size}", f"{100 * f.share:.0f}%",
                      f"{100 * f.contrast_share:.0f}% of {f.contrast_group}",
                      f.confidence.rating.value, _ids(f.case_ids))
    return table


def factors(
    paths: list[Path] = PATHS,
    domain: str | None = typer.Option(None, "--domain",
                                      help="Only cases of this domain, e.g. "
                                           "community_health_workers."),
    top: int = typer.Option(10, "--top", min=1, help="How many factors to list in each ranking."),
    as_of: int | None = typer.Option(None, "--as-of",
                                     help="Year standing in for a missing status year when "
                                          "judging 10 years of running."),
    fmt: FactorFormat = typer.Option(FactorFormat.table, "--format", help="table or json."),
) -> None:
    """Rank why innovations die out and what the survivors share, with supporting case ids."""
    cases = _cases(paths)
    options = FactorOptions(domain=_domain(domain), as_of=as_of)
    try:
        vocabulary = load_vocabulary()
        result = synthesize_factors(cases, vocabulary, load_mapping(vocabulary=vocabulary),
                                    options)
    except HRHError as exc:
        fail_from(exc)
    result = replace(result, why_die_out=result.why_die_out[:top],
                     survivors_share=result.survivors_share[:top])
    if fmt is FactorFormat.json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    groups = {g: len(ids) for g, ids in result.groups.items()}
    console.print(f"{sum(groups.values())} cases: {groups['survived']} survived (active and "
                  f"expanded or running >= {options.survival_years} years), {groups['died']} "
                  f"died out (ended, never implemented, replaced or contracted), "
                  f"{groups['other']} other.", highlight=False)
    console.print(_table("Why innovations die out (failure factors among programmes that died "
                         "out)", result.why_die_out))
    console.print(_table("What the survivors share (success factors among survivors)",
                         result.survivors_share))
    if result.not_in_mapping:
        console.print(f"{len(result.not_in_mapping)} phrase(s) are not in the reviewed mapping "
                      "and were matched by rule; run scripts/build_factor_mapping.py.",
                      highlight=False)


def gapmap(
    paths: list[Path] = PATHS,
    domain: str | None = typer.Option(None, "--domain", help="Only cases of this domain."),
    fmt: GapFormat = typer.Option(GapFormat.table, "--format", help="table, json or csv."),
) -> None:
    """Evidence gap map: intervention tags x WHO building blocks, with case ids per cell."""
    result = gap_map(_cases(paths), GapOptions(domain=_domain(domain)))
    if fmt is GapFormat.json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    frame = result.to_frame()
    if fmt is GapFormat.csv:
        typer.echo(frame.to_csv(index=False), nl=False)
        return
    table = Table(title="Evidence gap map (non-empty cells)", title_justify="left")
    heads = ["intervention", "building block", "cases",
             *[d.value.replace("_", " ") for d in DIRECTIONS], "best evidence", "confidence",
             "case ids"]
    for h in heads:
        table.add_column(h, overflow="fold")
    for row in frame.to_dict("records"):
        cells: list[Any] = [row["intervention"], row["building_block"], row["n_cases"],
                            *[row[f"n_{d.value}"] for d in DIRECTIONS], row["best_evidence"],
                            row["confidence"], _ids(tuple(row["case_ids"].split(",")), 4)]
        table.add_row(*map(str, cells))
    console.print(table)
    console.print(result.summary(), highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(factors)
    app.command()(gapmap)
