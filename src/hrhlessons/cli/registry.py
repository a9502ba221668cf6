"""Registry commands: validate, import, export, search, show, summary, coverage, log-check(s),
spot-checks, draw, db upgrade.

JSON output (``--format json``) is a stable contract for scripts; see README.md.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from hrhlessons import registry
from hrhlessons.cases.factcheck import (
    FactCheck,
    case_rounds,
    draw,
    first_read_after,
    format_fact_checks,
    found_in,
    is_round_label,
    last_readings,
    latest_checks,
    parse_passes,
    read_since,
    record_check,
    record_passes,
    spot_check_rounds,
)
from hrhlessons.cases.model import ID_PATTERN, Case, cross_record_flags
from hrhlessons.cases.vocab import CONDITION_MEANINGS
from hrhlessons.cli.app import console, err_console, fail, fail_from
from hrhlessons.errors import HRHError, InvalidInput, format_problems
from hrhlessons.files import write_atomic
from hrhlessons.ingest import (
    bundled_cases_dir,
    case_files,
    fact_checks_path,
    load_fact_checks,
    read_paths,
)
from hrhlessons.store import repo
from hrhlessons.store.db import current_revision, head_revision, upgrade
from hrhlessons.store.search import SORTS, SearchQuery, search


class OutFormat(StrEnum):
    table = "table"
    json = "json"


class ExportFormat(StrEnum):
    yaml = "yaml"
    json = "json"
    csv = "csv"
    datapackage = "datapackage"


DB_OPTION = typer.Option(None, "--db", envvar="HRH_DATABASE_URL",
                         help="Database URL (default: SQLite file in the user data folder).")
LOG_OPTION = typer.Option(None, "--log", help="Fact-check log to update (default: the one "
                                              "beside the bundled registry).")
CASES_OPTION = typer.Option(None, "--cases", help="Folder of the case records the log covers "
                                                  "(default: the bundled registry).")
ON_OPTION = typer.Option(None, "--on", help="Date of the check, YYYY-MM-DD (default: today).")


def _engine(url: str | None) -> Any:
    # A command is one short process: no connection pool, so nothing is left open after it.
    return registry.open_database(url, poolclass=NullPool)


def open_registry(db: str | None) -> Engine:
    """Open (and migrate) the database for the web app or the static site; an empty one gets
    the bundled registry, and the user is told."""
    try:
        engine, report = registry.open_with_cases(db)
    except HRHError as exc:
        fail(str(exc))
    if report is not None:
        console.print(f"Loaded the bundled registry: {report.total} cases.")
    return engine


def _print_json(data: Any) -> None:
    # Plain print: rich would re-wrap long strings and break the JSON for scripts.
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


# ----- validate -----

def validate(
    paths: list[Path] = typer.Argument(None, help="Case files or folders (default: the bundled "
                                                  "registry)."),
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", help="table or json."),
) -> None:
    """Check case files against the case model, without touching the database."""
    batch = read_paths(paths or [bundled_cases_dir()])
    across = cross_record_flags(batch.cases)
    flags = {c.id: found for c in batch.cases
             if (found := c.flags + c.review_flags + across.get(c.id, []))}
    if fmt is OutFormat.json:
        _print_json({"valid": batch.ok, "cases": len(batch.cases),
                     "problems": [p.to_dict() for p in batch.problems], "flags": flags})
        raise typer.Exit(0 if batch.ok else 2)
    if batch.problems:
        err_console.print(format_problems(batch.problems), markup=False, highlight=False,
                          soft_wrap=True)
        fail(f"{len(batch.problems)} problem(s) found; {len(batch.cases)} record(s) were valid.")
    console.print(f"[green]{len(batch.cases)} case record(s) valid[/] ({len(flags)} flagged: "
                  "run with --format json to list the flags).")


# ----- import / export -----

def import_(
    paths: list[Path] = typer.Argument(None, help="YAML files or folders, or the .json/.csv/"
                                                  "datapackage.json that 'export' writes."),
    bundled: bool = typer.Option(False, "--bundled", help="Import the registry shipped with "
                                                          "HRH Lessons."),
    db: str | None = DB_OPTION,
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", help="table or json."),
) -> None:
    """Validate case files, then write them all in one transaction (nothing on any error).

    Re-importing an id updates it and keeps the previous version in the history.
    """
    if not paths and not bundled:
        fail("give case files or folders to import, or --bundled for the shipped registry.")
    engine = _engine(db)
    upgrade(engine)
    try:
        registry.sync_countries(engine)
        targets = [*(paths or []), *([bundled_cases_dir()] if bundled else [])]
        files = list(case_files(targets))
        with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err_console, transient=True,
                      disable=len(files) < 200 or fmt is OutFormat.json) as bar:
            task = bar.add_task("import", total=None)
            _, report = registry.import_paths(
                engine, targets, progress=lambda n: bar.update(task, advance=n))
    except HRHError as exc:
        fail_from(exc)
    if fmt is OutFormat.json:
        _print_json(report.to_dict())
        return
    console.print(f"[green]Imported {report.total} case(s)[/]: {len(report.added)} added, "
                  f"{len(report.updated)} updated (previous versions kept), "
                  f"{len(report.unchanged)} unchanged.")


def export(
    out: Path = typer.Argument(..., help="Output file (json, csv) or folder (yaml, "
                                         "datapackage)."),
    fmt: ExportFormat = typer.Option(ExportFormat.yaml, "--format",
                                     help="yaml (one file per case), json, csv or datapackage."),
    db: str | None = DB_OPTION,
) -> None:
    """Write every case in the database to files that 'import' reads back unchanged."""
    engine = _engine(db)
    try:
        written = registry.export(engine, fmt.value, out)
    except HRHError as exc:
        fail_from(exc)
    console.print(f"Wrote {len(written)} file(s) to {out}.")


# ----- search / show / summary -----

def _split(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return tuple(out)


FACETS = ("domain", "intervention", "country", "region", "income", "status", "trajectory",
          "funding", "level", "building_block")

# Facet options, shared by every command that selects cases (search, synthesize, brief).
QUERY = typer.Option("", "--text", help="Words to find, as in 'search'.")
DOMAIN = typer.Option(None, "--domain", help="Domain(s), e.g. community_health_workers.")
INTERVENTION = typer.Option(None, "--intervention", help="Intervention tag(s).")
COUNTRY = typer.Option(None, "--country", help="ISO3 code(s).")
REGION = typer.Option(None, "--region", help="WHO region(s): AFR AMR SEAR EUR EMR WPR.")
INCOME = typer.Option(None, "--income", help="World Bank income group(s): L LM UM H.")
STATUS = typer.Option(None, "--status", help="active, ended, not_implemented, unknown.")
TRAJECTORY = typer.Option(None, "--trajectory", help="expanded, stable, contracted, replaced.")
FUNDING = typer.Option(None, "--funding", help="government, donor, mixed, ngo, private.")
LEVEL = typer.Option(None, "--level", help="pilot, subnational, national, multinational.")
BLOCK = typer.Option(None, "--building-block", help="WHO building block(s) with an outcome.")
FROM_YEAR = typer.Option(None, "--from-year", help="Started in or after.")
TO_YEAR = typer.Option(None, "--to-year", help="Started in or before.")


def _facets(domain: list[str] | None, intervention: list[str] | None,
            country: list[str] | None, region: list[str] | None, income: list[str] | None,
            status: list[str] | None, trajectory: list[str] | None, funding: list[str] | None,
            level: list[str] | None, building_block: list[str] | None
            ) -> dict[str, tuple[str, ...]]:
    values = (domain, intervention, country, region, income, status, trajectory, funding,
              level, building_block)
    return {name: _split(v) for name, v in zip(FACETS, values, strict=True)}


def search_cmd(
    query: str = typer.Argument("", help="Words to find in names, descriptions, factors and "
                                         "lessons; \"quoted phrases\" match as written."),
    domain: list[str] = DOMAIN,
    intervention: list[str] = INTERVENTION,
    country: list[str] = COUNTRY,
    region: list[str] = REGION,
    income: list[str] = INCOME,
    status: list[str] = STATUS,
    trajectory: list[str] = TRAJECTORY,
    funding: list[str] = FUNDING,
    level: list[str] = LEVEL,
    building_block: list[str] = BLOCK,
    from_year: int | None = FROM_YEAR,
    to_year: int | None = TO_YEAR,
    sort: str = typer.Option("relevance", "--sort", help="relevance, name, start_year, "
                                                         "-start_year."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="Results per page."),
    offset: int = typer.Option(0, "--offset", min=0, help="Results to skip."),
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", help="table or json."),
    db: str | None = DB_OPTION,
) -> None:
    """Search the registry: ranked full-text search with facets."""
    if sort not in SORTS:
        fail(f"--sort must be one of {', '.join(SORTS)}, not '{sort}'.")
    facets = _facets(domain, intervention, country, region, income, status, trajectory,
                     funding, level, building_block)
    q = SearchQuery(text=query, from_year=from_year, to_year=to_year, sort=sort, limit=limit,
                    offset=offset, **facets)
    try:
        result = search(_engine(db), q)
    except HRHError as exc:
        fail_from(exc)
    if fmt is OutFormat.json:
        _print_json(result.to_dict())
        return
    note = " (no case had every word; showing cases with any)" if result.relaxed else ""
    table = Table(title=f"{result.total} case(s){note}", title_justify="left")
    for col in ("id", "name", "countries", "status", "years"):
        table.add_column(col, overflow="fold")
    for hit in result.hits:
        c = hit.case
        table.add_row(c.id, c.name, " ".join(c.countries), _status(c), _years(c))
    console.print(table)


def _years(c: Case) -> str:
    start = "?" if c.start_year is None else str(c.start_year)
    end = "" if c.end_year is None else str(c.end_year)
    if c.status.value == "ended" and c.end_year is None:
        end = "?"
    return f"{start}-{end}"


def _status(c: Case) -> str:
    return f"{c.status.value} ({c.status_year})" if c.status_year else c.status.value


def _refs(c: Case, field: str) -> str:
    nums = c.source_numbers(field)
    return f" [{', '.join(str(n) for n in nums)}]" if nums else " [no source given]"


def show(
    case_id: str = typer.Argument(..., help="Case id, e.g. eth-health-extension-programme."),
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", help="table or json."),
    db: str | None = DB_OPTION,
) -> None:
    """Show one case in full, with its numbered sources beside the facts they support."""
    try:
        c = repo.get_case(_engine(db), case_id)
    except HRHError as exc:
        fail_from(exc)
    if fmt is OutFormat.json:
        from hrhlessons.cases.records import case_to_dict

        _print_json({**case_to_dict(c), "flags": c.flags})
        return
    p = console.print
    p(f"[bold]{c.name}[/]  ({c.id})")
    p(f"Countries: {', '.join(c.countries)}   Level: {c.level.value}   "
      f"Domain: {c.domain.label}")
    p(f"Interventions: {', '.join(i.value for i in c.interventions) or '-'}")
    p(f"Cadres: {', '.join(c.cadres) or '-'}")
    p(f"Start year: {c.start_year if c.start_year is not None else 'unknown'}"
      f"{_refs(c, 'start_year')}")
    end = c.end_year if c.end_year is not None else ("unknown" if c.end_year_unknown else "-")
    end_refs = _refs(c, "end_year") if c.end_year is not None or c.end_year_unknown else ""
    p(f"End year: {end}{end_refs}")
    p(f"Status: {_status(c)}{_refs(c, 'status')}   Trajectory: {c.trajectory.value}   "
      f"Funding: {c.funding.value}")
    for flag in c.flags:
        p(f"[yellow]Note:[/] {flag}")
    p("")
    p(c.description)
    if c.scale:
        p("\n[bold]Scale[/]")
        for entry in c.scale:
            p(f"  {entry.metric}: {entry.value:,}" + (f" ({entry.year})" if entry.year else ""))
    known = {k: v for k, v in c.conditions.items() if v is not None}
    if known:
        p("\n[bold]Conditions[/]")
        for k, v in known.items():
            p(f"  {'yes' if v else 'no '}  {k.value}: {CONDITION_MEANINGS[k]}")
    if c.outcomes:
        p("\n[bold]Outcomes[/]")
        for o in c.outcomes:
            values = ""
            if o.baseline and o.followup:
                values = (f": {o.baseline.value} ({o.baseline.year}) -> {o.followup.value} "
                          f"({o.followup.year}) {o.followup.unit or ''}")
            p(f"  {o.building_block.label}: {o.indicator} {o.direction.value}{values} "
              f"[{o.evidence.value}; source {o.source + 1}]")
    for title, items in (("Success factors", c.success_factors),
                         ("Failure factors", c.failure_factors), ("Lessons", c.lessons)):
        if items:
            p(f"\n[bold]{title}[/]")
            for item in items:
                p(f"  - {item}", markup=False)
    p("\n[bold]Sources[/]")
    for i, s in enumerate(c.sources, start=1):
        meta = ", ".join(str(x) for x in (s.publisher, s.year) if x)
        p(f"  [{i}] {s.title}" + (f" ({meta})" if meta else "") + (f"\n      {s.url}"
                                                                   if s.url else ""),
          markup=False, highlight=False)
    check = registry.bundled_fact_check(c.id)
    if check is not None:
        p(f"\nThe bundled version of this record was checked against these sources on "
          f"{check.checked_on.isoformat()} ({check.result}).", highlight=False)


def summary(
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", help="table or json."),
    db: str | None = DB_OPTION,
) -> None:
    """What the registry holds: cases by domain, status and WHO region."""
    try:
        s = repo.summary(_engine(db))
    except HRHError as exc:
        fail_from(exc)
    if fmt is OutFormat.json:
        _print_json(s.to_dict())
        return
    console.print(f"[bold]HRH Lessons registry[/]: {s.cases} cases in {s.countries} countries; "
                  f"{s.ended_share:.0%} ended, never implemented, contracted or replaced.")
    _print_counts((("Domain", s.by_domain), ("Status", s.by_status),
                   ("WHO region", s.by_region)))


def _print_counts(groups: Iterable[tuple[str, Mapping[str, int]]]) -> None:
    """One two-column table (value, cases) per group."""
    for title, counts in groups:
        table = Table(title=title, title_justify="left", show_header=False)
        table.add_column(title)
        table.add_column("cases", justify="right")
        for k, v in counts.items():
            table.add_row(k, str(v))
        console.print(table)


def coverage_cmd(
    paths: list[Path] = typer.Argument(None, help="Case files or folders to count instead of "
                                                  "the database."),
    bundled: bool = typer.Option(False, "--bundled", help="Count the registry shipped with "
                                                          "HRH Lessons, not the database."),
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", help="table or json."),
    db: str | None = DB_OPTION,
) -> None:
    """How complete the registry is: cases by domain, region, income, decade and outcome,
    how many facts are sourced, and which fields are most often unknown."""
    try:
        if paths or bundled:
            batch = read_paths([*(paths or []), *([bundled_cases_dir()] if bundled else [])])
            if batch.problems:
                raise InvalidInput(batch.problems)
            cases = batch.cases
        else:
            cases = repo.all_cases(_engine(db))
        result = registry.coverage(cases)
    except HRHError as exc:
        fail_from(exc)
    if fmt is OutFormat.json:
        _print_json(result.to_dict())
        return
    console.print(f"[bold]{result.summary()}[/]", highlight=False)
    console.print(f"{result.sources_total} sources, {result.sources_per_case} per case "
                  f"({result.sources_described} titled by our description: the page shows no "
                  f"headline; {result.sources_undated} undated: it shows no date); sourced: "
                  + ", ".join(f"{k} {v:.0%}" for k, v in result.sourced_facts.items()),
                  highlight=False)
    fc = result.fact_checks
    latest = f", latest {fc.last_checked.isoformat()}" if fc.last_checked else ""
    console.print(f"checked against their sources: {fc.checked} of {fc.cases} cases "
                  f"({fc.share:.0%}; {fc.supported} supported as written, {fc.corrected} "
                  f"corrected){latest}", highlight=False)
    if fc.spot_checked:
        console.print(f"latest spot-check reading of {fc.spot_checked} cases: {fc.latest_clean} "
                      f"entirely supported, {fc.latest_only_not_reached} short only by facts "
                      f"their pages did not show, {fc.latest_with_finding} with a weaker or "
                      "contradicted fact (found by the round or a close-call review after it, "
                      f"mended since); {fc.facts_left} facts in "
                      f"{fc.cases_with_facts_left} cases still not reached after the tries "
                      "and passes since", highlight=False)
    _print_counts((("Domain", result.by_domain), ("WHO region", result.by_region),
                   ("Income group at start", result.by_income),
                   ("Decade of start", result.by_decade), ("Outcome", result.by_outcome)))
    table = Table(title="Most often unknown (share of cases)", title_justify="left")
    table.add_column("field")
    table.add_column("unknown", justify="right")
    for field, share in list(result.unknown_fields.items())[:12]:
        table.add_row(field, f"{share:.0%}")
    console.print(table)


# ----- log-check -----

def _record_ids(folder: Path) -> set[str]:
    """Ids of the case records in ``folder``: its YAML files named by a valid id."""
    return {p.stem for p in folder.glob("*.yaml") if ID_PATTERN.match(p.stem)}


def _check_day(on: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(on) if on else dt.date.today()
    except ValueError:
        fail(f"--on: '{on}' is not a date (YYYY-MM-DD)")


def log_check(
    case_id: str = typer.Argument(..., help="The id of the case record that was checked."),
    note: str = typer.Option(..., "--note", help="What the check found or changed, in a "
                                                 "sentence or two."),
    corrected: bool = typer.Option(False, "--corrected", help="The check changed the record."),
    on: str | None = ON_OPTION,
    log: Path | None = LOG_OPTION,
    cases: Path | None = CASES_OPTION,
) -> None:
    """Record a check of a case record against its sources in the fact-check log."""
    target = log or fact_checks_path()
    folder = cases or bundled_cases_dir()
    if case_id not in _record_ids(folder):
        fail(f"no case record {case_id}.yaml in {folder}")
    day = _check_day(on)
    try:
        checks = load_fact_checks(target)
        updated = record_check(checks, case_id, day, note, corrected=corrected)
    except HRHError as exc:
        fail_from(exc)
    except ValueError as exc:
        fail(str(exc))
    write_atomic(target, format_fact_checks(updated))
    row = latest_checks(updated)[case_id]
    console.print(f"{target}: {case_id} checked on {row.checked_on.isoformat()} "
                  f"({row.result}).", highlight=False, markup=False, soft_wrap=True)


def log_checks(
    batch: Path = typer.Argument(..., help="CSV of passes, header id,result,note; result is "
                                           "corrected (the pass changed the record) or "
                                           "supported (it changed nothing).", exists=True,
                                 dir_okay=False),
    on: str | None = ON_OPTION,
    log: Path | None = LOG_OPTION,
    cases: Path | None = CASES_OPTION,
) -> None:
    """Record a batch of checks (one per line of a CSV) in the fact-check log, in one write.

    Every line is validated first; one bad line refuses the batch and the log is left as it was.
    """
    target = log or fact_checks_path()
    folder = cases or bundled_cases_dir()
    day = _check_day(on)
    try:
        passes = parse_passes(batch.read_text(encoding="utf-8"), _record_ids(folder),
                              file=str(batch))
        updated = record_passes(load_fact_checks(target), passes, day, file=str(batch))
    except HRHError as exc:
        fail_from(exc)
    write_atomic(target, format_fact_checks(updated))
    changed = sum(p.corrected for p in passes)
    console.print(f"{target}: {len(passes)} case(s) checked on {day.isoformat()} ({changed} "
                  "corrected).", highlight=False, markup=False, soft_wrap=True)


# ----- spot-checks, draw -----

_T = TypeVar("_T")
READ_LOG_OPTION = typer.Option(None, "--log", help="Fact-check log to read (default: the one "
                                                   "beside the bundled registry).")


def _read_log(log: Path | None, read: Callable[..., _T]) -> _T:
    """``read(checks, file=...)`` over the fact-check log at ``log`` (default: the bundled one);
    a log that does not parse ends the command with its located problems."""
    target = log or fact_checks_path()
    try:
        return read(load_fact_checks(target), file=str(target))
    except HRHError as exc:
        fail_from(exc)


def spot_checks(
    fmt: OutFormat = typer.Option(OutFormat.table, "--format", help="table or json."),
    log: Path | None = READ_LOG_OPTION,
) -> None:
    """What each spot-check round found: facts supported, weaker, contradicted and not reached,
    the records it found entirely supported and those with a weaker or contradicted fact,
    summed from the fact-check log's notes."""
    rounds = _read_log(log, spot_check_rounds)
    if fmt is OutFormat.json:
        _print_json([r.to_dict() for r in rounds])
        return
    table = Table(title="Spot-check rounds (from the fact-check log)", title_justify="left",
                  caption="S supported, W weaker than the record states, C contradicted, "
                          "N not reached; clean: records with every fact supported; W/C: "
                          "records with a weaker or contradicted fact",
                  caption_justify="left")
    for name in ("round", "records", "facts", "S", "share", "W", "C", "N", "clean", "W/C"):
        table.add_column(name, justify="left" if name == "round" else "right")
    for r in rounds:
        table.add_row(r.round, str(r.records), f"{r.facts:,}", f"{r.supported:,}",
                      f"{r.share:.1%}", str(r.weaker), str(r.contradicted),
                      str(r.not_reached), str(r.clean), str(r.flawed))
    console.print(table)


