"""The ``synthesize`` and ``brief`` commands: the synthesis report and policy briefs.

``synthesize`` selects cases with the same facets as ``search`` (all cases when none is given),
builds one :class:`~hrhlessons.synthesis.report.SynthesisReport` and writes it as
``report.md``, ``report.html`` and/or ``report.json`` with its figures (SVG and PNG) in
``OUT/figures``. ``brief country ISO3``, ``brief case ID`` and ``brief synthesis [facets]`` write
a two-to-four page brief as standalone HTML or PDF.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from hrhlessons.cases.model import Case
from hrhlessons.cli.app import console, fail, fail_from
from hrhlessons.cli.registry import (
    BLOCK,
    COUNTRY,
    DB_OPTION,
    DOMAIN,
    FROM_YEAR,
    FUNDING,
    INCOME,
    INTERVENTION,
    LEVEL,
    QUERY,
    REGION,
    STATUS,
    TO_YEAR,
    TRAJECTORY,
    _engine,
    _facets,
)
from hrhlessons.errors import HRHError
from hrhlessons.store import repo
from hrhlessons.store.search import SearchQuery, search

if TYPE_CHECKING:
    from hrhlessons.synthesis.report import SynthesisReport

#: Cases fetched per search page while collecting a selection.
PAGE = 500


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


class BriefFormat(StrEnum):
    html = "html"
    pdf = "pdf"




def select_cases(db: str | None, text: str, facets: dict[str, tuple[str, ...]],
                 from_year: int | None, to_year: int | None) -> list[Case]:
    """Every case the search finds (all pages), or every case when nothing narrows it."""
    engine = _engine(db)
    if not text and not any(facets.values()) and from_year is None and to_year is None:
        return repo.all_cases(engine)
    out: list[Case] = []
    offset = 0
    while True:
        q = SearchQuery(text=text, from_year=from_year, to_year=to_year, limit=PAGE,
                        offset=offset, sort="name", **facets)
        result = search(engine, q)
        out.extend(hit.case for hit in result.hits)
        offset += PAGE
        if offset >= result.total or not result.hits:
            return out


def _selection(text: str, facets: dict[str, tuple[str, ...]], from_year: int | None,
               to_year: int | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    sel = [(k, v) for k, v in facets.items() if v]
    if text:
        sel.insert(0, ("text", (text,)))
    if from_year is not None:
        sel.append(("started from", (str(from_year),)))
    if to_year is not None:
        sel.append(("started up to", (str(to_year),)))
    return tuple(sel)


def _report(cases: list[Case], selection: tuple[tuple[str, tuple[str, ...]], ...],
            title: str | None) -> SynthesisReport:
    from hrhlessons.share.report import registry_report
    from hrhlessons.synthesis.report import ReportOptions

    opts = (ReportOptions(title=title, selection=selection) if title
            else ReportOptions(selection=selection))
    return registry_report(cases, opts)


def _synthesis(db: str | None, text: str, facets: dict[str, tuple[str, ...]],
               from_year: int | None, to_year: int | None,
               title: str | None = None) -> tuple[SynthesisReport, list[Case]]:
    """The synthesis report of the selected cases, and the cases; fails when none matches."""
    try:
        cases = select_cases(db, text, facets, from_year, to_year)
    except HRHError as exc:
        fail_from(exc)
    if not cases:
        fail("no case matches these filters; widen them (see 'hrh-lessons search' with the "
             "same options)")
    try:
        return _report(cases, _selection(text, facets, from_year, to_year), title), cases
    except HRHError as exc:
        fail_from(exc)


def synthesize(
    out: Path = typer.Option(..., "--out", help="Output folder (created if missing)."),
    fmt: list[ReportFormat] = typer.Option(
        [ReportFormat.html], "--format",
        help="md, html or json; repeat for several (--format md --format json)."),
    text: str = QUERY,
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
    title: str | None = typer.Option(None, "--title", help="Title of the report."),
    db: str | None = DB_OPTION,
) -> None:
    """Write the synthesis report (survival, factors, configurations, outcomes, gaps) of the
    selected cases, with its figures as SVG and PNG in OUT/figures."""
    from hrhlessons.share.report import write_report

    facets = _facets(domain, intervention, country, region, income, status, trajectory,
                     funding, level, building_block)
    report, _ = _synthesis(db, text, facets, from_year, to_year, title)
    written = write_report(report, out, [f.value for f in fmt])
    files = [p for p in written if p.parent == out]
    console.print(f"Synthesis of {report.n_cases} case(s): wrote "
                  f"{', '.join(str(p) for p in files)} and "
                  f"{len(written) - len(files)} figure file(s) in {out / 'figures'}.",
                  highlight=False)
    for claim in report.key_claims():
        console.print(f"- {claim.text}", highlight=False, markup=False)


# ----------------------------------------------------------------------------- brief

brief_app = typer.Typer(help="Policy briefs (2-4 pages) as standalone HTML or PDF.",
                        no_args_is_help=True)

OUT = typer.Option(..., "--out", help="Output file (.html or .pdf).")
BRIEF_FORMAT = typer.Option(None, "--format",
                            help="html or pdf (default: from the --out file's suffix).")


def _brief_format(fmt: BriefFormat | None, out: Path) -> str:
    if fmt is not None:
        return fmt.value
    suffix = out.suffix.lower().lstrip(".")
    if suffix in ("html", "htm"):
        return "html"
    if suffix == "pdf":
        return "pdf"
    fail(f"cannot tell the format from '{out.name}'; give --format html or --format pdf")


def _write(brief: object, out: Path, fmt: str) -> None:
    from hrhlessons.share.briefs import Brief, write_brief

    assert isinstance(brief, Brief)
    try:
        pages = write_brief(brief, out, fmt)
    except OSError as exc:
        fail(f"could not write {out}: {exc.strerror or exc}", code=1)
    extra = f", {pages} page(s)" if pages is not None else ""
    console.print(f"Wrote {out} ({fmt}{extra}): {len(brief.key_messages)} key messages, "
                  f"{len(brief.sources)} sources.", highlight=False, markup=False, soft_wrap=True)


def _all_cases(db: str | None) -> list[Case]:
    try:
        return repo.all_cases(_engine(db))
    except HRHError as exc:
        fail_from(exc)


@brief_app.command("country")
def brief_country(
    iso3: str = typer.Argument(..., help="ISO3 code of the country, e.g. MWI."),
    out: Path = OUT,
    fmt: BriefFormat | None = BRIEF_FORMAT,
    db: str | None = DB_OPTION,
) -> None:
    """A country's brief: its workforce against the thresholds and its recorded innovations."""
    from hrhlessons.reference import load_reference
    from hrhlessons.share.briefs import country_brief

    kind = _brief_format(fmt, out)
    cases = _all_cases(db)
    try:
        brief = country_brief(load_reference(), iso3.upper(), cases)
    except HRHError as exc:
        fail_from(exc)
    _write(brief, out, kind)


