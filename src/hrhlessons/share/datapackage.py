"""The registry as a Frictionless Data Package (https://specs.frictionlessdata.io/).

A package holds ``datapackage.json`` and CSV resources:

``cases.csv``
    one row per case, every field; list and mapping fields as JSON (``array``/``object`` types),
    exactly the CSV that ``hrh-lessons export --format csv`` writes, so the package can be
    imported back;
``case_countries.csv``, ``case_interventions.csv``, ``sources.csv``, ``outcomes.csv``,
``conditions.csv``, ``scale.csv``
    the same facts in flat tables for reuse in spreadsheets, R or pandas, each keyed on
    ``case_id`` (a foreign key to ``cases.id``).

Pure: returns file names and their text. Nothing here has a timestamp, so the same cases give
the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from hrhlessons import __version__
from hrhlessons.cases.model import Case
from hrhlessons.cases.records import FIELDS
from hrhlessons.cases.tabular import INT_FIELDS, JSON_FIELDS, cases_to_csv

PACKAGE_NAME = "hrh-lessons-cases"
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}

_DESCRIPTIONS = {
    "id": "Case identifier: ISO3 of a country (or 'multi') and a short name",
    "name": "The programme's own name",
    "countries": "ISO 3166-1 alpha-3 codes of the countries concerned",
    "level": "pilot, subnational, national or multinational",
    "domain": "Main field of the innovation",
    "interventions": "Intervention tags (WHO 2010 rural-retention groups, CHW, workforce mgmt)",
    "cadres": "The health workers concerned",
    "description": "What the innovation is and what problem it answered (our words)",
    "start_year": "First year of operation (a pilot counts); empty when no source gives it",
    "end_year": "Year it stopped; empty while running or when no source gives it",
    "status": "active, ended, not_implemented or unknown, as of status_year",
    "status_year": "Year of the newest source that supports the status",
    "trajectory": "expanded, stable, contracted, replaced or unknown",
    "funding": "Main funder type",
    "scale": "Sizes with their years",
    "conditions": "Crisp conditions: true, false or null (unknown)",
    "outcomes": "Outcomes by WHO building block with direction and evidence level",
    "success_factors": "Success factors named by the sources",
    "failure_factors": "Failure factors named by the sources",
    "lessons": "Lessons another country could act on",
    "sources": "Cited public sources (numbered from 0 here, from 1 in reports)",
    "provenance": "Which sources support start_year, end_year and status",
}


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def _field(name: str, type_: str, description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": type_}
    if description:
        out["description"] = description
    return out


def _case_fields() -> list[dict[str, Any]]:
    out = []
    for name in FIELDS:
        if name in JSON_FIELDS:
            kind = "object" if name in {"conditions", "provenance"} else "array"
        elif name in INT_FIELDS:
            kind = "integer"
        else:
            kind = "string"
        out.append(_field(name, kind, _DESCRIPTIONS.get(name, "")))
    return out


def _fk() -> list[dict[str, Any]]:
    return [{"fields": "case_id", "reference": {"resource": "cases", "fields": "id"}}]


def build(cases: Iterable[Case]) -> dict[str, str]:
    """File name -> text of every file in the package."""
    ordered = sorted(cases, key=lambda c: c.id)
    files: dict[str, str] = {"cases.csv": cases_to_csv(ordered)}
    files["case_countries.csv"] = _csv(
        ["case_id", "iso3", "position"],
        ([c.id, iso3, i] for c in ordered for i, iso3 in enumerate(c.countries)))
    files["case_interventions.csv"] = _csv(
        ["case_id", "tag"], ([c.id, tag.value] for c in ordered for tag in c.interventions))
    files["sources.csv"] = _csv(
        ["case_id", "n", "title", "publisher", "year", "url"],
        ([c.id, i, s.title, s.publisher, s.year, s.url]
         for c in ordered for i, s in enumerate(c.sources)))
    files["outcomes.csv"] = _csv(
        ["case_id", "n", "building_block", "indicator", "baseline_value", "baseline_year",
         "baseline_unit", "followup_value", "followup_year", "followup_unit", "direction",
         "evidence", "source"],
        ([c.id, i, o.building_block.value, o.indicator,
          *(_measure(o.baseline)), *(_measure(o.followup)),
          o.direction.value, o.evidence.value, o.source]
         for c in ordered for i, o in enumerate(c.outcomes)))
    files["conditions.csv"] = _csv(
        ["case_id", "condition", "value"],
        ([c.id, k.value, None if v is None else str(v).lower()]
         for c in ordered for k, v in c.conditions.items()))
    files["scale.csv"] = _csv(
        ["case_id", "metric", "value", "year"],
        ([c.id, s.metric, s.value, s.year] for c in ordered for s in c.scale))
    files["datapackage.json"] = json.dumps(descriptor(), indent=2, ensure_ascii=False) + "\n"
    return files


def _measure(m: Any) -> tuple[Any, Any, Any]:
    return (None, None, None) if m is None else (m.value, m.year, m.unit)


def descriptor() -> dict[str, Any]:
    """The ``datapackage.json`` descriptor."""
    def res(name: str, title: str, fields: list[dict[str, Any]], *, key: Any = None,
            fk: bool = True) -> dict[str, Any]:
        schema: dict[str, Any] = {"fields": fields}
        if key:
            schema["primaryKey"] = key
        if fk:
            schema["foreignKeys"] = _fk()
        return {"name": name, "title": title, "path": f"{name}.csv", "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}

    return {
        "name": PACKAGE_NAME,
        "title": "HRH Lessons: cited case records of health-workforce innovations",
        "description": "Innovations in educating, training, deploying and retaining health "
                       "workers and in community health worker programmes, successes and "
                       "failures alike, each fact with its public source.",
        "version": __version__,
        "licenses": [LICENCE],
        "sources": [{"title": "HRH Lessons case registry (see sources.csv for each case)"}],
        "resources": [
            res("cases", "Case records", _case_fields(), key="id", fk=False),
            res("case_countries", "Countries of each case",
                [_field("case_id", "string"), _field("iso3", "string"),
                 _field("position", "integer")], key=["case_id", "iso3"]),
            res("case_interventions", "Intervention tags of each case",
                [_field("case_id", "string"), _field("tag", "string")], key=["case_id", "tag"]),
            res("sources", "Sources of each case",
                [_field("case_id", "string"), _field("n", "integer", "0-based source index"),
                 _field("title", "string"), _field("publisher", "string"),
                 _field("year", "integer"), _field("url", "string")], key=["case_id", "n"]),
            res("outcomes", "Outcomes of each case by WHO building block",
                [_field("case_id", "string"), _field("n", "integer"),
                 _field("building_block", "string"), _field("indicator", "string"),
                 _field("baseline_value", "number"), _field("baseline_year", "integer"),
                 _field("baseline_unit", "string"), _field("followup_value", "number"),
                 _field("followup_year", "integer"), _field("followup_unit", "string"),
                 _field("direction", "string"), _field("evidence", "string"),
                 _field("source", "integer", "0-based index into the case's sources")],
                key=["case_id", "n"]),
            res("conditions", "Crisp conditions of each case",
                [_field("case_id", "string"), _field("condition", "string"),
                 _field("value", "boolean")], key=["case_id", "condition"]),
            res("scale", "Scale of each case",
                [_field("case_id", "string"), _field("metric", "string"),
                 _field("value", "number"), _field("year", "integer")]),
        ],
    }
