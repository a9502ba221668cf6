"""Downloads: the data page, the whole registry (CSV, JSON, data package), country tables,
and the CSV twins of the case search, a country's densities and a projection."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hrhlessons.cases.tabular import cases_to_csv, cases_to_json
from hrhlessons.reference import bundled_dir, load_reference
from hrhlessons.share import datapackage
from hrhlessons.store import repo
from hrhlessons.store.search import SearchQuery
from hrhlessons.web import params, views
from hrhlessons.web.app import html
from hrhlessons.web.problems import BadParams

router = APIRouter(include_in_schema=False)

#: Largest number of cases a search CSV holds (the whole registry is on /data).
CSV_MAX = 10_000
COUNTRY_TABLES = ("countries", "indicators", "income_history")
ZIP_NAME = "hrh-lessons-cases.zip"


def _download(text: str | bytes, media_type: str, filename: str) -> Response:
    return Response(text, media_type=media_type,
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


@router.get("/data", response_class=HTMLResponse)
def data_page(request: Request) -> Response:
    engine = request.app.state.engine
    files = [{"name": f"{name}.csv", "url": f"/data/countries/{name}.csv"}
             for name in COUNTRY_TABLES]
    return html(request, "data.html", {"cases": repo.count_cases(engine), "country_files": files,
                                       "zip_name": ZIP_NAME})


@router.get("/data/cases.csv")
def all_csv(request: Request) -> Response:
    return _download(cases_to_csv(repo.all_cases(request.app.state.engine)),
                     "text/csv; charset=utf-8", "hrh-lessons-cases.csv")


@router.get("/data/cases.json")
def all_json(request: Request) -> Response:
    return _download(cases_to_json(repo.all_cases(request.app.state.engine)),
                     "application/json", "hrh-lessons-cases.json")


def package_zip(files: dict[str, str]) -> bytes:
    """The data package as a zip; fixed timestamps, so the same cases give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{datapackage.PACKAGE_NAME}/{name}", (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name])
    return buffer.getvalue()


@router.get(f"/data/{ZIP_NAME}")
def package(request: Request) -> Response:
    files = datapackage.build(repo.all_cases(request.app.state.engine))
    return _download(package_zip(files), "application/zip", ZIP_NAME)


@router.get("/data/countries/{name}.csv")
def country_table(name: str) -> Response:
    if name not in COUNTRY_TABLES:
        from hrhlessons.errors import NotFound

        raise NotFound(f"no country table '{name}'; the tables are "
                       f"{', '.join(t + '.csv' for t in COUNTRY_TABLES)}")
    path = bundled_dir() / f"{name}.csv"
    return _download(path.read_bytes(), "text/csv; charset=utf-8", f"{name}.csv")


@router.get("/cases.csv")
def search_csv(request: Request) -> Response:
    q = params.search_query(request.query_params)
    full = SearchQuery(**{**q.__dict__, "limit": CSV_MAX, "offset": 0})
    result = views.case_list(request.app.state.engine, full)
    return _download(cases_to_csv(h.case for h in result.hits), "text/csv; charset=utf-8",
                     "hrh-lessons-search.csv")


@router.get("/countries/{iso3}.csv")
def country_csv(request: Request, iso3: str) -> Response:
    detail = views.country_detail(request.app.state.engine, load_reference(), iso3)
    return _download(views.country_csv(detail), "text/csv; charset=utf-8",
                     f"hrh-lessons-{detail['iso3']}-densities.csv")


@router.get("/project.csv")
def project_csv(request: Request) -> Response:
    payload: Any = views.projection(load_reference(), request.query_params)
    if payload is None:
        raise BadParams.of([("intake", "give the projection's parameters (intake, duration, "
                                       "completion, attrition, and a country or stock, "
                                       "population and population growth)")])
    name = f"hrh-lessons-projection-{payload['country'] or 'custom'}-{payload['cadre']}.csv"
    return _download(views.projection_csv(payload), "text/csv; charset=utf-8", name)
