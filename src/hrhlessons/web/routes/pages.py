"""HTML pages: home, case browser and case page, countries, projection (the synthesis page and
the adaptation wizard are in :mod:`.analysis`).

Each route parses its parameters, calls one function of :mod:`hrhlessons.web.views` and renders
a template; the same data has a JSON twin under ``/api/v1`` and, where it is a table, a CSV.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hrhlessons.adapt.projection import CADRES
from hrhlessons.countries.vocab import SDG_THRESHOLD, WHR2006_THRESHOLD
from hrhlessons.reference import load_reference
from hrhlessons.web import charts, params, stats, views, worldmap
from hrhlessons.web.app import html
from hrhlessons.web.i18n import gettext as _
from hrhlessons.web.problems import BadParams

router = APIRouter(include_in_schema=False)

#: Cases a case list of the static site shows on its one page.
STATIC_LIMIT = 10_000

#: Colours of the density chart (ColorBrewer Dark2, distinguishable in print and for most
#: colour-vision deficiencies; each line also has its own marker legend and table).
COLOURS = {"doctors": "#1b9e77", "nurses_midwives": "#7570b3", "combined": "#000000",
           "chws": "#d95f02"}


def _engine(request: Request) -> Any:
    return request.app.state.engine


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    data = views.home(_engine(request))
    ref = load_reference()
    counts = data["by_country"]
    world = worldmap.choropleth(
        counts,
        link=lambda iso3: f"/cases?country={iso3}",
        title=lambda iso3, name, n: _("{country}: {n} innovation(s)").format(
            country=views.country_name(ref, iso3) if iso3 else name, n=n),
        label=_("Map of innovations by country"))
    classes = worldmap.bins(counts)
    legend = [(worldmap.SCALE[i], low, high) for i, (low, high) in enumerate(classes)]
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    countries = [(iso3, views.country_name(ref, iso3), n) for iso3, n in top]
    return html(request, "home.html", {**data, "map": world, "legend": legend,
                                       "no_cases_colour": worldmap.NO_CASES,
                                       "countries": countries})


@router.get("/cases", response_class=HTMLResponse)
def cases(request: Request) -> Response:
    q = params.search_query(request.query_params)
    if request.app.state.static:  # a static copy cannot page: every match on one page
        q = dataclasses.replace(q, limit=STATIC_LIMIT, offset=0)
    result = views.case_list(_engine(request), q)
    ref = load_reference()
    pages = _pages(q.offset, q.limit, result.total)
    country_options = sorted(((iso3, views.country_name(ref, iso3), n)
                              for iso3, n in stats.country_counts(_engine(request)).items()),
                             key=lambda r: r[1])
    return html(request, "cases.html", {
        "q": q, "result": result, "pages": pages,
        "counts": stats.facet_counts(_engine(request)), "country_options": country_options,
        "api_url": "/api/v1/cases?" + _query(params.search_params(q)),
        "csv_url": "/cases.csv?" + _query(params.search_params(q, limit=None, offset=None)),
        "name_of": lambda iso3: views.country_name(ref, iso3),
    })


def _query(pairs: list[tuple[str, str]]) -> str:
    from urllib.parse import urlencode

    return urlencode(pairs)


def _pages(offset: int, limit: int, total: int) -> dict[str, Any]:
    current = offset // limit + 1
    last = max((total - 1) // limit + 1, 1)
    return {"current": current, "last": last,
            "prev": offset - limit if offset > 0 else None,
            "next": offset + limit if offset + limit < total else None,
            "first_shown": offset + 1 if total else 0, "last_shown": min(offset + limit, total)}


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case(request: Request, case_id: str) -> Response:
    data = views.case_detail(_engine(request), case_id)
    ref = load_reference()
    names = {iso3: views.country_name(ref, iso3) for iso3 in data["case"].countries}
    return html(request, "case.html", {**data, "names": names,
                                       "name_of": lambda iso3: views.country_name(ref, iso3)})


@router.get("/countries", response_class=HTMLResponse)
def countries(request: Request) -> Response:
    rows = views.country_rows(_engine(request), load_reference())
    return html(request, "countries.html", {"rows": rows, "sdg": SDG_THRESHOLD,
                                            "whr": WHR2006_THRESHOLD})


def density_chart(detail: dict[str, Any]) -> charts.Chart:
    series = detail["series"]
    names = {"doctors": _("Medical doctors"), "nurses_midwives": _("Nurses and midwives"),
             "combined": _("Doctors, nurses and midwives"), "chws": _("Community health workers")}
    lines = [charts.Line(names[k], series[k], COLOURS[k], width=3 if k == "combined" else 2)
             for k in ("combined", "doctors", "nurses_midwives", "chws") if series[k]]
    rules = [charts.Rule(_("SDG threshold {v}").format(v=SDG_THRESHOLD), SDG_THRESHOLD,
                         "#b2182b"),
             charts.Rule(_("WHR 2006 threshold {v}").format(v=WHR2006_THRESHOLD),
                         WHR2006_THRESHOLD, "#ef8a62", dash="2 3")]
    return charts.Chart(
        title=_("Health workers per 10,000 population, {country}").format(
            country=detail["name"]),
        description=_("Densities by year from the WHO Global Health Observatory, with the "
                      "44.5 and 22.8 thresholds; the table below gives every value."),
        x_label=_("year"), y_label=_("per 10,000"), lines=lines, rules=rules)


@router.get("/countries/{iso3}", response_class=HTMLResponse)
def country(request: Request, iso3: str) -> Response:
    ref = load_reference()
    detail = views.country_detail(_engine(request), ref, iso3)
    chart = density_chart(detail)
    has_data = any(detail["series"].values())
    return html(request, "country.html", {
        **detail, "chart": charts.render(chart) if has_data else None,
        "legend": charts.legend(chart), "sdg": SDG_THRESHOLD, "whr": WHR2006_THRESHOLD,
        "name_of": lambda code: views.country_name(ref, code)})


def fan_chart(payload: dict[str, Any]) -> charts.Chart:
    years = payload["years"]
    bands = []
    if "density_p50" in payload:
        bands = [charts.Band(_("95% band of draws"), list(zip(years, payload["density_p2.5"],
                                                         strict=True)),
                             list(zip(years, payload["density_p97.5"], strict=True)), "#c6dbef"),
                 charts.Band(_("80% band of draws"), list(zip(years, payload["density_p10"],
                                                         strict=True)),
                             list(zip(years, payload["density_p90"], strict=True)), "#6baed6")]
    lines = [charts.Line(_("point estimate"), list(zip(years, payload["density"], strict=True)),
                         "#000000", dash="6 3", width=1.5, markers=False)]
    if "density_p50" in payload:
        lines.insert(0, charts.Line(_("median of draws"),
                                    list(zip(years, payload["density_p50"], strict=True)),
                                    "#08519c", markers=False))
    rules = []
    if payload["target_density"] is not None:
        rules.append(charts.Rule(_("target {v}").format(v=f"{payload['target_density']:g}"),
                                 payload["target_density"], "#636363"))
    return charts.Chart(
        title=_("Projected workers per 10,000 population"),
        description=_("Density by year: point estimate and, with draws, the median and the 80% "
                      "and 95% bands; the table below gives every value."),
        x_label=_("year"), y_label=_("per 10,000"), lines=lines, bands=bands, rules=rules)


@router.get("/project", response_class=HTMLResponse)
def project(request: Request) -> Response:
    ref = load_reference()
    errors: dict[str, str] = {}
    payload = None
    status = 200
    try:
        payload = views.projection(ref, request.query_params)
    except BadParams as exc:
        errors = {p.name: p.reason for p in exc.params}
        status = 422
    chart = fan_chart(payload) if payload else None
    country_options = sorted(((iso3, views.country_name(ref, iso3))
                              for iso3, m in ref.all_meta().items() if m.who_region),
                             key=lambda r: r[1])
    csv_url = "/project.csv?" + request.url.query if payload else None
    api_url = "/api/v1/project?" + request.url.query if payload else None
    return html(request, "project.html", {
        "payload": payload, "errors": errors, "values": request.query_params,
        "chart": charts.render(chart) if chart else None,
        "legend": charts.legend(chart) if chart else [], "cadres": CADRES,
        "country_options": country_options, "csv_url": csv_url, "api_url": api_url,
        "this_year": params.this_year(), "specs": {p.name: p for p in params.PROJECT_PARAMS},
    }, status_code=status)