def draw_cmd(
    n: int = typer.Argument(..., help="How many records to draw.", min=1),
    seed: str = typer.Option(..., "--seed", help="Seed of the draw: the same seed and records "
                                                 "draw the same sample."),
    last_round: list[str] = typer.Option(None, "--last-round",
                                         help="Draw only from records whose latest spot-check "
                                              "was this round (repeat for several; 'none' for "
                                              "records no round has re-read)."),
    last_finding: bool = typer.Option(False, "--last-finding",
                                      help="Draw only from records whose latest spot-check "
                                           "found a weaker or contradicted fact."),
    before: str | None = typer.Option(None, "--before", metavar="ROUND",
                                      help="Draw only from records no round from this one on "
                                           "has re-read (their latest spot-check came before "
                                           "it, or none did)."),
    up_to: str | None = typer.Option(None, "--up-to", metavar="ROUND",
                                     help="Read the log only up to this round, as it stood "
                                          "after it, for --last-round, --last-finding and "
                                          "--before (to draw a published sample's set again)."),
    as_of: str | None = typer.Option(None, "--as-of", metavar="ROUND",
                                     help="Leave out the records first read by a round after "
                                          "this one: those added to the registry since (from "
                                          "AT on every record it held had been read), so a "
                                          "sample drawn then can be drawn again."),
    log: Path | None = READ_LOG_OPTION,
    cases: Path | None = CASES_OPTION,
) -> None:
    """Draw records at random for a spot-check, one id per line, repeatably from a seed."""
    ids = _record_ids(cases or bundled_cases_dir())
    for option, label in (("--up-to", up_to), ("--before", before), ("--as-of", as_of)):
        if label is not None and not is_round_label(label):
            fail(f"{option}: '{label}' is not a round label (one or two capital letters, "
                 "as AT or DP)")

    def narrow(checks: Iterable[FactCheck], *, file: str) -> set[str]:
        """``ids`` less the records the options leave out, from one read of the log."""
        checks, kept = list(checks), set(ids)
        if last_round or last_finding or before:  # one parse serves all three
            latest = last_readings(checks, file=file, up_to=up_to)
            if last_round:
                wanted = set(last_round)
                kept = {i for i in kept if (latest.get(i) or ("none",))[0] in wanted}
            if before is not None:
                kept = {i for i in kept if not read_since(latest.get(i), before)}
            if last_finding:
                kept &= found_in(latest)
        if as_of is not None:
            kept -= first_read_after(case_rounds(checks, file=file), as_of)
        return kept

    if last_round or last_finding or before or as_of:
        ids = _read_log(log, narrow)
    try:
        drawn = draw(ids, n, seed)
    except ValueError as exc:
        fail(str(exc))
    for case_id in drawn:
        console.print(case_id, highlight=False, markup=False, soft_wrap=True)


# ----- db -----

db_app = typer.Typer(help="Database administration.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(db: str | None = DB_OPTION) -> None:
    """Create the database or run the migrations it has not run yet."""
    engine = _engine(db)
    before, after = upgrade(engine)
    where = engine.url.render_as_string(hide_password=True)
    if before == after:
        console.print(f"{where} is up to date (migration {after}).")
    else:
        console.print(f"{where}: migrated from {before or 'empty'} to {after}.")


@db_app.command("status")
def db_status(db: str | None = DB_OPTION) -> None:
    """Print the database URL and its migration state."""
    engine = _engine(db)
    current = current_revision(engine)
    console.print(f"{engine.url.render_as_string(hide_password=True)}: migration "
                  f"{current or 'none'} (newest: {head_revision()}).")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
    app.command("import")(import_)
    app.command("export")(export)
    app.command("search")(search_cmd)
    app.command("show")(show)
    app.command("summary")(summary)
    app.command("coverage")(coverage_cmd)
    app.command("log-check")(log_check)
    app.command("log-checks")(log_checks)
    app.command("spot-checks")(spot_checks)
    app.command("draw")(draw_cmd)
    app.add_typer(db_app, name="db")
