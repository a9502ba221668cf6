"""The web application: pages, JSON API and downloads over the registry.

``create_app(engine)`` builds a FastAPI application over a database engine (default: the one
``HRH_DATABASE_URL`` or the user's data folder points to). Routes are thin: they parse the
request, call one function of :mod:`hrhlessons.web.views` (which calls the library) and render
the result as HTML, JSON or CSV. Layers around them, outermost first: gzip, the language of the
request (:mod:`~hrhlessons.web.i18n`), ETags and the response cache
(:mod:`~hrhlessons.web.caching`).
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.numbers import format_decimal
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.templating import Jinja2Templates

from hrhlessons import __version__
from hrhlessons.errors import DatabaseNotReady, HRHError, NotFound
from hrhlessons.web import i18n, labels
from hrhlessons.web.caching import ETagMiddleware
from hrhlessons.web.i18n import gettext as _
from hrhlessons.web.problems import PROBLEM_JSON, BadParams, InvalidParam, problem

API_PREFIX = "/api/v1"
ENV_CACHE = "HRH_WEB_CACHE"


def static_dir() -> Path:
    return Path(str(resources.files("hrhlessons.web") / "static"))


def _number(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    fmt = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return format_decimal(value, format=fmt, locale=i18n.current())


def _value(value: float | int | None) -> str:
    """A recorded value as written: whole numbers without decimals, others up to three."""
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0.###", locale=i18n.current())


def _url(request: Request, path: str | None = None, **changes: Any) -> str:
    """The current URL (or ``path``) with query parameters replaced (None removes)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    for k, v in changes.items():
        if v is None:
            continue
        items.extend((k, str(x)) for x in (v if isinstance(v, list | tuple) else [v]))
    query = urlencode(items)
    return (path or request.url.path) + (f"?{query}" if query else "")


def make_templates() -> Jinja2Templates:
    env = Environment(loader=PackageLoader("hrhlessons.web", "templates"),
                      autoescape=select_autoescape(["html", "svg"]),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(label=labels.label, options=labels.options, num=_number, url=_url,
                       value=_value,
                       facet_names=labels.FACET_NAMES, condition_meaning=labels.condition_meaning,
                       language_name=i18n.language_name, version=__version__)
    return Jinja2Templates(env=env)


def wants_json(request: Request) -> bool:
    if request.url.path.startswith(API_PREFIX) or request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return ("json" in accept) and "text/html" not in accept


def problem_response(request: Request, status: int, detail: str,
                     invalid: list[InvalidParam] | None = None) -> Response:
    body = problem(status, detail, instance=str(request.url.path), invalid=invalid or [])
    body["title"] = _(body["title"])
    if wants_json(request):
        return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)
    return html(request, "error.html", {"problem": body}, status_code=status)


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(BadParams)
    async def bad_params(request: Request, exc: BadParams) -> Response:
        names = ", ".join(p.name for p in exc.params)
        return problem_response(request, 422, _("These parameters cannot be used: {names}. "
                                                "Correct them and try again.").format(
            names=names), exc.params)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        params = [InvalidParam(str(e["loc"][-1]) if e.get("loc") else "?", str(e["msg"]))
                  for e in exc.errors()]
        names = ", ".join(p.name for p in params)
        return problem_response(request, 422, _("These parameters cannot be used: {names}. "
                                                "Correct them and try again.").format(
            names=names), params)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return problem_response(request, 404, str(exc))

    @app.exception_handler(DatabaseNotReady)
    async def not_ready(request: Request, exc: DatabaseNotReady) -> Response:
        return problem_response(request, 503, str(exc))

    @app.exception_handler(HRHError)
    async def hrh_error(request: Request, exc: HRHError) -> Response:
        return problem_response(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = _("There is no page at this address. Start from the home page or the "
                       "case browser.")
        return problem_response(request, exc.status_code, detail)


def create_app(engine: Engine | None = None, *, cache: bool | None = None,
               locale_root: Path | None = None) -> FastAPI:
    """The site over ``engine``; ``cache=False`` (or ``HRH_WEB_CACHE=0``) turns the response
    cache off (ETags stay)."""
    from hrhlessons.registry import open_database
    from hrhlessons.web import stats
    from hrhlessons.web.routes import analysis, api, briefs, docs, downloads, pages

    if engine is None:
        engine = open_database()
    if cache is None:
        cache = os.environ.get(ENV_CACHE, "1") != "0"
    app = FastAPI(
        title="HRH Lessons API",
        version=__version__,
        description="Cited health-workforce innovations, country workforce data and workforce "
                    "projections, as JSON. Case records: CC BY 4.0. WHO GHO data: CC BY-NC-SA "
                    "3.0 IGO. World Bank data: CC BY 4.0.",
        docs_url=None, redoc_url=None, openapi_url="/openapi.json",
    )
    app.state.engine = engine
    app.state.templates = make_templates()
    app.state.locale_root = locale_root
    app.state.static = False  # True while the static site is written (share/site.py)
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    for module in (downloads, briefs, pages, analysis, api, docs):  # downloads first: X.csv
        app.include_router(module.router)
    _install_errors(app)
    app.add_middleware(ETagMiddleware, stamp=lambda: stats.data_stamp(engine), cache=cache)
    app.add_middleware(i18n.LanguageMiddleware, root=locale_root)
    app.add_middleware(GZipMiddleware, minimum_size=800)
    return app


def _briefs_available() -> bool:
    from hrhlessons.web import briefs

    return briefs.available()


def html(request: Request, template: str, context: dict[str, Any],
         status_code: int = 200) -> HTMLResponse:
    """Render a page template with what every page needs."""
    templates: Jinja2Templates = request.app.state.templates
    root = request.app.state.locale_root
    languages = (getattr(request.app.state, "site_languages", None)
                 or i18n.available_languages(root))
    base = {"lang": i18n.current(), "languages": languages,
            "static_site": bool(getattr(request.app.state, "static", False)),
            "briefs_available": _briefs_available()}
    response: HTMLResponse = templates.TemplateResponse(request, template, {**base, **context},
                                                        status_code=status_code)
    return response
