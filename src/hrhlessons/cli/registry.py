"""Registry commands: validate, import, export, search, show, summary, db."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from hrhlessons.cli.app import console, err_console, fail
from hrhlessons.errors import format_problems
from hrhlessons.ingest import bundled_cases_dir, read_paths


def validate(
    paths: list[Path] = typer.Argument(None, help="Case files or folders; default: the bundled registry."),
    as_json: bool = typer.Option(False, "--json", help="Print the problems as JSON."),
) -> None:
    """Check case files against the case model without touching the database."""
    batch = read_paths(paths or [bundled_cases_dir()])
    if as_json:
        console.print_json(json.dumps({
            "valid": batch.ok, "cases": len(batch.cases),
            "problems": [p.to_dict() for p in batch.problems],
            "flags": {c.id: c.flags for c in batch.cases if c.flags},
        }))
    elif batch.problems:
        err_console.print(format_problems(batch.problems), markup=False, highlight=False, soft_wrap=True)
    if batch.problems:
        fail(f"{len(batch.problems)} problem(s) in {len(batch.cases) + len(batch.problems)} "
             "record(s) read.") if not as_json else None
        raise typer.Exit(2)
    if not as_json:
        flagged = sum(1 for c in batch.cases if c.flags)
        console.print(f"[green]{len(batch.cases)} case record(s) valid[/] ({flagged} flagged).")


def register(app: typer.Typer) -> None:
    app.command()(validate)
