"""A static SVG map of Norway's 11 fylker (2020), coloured by number of examples in the bank.

Geometry: `data/fylker-2020.geojson` (© Kartverket, CC BY 4.0, see data/SOURCES.md). It is
projected (sinusoidal around 15° E, which keeps Norway's shape at these latitudes), scaled to a
small view box, simplified with Douglas–Peucker at ~half a pixel, islands smaller than a few
pixels dropped and coordinates written as relative whole numbers — about 20 KB instead of
330 KB, computed once per process. Each fylke is a link to its region page; the caller adds a
table with the same numbers as the text alternative.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache


from generator.base.html import SafeHtml
from generator.load.reference import data_path

WIDTH = 300            # view box width; height follows the shape of the country
TOLERANCE = 0.6        # Douglas–Peucker tolerance, in view box units
MIN_AREA = 3.0         # drop rings (islands) smaller than this, in square units
CREDIT = "Kartgrunnlag: © Kartverket, CC BY 4.0"
BINS = ((0, 0), (1, 9), (10, 99), (100, 999), (1000, None))


def _project(lon: float, lat: float) -> tuple[float, float]:
    return (lon - 15.0) * math.cos(math.radians(lat)), -lat


def _simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas–Peucker (iterative) on an open polyline."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-12
        best, idx = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            d = abs(dy * (px - x1) - dx * (py - y1)) / norm if (dx or dy) \
                else math.hypot(px - x1, py - y1)
            if d > best:
                best, idx = d, i
        if idx > 0 and best > tol:
            keep[idx] = True
            stack.extend(((a, idx), (idx, b)))
    return [p for p, k in zip(points, keep) if k]


def _area(ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


@lru_cache(maxsize=1)
def shapes() -> tuple[tuple[dict[str, str], dict[str, str]], int]:
    """({fylkesnummer: svg path data}, {fylkesnummer: name}), view box height."""
    data = json.loads(data_path("fylker-2020.geojson").read_text(encoding="utf-8"))
    rings_by_fylke: dict[str, list[list[tuple[float, float]]]] = {}
    names: dict[str, str] = {}
    for f in data["features"]:
        nr = f["properties"]["fylkesnummer"]
        names[nr] = f["properties"]["navn"]
        polys = f["geometry"]["coordinates"]
        if f["geometry"]["type"] == "Polygon":
            polys = [polys]
        rings_by_fylke[nr] = [[_project(lon, lat) for lon, lat, *_ in ring]
                              for poly in polys for ring in poly]
    xs = [x for rings in rings_by_fylke.values() for r in rings for x, _ in r]
    ys = [y for rings in rings_by_fylke.values() for r in rings for _, y in r]
    scale = WIDTH / (max(xs) - min(xs))
    x0, y0 = min(xs), min(ys)
    height = math.ceil((max(ys) - y0) * scale)
    paths: dict[str, str] = {}
    for nr, rings in sorted(rings_by_fylke.items()):
        parts = []
        for ring in rings:
            pts = [((x - x0) * scale, (y - y0) * scale) for x, y in ring]
            if _area(pts) < MIN_AREA:
                continue
            pts = _simplify(pts, TOLERANCE)
            ints: list[tuple[int, int]] = []
            for x, y in pts:
                p = (round(x), round(y))
                if not ints or ints[-1] != p:
                    ints.append(p)
            if len(ints) < 4:
                continue
            cmd = [f"M{ints[0][0]} {ints[0][1]}l"]
            rel = []
            for (ax, ay), (bx, by) in zip(ints, ints[1:]):
                rel.append(f"{bx - ax} {by - ay}")
            parts.append(cmd[0] + " ".join(rel).replace(" -", "-") + "z")
        paths[nr] = "".join(parts)
    return (paths, names), height


def bin_of(count: int) -> int:
    for i, (lo, hi) in enumerate(BINS):
        if count >= lo and (hi is None or count <= hi):
            return i
    return len(BINS) - 1


def bin_label(i: int) -> str:
    lo, hi = BINS[i]
    if hi is None:
        return f"{lo} eller flere"
    return str(lo) if lo == hi else f"{lo}–{hi}"


def svg(render, counts: dict[str, int], hrefs: dict[str, str], titles: dict[str, str],
        map_id: str = "kart") -> SafeHtml:
    """The map (templates/norgeskart.svg.html). counts/hrefs/titles are keyed by fylkesnummer."""
    (paths, names), height = shapes()
    fylker = [{"href": hrefs[nr], "title": titles.get(nr, names[nr]), "d": d,
               "bin": bin_of(counts.get(nr, 0))} for nr, d in paths.items()]
    return render("norgeskart.svg.html", id=map_id, width=WIDTH, height=height, fylker=fylker,
                  bins=[(i, bin_label(i)) for i in range(len(BINS))], credit=CREDIT)
