"""The synthesis page, the full synthesis report, the adaptation wizard and the pilot plan.

Each route parses its query (the case browser's facets, or a country and the readiness
answers), calls one function of :mod:`hrhlessons.web.synthesis` (which calls the library) and
renders a template. All forms use GET, so every result has an address to share and works
without JavaScript.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from hrhlessons.cases.vocab import KNOWN_DOMAINS, BuildingBlock, Domain, Intervention
from hrhlessons.reference import load_reference
from hrhlessons.store.search import SearchQuery, SearchResult
from hrhlessons.synthesis.gapmap import DIRECTIONS
from hrhlessons.web import charts, stats, views
from hrhlessons.web import synthesis as synth
from hrhlessons.web.app import html
from hrhlessons.web.i18n import gettext as _

router = APIRouter(include_in_schema=False)

#: Heat-map shades, lightest first (ColorBrewer Blues), and the text colour readable on each.
SHADES = ("#deebf7", "#9ecae1", "#4292c6", "#08519c")
SHADE_TEXT = ("#1a1a1a", "#1a1a1a", "#1a1a1a", "#ffffff")  # contrast >= 4.5:1 on each


def _engine(request: Request) -> Any:
    return request.app.state.engine


def survival_chart(curve: Any) -> charts.Chart:
    steps: list[tuple[float, float]] = []
    lows: list[tuple[float, float]] = []
    highs: list[tuple[float, float]] = []
    prev = None
    for t, s, lo, hi in zip(curve.times, curve.survival, curve.lower, curve.upper, strict=True):
        if prev is not None:  # a step: hold the previous value up to this time
            steps.append((t, prev[0]))
            lows.append((t, prev[1]))
            highs.append((t, prev[2]))
        steps.append((t, s))
        lows.append((t, lo))
        highs.append((t, hi))
        prev = (s, lo, hi)
    return charts.Chart(
        title=_("Share of programmes still running, by years since start"),
        description=_("Survival curve with its 95% CI; the numbers are in the text."),
        x_label=_("years since start"), y_label=_("share still running"),
        lines=[charts.Line(_("survival"), steps, "#08519c", markers=False)],
        bands=[charts.Band(_("95% CI"), lows, highs, "#c6dbef")])


def _colour_index(i: int, k: int) -> int:
    """The shade of bin ``i`` of ``k``: spread over the four shades, darkest for the top bin."""
    return len(SHADES) - 1 if k <= 1 else round(i * (len(SHADES) - 1) / (k - 1))


def heat_bins(levels: tuple[int, ...]) -> list[tuple[int, int, int]]:
    """(shade index, low, high) of each bin of the heat map."""
    lows = (1, *(top + 1 for top in levels[:-1]))
    return [(_colour_index(i, len(levels)), low, high)
            for i, (low, high) in enumerate(zip(lows, levels, strict=True))]


def _shade(n: int, bins: list[tuple[int, int, int]]) -> int:
    return next((shade for shade, _low, high in bins if n <= high), bins[-1][0])


def _selection_query(sel: synth.Selection, **extra: str) -> str:
    return urlencode([*sel.pairs, *extra.items()])


@router.get("/synthesis", response_class=HTMLResponse)
def synthesis(request: Request) -> Response:
    engine = _engine(request)
    sel = synth.selection(engine, request.query_params)
    report = synth.report_for(engine, sel)
    ref = load_reference()
    chart = None
    if report is not None and report.survival is not None:
        chart = charts.render(survival_chart(report.survival.overall))
    bins = heat_bins(synth.gap_levels(report) if report is not None else (1,))
    by_case = {c.id: c for c in sel.cases}

    def factor_sources(case_id: str) -> tuple[int, ...]:
        case = by_case.get(case_id)
        return synth.lifetime_sources(case) if case else ()

    def block_sources(block: BuildingBlock) -> Any:
        def sources(case_id: str) -> tuple[int, ...]:
            case = by_case.get(case_id)
            return synth.outcome_sources(case, block) if case else ()
        return sources
    base = _selection_query(sel)
    report_url = "/synthesis/report" + (f"?{base}" if base else "")
    country_options = sorted(((iso3, views.country_name(ref, iso3), n)
                              for iso3, n in stats.country_counts(engine).items()),
                             key=lambda r: r[1])
    return html(request, "synthesis.html", {
        "sel": sel, "q": sel.query, "r": report, "by_id": by_case, "survival_chart": chart,
        "crosstab": synth.crosstab(sel), "directions": DIRECTIONS,
        "blocks": list(BuildingBlock), "gap_rows": synth.gap_rows(report) if report else [],
        "legend": [(SHADES[i], low, high) for i, low, high in bins], "shades": SHADES,
        "shade_text": SHADE_TEXT, "shade": lambda n: _shade(n, bins),
        "factor_sources": factor_sources, "block_sources": block_sources,
        "finite": lambda x: x is not None and math.isfinite(x),
        "cases_url": lambda **kw: "/cases?" + urlencode([*sel.pairs, *kw.items()]),
        "base_query": base, "counts": stats.facet_counts(engine),
        "country_options": country_options, "domains": list(Domain),
        "interventions": list(Intervention),
        "name_of": lambda iso3: views.country_name(ref, iso3),
        "report_url": report_url, "more_url": None if request.app.state.static else report_url,
        # the static copy holds the brief of the whole registry only (PDFs take a second each)
        "brief": (None if request.app.state.static and base
                  else _brief_links("/synthesis/brief", base)),
    })


@router.get("/synthesis/report", response_class=HTMLResponse)
def synthesis_report(request: Request) -> Response:
    """The full synthesis report (the same HTML ``hrh-lessons synthesize`` writes), embedded in
    the site, each case linking to its page."""
    engine = _engine(request)
    sel = synth.selection(engine, request.query_params)
    report = synth.report_for(engine, sel)
    fragment, problem, css = None, None, None
    if report is not None:
        fragment, problem = synth.report_fragment(report)
        css = synth.report_css() if fragment else None
    base = _selection_query(sel)
    return html(request, "synthesis_report.html", {
        "sel": sel, "r": report, "problem": problem,
        "fragment": Markup(fragment) if fragment else None,
        "report_css": Markup(css) if css else None,
        "back_url": "/synthesis" + (f"?{base}" if base else "")})


def _brief_links(stem: str, query: str) -> dict[str, str] | None:
    from hrhlessons.web import briefs

    if not briefs.available():
        return None
    suffix = f"?{query}" if query else ""
    return {"pdf": f"{stem}.pdf{suffix}", "html": f"{stem}.html{suffix}"}


# ----- the adaptation wizard --------------------------------------------------------------

@router.get("/adapt", response_class=HTMLResponse)
def adapt(request: Request) -> Response:
    ref = load_reference()
    engine = _engine(request)
    query = request.query_params
    iso3 = synth.country_code(ref, query.get("country"))
    domains, limit = synth.adapt_options(query)
    answers = synth.answers_from_query(query, iso3 or "")
    q = synth.questionnaire()
    country_options = sorted(((code, views.country_name(ref, code))
                              for code, m in ref.all_meta().items() if m.who_region),
                             key=lambda r: r[1])
    context: dict[str, Any] = {
        "country_options": country_options, "iso3": iso3, "questionnaire": q,
        "answers": answers, "choices": synth.answer_choices(),
        "scores": synth.component_scores(), "domains": KNOWN_DOMAINS,
        "chosen_domains": [d.value for d in domains], "limit": limit,
        "adapt_max": synth.ADAPT_MAX}
    if iso3:
        detail = views.country_detail(engine, ref, iso3)
        meta = detail["profile"].meta
        peers: SearchResult | None = None
        if meta is not None and meta.who_region and meta.income_group:
            peers_q = SearchQuery(region=(meta.who_region,), income=(meta.income_group,),
                                  status=("active",), sort="name", limit=10)
            peers = views.case_list(engine, peers_q)
        ranked, by_id = synth.ranking(engine, ref, iso3, answers, domains, limit)
        carry = urlencode(synth.answer_pairs(answers))
        context.update(
            detail=detail, peers=peers, meta=meta, ranking=ranked, shown=ranked.top(limit),
            by_id=by_id, weights=sorted(ranked.weights.values(),
                                        key=lambda w: (-w.weight, w.condition.value)),
            pilot_url=lambda case_id: f"/adapt/{iso3}/pilot/{case_id}"
                                      + (f"?{carry}" if carry else ""),
            name_of=lambda code: views.country_name(ref, code))
    return html(request, "adapt.html", context)


@router.get("/adapt/{iso3}/pilot/{case_id}", response_class=HTMLResponse)
def pilot(request: Request, iso3: str, case_id: str) -> Response:
    ref = load_reference()
    code = synth.country_code(ref, iso3) or ""
    answers = synth.answers_from_query(request.query_params, code)
    plan, case = synth.plan(_engine(request), ref, code, case_id, answers)
    carry = urlencode([("country", code), *synth.answer_pairs(answers)])
    return html(request, "pilot.html", {
        "plan": plan, "case": case, "answers": answers, "back_url": f"/adapt?{carry}",
        "name_of": lambda c: views.country_name(ref, c)})
