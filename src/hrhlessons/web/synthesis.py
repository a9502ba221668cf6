"""What the synthesis page and the adaptation wizard can show, behind one small interface.

The synthesis modules (survival, configurations, factors) and the adaptation modules
(transferability, readiness) are written alongside the web; a page must not fake a number they
have not produced. Each section here is a :class:`Section`: ``available`` with its data, or
not available with the reason in words (module not installed yet, or failed). To wire a new
analysis in, add a function returning a Section and list it in :data:`SYNTHESIS_SECTIONS`.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from hrhlessons.cases.vocab import Funding, Status
from hrhlessons.store import repo
from hrhlessons.store.search import SearchQuery, search
from hrhlessons.web import stats
from hrhlessons.web.i18n import N_

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # marked with N_, translated where shown
    available: bool
    data: Any = None
    reason: str = ""


def _module(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def crosstab(engine: Engine) -> Section:
    """Cases by funding and status: each cell a count search, so each links to its cases."""
    cells: dict[str, dict[str, int]] = {}
    for f in Funding:
        cells[f.value] = {s.value: search(engine, SearchQuery(funding=(f.value,),
                                                              status=(s.value,), limit=0)).total
                          for s in Status}
    return Section("crosstab", N_("Status by main funder"), True, cells)


def survival(engine: Engine) -> Section:
    """The overall survival curve of programmes (synthesis.survival)."""
    title = N_("How long programmes lasted")
    frame_mod = _module("hrhlessons.synthesis.frame")
    surv_mod = _module("hrhlessons.synthesis.survival")
    if frame_mod is None or surv_mod is None or not hasattr(surv_mod, "survival_curve"):
        return Section("survival", title, False,
                       reason=N_("The survival analysis module is not installed yet."))
    try:
        frame = frame_mod.cases_frame(repo.all_cases(engine))
        curve = surv_mod.survival_curve(frame)
    except Exception as exc:  # a module still being written must not take the page down
        log.exception("survival analysis failed")
        return Section("survival", title, False, reason=f"{type(exc).__name__}: {exc}")
    return Section("survival", title, True, curve)


def pending(key: str, title: str, module: str) -> Callable[[Engine], Section]:
    def section(_engine: Engine) -> Section:
        found = _module(module)
        reason = (N_("This analysis is not available yet: its module is being written.")
                  if found is None else
                  N_("The module exists but the web does not show it yet."))
        return Section(key, title, False, reason=reason)
    return section


SYNTHESIS_SECTIONS: tuple[Callable[[Engine], Section], ...] = (
    crosstab,
    survival,
    pending("qca", N_("Configurations that went with lasting (QCA)"),
            "hrhlessons.synthesis.qca"),
    pending("factors", N_("Success and failure factors across cases"),
            "hrhlessons.synthesis.factors"),
)

ADAPT_SECTIONS: tuple[Callable[[Engine], Section], ...] = (
    pending("transfer", N_("Transferability of an innovation to this country"),
            "hrhlessons.adapt.transfer"),
    pending("readiness", N_("Readiness gaps"), "hrhlessons.adapt.readiness"),
)

_lock = threading.Lock()
_memo: dict[tuple[int, int, str], Section] = {}


def sections(engine: Engine, which: tuple[Callable[[Engine], Section], ...]) -> list[Section]:
    """Every section, computed once per registry state (they can take a second or two)."""
    stamp = stats.data_stamp(engine)
    out = []
    for fn in which:
        key = (id(engine), id(fn), stamp)
        with _lock:
            hit = _memo.get(key)
        if hit is None:
            hit = fn(engine)
            with _lock:
                for old in [k for k in _memo if k[:2] == key[:2]]:
                    del _memo[old]
                _memo[key] = hit
        out.append(hit)
    return out
