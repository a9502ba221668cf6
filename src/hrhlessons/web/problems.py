"""Errors of the web interface as RFC 9457 problem details.

Every error the site answers with is a problem: ``type`` (a reference to its explanation on
``/docs``), ``title``, ``status``, ``detail`` and, for 422, ``invalid_params`` naming each bad
query parameter with the reason. The JSON API sends it as ``application/problem+json``; pages
show the same fields as HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hrhlessons.web.i18n import N_

PROBLEM_JSON = "application/problem+json"

#: Problem types by status, with their titles (the explanations are on /docs).
TYPES: dict[int, tuple[str, str]] = {
    400: ("bad-request", N_("Bad request")),
    404: ("not-found", N_("Not found")),
    405: ("method-not-allowed", N_("Method not allowed")),
    422: ("invalid-parameters", N_("Invalid parameters")),
    500: ("server-error", N_("Server error")),
    503: ("database-not-ready", N_("Database not ready")),
}


@dataclass(frozen=True)
class InvalidParam:
    name: str
    reason: str


@dataclass
class BadParams(Exception):
    """Query parameters that cannot be used; every bad one is named."""

    params: list[InvalidParam] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__("; ".join(f"{p.name}: {p.reason}" for p in self.params))

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> BadParams:
        return cls([InvalidParam(n, r) for n, r in pairs])


def problem(status: int, detail: str, *, title: str | None = None,
            instance: str | None = None,
            invalid: Iterable[InvalidParam] = ()) -> dict[str, Any]:
    """A problem-details object (the caller translates ``title`` and ``detail``)."""
    slug, default_title = TYPES.get(status, ("error", "Error"))
    body: dict[str, Any] = {
        "type": f"/docs#problem-{slug}",
        "title": title or default_title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    params = [{"name": p.name, "reason": p.reason} for p in invalid]
    if params:
        body["invalid_params"] = params
    return body
