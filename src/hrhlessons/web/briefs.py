"""Policy briefs of the pages: a case, a country, a synthesis selection, as HTML and PDF.

The briefs themselves are built and rendered by :mod:`hrhlessons.share.briefs`; this module
only finds the data a page already has (the case, the country's cases, the synthesis report of
the selection) and hands it over. :func:`available` says whether that module can be imported
(it needs WeasyPrint for PDF), so pages show their brief links only when they will work.
"""

from __future__ import annotations

import functools
import importlib
import logging
from typing import Any

from sqlalchemy import Engine

from hrhlessons.errors import NotFound
from hrhlessons.store import repo

log = logging.getLogger(__name__)

#: Names the web needs from :mod:`hrhlessons.share.briefs`.
NEEDED = ("case_brief", "country_brief", "synthesis_brief", "render_brief_html",
          "render_brief_pdf")
FORMATS = ("html", "pdf")


@functools.cache
def _module() -> Any | None:
    try:
        module = importlib.import_module("hrhlessons.share.briefs")
    except ImportError:
        return None
    if not all(hasattr(module, name) for name in NEEDED):
        return None
    return module


def available() -> bool:
    return _module() is not None


def _mod() -> Any:
    module = _module()
    if module is None:
        raise NotFound("policy briefs are not available in this installation (the module "
                       "hrhlessons.share.briefs is missing)")
    return module


def case_brief(engine: Engine, case_id: str) -> Any:
    case = repo.get_case(engine, case_id)
    return _mod().case_brief(case, repo.all_cases(engine))


def country_brief(engine: Engine, reference: Any, iso3: str) -> Any:
    return _mod().country_brief(reference, iso3.upper(), repo.all_cases(engine))


def synthesis_brief(report: Any, cases: Any) -> Any:
    return _mod().synthesis_brief(report, cases)


def render(brief: Any, fmt: str) -> bytes:
    """The brief as HTML (UTF-8 bytes) or PDF bytes."""
    module = _mod()
    if fmt == "html":
        return str(module.render_brief_html(brief)).encode("utf-8")
    return bytes(module.render_brief_pdf(brief).data)
