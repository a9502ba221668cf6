"""The JSON API, ``/api/v1``: the same data as the pages, for scripts.

Lists carry ``total``, ``limit``, ``offset`` and ``links`` (``self``, ``next``, ``prev``).
Errors are RFC 9457 problem details (``application/problem+json``); 422 names every bad
parameter in ``invalid_params``. Every GET answer has an ETag.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request

from hrhlessons.reference import load_reference
from hrhlessons.store import repo
from hrhlessons.web import params, views
from hrhlessons.web.problems import BadParams

router = APIRouter(prefix="/api/v1", tags=["api"])

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown id or code (problem details)", **PROBLEM},
    422: {"description": "Bad parameters, each named in invalid_params (problem details)",
          **PROBLEM},
}


def _openapi(spec: tuple[params.Param, ...]) -> dict[str, Any]:
    return {"parameters": [p.openapi() for p in spec]}


def _link(path: str, pairs: list[tuple[str, str]]) -> str:
    return path + ("?" + urlencode(pairs) if pairs else "")


@router.get("/cases", summary="Search cases", responses=ERRORS,
            openapi_extra=_openapi(params.SEARCH_PARAMS))
def cases(request: Request) -> dict[str, Any]:
    """Full-text search with facets, as on the case browser. Facets may repeat
    (``?status=ended&status=not_implemented``): values of one facet are OR-ed, facets AND-ed."""
    q = params.search_query(request.query_params)
    result = views.case_list(request.app.state.engine, q)
    body = result.to_dict()
    body["limit"], body["offset"] = q.limit, q.offset
    path = "/api/v1/cases"
    links: dict[str, str | None] = {"self": _link(path, params.search_params(q)),
                                    "next": None, "prev": None}
    if q.offset + q.limit < result.total:
        links["next"] = _link(path, params.search_params(q, offset=q.offset + q.limit))
    if q.offset > 0:
        links["prev"] = _link(path, params.search_params(q, offset=max(q.offset - q.limit, 0)))
    body["links"] = links
    for hit in body["results"]:
        hit["url"] = f"/api/v1/cases/{hit['id']}"
        hit["html"] = f"/cases/{hit['id']}"
    return body


@router.get("/cases/{case_id}", summary="One case record", responses=ERRORS)
def case(request: Request, case_id: str) -> dict[str, Any]:
    """The full record: every fact with the sources it cites (``provenance`` indices count from
    0; ``source_numbers`` count from 1, as shown on the page)."""
    data = views.case_json(repo.get_case(request.app.state.engine, case_id))
    data["links"] = {"self": f"/api/v1/cases/{case_id}", "html": f"/cases/{case_id}"}
    return data


@router.get("/countries", summary="Countries with their latest densities", responses=ERRORS)
def countries(request: Request) -> dict[str, Any]:
    """Latest densities per 10,000 (each with its year), WHO region, income group, and the
    number of cases, for every country WHO reports on or a case names."""
    rows = views.country_rows(request.app.state.engine, load_reference())
    for row in rows:
        row["url"] = f"/api/v1/countries/{row['iso3']}"
    return {"total": len(rows), "results": rows,
            "sources": {"densities": views.GHO_SOURCE, "population": views.WB_SOURCE}}


@router.get("/countries/{iso3}", summary="One country: densities over time and cases",
            responses=ERRORS)
def country(request: Request, iso3: str) -> dict[str, Any]:
    detail = views.country_detail(request.app.state.engine, load_reference(), iso3)
    data = views.country_json(detail)
    data["links"] = {"self": f"/api/v1/countries/{detail['iso3']}",
                     "html": f"/countries/{detail['iso3']}",
                     "csv": f"/countries/{detail['iso3']}.csv"}
    return data


@router.get("/project", summary="Workforce projection", responses=ERRORS,
            openapi_extra=_openapi(params.PROJECT_PARAMS))
def project(request: Request) -> dict[str, Any]:
    """A cadre's stock-and-flow projection; with ``draws``, Monte Carlo percentiles of density
    (``density_p2.5`` ... ``density_p97.5``). ``assumptions`` and ``derivations`` say what was
    assumed and how country data became parameters."""
    payload = views.projection(load_reference(), request.query_params)
    if payload is None:
        raise BadParams.of([("intake", "give the projection's parameters: intake, duration, "
                                       "completion, attrition, and a country (or stock, "
                                       "population and population_growth)")])
    return payload
