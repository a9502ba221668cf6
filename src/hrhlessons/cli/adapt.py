"""Country and adaptation commands: ``country`` (a country's profile and peers), ``adapt`` (which
innovations could transfer, scored) and ``pilot`` (a pilot and scale-up plan for one case).

Each command reads the cases from the database (``--db``), calls one library function
(:func:`hrhlessons.countries.lessons.country_profile`, :func:`hrhlessons.adapt.transfer.
rank_innovations`, :func:`hrhlessons.adapt.pilot.pilot_plan`) and formats its result. JSON
output is the result's ``to_dict()``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from hrhlessons.adapt.pilot import PilotPlan, pilot_plan
from hrhlessons.adapt.questions import (
    ANSWER_STATES,
    Answers,
    Questionnaire,
    bundled_questionnaire,
    parse_answers,
)
from hrhlessons.adapt.transfer import TransferRanking, TransferScore, rank_innovations
from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import KNOWN_DOMAINS, Domain, known_domain
from hrhlessons.cli.app import console, err_console, fail, fail_from
from hrhlessons.cli.registry import DB_OPTION, _engine
from hrhlessons.countries.lessons import CountryProfile, country_profile
from hrhlessons.countries.peers import PeerResult, find_peers
from hrhlessons.errors import DatabaseNotReady, HRHError, InvalidInput, format_problems
from hrhlessons.reference import load_reference
from hrhlessons.store import repo


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


class RankFormat(StrEnum):
    table = "table"
    json = "json"


# --------------------------------------------------------------------------------------------
# Shared input handling


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _cases(db: str | None, *, required: bool) -> list[Case]:
    try:
        return repo.all_cases(_engine(db))
    except DatabaseNotReady as exc:
        if required:
            fail(str(exc))
        return []
    except HRHError as exc:
        fail_from(exc)


def _check_iso3(iso3: str) -> str:
    code = iso3.strip().upper()
    if len(code) != 3 or not code.isalpha():
        fail(f"ISO3: '{iso3}' is not a three-letter country code such as MWI (Malawi) or KEN "
             "(Kenya)")
    if code not in load_reference():
        fail(f"ISO3: '{iso3}' is not a country in the reference data (WHO GHO and World Bank "
             "tables); use an ISO 3166-1 alpha-3 code such as MWI or KEN")
    try:
        load_reference().meta(code)
    except HRHError:
        fail(f"ISO3: '{iso3}' has indicator data but no country metadata (name, region, "
             "income group); it cannot be profiled")
    return code


def _interactive() -> bool:
    """Ask the questions only when a person is at a terminal (never in a pipe or a test)."""
    return sys.stdin.isatty()


def _load_answers(path: Path | None, iso3: str, questionnaire: Questionnaire) -> Answers:
    if path is None:
        if _interactive():
            return _ask(questionnaire, iso3)
        return Answers(country=iso3, source="no answers given: every question unknown")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"--answers: cannot read '{path}': {exc.strerror}; give the path of a YAML or "
             "JSON answers file (see data/adapt/answers-example.yaml)")
    try:
        return parse_answers(text, questionnaire, file=str(path), expected_country=iso3)
    except InvalidInput as exc:
        err_console.print(format_problems(exc.problems), highlight=False, markup=False,
                          soft_wrap=True)
        fail(f"--answers: {len(exc.problems)} problem(s) in '{path}'; fix them and run again "
             "('hrh-lessons adapt --questions' lists the questions, components and allowed "
             "answers)")


def _ask(questionnaire: Questionnaire, iso3: str) -> Answers:
    """Ask the questionnaire on the terminal; Enter leaves a question unknown."""
    # Questions go to stderr, so that --format json keeps stdout clean for scripts.
    err_console.print(f"[bold]Readiness questions for {iso3}[/] (yes / partly / no / unknown; "
                      "Enter = unknown)")
    answers: dict[str, str] = {}
    choices = list(ANSWER_STATES)
    for section in questionnaire.sections.values():
        if section.id != "core" and not typer.confirm(f"Answer the questions on "
                                                      f"{section.title}?", default=False,
                                                      err=True):
            continue
        for q in questionnaire.questions:
            if q.section != section.id:
                continue
            value = str(typer.prompt(f"{q.text} ({'/'.join(choices)})", default="unknown",
                                     show_default=False, err=True)).strip().lower()
            while value not in choices:
                value = str(typer.prompt(f"'{value}' is not an answer; use "
                                         f"{', '.join(choices)}", default="unknown",
                                         show_default=False, err=True)).strip().lower()
            answers[q.id] = value
    components: dict[str, int | None] = {}
    if typer.confirm("Is there a CHW programme to self-assess (components scored 1-4)?",
                     default=False, err=True):
        for c in questionnaire.components:
            value = typer.prompt(f"{c.text} (1-4, Enter = unknown)", default="",
                                 show_default=False, err=True)
            if value.strip():
                if value.strip() not in {"1", "2", "3", "4"}:
                    fail(f"'{value}' is not a score; use 1, 2, 3 or 4")
                components[c.id] = int(value)
    return Answers(iso3, answers, components, {}, None, "answered on the terminal")


def _domains(values: list[str] | None) -> list[Domain]:
    out: list[Domain] = []
    for v in values or []:
        for part in (x.strip() for x in v.split(",")):
            if not part:
                continue
            try:
                out.append(known_domain(part))
            except ValueError:
                fail(f"--domain: '{part}' is not a domain; use one of "
                     + ", ".join(d.value for d in KNOWN_DOMAINS))
    return out


# --------------------------------------------------------------------------------------------
# country


def _num(v: float | None, digits: int = 2) -> str:
    return "no data" if v is None else f"{v:,.{digits}f}"


def _profile_markdown(p: CountryProfile, peers: PeerResult) -> str:
    d = p.to_dict()
    lines = [f"# {p.name} ({p.iso3}): health workforce profile", ""]
    lines.append(f"- WHO region: {p.who_region_name or 'no data'} ({p.who_region or '-'}); "
                 f"World Bank region: {p.wb_region or 'no data'}")
    inc = d["income_group"]
    lines.append(f"- Income group now: {inc['name'] or 'no data'} ({inc['source']})")
    if p.income_history:
        changes: list[str] = []
        last = None
        for y, group in p.income_history:
            if group != last:
                changes.append(f"{group} from FY{y}")
                last = group
        lines.append(f"- Income group by year ({d['income_history']['source']}): "
                     + "; ".join(changes) + f" (to FY{p.income_history[-1][0]})")
    else:
        lines.append("- Income group by year: no data")
    lines += ["", "## Densities per 10,000 population", ""]
    for s in p.series:
        pts = ", ".join(f"{y}: {v:.2f}" for y, v in s.points) or "no data"
        lines.append(f"- **{s.label}** — {pts}  \n  _Source: {s.source}_")
    lines += ["", "## Against the thresholds", ""]
    for g in p.gaps:
        meets = {True: "meets it", False: "below it", None: "unknown"}[g.meets]
        years = ", ".join(map(str, g.density_years)) or "-"
        lines.append(f"### {g.name}: {g.threshold} per 10,000")
        lines.append(f"- Doctors + nurses and midwives: {_num(g.density)} per 10,000 "
                     f"({years}): {meets}. _Threshold: {g.threshold_source}_")
        for part in g.stock:
            how = " (derived from density)" if part.derived else ""
            lines.append(f"- Stock, {part.cadre.replace('_', ' and ')}: {part.value:,.0f} "
                         f"({part.year}){how}. _Source: {part.source}_")
        if g.population:
            lines.append(f"- Population: {g.population[1]:,.0f} ({g.population[0]}). "
                         "_Source: World Bank_")
        if g.gap is None:
            lines.append("- Gap in people: cannot be computed (see missing data)")
        else:
            word = "short of" if g.gap > 0 else "above"
            lines.append(f"- Needed: {g.needed:,.0f}; gap in people: {abs(g.gap):,.0f} "
                         f"{word} the threshold")
        lines.append("")
    lines += ["## Peer countries", "",
              "Nearest by context (weighted distance over standardised features: "
              + ", ".join(f"{f.short} x{f.weight:g}" for f in peers.features) + ").", ""]
    for peer in peers.peers:
        lines.append(f"- **{peer.name}** ({peer.iso3}), distance {peer.distance:.2f}: close on "
                     + ("; ".join(peer.close) or "no single feature")
                     + f". Worked there: {', '.join(peer.worked) or 'none recorded'}; "
                     f"did not last: {', '.join(peer.failed) or 'none recorded'}")
    if not peers.peers:
        lines.append("- no comparable country (too few data)")
    lines += ["", f"## Innovations recorded in {p.name}", ""]
    for c in p.cases:
        years = f"{c.start_year or '?'}-{c.end_year or ''}"
        refs = ", ".join(map(str, c.status_sources)) or "none given"
        lines.append(f"### {c.name} (`{c.id}`)")
        lines.append(f"- {c.domain.replace('_', ' ')}; {years}; {c.outcome} "
                     f"(status {c.status} as of {c.status_year or '?'}; sources {refs})")
        for o in c.outcomes:
            lines.append(f"- Outcome ({o['building_block'].replace('_', ' ')}): "
                         f"{o['indicator']} — {o['direction']} [{o['evidence']}; "
                         f"source {o['source']}]")
        for lesson in c.lessons:
            lines.append(f"- Lesson: {lesson} [`{c.id}`]")
        lines.append("")
    if not p.cases:
        lines += ["No innovation in this country is recorded in the registry.", ""]
    lines += ["## Missing data", ""]
    lines += [f"- {m}" for m in p.missing] or ["- none"]
    lines += ["", "## Sources", ""] + [f"- {k}: {v}" for k, v in d["sources"].items()]
    return "\n".join(lines) + "\n"


_CSS = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45;color:#222}h1,h2,h3{line-height:1.2}code{background:#f3f3f3;"
        "padding:0 .2em}em{color:#555}svg{max-width:100%;height:auto}")


def _markdown_to_html(md: str, title: str, figure: str = "") -> str:
    """A deliberately small converter for the reports these commands write (headings, list
    items, bold, italics, code); everything is escaped first."""
    import re

    out: list[str] = []
    in_list = False
    for raw in md.splitlines():
        line = html.escape(raw.rstrip())
        line = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", line)
        line = re.sub(r"`(.+?)`", r"<code>\1</code>", line)
        line = re.sub(r"(?<![\w])_(.+?)_(?![\w])", r"<em>\1</em>", line)
        is_item = line.startswith("- ") or line.startswith("  ")
        if in_list and not is_item:
            out.append("</ul>")
            in_list = False
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            out.append(f"<h{level}>{line[level:].strip()}</h{level}>")
            if level == 1 and figure:
                out.append(figure)
        elif line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{line[2:]}")
        elif line.startswith("  "):
            out.append(f"<br>{line.strip()}")
        elif line:
            out.append(f"<p>{line}</p>")
    if in_list:
        out.append("</ul>")
    body = "\n".join(out)
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>\n"
            f"{body}\n<footer><p><em>HRH Lessons. Figures: WHO Global Health Observatory "
            f"(CC BY-NC-SA 3.0 IGO); World Bank.</em></p></footer></body></html>\n")


def country_command(
    iso3: Annotated[str, typer.Argument(help="ISO3 country code, e.g. MWI.")],
    fmt: Annotated[ReportFormat, typer.Option(
        "--format", help="md (a readable report), html (a standalone page with the density "
                         "figure) or json (the data).")] = ReportFormat.md,
    peers: Annotated[int, typer.Option("--peers", min=1, max=50,
                                       help="How many peer countries to show.")] = 5,
    db: str | None = DB_OPTION,
) -> None:
    """A country's health-workforce profile: densities over time, against 44.5 and 22.8 per
    10,000, the gap in people, region and income group, peer countries, and the innovations
    recorded there with their outcomes and lessons. Data years and sources beside every figure;
    missing data said plainly."""
    code = _check_iso3(iso3)
    ref = load_reference()
    cases = _cases(db, required=False)
    try:
        profile = country_profile(ref, code, cases)
        peer_result = find_peers(ref, code, cases, k=peers)
    except HRHError as exc:
        fail_from(exc)
    if not cases:
        profile = country_profile(ref, code, ())
        err_console.print("note: the registry database holds no cases (run 'hrh-lessons import "
                          "--bundled'); innovations are not shown", highlight=False)
    if fmt is ReportFormat.json:
        _echo_json({**profile.to_dict(), "peers": peer_result.to_dict()})
        return
    md = _profile_markdown(profile, peer_result)
    if fmt is ReportFormat.md:
        typer.echo(md)
        return
    from hrhlessons.countries.countryplots import density_trend, to_svg

    svg = to_svg(density_trend(profile))
    svg = svg[svg.find("<svg"):]  # inline: drop the XML prolog and doctype
    typer.echo(_markdown_to_html(md, f"{profile.name}: health workforce profile",
                                 f"<figure>{svg}</figure>"))


# --------------------------------------------------------------------------------------------
# adapt


def _score_table(ranking: TransferRanking, shown: tuple[TransferScore, ...]) -> Table:
    table = Table(title=f"Transferability to {ranking.iso3}: {len(ranking.scores)} innovations "
                        "ranked", title_justify="left")
    for col, just in (("#", "right"), ("case", "left"), ("countries", "left"),
                      ("score", "right"), ("strength x0.40", "right"),
                      ("similarity x0.30", "right"), ("readiness x0.30", "right")):
        table.add_column(col, justify=just, overflow="fold")  # type: ignore[arg-type]
    for i, s in enumerate(shown, start=1):
        p = s.parts
        table.add_row(str(i), escape(s.case_id), " ".join(s.countries), f"{s.score:.1f}",
                      f"{p['strength']:.2f}", f"{p['similarity']:.2f}",
                      f"{p['readiness']:.2f}")
    return table


def _print_details(s: TransferScore, rank: int) -> None:
    out = console.print
    out(f"\n[bold]{rank}. {escape(s.name)}[/] ({escape(s.case_id)}) — score {s.score:.1f}",
        highlight=False)
    st = s.strength
    out(f"  strength {st.score:.2f}: {escape(st.explain())} [{escape(s.case_id)}; sources "
        f"{', '.join(map(str, st.sources)) or 'none'}]", highlight=False)
    out(f"  similarity {s.similarity.score:.2f}: {escape(s.similarity.note)}", highlight=False)
    out(f"  readiness {s.readiness.score:.2f}: {len(s.readiness.gaps)} gap(s)", highlight=False)
    for g in s.readiness.gaps[:4]:
        ids = f" [cases: {len(g.case_ids)}]" if g.case_ids else ""
        out(f"    gap: {escape(g.line())}{ids}", highlight=False)
    if len(s.readiness.gaps) > 4:
        out(f"    ... {len(s.readiness.gaps) - 4} more gap(s) (--format json lists all)",
            highlight=False)
    for r in s.risks[:4]:
        out(f"    risk: {escape(r.line())}", highlight=False)
    if len(s.risks) > 4:
        out(f"    ... {len(s.risks) - 4} more risk(s)", highlight=False)


def _print_questions(q: Questionnaire) -> None:
    out = console.print
    out("[bold]Readiness questionnaire[/] (answers: yes, partly, no, unknown)")
    for key, section in q.sections.items():
        applies = ", ".join(d.value for d in section.domains) or "every innovation"
        out(f"\n[bold]{escape(section.title)}[/] (section {key}; applies to {applies})")
        for question in q.questions:
            if question.section == key:
                cond = f" -> {question.condition.value}" if question.condition else ""
                out(f"  {question.id}{cond}: {escape(question.text)}", highlight=False)
    out("\n[bold]CHW programme functionality[/] (chw_functionality: 1-4)")
    for c in q.components:
        cond = f" -> {c.condition.value}" if c.condition else ""
        out(f"  {c.id}{cond}: {escape(c.text)}", highlight=False)
    out("\nDocuments followed:")
    for key, doc in q.documents.items():
        out(f"  {key}: {escape(doc)}", highlight=False)


def adapt_command(
    iso3: Annotated[str | None, typer.Argument(
        help="ISO3 code of the target country, e.g. MWI.")] = None,
    answers: Annotated[Path | None, typer.Option(
        "--answers", help="YAML or JSON file of readiness answers (see "
                          "data/adapt/answers-example.yaml). Without it, the questions are "
                          "asked on a terminal; otherwise every answer is unknown.")] = None,
    domain: Annotated[list[str] | None, typer.Option(
        "--domain", help="Only innovations of these domain(s), e.g. "
                         "community_health_workers.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000,
                                       help="How many innovations to show.")] = 10,
    fmt: Annotated[RankFormat, typer.Option("--format", help="table or json.")] =
    RankFormat.table,
    questions: Annotated[bool, typer.Option(
        "--questions", help="List the questionnaire (question ids, CHW components, allowed "
                            "answers) and exit.")] = False,
    db: str | None = DB_OPTION,
) -> None:
    """Rank every innovation in the registry by how well it could transfer to a country.

    score = 100 x (0.40 strength + 0.30 similarity + 0.30 readiness), each part in [0, 1].

    strength = 0.4 status + 0.2 lifetime + 0.4 outcomes. Status: running and expanded 1.0,
    stable 0.9, running 0.8, unknown 0.4, contracted or replaced 0.3, ended 0.1, never
    implemented 0. Lifetime: min(years, 10) / 10. Outcomes: mean of direction (improved 1,
    mixed 0.5, no change 0, worsened -1) x evidence (trial 1, quasi-experimental 0.8,
    observational 0.6, descriptive 0.4), at least 0.

    similarity = 1 / (1 + d), d the peer distance from the target to the nearest country of the
    case (standardised log doctors and log nurses-midwives density, income group, WHO region,
    log population).

    readiness = sum(w x r x present) / sum(w x r) over the decisive conditions: w = |failure
    share without - with| x m / (m + 5), m = cases in the smaller group; r = 0.5 if the case
    lasted without the condition, else 1; present = the answers' state (unknown = 0.5).

    Each line shows the parts, the readiness gaps, the risks (failure factors where it or
    similar innovations died out) and the cases and source numbers behind them.
    """
    q = bundled_questionnaire()
    if questions:
        _print_questions(q)
        return
    if iso3 is None:
        fail("ISO3: give the target country's code, e.g. 'hrh-lessons adapt MWI'")
    code = _check_iso3(iso3)
    wanted = _domains(domain)
    given = _load_answers(answers, code, q)
    cases = _cases(db, required=True)
    if not cases:
        fail("the registry database holds no cases; import them first: hrh-lessons import "
             "--bundled")
    try:
        ranking = rank_innovations(cases, load_reference(), code, given, q, domains=wanted,
                                   detail=limit)
    except HRHError as exc:
        fail_from(exc)
    if fmt is RankFormat.json:
        _echo_json(ranking.to_dict(limit=limit))
        return
    shown = ranking.top(limit)
    console.print(_score_table(ranking, shown))
    console.print(f"Answers: {escape(given.source)} ({given.answered} answered). "
                  f"{escape(ranking.formula)}.", highlight=False)
    for i, s in enumerate(shown, start=1):
        _print_details(s, i)


# --------------------------------------------------------------------------------------------
# pilot


def _plan_markdown(plan: PilotPlan) -> str:
    lines = [f"# Pilot and scale-up plan: {plan.case_name} in {plan.country}", "",
             f"Case `{plan.case_id}`. {plan.description}", "",
             "Checklist in the spirit of WHO and ExpandNet, _Beginning with the end in mind_ "
             "(2011); evidence from the case records of HRH Lessons.", "",
             f"- Strength of the record: {plan.strength.score:.2f} "
             f"({plan.strength.explain()})",
             f"- Similarity of context: {plan.similarity.score:.2f} ({plan.similarity.note})",
             f"- Readiness of {plan.country}: {plan.readiness.score:.2f} "
             f"({len(plan.readiness.gaps)} gap(s))", ""]
    for s in plan.sections:
        lines += [f"## {s.title}", ""]
        lines += [f"- [ ] {p}" for p in s.prompts]
        lines += [f"- Evidence: {e} [`{plan.case_id}`]" for e in s.evidence]
        for g in s.gaps:
            ids = f" [{len(g.case_ids)} cases]" if g.case_ids else ""
            lines.append(f"- Readiness gap: {g.line()}{ids}")
        if s.key == "measure":
            for m in plan.measures:
                values = " -> ".join(v for v in (m.baseline, m.followup) if v)
                lines.append(f"- Measure: {m.indicator} ({m.building_block.replace('_', ' ')}; "
                             f"{m.direction}, {m.evidence}"
                             + (f"; {values}" if values else "")
                             + f") [`{plan.case_id}`, source {m.source}]")
            if not plan.measures:
                lines.append("- Measure: the case records no outcome indicator; choose them "
                             "with the pilot's owners")
        if s.key == "scale":
            lines += [f"- Failure factor of this case: {f} [`{plan.case_id}`]"
                      for f in plan.own_failure_factors]
            lines += [f"- Seen where a similar innovation did not last: {r.line()}"
                      for r in plan.risks]
        lines.append("")
    lines += ["## Workforce projection", ""]
    if plan.projection_note:
        lines.append(f"- {plan.projection_note}")
    for p in plan.projections:
        lines.append(f"### {p.cadre.replace('_', ' and ')} (from: {', '.join(p.matched)})")
        if p.projection is None:
            lines += [f"- not projected: {p.unavailable}", ""]
            continue
        lines.append(f"- {p.projection.summary()}")
        lines.append(f"- Target: {p.target_density:.2f} per 10,000 ({p.target_basis})")
        if p.target_stock is not None and p.shortfall is not None:
            lines.append(f"- Stock the target needs in {p.projection.years[-1]}: "
                         f"{p.target_stock:,.0f}; projected {p.projection.stock[-1]:,.0f}; "
                         f"short by {max(p.shortfall, 0):,.0f}")
        lines.append("- Constant yearly intake to reach the target by "
                     f"{p.projection.years[-1]}: "
                     + ("none can (trainees graduate too late)" if p.required_intake is None
                        else f"{p.required_intake:,.0f}"))
        lines += [f"- Derived: {d}" for d in p.derivations]
        lines += [f"- Assumed: {a}" for a in p.assumptions]
        lines.append("")
    lines += ["## Sources of the case", ""] + [f"- {s}" for s in plan.sources]
    return "\n".join(lines) + "\n"


def pilot_command(
    iso3: Annotated[str, typer.Argument(help="ISO3 code of the target country, e.g. MWI.")],
    case_id: Annotated[str, typer.Argument(
        help="Case id of the innovation to pilot, e.g. mwi-health-surveillance-assistants.")],
    answers: Annotated[Path | None, typer.Option(
        "--answers", help="YAML or JSON file of readiness answers; its 'projection' section "
                          "gives the workforce projection's parameters.")] = None,
    fmt: Annotated[ReportFormat, typer.Option(
        "--format", help="md (a checklist), html (a standalone page) or json.")] =
    ReportFormat.md,
    start: Annotated[int | None, typer.Option(
        "--start", help="First year of the workforce projection (default: this year).")] = None,
    db: str | None = DB_OPTION,
) -> None:
    """A pilot and scale-up plan for one innovation in one country: who owns it, financing after
    the pilot, fit with existing systems, what to measure, how to document, how to scale —
    filled with the case's evidence, the country's readiness gaps, failure factors seen
    elsewhere and a workforce projection for the case's cadre (doctors, nurses and midwives or
    CHWs; said when none applies)."""
    code = _check_iso3(iso3)
    q = bundled_questionnaire()
    given = _load_answers(answers, code, q)
    cases = _cases(db, required=True)
    case = next((c for c in cases if c.id == case_id.strip()), None)
    if case is None:
        fail(f"CASE_ID: no case with id '{case_id}' in the registry; 'hrh-lessons search' or "
             f"'hrh-lessons adapt {code}' list the ids")
    try:
        plan = pilot_plan(case, cases, load_reference(), code, given, q,
                          start=start if start is not None else dt.date.today().year)
    except HRHError as exc:
        fail_from(exc)
    if fmt is ReportFormat.json:
        _echo_json(plan.to_dict())
        return
    md = _plan_markdown(plan)
    if fmt is ReportFormat.md:
        typer.echo(md)
        return
    typer.echo(_markdown_to_html(md.replace("- [ ] ", "- ☐ "),
                                 f"Pilot plan: {plan.case_name} in {plan.country}"))


def register(app: typer.Typer) -> None:
    app.command("country")(country_command)
    app.command("adapt")(adapt_command)
    app.command("pilot")(pilot_command)

