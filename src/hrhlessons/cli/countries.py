"""Country commands: ``countries [ISO3]`` (workforce densities against the thresholds) and
``countries import-gho FILE...`` (add a newer WHO GHO export to the user's data)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table
from typer.core import TyperGroup

from hrhlessons.cli.app import console, fail, fail_from
from hrhlessons.countries import (
    SDG_THRESHOLD,
    WHR2006_THRESHOLD,
    WorkforceProfile,
    workforce_profile,
    workforce_profiles,
)
from hrhlessons.errors import HRHError, UnknownCountry
from hrhlessons.reference import import_gho, load_reference


class _CountriesGroup(TyperGroup):
    """A group whose optional ISO3 argument does not swallow a subcommand name: with
    ``countries import-gho FILE``, ``import-gho`` is the subcommand, not a country code; and
    options may follow the code (``countries MWI --format json``)."""

    allow_interspersed_args = True

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] in self.commands:
            # An empty ISO3 fills the optional argument; the rest goes to the subcommand as is.
            ctx.allow_interspersed_args = False
            return super().parse_args(ctx, ["", *args])
        return super().parse_args(ctx, args)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


countries_app = typer.Typer(
    cls=_CountriesGroup,
    invoke_without_command=True,
    no_args_is_help=False,
    help="Health-workforce densities by country, against the 44.5 and 22.8 per 10,000 "
         "thresholds; 'countries import-gho' adds a newer WHO GHO export.",
)


CAPTION = (
    "Per 10,000 population, latest year of each (in brackets). N&M = nurses and midwives; "
    "Doc+N&M = doctors + nurses and midwives (CHWs not counted),"
    f" against {SDG_THRESHOLD} (SDG index threshold, WHO Global "
    f"Strategy on HRH: Workforce 2030) and {WHR2006_THRESHOLD} (World Health Report 2006). "
    "Sources: WHO Global Health Observatory; World Bank."
)


def _pair(p: tuple[int, float] | None, digits: int = 2) -> str:
    return "–" if p is None else f"{p[1]:.{digits}f} ({p[0]})"


def _total(p: WorkforceProfile) -> str:
    total = p.doctors_nurses_midwives
    return "–" if total is None else f"{total:.2f}"


def _mark(ok: bool | None) -> str:
    return "–" if ok is None else ("[green]yes[/]" if ok else "[red]no[/]")


def _table(profiles: list[WorkforceProfile], width: int) -> Table:
    """All countries in one table; the Country column gets what the other columns leave of
    ``width`` (they need about 70 characters)."""
    table = Table(title=f"Health workforce density, {len(profiles)} countries", caption=CAPTION,
                  box=None, pad_edge=False, header_style="bold underline")
    table.add_column("ISO3", min_width=4, no_wrap=True)
    table.add_column("Country", min_width=8, max_width=max(8, min(28, width - 70)),
                     overflow="ellipsis", no_wrap=True)
    for name in ("Doctors", "N&M", "CHWs"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Doc+N&M", justify="right", min_width=7, no_wrap=True)
    table.add_column(f"≥{SDG_THRESHOLD}", justify="center", min_width=5, no_wrap=True)
    table.add_column(f"≥{WHR2006_THRESHOLD}", justify="center", min_width=5, no_wrap=True)
    for p in profiles:
        table.add_row(p.iso3, p.meta.name if p.meta else "", _pair(p.doctors, 1),
                      _pair(p.nurses_midwives, 1), _pair(p.chws, 1), _total(p),
                      _mark(p.meets_sdg_threshold), _mark(p.meets_whr2006_threshold))
    return table


def _one(p: WorkforceProfile) -> Table:
    meta = p.meta
    table = Table(title=f"{meta.name if meta else p.iso3} ({p.iso3})", caption=CAPTION,
                  show_header=False, box=box.SIMPLE)
    table.add_column("what")
    table.add_column("value")
    rows = [
        ("WHO region", f"{meta.who_region_name} ({meta.who_region})"
         if meta and meta.who_region else "–"),
        ("World Bank region", (meta.wb_region if meta else None) or "–"),
        ("Income group", (meta.income_group_name if meta else None) or "unclassified"),
        ("Lending category", (meta.lending if meta else None) or "–"),
        ("Doctors per 10,000", _pair(p.doctors)),
        ("Nurses and midwives per 10,000", _pair(p.nurses_midwives)),
        ("CHWs per 10,000", _pair(p.chws)),
        ("Doctors + nurses and midwives", _total(p)),
        (f"At or above {SDG_THRESHOLD} (SDG index)", _mark(p.meets_sdg_threshold)),
        (f"At or above {WHR2006_THRESHOLD} (WHR 2006)", _mark(p.meets_whr2006_threshold)),
    ]
    for what, value in rows:
        table.add_row(what, value)
    return table


@countries_app.callback()
def countries(
    ctx: typer.Context,
    iso3: Annotated[str | None, typer.Argument(
        metavar="ISO3", help="A country's ISO3 code (e.g. MWI); omit for every country.")] = None,
    output: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="Output as a Rich table or as JSON.")] = OutputFormat.table,
) -> None:
    """Latest doctors, nurses and midwives, and CHWs per 10,000, against the thresholds."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        reference = load_reference()
        if iso3 is None:
            profiles = workforce_profiles(reference)
        else:
            profiles = [workforce_profile(reference, iso3)]
    except UnknownCountry as exc:
        fail(str(exc))
    except HRHError as exc:
        fail_from(exc)
    if output is OutputFormat.json:
        data: Any = [p.to_dict() for p in profiles]
        typer.echo(json.dumps(data[0] if iso3 is not None else data, indent=2,
                              ensure_ascii=False))
    elif iso3 is not None:
        console.print(_one(profiles[0]), highlight=False)
    else:
        console.print(_table(profiles, console.width), highlight=False)


IMPORT_HELP = (
    "Add WHO GHO exports (any indicator) to your data; their rows replace older ones.\n\n"
    "Every file is checked first: nothing is written unless all of them read cleanly. The rows "
    "go to your data folder ($HRH_DATA_DIR, else the platform's user data folder) and are used "
    "from then on instead of the bundled values for the same country, indicator and year."
)


@countries_app.command("import-gho", help=IMPORT_HELP)
def import_gho_command(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE", help="CSV exports downloaded from the WHO GHO portal.")],
) -> None:
    """Add WHO GHO exports to the user's data (see IMPORT_HELP)."""
    try:
        summary = import_gho(files)
    except HRHError as exc:
        fail_from(exc)
    for part in summary.imports:
        skipped = sum(part.skipped.values())
        console.print(f"{part.file}: {len(part.records)} country row(s) of "
                      f"{', '.join(part.indicators) or 'no indicator'}"
                      + (f"; {skipped} row(s) left out ("
                         + "; ".join(f"{n} {why}" for why, n in part.skipped.items()) + ")"
                         if skipped else ""), highlight=False, soft_wrap=True)
    console.print(f"[green]{summary.added} row(s) added, {summary.replaced} changed, "
                  f"{summary.unchanged} unchanged[/]; "
                  f"{summary.total_user_rows} imported row(s) now in {summary.path}",
                  highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(countries_app, name="countries")
