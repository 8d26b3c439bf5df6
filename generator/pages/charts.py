"""Static SVG bar charts, built once at build time (no JavaScript needed to see them).

Why hand-written SVG and not a charting library (see docs/status-diagrammer.md): every chart here
is the same small thing — horizontal bars of «n av N kommuner», stacked — and the one hard
requirement is that a figure that was not reported is *visibly missing*, in place, never drawn as
0. pygal drops None values silently, loads its tooltip JavaScript from a CDN by default and emits
random element ids (non-reproducible builds, ~20 KB per chart); matplotlib would add ~40 MB of
dependencies and renders text as glyph paths. This module is ~150 lines, deterministic, emits
~2–4 KB per chart, and is tested through the built pages.

Each chart is a <figure>: the SVG (role="img", <title> and <desc> with every number in words),
and the caption. The same numbers are always also given in a real <table> by the caller.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

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


def h(text) -> str:
    return escape(str(text), quote=True)


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


def stacked_bars(chart_id: str, title: str, rows: list[Row], legend: tuple[str, ...]) -> str:
    """A <figure> with an SVG bar per row; segments are shares of the row's total."""
    y = 4
    body = []
    for row in rows:
        label = h(row.label)
        if row.href:
            label = f'<a href="{h(row.href)}">{label}</a>'
        body.append(f'<text class="eb-c-label" x="0" y="{y + 12}">{label}</text>')
        by = y + LABEL_H
        if not row.reported:
            body.append(f'<rect class="eb-c-missing" x="0" y="{by}" width="{WIDTH}" '
                        f'height="{BAR_H}"/><text class="eb-c-missing-text" x="8" '
                        f'y="{by + 13}">{MISSING}</text>')
            y = by + BAR_H + GAP
            continue
        body.append(f'<rect class="eb-c-rest" x="0.5" y="{by + 0.5}" width="{WIDTH - 1}" '
                    f'height="{BAR_H - 1}"/>')
        x = 0.0
        missing = []
        for i, seg in enumerate(row.segments):
            if seg.value is None:
                missing.append(seg.label)
                continue
            w = WIDTH * seg.value / row.total
            cls = SEGMENT_CLASSES[(i if seg.colour < 0 else seg.colour) % len(SEGMENT_CLASSES)]
            body.append(f'<rect class="{cls}" x="{x:.1f}" y="{by}" width="{w:.1f}" '
                        f'height="{BAR_H}"/>')
            if w >= 34:
                body.append(f'<text class="{cls}-text" x="{x + 4:.1f}" y="{by + 13}">'
                            f'{percent(seg.value, row.total)}</text>')
            x += w
        y = by + BAR_H
        if missing:
            body.append(f'<text class="eb-c-note" x="0" y="{y + 12}">'
                        f'{h(", ".join(missing))}: {MISSING}</text>')
            y += NOTE_H
        y += GAP
    height = y
    desc = " ".join(describe(r) for r in rows)
    keys = "".join(f'<li><span class="eb-c-key {SEGMENT_CLASSES[i % 3]}" aria-hidden="true">'
                   f'</span>{h(text)}</li>' for i, text in enumerate(legend))
    keys += (f'<li><span class="eb-c-key eb-c-missing" aria-hidden="true"></span>'
             f'{MISSING}</li>')
    return (f'<figure class="eb-diagram" id="{h(chart_id)}">'
            f'<figcaption id="{h(chart_id)}-caption">{h(title)}</figcaption>'
            f'<svg viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
            f'aria-labelledby="{h(chart_id)}-title {h(chart_id)}-desc" '
            f'xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{h(chart_id)}-title">{h(title)}</title>'
            f'<desc id="{h(chart_id)}-desc">{h(desc)}</desc>'
            + "".join(body) +
            f'</svg><ul class="eb-c-legend" aria-hidden="true">{keys}</ul></figure>')
