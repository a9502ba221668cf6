"""Policy briefs as downloads: ``/cases/{id}/brief.pdf``, ``/countries/{iso3}/brief.pdf`` and
``/synthesis/brief.pdf?<facets>``, each with an ``.html`` twin (the same brief, for reading in
the browser or printing)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hrhlessons.reference import load_reference
from hrhlessons.web import briefs
from hrhlessons.web import synthesis as synth
from hrhlessons.web.problems import BadParams

router = APIRouter(include_in_schema=False)

Fmt = Literal["pdf", "html"]
MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


def _answer(data: bytes, fmt: str, filename: str) -> Response:
    disposition = "attachment" if fmt == "pdf" else "inline"
    return Response(data, media_type=MEDIA[fmt],
                    headers={"content-disposition": f'{disposition}; filename="{filename}"'})


@router.get("/cases/{case_id}/brief.{fmt}")
def case_brief(request: Request, case_id: str, fmt: Fmt) -> Response:
    brief = briefs.case_brief(request.app.state.engine, case_id)
    return _answer(briefs.render(brief, fmt), fmt, f"hrh-lessons-brief-{case_id}.{fmt}")


@router.get("/countries/{iso3}/brief.{fmt}")
def country_brief(request: Request, iso3: str, fmt: Fmt) -> Response:
    brief = briefs.country_brief(request.app.state.engine, load_reference(), iso3)
    return _answer(briefs.render(brief, fmt), fmt,
                   f"hrh-lessons-brief-{iso3.upper()}.{fmt}")


@router.get("/synthesis/brief.{fmt}")
def synthesis_brief(request: Request, fmt: Fmt) -> Response:
    engine = request.app.state.engine
    sel = synth.selection(engine, request.query_params)
    report = synth.report_for(engine, sel)
    if report is None:
        raise BadParams.of([("q", "no case matches these filters, so there is nothing to "
                                  "brief on; widen the filters")])
    brief = briefs.synthesis_brief(report, sel.cases)
    return _answer(briefs.render(brief, fmt), fmt, f"hrh-lessons-brief-synthesis.{fmt}")