@brief_app.command("case")
def brief_case(
    case_id: str = typer.Argument(..., help="Case id, e.g. eth-health-extension-programme."),
    out: Path = OUT,
    fmt: BriefFormat | None = BRIEF_FORMAT,
    db: str | None = DB_OPTION,
) -> None:
    """One case's brief: what it was, what became of it, its outcomes and lessons."""
    from hrhlessons.share.briefs import case_brief

    kind = _brief_format(fmt, out)
    cases = _all_cases(db)
    case = next((c for c in cases if c.id == case_id), None)
    if case is None:
        fail(f"no case '{case_id}' in the database; find ids with 'hrh-lessons search'")
    _write(case_brief(case, cases), out, kind)


@brief_app.command("synthesis")
def brief_synthesis(
    out: Path = OUT,
    fmt: BriefFormat | None = BRIEF_FORMAT,
    text: str = QUERY,
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
    db: str | None = DB_OPTION,
) -> None:
    """The brief of a synthesis of the selected cases (all cases when no filter is given)."""
    from hrhlessons.share.briefs import synthesis_brief

    kind = _brief_format(fmt, out)
    facets = _facets(domain, intervention, country, region, income, status, trajectory,
                     funding, level, building_block)
    report, cases = _synthesis(db, text, facets, from_year, to_year)
    _write(synthesis_brief(report, cases), out, kind)


def register(app: typer.Typer) -> None:
    app.command("synthesize")(synthesize)
    app.add_typer(brief_app, name="brief")
