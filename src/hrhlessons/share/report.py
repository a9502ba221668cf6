"""The synthesis report rendered as Markdown, HTML (a page or a fragment to embed) and JSON.

All three come from one :class:`~hrhlessons.synthesis.report.SynthesisReport` and one list of
figures (:func:`report_figures`): this module only formats. In HTML every case id links to the
case (an anchor in the report's list of cases, or a page the caller names through ``case_url``)
and is followed by the numbers of the sources behind the claim, each linking to the source.

Figures: Kaplan–Meier curves with at-risk counts (overall, by domain, by the most informative
grouping), factor bars, the gap-map heat map and, when there is a QCA result, its terms. The HTML
holds them inline as SVG; :func:`write_report` also writes each as SVG and PNG into
``out/figures``, which the Markdown links to.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from matplotlib.figure import Figure

from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import BuildingBlock
from hrhlessons.errors import UnknownCountry
from hrhlessons.share.figures import inline_svg, qca_terms, svg_text, write_figure
from hrhlessons.synthesis.factorplots import factor_bars, gap_map_heatmap
from hrhlessons.synthesis.frame import IncomeLookup, RegionLookup
from hrhlessons.synthesis.gapmap import DIRECTIONS
from hrhlessons.synthesis.report import (
    GROUPING_LABELS,
    SECTIONS,
    Claim,
    ReportOptions,
    SynthesisReport,
    build_report,
    fmt_p,
)
from hrhlessons.synthesis.survplots import plot_curves

FORMATS: tuple[str, ...] = ("md", "html", "json")
#: Case ids named in a claim before the rest are folded away.
MAX_NAMED = 12

CaseUrl = Callable[[str], str]


def anchor_url(case_id: str) -> str:
    return f"#case-{case_id}"


# ----------------------------------------------------------------------------- lookups


def reference_lookups() -> tuple[RegionLookup, IncomeLookup]:
    """WHO region and income group (in a year) from the bundled reference data; ``None`` for a
    code the reference does not know."""
    from hrhlessons.reference import load_reference

    ref = load_reference()

    def region_of(iso3: str) -> str | None:
        try:
            return ref.meta(iso3).who_region
        except UnknownCountry:
            return None

    def income_of(iso3: str, year: int) -> str | None:
        try:
            return ref.income_group_in(iso3, year)
        except UnknownCountry:
            return None

    return region_of, income_of


def registry_report(cases: Iterable[Case], options: ReportOptions | None = None
                    ) -> SynthesisReport:
    """:func:`~hrhlessons.synthesis.report.build_report` with the bundled reference lookups and
    the reviewed factor vocabulary and mapping: what the CLI and the web call."""
    from hrhlessons.factor_data import load_mapping, load_vocabulary

    region_of, income_of = reference_lookups()
    vocabulary = load_vocabulary()
    return build_report(cases, options, region_of=region_of, income_of=income_of,
                        vocabulary=vocabulary, mapping=load_mapping(vocabulary=vocabulary))


# ----------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class ReportFigure:
    name: str
    section: str
    caption: str
    figure: Figure = field(repr=False, compare=False)


def report_figures(report: SynthesisReport) -> tuple[ReportFigure, ...]:
    """Every figure of the report, in the order of its sections."""
    out: list[ReportFigure] = []
    surv = report.survival
    if surv is not None:
        o = surv.overall
        out.append(ReportFigure(
            "km_overall", "survival",
            f"Share of programmes still running by years since start, all {o.n} programmes "
            f"with a known lifetime ({o.method.replace('_', '-')}); numbers below: programmes "
            "known to be still running at each time.",
            plot_curves([o], title="All programmes")))
        groupings = ["domain"] + ([report.informative] if report.informative
                                  and report.informative != "domain" else [])
        for g in groupings:
            try:
                comp = surv.comparison(g)
            except KeyError:
                continue
            if not comp.curves:
                continue
            label = GROUPING_LABELS.get(g, g.replace("_", " "))
            test = (f" (log-rank {fmt_p(comp.logrank.p_value)})" if comp.logrank else "")
            why = "" if g == "domain" else ", the grouping with the clearest difference"
            out.append(ReportFigure(
                f"km_{g}", "survival",
                f"Survival by {label}{why}{test}; numbers below: programmes known to be still "
                "running.",
                plot_curves(comp.curves, title=f"By {label}")))
    if report.factors.why_die_out or report.factors.survivors_share:
        out.append(ReportFigure(
            "factor_bars", "factors",
            "Share of programmes that died out naming each failure factor, and of survivors "
            "naming each success factor, against the other group (grey); labels: cases and "
            "confidence.", factor_bars(report.factors, top=max(report.options.top_factors, 8))))
    if report.qca is not None and (report.qca.parsimonious.models or any(
            s.models for s in report.qca.intermediate or ())):
        out.append(ReportFigure(
            "qca_terms", "configurations",
            "Consistency and coverage of each configuration in the solution.",
            qca_terms(report.qca)))
    if report.gaps.cells:
        out.append(ReportFigure(
            "gap_map", "gaps",
            "Cases per intervention tag and WHO building block; an empty cell is a gap.",
            gap_map_heatmap(report.gaps)))
    return tuple(out)


# ----------------------------------------------------------------------------- view model


@dataclass(frozen=True)
class TableView:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass
class SectionView:
    key: str
    title: str
    claims: list[Claim] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)
    figures: list[ReportFigure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _counts_table(caption: str, counts: dict[str, int]) -> TableView:
    return TableView(caption, ("", "cases"), tuple((k.replace("_", " "), str(v))
                                                  for k, v in counts.items()))


def _f(x: float, digits: int = 2) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _tables(report: SynthesisReport) -> dict[str, list[TableView]]:
    cov = report.coverage
    out: dict[str, list[TableView]] = {k: [] for k in SECTIONS}
    out["coverage"] += [_counts_table("Cases by domain", cov.by_domain),
                        _counts_table("Cases by outcome", cov.by_outcome),
                        _counts_table("Cases by WHO region (once per case and region)",
                                      cov.by_region),
                        _counts_table("Cases by decade of start", cov.by_decade)]
    surv = report.survival
    if surv is not None:
        rows = []
        for comp in sorted((c for c in surv.comparisons if c.logrank),
                           key=lambda c: c.logrank.p_value if c.logrank else 1.0):
            t = comp.logrank
            assert t is not None
            rows.append((comp.grouping.replace("_", " "),
                         "; ".join(f"{g} {n} ({e} ended)"
                                   for g, n, e in zip(t.groups, t.n, t.events, strict=True)),
                         f"{t.statistic:.2f} on {t.df} df", fmt_p(t.p_value)))
        out["survival"].append(TableView("Log-rank tests, clearest difference first",
                                         ("grouping", "groups: n (ended)", "chi-square", "p"),
                                         tuple(rows)))
        if surv.cox is not None:
            out["survival"].append(TableView(
                f"Cox model of the recorded conditions ({surv.cox.n} programmes, "
                f"{surv.cox.events} ended; hazard ratio above 1: ended sooner)",
                ("term", "hazard ratio", "95% CI", "p"),
                tuple((t.name.replace("_", " "), _f(t.hazard_ratio),
                       f"{_f(t.hr_lower)}-{_f(t.hr_upper)}", fmt_p(t.p_value))
                      for t in sorted(surv.cox.terms, key=lambda t: t.p_value))))
    for title, findings in (("Why innovations die out: failure factors of programmes that "
                             "died out", report.factors.why_die_out),
                            ("What the survivors share: success factors of survivors",
                             report.factors.survivors_share)):
        out["factors"].append(TableView(
            title, ("#", "factor", "cases", "share", "other group", "confidence", "why"),
            tuple((str(i), f.label, f"{f.n_cases} of {f.group_size}", f"{100 * f.share:.0f}%",
                   f"{100 * f.contrast_share:.0f}%", f.confidence.rating.value,
                   "; ".join(f.confidence.reasons))
                  for i, f in enumerate(findings[: report.options.top_factors * 2], 1))))
    if report.qca is not None:
        tt = report.qca.truth_table
        out["configurations"].append(TableView(
            f"Truth table of '{tt.outcome_label}'",
            ("row", *(c.replace("_", " ") for c in tt.conditions), "OUT", "n", "consistency",
             "cases"),
            tuple((str(r.row), *map(str, r.values), r.out, str(r.n), _f(r.consistency),
                   ", ".join(r.cases)) for r in tt.rows)))
    block_rows: list[tuple[str, ...]] = []
    for block in BuildingBlock:
        cell = report.blocks.blocks.get(block)
        if cell is None:
            block_rows.append((block.label, "0", "", "", "", "", "-", "-", "no case"))
            continue
        block_rows.append((block.label, str(cell.n_cases),
                           *(str(cell.n_outcomes(d)) for d in DIRECTIONS),
                           cell.modal_direction.value.replace("_", " ")
                           if cell.modal_direction else "-",
                           cell.best_evidence.value.replace("_", "-")
                           if cell.best_evidence else "-",
                           cell.confidence.rating.value))
    out["outcomes"].append(TableView(
        "Outcomes by building block (outcome counts by direction)",
        ("building block", "cases", *(d.value.replace("_", " ") for d in DIRECTIONS),
         "mostly", "best evidence", "confidence"), tuple(block_rows)))
    return out


def sections(report: SynthesisReport, figures: Sequence[ReportFigure]) -> list[SectionView]:
    """The report's sections with their claims, tables, figures and notes, in order."""
    tables = _tables(report)
    out = []
    for key, title in SECTIONS.items():
        if key == "configurations" and report.qca is None and not report.notes.get(key):
            continue
        out.append(SectionView(
            key, title, list(report.claims_in(key)), tables[key],
            [f for f in figures if f.section == key], list(report.notes.get(key, ()))))
    return out


