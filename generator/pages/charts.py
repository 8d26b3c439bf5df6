"""Static SVG bar charts, built once at build time (no JavaScript needed to see them).

Why hand-written SVG and not a charting library (see docs/status-diagrammer.md): every chart here
is the same small thing — horizontal bars of «n av N kommuner», stacked — and the one hard
requirement is that a figure that was not reported is *visibly missing*, in place, never drawn as
0. pygal drops None values silently, loads its tooltip JavaScript from a CDN by default and emits
random element ids (non-reproducible builds, ~20 KB per chart); matplotlib would add ~40 MB of
dependencies and renders text as glyph paths. This module is ~150 lines, deterministic, emits
~2–4 KB per chart, and is tested through the built pages.

Each chart is a <figure> (templates/diagram.svg.html): the SVG (role="img", <title> and <desc> with every number in words),
and the caption. The same numbers are always also given in a real <table> by the caller.
"""
from __future__ import annotations

from dataclasses import dataclass

from generator.base.html import SafeHtml
from generator.base.text import format_int

WIDTH = 360
LABEL_H = 16       # label line
BAR_H = 18
NOTE_H = 15        # «ikke rapportert» note under a bar with some parts missing
GAP = 6
SEGMENT_CLASSES = ("eb-s1", "eb-s2", "eb-s3")
MISSING = "ikke rapportert"


@dataclass(frozen=True)
class Segment:
    label: str            # «har vedtak»
    value: int | None     # None = not reported
    colour: int = -1      # index into SEGMENT_CLASSES; -1 = by position


@dataclass(frozen=True)
class Row:
    label: str            # «Vestfold og Telemark»
    total: int | None     # the denominator (kommuner); None = not reported
    segments: tuple[Segment, ...]
    href: str | None = None

    @property
    def reported(self) -> bool:
        return self.total is not None and any(s.value is not None for s in self.segments)


def percent(part: int, total: int) -> str:
    return f"{round(100 * part / total)} %" if total else "–"


def describe(row: Row) -> str:
    """The row in words, with every number: the chart's text alternative."""
    if not row.reported:
        return f"{row.label}: {MISSING}."
    parts = [f"{s.label}: {format_int(s.value)} av {format_int(row.total)}"
             f" ({percent(s.value, row.total)})" if s.value is not None
             else f"{s.label}: {MISSING}" for s in row.segments]
    return f"{row.label}: " + "; ".join(parts) + "."


def stacked_bars(render, chart_id: str, title: str, rows: list[Row],
                 legend: tuple[str, ...]) -> SafeHtml:
    """A <figure> with an SVG bar per row; segments are shares of the row's total. The geometry
    is computed here, the markup is templates/diagram.svg.html (`render`: Fragments.render)."""
    y = 4
    shapes: list[dict] = []
    for row in rows:
        shapes.append({"kind": "label", "y": y + 12, "text": row.label, "href": row.href})
        by = y + LABEL_H
        if not row.reported:
            shapes.append({"kind": "missing", "y": by, "h": BAR_H})
            y = by + BAR_H + GAP
            continue
        shapes.append({"kind": "rest", "y": by, "h": BAR_H})
        x = 0.0
        missing = []
        for i, seg in enumerate(row.segments):
            if seg.value is None:
                missing.append(seg.label)
                continue
            w = WIDTH * seg.value / row.total
            cls = SEGMENT_CLASSES[(i if seg.colour < 0 else seg.colour) % len(SEGMENT_CLASSES)]
            shapes.append({"kind": "bar", "cls": cls, "x": f"{x:.1f}", "y": by, "w": f"{w:.1f}",
                           "h": BAR_H, "tx": f"{x + 4:.1f}",
                           "text": percent(seg.value, row.total) if w >= 34 else ""})
            x += w
        y = by + BAR_H
        if missing:
            shapes.append({"kind": "note", "y": y + 12, "text": ", ".join(missing)})
            y += NOTE_H
        y += GAP
    keys = [(SEGMENT_CLASSES[i % 3], text) for i, text in enumerate(legend)]
    keys.append(("eb-c-missing", MISSING))
    return render("diagram.svg.html", id=chart_id, title=title, width=WIDTH, height=y,
                  desc=" ".join(describe(r) for r in rows), shapes=shapes, legend=keys,
                  missing=MISSING)
