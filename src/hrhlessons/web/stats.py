"""Counts the pages show beside facets and countries, and the registry's data stamp.

The *data stamp* of a database (number of cases, sum of record versions, latest update) changes
whenever an import adds or changes a case. Counts computed here are cached per stamp, and the
stamp itself is looked up at most once every :data:`STAMP_TTL` seconds, so a registry changed
from the command line shows on the site within that time.

These are read-only GROUP BY queries on the store's tables; they belong in ``store.repo`` one
day (a ``counts_by_facet`` function), and are kept here until then.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import Engine, func, select

from hrhlessons.store import tables as t

STAMP_TTL = 2.0

_lock = threading.Lock()
_stamps: dict[int, tuple[float, str]] = {}
_cache: dict[tuple[int, str, str], Any] = {}


def data_stamp(engine: Engine) -> str:
    """A short string that changes whenever the registry's cases change."""
    key = id(engine)
    now = time.monotonic()
    with _lock:
        hit = _stamps.get(key)
        if hit and now - hit[0] < STAMP_TTL:
            return hit[1]
    c = t.cases.c
    with engine.connect() as conn:
        n, versions, latest = conn.execute(
            select(func.count(), func.coalesce(func.sum(c.version), 0), func.max(c.updated_at))
        ).one()
    stamp = f"{n}-{versions}-{latest}"
    with _lock:
        _stamps[key] = (now, stamp)
    return stamp


def forget(engine: Engine) -> None:
    """Drop the cached stamp and counts of an engine (after writing to it in-process)."""
    with _lock:
        _stamps.pop(id(engine), None)
        for k in [k for k in _cache if k[0] == id(engine)]:
            del _cache[k]


def _cached(engine: Engine, name: str, compute: Any) -> Any:
    stamp = data_stamp(engine)
    key = (id(engine), name, stamp)
    with _lock:
        if key in _cache:
            return _cache[key]
    value = compute()
    with _lock:
        for k in [k for k in _cache if k[0] == id(engine) and k[1] == name]:
            del _cache[k]
        _cache[key] = value
    return value


def facet_counts(engine: Engine) -> dict[str, dict[str, int]]:
    """Cases per value of each facet, over the whole registry."""

    def compute() -> dict[str, dict[str, int]]:
        c = t.cases.c
        out: dict[str, dict[str, int]] = {}
        with engine.connect() as conn:
            for name in ("domain", "status", "trajectory", "funding", "level"):
                column = getattr(c, name)
                out[name] = {str(k): int(v) for k, v in conn.execute(
                    select(column, func.count()).group_by(column))}
            ci, cb, cc, co = t.case_interventions, t.case_blocks, t.case_countries, t.countries
            out["intervention"] = {str(k): int(v) for k, v in conn.execute(
                select(ci.c.tag, func.count()).group_by(ci.c.tag))}
            out["building_block"] = {str(k): int(v) for k, v in conn.execute(
                select(cb.c.block, func.count()).group_by(cb.c.block))}
            out["country"] = {str(k): int(v) for k, v in conn.execute(
                select(cc.c.iso3, func.count()).group_by(cc.c.iso3))}
            for name, column in (("region", co.c.who_region), ("income", co.c.income_group)):
                rows = conn.execute(
                    select(column, func.count(func.distinct(cc.c.case_pk)))
                    .select_from(cc.join(co, co.c.iso3 == cc.c.iso3)).group_by(column))
                out[name] = {str(k): int(v) for k, v in rows if k}
        return out

    result: dict[str, dict[str, int]] = _cached(engine, "facets", compute)
    return result


def country_counts(engine: Engine) -> dict[str, int]:
    """Cases per country (ISO3)."""
    return facet_counts(engine)["country"]
