"""The world map of the home page: country shapes built once, drawn as a server-side SVG.

Shapes come from Natural Earth's 1:110m admin-0 countries (public domain), as packaged in the
npm package ``world-atlas`` 2.0.2 (``countries-110m.json``, TopoJSON, ISC licence for the
packaging). :func:`build` decodes the TopoJSON once, projects it with the Equal Earth projection
(Šavrič, Patterson & Jenny 2018) and writes ``static/world-110m.json``: one compact SVG path
per country, keyed by ISO3 (mapped from the ISO 3166-1 numeric ids with pycountry). Rebuild::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m hrhlessons.web.worldmap package/countries-110m.json

:func:`choropleth` turns the shapes and a count per country into an SVG string; nothing in the
browser draws anything.
"""

from __future__ import annotations

import functools
import json
import math
import sys
from collections.abc import Callable, Mapping
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

ASSET = "world-110m.json"
WIDTH = 800.0
#: Antarctica (ISO numeric 010) is left out: no health-workforce programme is recorded there.
LEFT_OUT = {"010"}
#: Shapes without an ISO numeric id that the World Bank tables know by a code of their own.
NO_ISO_NUMERIC = {"Kosovo": "XKX"}
# Equal Earth constants (Šavrič et al. 2018).
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
_X_MAX = 2.7066297319215575  # x at lon = 180, lat = 0 (the widest point)
_Y_MAX = 1.3173627591574


def _equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    t = math.asin(_M * math.sin(phi))
    t2 = t * t
    t6 = t2 * t2 * t2
    x = lam * math.cos(t) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = t * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


def _decode_arcs(topology: Mapping[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _num(tenths: int) -> str:
    """A coordinate in tenths of a pixel, as short as SVG allows (``-0.5`` -> ``-.5``)."""
    text = f"{tenths / 10:g}"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def _join(numbers: list[str]) -> str:
    """SVG numbers with the fewest separators: a sign always starts a new number, a point only
    after a number that already has one (``.5.3`` is .5 then .3; ``0.3`` would be one number)."""
    out = numbers[0] if numbers else ""
    for prev, n in pairwise(numbers):
        glued = n.startswith("-") or (n.startswith(".") and "." in prev)
        out += n if glued else " " + n
    return out


def _path(rings: list[list[tuple[float, float]]], scale: float) -> str:
    """Rings as one SVG path: absolute start, relative steps on a 0.1-pixel grid."""
    parts = []
    for ring in rings:
        grid = []
        for lon, lat in ring:
            x, y = _equal_earth(lon, lat)
            grid.append((round((x + _X_MAX) * scale * 10), round((_Y_MAX - y) * scale * 10)))
        steps = [f"M{_num(grid[0][0])} {_num(grid[0][1])}"]
        px, py = grid[0]
        for gx, gy in grid[1:]:
            if (gx, gy) == (px, py):
                continue
            steps.append(f"{_num(gx - px)} {_num(gy - py)}")
            px, py = gx, gy
        if len(steps) > 2:
            parts.append(steps[0] + "l" + _join(" ".join(steps[1:]).split()) + "z")
    return "".join(parts)


def build(topojson_path: Path) -> dict[str, Any]:
    """The compact asset from world-atlas's ``countries-110m.json``."""
    import pycountry

    topology = json.loads(topojson_path.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    scale = WIDTH / (2 * _X_MAX)
    shapes = []
    for geom in topology["objects"]["countries"]["geometries"]:
        numeric = geom.get("id")
        if numeric in LEFT_OUT or geom.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        country = pycountry.countries.get(numeric=numeric) if numeric else None
        iso3 = country.alpha_3 if country else NO_ISO_NUMERIC.get(geom["properties"]["name"], "")
        shapes.append([iso3, geom["properties"]["name"], _path(rings, scale)])
    return {
        "source": "Natural Earth 1:110m admin-0 countries (public domain), via the npm package "
                  "world-atlas 2.0.2 (countries-110m.json); Equal Earth projection",
        "width": WIDTH,
        "height": round(2 * _Y_MAX * scale, 1),
        "shapes": sorted(shapes),
    }


@functools.cache
def shapes() -> dict[str, Any]:
    """The built asset, read once per process."""
    text = (resources.files("hrhlessons.web") / "static" / ASSET).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


#: Fill colours, light to dark (ColorBrewer "Blues", 5 classes; black text passes on all but
#: the last two, which carry no text).
SCALE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_CASES = "#f2f2f2"


def bins(counts: Mapping[str, int]) -> list[tuple[int, int]]:
    """Class limits ``(low, high)`` for the counts, at most :data:`SCALE` classes."""
    top = max(counts.values(), default=0)
    if top <= 0:
        return []
    limits = sorted({1, 2, 3, 5, 10, 20, 50, 100, 1000} | {top})
    out: list[tuple[int, int]] = []
    low = 1
    for limit in limits:
        if limit < low:
            continue
        out.append((low, min(limit, top)))
        low = limit + 1
        if low > top or len(out) == len(SCALE):
            break
    if out and out[-1][1] < top:
        out[-1] = (out[-1][0], top)
    return out


def colour(count: int, classes: list[tuple[int, int]]) -> str:
    for i, (low, high) in enumerate(classes):
        if low <= count <= high:
            return SCALE[i]
    return NO_CASES


def choropleth(counts: Mapping[str, int], link: Callable[[str], str],
               title: Callable[[str, str, int], str], label: str) -> Markup:
    """An SVG map filling each country by its count; countries with cases link to ``link``.

    The SVG is hidden from assistive technology (``aria-hidden``, links out of the tab order):
    the page gives the same counts as a table of links next to it.
    """
    data = shapes()
    classes = bins(counts)
    out = [f'<svg class="map" viewBox="0 0 {data["width"]:g} {data["height"]:g}" '
           f'aria-hidden="true" focusable="false"><desc>{escape(label)}</desc>']
    for iso3, name, d in data["shapes"]:
        n = counts.get(iso3, 0) if iso3 else 0
        fill = colour(n, classes) if n else NO_CASES
        tip = f"<title>{escape(title(iso3, name, n))}</title>"
        path = f'<path d="{d}" fill="{fill}">{tip}</path>'
        if n:
            out.append(f'<a href="{escape(link(iso3))}" tabindex="-1">{path}</a>')
        else:
            out.append(path)
    out.append("</svg>")
    return Markup("".join(out))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m hrhlessons.web.worldmap path/to/countries-110m.json",
              file=sys.stderr)
        return 2
    data = build(Path(args[0]))
    target = Path(__file__).parent / "static" / ASSET
    target.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n",
                      encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size:,} bytes, {len(data['shapes'])} shapes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
