"""API documentation at ``/docs``, rendered on the server from the OpenAPI description.

FastAPI's default page loads Swagger UI from a CDN, which fails offline; this page lists every
operation with its parameters and answers, and explains the problem types, with no script.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hrhlessons.web.app import html
from hrhlessons.web.problems import TYPES

router = APIRouter(include_in_schema=False)


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            parameters = []
            for p in op.get("parameters", []):
                schema = p.get("schema", {})
                items = schema.get("items", {}) if schema.get("type") == "array" else schema
                parameters.append({
                    "name": p["name"], "in": p.get("in", "query"),
                    "type": (f"{items.get('type', 'string')}[]" if schema.get("type") == "array"
                             else schema.get("type", "string")),
                    "enum": items.get("enum"), "required": p.get("required", False),
                    "description": p.get("description", ""),
                    "minimum": items.get("minimum"), "maximum": items.get("maximum"),
                    "default": items.get("default"),
                })
            out.append({"path": path, "method": method.upper(), "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "parameters": parameters,
                        "responses": {code: r.get("description", "")
                                      for code, r in op.get("responses", {}).items()},
                        "anchor": f"{method}-{path.strip('/').replace('/', '-')}"
                                  .replace("{", "").replace("}", "")})
    return out


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> Response:
    spec = request.app.openapi()
    problems = [(slug, title, status) for status, (slug, title) in sorted(TYPES.items())]
    return html(request, "docs.html", {"spec": spec, "operations": operations(spec),
                                       "problems": problems})
