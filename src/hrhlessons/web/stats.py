"""Counts the pages show beside facets and countries, and the registry's data stamp.

The *data stamp* of a database (number of cases, sum of record versions, latest update) changes
whenever an import adds or changes a case. Counts computed here are cached per stamp, and the
stamp itself is looked up at most once every :data:`STAMP_TTL` seconds, so a registry changed
from the command line shows on the site within that time.

The queries themselves are :func:`hrhlessons.store.repo.facet_counts` and
:func:`hrhlessons.store.repo.data_stamp`; this module only caches them for the web.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import Engine

from hrhlessons.store import repo

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
    stamp = repo.data_stamp(engine)
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

    result: dict[str, dict[str, int]] = _cached(engine, "facets", lambda: repo.facet_counts(engine))
    return result


def country_counts(engine: Engine) -> dict[str, int]:
    """Cases per country (ISO3)."""
    return facet_counts(engine)["country"]
