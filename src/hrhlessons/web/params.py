"""Query parameters of the search and the projection, declared once.

A :class:`Param` says a parameter's name, type, allowed values and meaning. The same
declarations parse a request (pages and API alike: an empty form field counts as absent), give
the OpenAPI description of the API operations, and drive the HTML forms. Parsing collects every
bad parameter before raising :class:`~hrhlessons.web.problems.BadParams`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from starlette.datastructures import QueryParams

from hrhlessons.adapt.projection import CADRES
from hrhlessons.cases.vocab import (
    BuildingBlock,
    Domain,
    Funding,
    Intervention,
    Level,
    Status,
    Trajectory,
)
from hrhlessons.countries.vocab import INCOME_GROUP_NAMES, ISO3_PATTERN, WHO_REGIONS
from hrhlessons.store.search import SORTS, SearchQuery
from hrhlessons.web.i18n import gettext as _
from hrhlessons.web.problems import BadParams

Kind = Literal["str", "int", "float", "list"]
MAX_LIMIT = 100
MAX_DRAWS = 5000
#: The country pattern the OpenAPI schema publishes. JSON Schema patterns are ECMA-262 regular
#: expressions, in which `$` ends the input and `\Z` is no anchor, so this is not the Python
#: ISO3_PATTERN (which the values are matched against after upper-casing).
ISO3_SCHEMA_PATTERN = "^[A-Za-z]{3}$"


@dataclass(frozen=True)
class Param:
    name: str
    kind: Kind
    description: str
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    default: Any = None
    pattern: str | None = None
    required: bool = False

    def openapi(self) -> dict[str, Any]:
        base: dict[str, Any] = {"integer" if self.kind == "int" else
                                "number" if self.kind == "float" else "string": None}
        type_name = next(iter(base))
        schema: dict[str, Any] = {"type": type_name}
        if self.choices:
            schema["enum"] = list(self.choices)
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.default is not None:
            schema["default"] = self.default
        if self.pattern is not None:
            schema["pattern"] = self.pattern
        if self.kind == "list":
            schema = {"type": "array", "items": schema}
        return {"name": self.name, "in": "query", "required": self.required,
                "description": self.description, "schema": schema,
                **({"explode": True} if self.kind == "list" else {})}


def _values(enum: Any) -> tuple[str, ...]:
    return tuple(e.value for e in enum)


SEARCH_PARAMS: tuple[Param, ...] = (
    Param("q", "str", "Words to find in name, description, factors and lessons (all words; "
                      '"a phrase" in quotes). Empty: every case.'),
    Param("domain", "list", "Main field of the innovation.", _values(Domain)),
    Param("intervention", "list", "Intervention tag.", _values(Intervention)),
    Param("country", "list", "ISO 3166-1 alpha-3 code, such as MWI.",
          pattern=ISO3_SCHEMA_PATTERN),
    Param("region", "list", "WHO region.", tuple(WHO_REGIONS)),
    Param("income", "list", "World Bank income group (2023 classification).",
          tuple(INCOME_GROUP_NAMES)),
    Param("status", "list", "Status as of the newest source.", _values(Status)),
    Param("trajectory", "list", "How its scale moved.", _values(Trajectory)),
    Param("funding", "list", "Main funder.", _values(Funding)),
    Param("level", "list", "How far it reached.", _values(Level)),
    Param("building_block", "list", "WHO building block of a recorded outcome.",
          _values(BuildingBlock)),
    Param("from_year", "int", "Started in this year or later.", minimum=1900, maximum=2100),
    Param("to_year", "int", "Started in this year or earlier.", minimum=1900, maximum=2100),
    Param("sort", "str", "Order of the results.", SORTS, default="relevance"),
    Param("limit", "int", "Results per page.", minimum=1, maximum=MAX_LIMIT, default=20),
    Param("offset", "int", "Results to skip (for the next pages).", minimum=0, default=0),
)

PROJECT_PARAMS: tuple[Param, ...] = (
    Param("country", "str", "ISO3 code: stock, population and population growth come from the "
                            "WHO and World Bank data unless given.", pattern=ISO3_SCHEMA_PATTERN),
    Param("cadre", "str", "Cadre to project.", CADRES, default="nurses_midwives"),
    Param("intake", "float", "Trainees admitted in the start year (required).", minimum=0,
          required=True),
    Param("duration", "int", "Years of pre-service training (required).", minimum=0,
          maximum=15, required=True),
    Param("completion", "float", "Share of an intake that graduates, in (0, 1] (required).",
          minimum=0, maximum=1, required=True),
    Param("attrition", "float", "Share of the stock leaving each year, in [0, 1) (required).",
          minimum=0, maximum=1, required=True),
    Param("start", "int", "First year of the projection (default: this year).",
          minimum=1950, maximum=2100),
    Param("end", "int", "Last year of the projection (default: start + 15).", minimum=1950,
          maximum=2150),
    Param("target_density", "float", "Target workers per 10,000 population.", minimum=0),
    Param("intake_growth", "float", "Intake growth a year, a fraction (0.02 = 2%); default 0."),
    Param("stock", "float", "Workers in post in the start year (default: from the country).",
          minimum=0),
    Param("population", "float", "Population in the start year (default: from the country).",
          minimum=0),
    Param("population_growth", "float", "Population growth a year, a fraction (default: from "
                                        "the country, last 10 years)."),
    Param("draws", "int", "Monte Carlo draws (adds the fan chart).", minimum=1,
          maximum=MAX_DRAWS),
    Param("seed", "int", "Seed of the draws.", minimum=0, default=0),
    Param("attrition_low", "float", "Lowest attrition drawn.", minimum=0, maximum=1),
    Param("attrition_high", "float", "Highest attrition drawn.", minimum=0, maximum=1),
    Param("completion_low", "float", "Lowest completion drawn.", minimum=0, maximum=1),
    Param("completion_high", "float", "Highest completion drawn.", minimum=0, maximum=1),
)


def _number(p: Param, raw: str, problems: list[tuple[str, str]]) -> Any:
    try:
        value: int | float = int(raw) if p.kind == "int" else float(raw)
    except ValueError:
        what = _("a whole number") if p.kind == "int" else _("a number")
        problems.append((p.name, _("{name} must be {what}, got '{raw}'").format(
            name=p.name, what=what, raw=raw)))
        return None
    if p.kind == "float" and not math.isfinite(value):
        problems.append((p.name, _("{name} must be a finite number").format(name=p.name)))
        return None
    if p.minimum is not None and value < p.minimum:
        problems.append((p.name, _("{name} must be at least {min:g}, got {raw}").format(
            name=p.name, min=p.minimum, raw=raw)))
        return None
    if p.maximum is not None and value > p.maximum:
        problems.append((p.name, _("{name} must be at most {max:g}, got {raw}").format(
            name=p.name, max=p.maximum, raw=raw)))
        return None
    return value


def parse(spec: Sequence[Param], query: QueryParams | Mapping[str, Any]) -> dict[str, Any]:
    """Typed values of the parameters in ``spec`` (absent or empty: the default)."""
    problems: list[tuple[str, str]] = []
    out: dict[str, Any] = {}
    for p in spec:
        if isinstance(query, QueryParams):
            raw_values = [v.strip() for v in query.getlist(p.name) if v.strip()]
        else:
            got = query.get(p.name)
            raw_values = [str(v).strip() for v in (got if isinstance(got, list) else [got])
                          if v is not None and str(v).strip()]
        if p.kind == "list":
            values = []
            for raw in raw_values:
                value = raw.upper() if p.name in ("country", "region", "income") else raw
                if p.name == "country" and not ISO3_PATTERN.match(value):
                    problems.append((p.name, _("'{value}' is not a three-letter ISO3 country "
                                               "code such as MWI").format(value=raw)))
                elif p.choices and value not in p.choices:
                    problems.append((p.name, _("'{value}' is not one of: {choices}").format(
                        value=raw, choices=", ".join(p.choices))))
                elif value not in values:
                    values.append(value)
            out[p.name] = tuple(values)
            continue
        if not raw_values:
            out[p.name] = p.default
            continue
        raw = raw_values[-1]
        if p.kind == "str":
            if p.choices and raw not in p.choices:
                problems.append((p.name, _("'{value}' is not one of: {choices}").format(
                    value=raw, choices=", ".join(p.choices))))
            out[p.name] = raw
        else:
            out[p.name] = _number(p, raw, problems)
    if problems:
        raise BadParams.of(problems)
    return out


def search_query(query: QueryParams | Mapping[str, Any]) -> SearchQuery:
    """A :class:`SearchQuery` from request parameters; raises BadParams naming the bad ones."""
    v = parse(SEARCH_PARAMS, query)
    if v["from_year"] is not None and v["to_year"] is not None and v["to_year"] < v["from_year"]:
        raise BadParams.of([("to_year", _("to_year {to} is before from_year {frm}").format(
            to=v["to_year"], frm=v["from_year"]))])
    return SearchQuery(
        text=v["q"] or "", domain=v["domain"], intervention=v["intervention"],
        country=v["country"], region=v["region"], income=v["income"], status=v["status"],
        trajectory=v["trajectory"], funding=v["funding"], level=v["level"],
        building_block=v["building_block"], from_year=v["from_year"], to_year=v["to_year"],
        sort=v["sort"], limit=v["limit"], offset=v["offset"],
    )


def search_params(q: SearchQuery, **changes: Any) -> list[tuple[str, str]]:
    """The query-string pairs of a search (defaults left out), with ``changes`` applied."""
    values = {**q.to_dict(), **changes}
    pairs: list[tuple[str, str]] = []
    if values.get("text"):
        pairs.append(("q", values["text"]))
    for p in SEARCH_PARAMS[1:]:
        value = values.get(p.name)
        if p.kind == "list":
            pairs.extend((p.name, v) for v in value or ())
        elif value is not None and value != p.default:
            pairs.append((p.name, str(value)))
    return pairs


def this_year() -> int:
    return dt.date.today().year