def _selection_text(report: SynthesisReport) -> str:
    sel = report.options.selection
    if not sel:
        return "all cases in the registry"
    return "; ".join(f"{k.replace('_', ' ')}: {', '.join(v)}" for k, v in sel)


# ----------------------------------------------------------------------------- rendering


def _env() -> Environment:
    env = Environment(loader=PackageLoader("hrhlessons.share", "templates"),
                      autoescape=select_autoescape(["html.j2", "html"], default_for_string=False),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["label"] = lambda s: str(s).replace("_", " ")
    return env


_ENV: Environment | None = None


def env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = _env()
    return _ENV


def css(name: str = "report.css") -> str:
    """A stylesheet of the templates folder, as text (for inlining)."""
    return env().loader.get_source(env(), name)[0]  # type: ignore[union-attr]


def _case_links_html(claim: Claim, report: SynthesisReport, case_url: CaseUrl,
                     max_named: int) -> Markup:
    def bare(case_id: str) -> str:
        return f'<a class="case" href="{escape(case_url(case_id))}">{escape(case_id)}</a>'

    def one(case_id: str) -> str:
        ref = report.cases.get(case_id)
        link = bare(case_id)
        nums = claim.sources_of(case_id)
        if not nums or ref is None:
            return link
        parts = []
        for n in nums:
            src = ref.sources[n - 1] if 0 < n <= len(ref.sources) else None
            title = escape(src.title) if src else ""
            if src is not None and src.url:
                parts.append(f'<a class="src" href="{escape(src.url)}" title="{title}">{n}</a>')
            else:
                parts.append(f'<span class="src" title="{title}">{n}</span>')
        return f'{link}<sup>[{", ".join(parts)}]</sup>'

    named = list(claim.named)
    rest = [i for i in claim.case_ids if i not in set(named)]
    if not named and not rest:
        return Markup("")
    html = ""
    if named:
        shown, folded = named[:max_named], named[max_named:]
        html += "cases: " + ", ".join(one(i) for i in shown)
        if folded:
            html += (f' <details><summary>and {len(folded)} more</summary>'
                     + ", ".join(one(i) for i in folded) + "</details>")
    if rest:
        lead = "; also rests on" if named else "rests on"
        html += (f' <details class="rest"><summary>{lead} {len(rest)} '
                 f'{"more " if named else ""}case(s)</summary>'
                 + ", ".join(bare(i) for i in rest) + "</details>")
    return Markup(html)


def _case_links_md(claim: Claim, max_named: int) -> str:
    def one(case_id: str) -> str:
        nums = claim.sources_of(case_id)
        return (f"[{case_id}](#case-{case_id})"
                + (f" [{', '.join(map(str, nums))}]" if nums else ""))

    named = list(claim.named)
    rest = len([i for i in claim.case_ids if i not in set(named)])
    parts = []
    if named:
        text = "cases: " + ", ".join(one(i) for i in named[:max_named])
        if len(named) > max_named:
            text += f" and {len(named) - max_named} more"
        parts.append(text)
    if rest:
        parts.append(f"{'also ' if named else ''}rests on {rest} {'more ' if named else ''}"
                     "case(s)")
    if parts:
        parts[-1] += " (every case id in report.json)" if (
            rest or len(named) > max_named) else ""
    return "; ".join(parts)


def _context(report: SynthesisReport, figures: Sequence[ReportFigure], *, case_url: CaseUrl,
             max_named: int, svgs: dict[str, str] | None = None) -> dict[str, Any]:
    cited = sorted({i for c in report.claims for i in (*c.named, *c.case_ids)})
    numbers = {r.key: i for i, r in enumerate(report.references, start=1)}
    return {
        "r": report,
        "title": report.options.title,
        "selection": _selection_text(report),
        "sections": sections(report, figures),
        "key_claims": report.key_claims(),
        "svgs": svgs or {},
        "cases": [report.cases[i] for i in cited if i in report.cases],
        "links_html": lambda c: _case_links_html(c, report, case_url, max_named),
        "links_md": lambda c: _case_links_md(c, max_named),
        "methods_html": [_cite_html(m, numbers) for m in report.methods],
        "methods_md": [_cite_md(m, numbers) for m in report.methods],
    }


_CITE = re.compile(r"\[([a-z0-9-]+)\]")


def _cite_html(text: str, numbers: dict[str, int]) -> Markup:
    def sub(m: re.Match[str]) -> str:
        n = numbers.get(m.group(1))
        return m.group(0) if n is None else f'<a href="#ref-{m.group(1)}">[{n}]</a>'
    return Markup(_CITE.sub(sub, str(escape(text))))


def _cite_md(text: str, numbers: dict[str, int]) -> str:
    return _CITE.sub(lambda m: f"[{numbers[m.group(1)]}]" if m.group(1) in numbers
                     else m.group(0), text)


def _svgs(figures: Iterable[ReportFigure], drawn: dict[str, str],
          prefix: str = "fig") -> dict[str, str]:
    return {f.name: inline_svg(drawn.get(f.name)
                               or svg_text(f.figure, name=f.name, text_as_paths=False),
                               f"{prefix}-{f.name}", title=f.caption) for f in figures}


def render_fragment(report: SynthesisReport, *, figures: Sequence[ReportFigure] | None = None,
                    case_url: CaseUrl = anchor_url, max_named: int = MAX_NAMED,
                    svgs: dict[str, str] | None = None) -> str:
    """The report body as an HTML fragment (figures inline as SVG), for a page to embed.

    ``case_url`` maps a case id to its link (default: the anchor of the case in the list at the
    end of the report; the web passes its case pages). ``svgs`` maps a figure name to SVG text
    already drawn (else each figure is drawn here).
    """
    figs = report_figures(report) if figures is None else figures
    ctx = _context(report, figs, case_url=case_url, max_named=max_named,
                   svgs=_svgs(figs, svgs or {}))
    return env().get_template("report_body.html.j2").render(**ctx)


def render_html(report: SynthesisReport, *, figures: Sequence[ReportFigure] | None = None,
                case_url: CaseUrl = anchor_url, max_named: int = MAX_NAMED,
                svgs: dict[str, str] | None = None) -> str:
    """A standalone HTML page: the fragment with its stylesheet inline, no external request."""
    body = render_fragment(report, figures=figures, case_url=case_url, max_named=max_named,
                           svgs=svgs)
    return env().get_template("report.html.j2").render(
        title=report.options.title, body=Markup(body), css=Markup(css()))


def render_markdown(report: SynthesisReport, *, figures: Sequence[ReportFigure] | None = None,
                    figures_dir: str = "figures", max_named: int = MAX_NAMED) -> str:
    """Markdown; figures are linked as ``{figures_dir}/<name>.png`` (and .svg beside it)."""
    figs = report_figures(report) if figures is None else figures
    ctx = _context(report, figs, case_url=anchor_url, max_named=max_named)
    return env().get_template("report.md.j2").render(figures_dir=figures_dir, **ctx)


def render_json(report: SynthesisReport, *, figures: Sequence[ReportFigure] = (),
                figures_dir: str = "figures") -> str:
    """The report's data as JSON, with the figure files it was drawn into."""
    data = report.to_dict()
    data["figures"] = [{"name": f.name, "section": f.section, "caption": f.caption,
                        "svg": f"{figures_dir}/{f.name}.svg",
                        "png": f"{figures_dir}/{f.name}.png"} for f in figures]
    return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)


def write_report(report: SynthesisReport, out: Path, formats: Iterable[str] = FORMATS
                 ) -> list[Path]:
    """Write ``report.<fmt>`` for each format and every figure as SVG and PNG into
    ``out/figures``; return the paths written. Raises ``ValueError`` for an unknown format."""
    wanted = list(dict.fromkeys(formats))
    bad = [f for f in wanted if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown report format(s) {', '.join(bad)}; choose from "
                         f"{', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    figs = report_figures(report)
    written: list[Path] = []
    drawn: dict[str, str] = {}
    for f in figs:
        files = write_figure(f.figure, out / "figures", f.name)
        drawn[f.name] = files.svg.read_text(encoding="utf-8")
        written += [files.svg, files.png]
    renderers: dict[str, Callable[[], str]] = {
        "md": lambda: render_markdown(report, figures=figs),
        "html": lambda: render_html(report, figures=figs, svgs=drawn),
        "json": lambda: render_json(report, figures=figs),
    }
    for fmt in wanted:
        path = out / f"report.{fmt}"
        path.write_text(renderers[fmt](), encoding="utf-8")
        written.append(path)
    return written
