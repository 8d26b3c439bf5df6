"""Building blocks shared by every page generator: the GeneratedPage type, escaping, relative
links, example cards and paginated listings. No page logic lives here, so the page modules
(`pages`, `statuspages`, `discovery`) can all use it without depending on each other.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from typing import Iterable

from generator.model import urls
from generator.model import Bank, Example
from generator.base.settings import Settings
from generator.base.text import format_date, plural


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    markdown: str       # front matter + the page's HTML (what the engine reads as the source)
    body_start: int = 0  # where the HTML starts in `markdown`
    searchable: bool = True  # False: left out of the search index (`search: {exclude: true}`)
    # the front matter as data: what a YAML reader makes of it (tests/test_components.py), so
    # an engine adapter need not parse it again
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def body(self) -> str:
        return self.markdown[self.body_start:]


def _front_matter(**meta) -> str:
    # JSON is valid YAML and escapes everything that could end the string.
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def page(src_uri: str, title: str, body: str, **meta) -> GeneratedPage:
    # mkdocs-material writes page.meta.title and .description into <title>, the header and
    # <meta content="…"> without escaping (no autoescape): escape them here, once.
    if meta.get("description") is not None:
        meta["description"] = h(meta["description"])
    meta = {"title": h(title), **{k: v for k, v in meta.items() if v is not None}}
    front = _front_matter(**meta)
    searchable = not (meta.get("search") or {}).get("exclude")
    return GeneratedPage(src_uri, front + body, len(front), searchable, meta)


# Pages that only list examples (continuation pages, «Alle eksempler»): their cards are not
# indexed anyway (data-pagefind-ignore), so they would be search hits without content, and
# every indexed page adds to the data a first search downloads (Pagefind's page list).
NOT_SEARCHED = {"exclude": True}


# where an href that is a path relative to the page starts (no scheme, not absolute, not only a
# fragment): a card is kept split there, and joined with each page's way up to the root
_RELATIVE_HREF = re.compile(r'(?<= href=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)')


def h(text) -> str:
    return escape(str(text), quote=True)


# -- components -----------------------------------------------------------------------------

class Components:
    def __init__(self, bank: Bank, settings: Settings,
                 cards: dict[tuple[str, int], tuple[Example, list[str]]] | None = None):
        """`cards`: made cards by (example, level) — kept between builds in serve
        (incremental.PageMemo.cards), where an unchanged example is the same object."""
        self.bank, self.settings, self.ref = bank, settings, bank.reference
        self._cards = {} if cards is None else cards

    def link(self, from_uri: str, to_uri: str, text: str, **attrs) -> str:
        extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{h(v)}"' for k, v in attrs.items())
        return f'<a href="{h(urls.href(from_uri, to_uri))}"{extra}>{h(text)}</a>'

    def source_links(self, e: Example) -> str:
        """Visible links under an example (the theme's edit button is only an icon)."""
        edit = urls.repository(self.settings, "edit", e.path)
        view = urls.repository(self.settings, "blob", e.path)
        if not edit:
            return ""
        return (f'<p class="eb-rediger"><a href="{h(edit)}" rel="noopener">Foreslå endring i '
                f'dette eksemplet</a> (på GitHub) · <a href="{h(view)}" rel="noopener">'
                f"Se kildefilen</a></p>\n")

    def kommune_names(self, e: Example, from_uri: str | None = None) -> str:
        parts = []
        for k in e.kommuner:
            name = f"{k.navn} kommune"
            parts.append(self.link(from_uri, urls.kommune(k), name) if from_uri else h(name))
        return ", ".join(parts)

    def chips(self, e: Example, from_uri: str) -> str:
        items = "".join(
            f'<li>{self.link(from_uri, self.ref.innsatsomrader[s].src_uri, self.ref.innsatsomrader[s].navn, class_="eb-chip eb-chip--" + s)}</li>'
            for s in e.innsatsomrader)
        return f'<ul class="eb-chips" aria-label="Innsatsområder">{items}</ul>'

    def card(self, e: Example, from_uri: str, level: int = 3) -> str:
        """The example's card on the page `from_uri`. An example is listed on about nine pages
        (44 000 cards at 5 000 entries): its card is made once, for the site root, and each
        page puts its way up to the root (`../` × depth) in front of its relative links."""
        hit = self._cards.get((e.src_uri, level))
        if hit is None or hit[0] is not e:
            made = self.make_card(e, "index.md", level)
            hit = self._cards[(e.src_uri, level)] = (e, _RELATIVE_HREF.split(made))
        return urls.to_root(from_uri).join(hit[1])

    def make_card(self, e: Example, from_uri: str, level: int = 3) -> str:
        regions = ", ".join(r.navn for r in self.bank.embeter_of(e))
        lang = f' lang="{e.sprak}"' if e.sprak != "nb" else ""
        synthetic = '<p class="eb-kort__syntetisk">Syntetisk testeksempel</p>' if e.synthetic else ""
        return (
            f'<article class="eb-kort"{lang}>'
            f'<h{level} class="eb-kort__tittel">{self.link(from_uri, e.src_uri, e.tittel)}</h{level}>'
            f'<p class="eb-kort__meta">{self.kommune_names(e)} · {h(regions)} · '
            f'<time datetime="{e.publisert.isoformat()}">{format_date(e.publisert)}</time></p>'
            f'{synthetic}<p class="eb-kort__sammendrag">{h(e.sammendrag)}</p>'
            f'{self.chips(e, from_uri)}</article>')

    def cards(self, examples: Iterable[Example], from_uri: str, level: int = 3) -> str:
        inner = "\n".join(self.card(e, from_uri, level) for e in examples)
        return f'<div class="eb-kort-liste" data-pagefind-ignore="all">\n{inner}\n</div>'

    def pager(self, first_uri: str, current: int, total: int) -> str:
        if total <= 1:
            return ""
        here = first_uri if current == 1 else urls.continuation(first_uri, current)

        def uri(n: int) -> str:
            return first_uri if n == 1 else urls.continuation(first_uri, n)

        items = []
        if current > 1:
            items.append(f'<li>{self.link(here, uri(current - 1), "← Forrige side", rel="prev")}</li>')
        for n in _page_window(current, total):
            if n is None:
                items.append('<li aria-hidden="true">…</li>')
            elif n == current:
                items.append(f'<li><span aria-current="page">Side {n}</span></li>')
            else:
                items.append(f'<li>{self.link(here, uri(n), f"Side {n}")}</li>')
        if current < total:
            items.append(f'<li>{self.link(here, uri(current + 1), "Neste side →", rel="next")}</li>')
        return (f'<nav class="eb-sider" aria-label="Sider i listen">'
                f'<ul>{"".join(items)}</ul></nav>')

    def paginated(self, first_uri: str, title: str, examples: list[Example], *,
                  heading: str = "Eksempler", intro: str = "", group_by_year: bool = False
                  ) -> tuple[str, list[GeneratedPage]]:
        """Section for the first page, plus the continuation pages (2, 3, …)."""
        per = self.settings.per_page
        chunks = [examples[i:i + per] for i in range(0, len(examples), per)] or [[]]
        total = len(chunks)
        sections, extra = [], []
        for n, chunk in enumerate(chunks, start=1):
            uri = first_uri if n == 1 else urls.continuation(first_uri, n)
            count = (f'<p class="eb-antall">{plural(len(examples), "eksempel", "eksempler")}'
                     + (f", side {n} av {total}" if total > 1 else "") + "</p>")
            if not examples:
                body = '<p class="eb-tom">Ingen eksempler ennå.</p>'
            elif group_by_year:
                body = self.by_year(chunk, uri)
            else:
                body = self.cards(chunk, uri)
            section = (f'<section class="eb-eksempler" aria-labelledby="eksempler">\n'
                       f'<h2 id="eksempler">{h(heading)}</h2>\n{intro}{count}\n{body}\n'
                       f'{self.pager(first_uri, n, total)}\n</section>')
            if n == 1:
                sections.append(section)
            else:
                back = self.link(uri, first_uri, f"Tilbake til {title}")
                extra.append(page(uri, f"{title} – side {n}",
                                  f"<h1>{h(title)} – side {n}</h1>\n<p>{back}</p>\n\n{section}\n",
                                  eb_type="liste", hide=["toc"], search=NOT_SEARCHED))
        return sections[0], extra

    def by_year(self, examples: list[Example], from_uri: str) -> str:
        groups: dict[int, list[Example]] = defaultdict(list)
        for e in examples:
            groups[e.publisert.year].append(e)
        return "\n".join(f'<h3 class="eb-aar">{year}</h3>\n{self.cards(items, from_uri, 4)}'
                         for year, items in groups.items())


def _page_window(current: int, total: int) -> list[int | None]:
    keep = {1, total, current - 1, current, current + 1}
    out: list[int | None] = []
    for n in range(1, total + 1):
        if n in keep:
            out.append(n)
        elif out and out[-1] is not None:
            out.append(None)
    return out
