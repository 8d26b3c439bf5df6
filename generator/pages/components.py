"""Building blocks shared by every page generator: the GeneratedPage type, example cards and
paginated listings (their markup is in templates/, rendered by fragments.py). No page logic
lives here, so the page modules (`pages`, `status`, `discovery`) can all use it without
depending on each other.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

from markupsafe import escape

from generator.base.html import SafeHtml
from generator.base.settings import Settings
from generator.base.text import plural
from generator.model import Bank, Example, urls
from generator.pages.fragments import Fragments


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    markdown: str       # front matter + the page's HTML (what the engine reads as the source)
    body_start: int = 0  # where the HTML starts in `markdown`
    searchable: bool = True  # False: left out of the search index (`search: {exclude: true}`)
    # the front matter as data: what a YAML reader makes of it (tests/test_components.py), so
    # an engine adapter need not parse it again
    meta: dict = field(default_factory=dict, compare=False, hash=False)
    # other examples whose title the page shows («Lignende eksempler»): serve's page memo
    # (pipeline/incremental.py) makes the page again when one of them changes
    shows: tuple = field(default=(), compare=False, hash=False)

    @property
    def body(self) -> str:
        return self.markdown[self.body_start:]


def _front_matter(**meta) -> str:
    # JSON is valid YAML and escapes everything that could end the string.
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def page(src_uri: str, title: str, body: SafeHtml, **meta) -> GeneratedPage:
    # mkdocs-material writes page.meta.title and .description into <title>, the header and
    # <meta content="…"> without escaping (no autoescape): escape them here, once.
    if meta.get("description") is not None:
        meta["description"] = str(escape(meta["description"]))
    meta = {"title": str(escape(title)), **{k: v for k, v in meta.items() if v is not None}}
    front = _front_matter(**meta)
    searchable = not (meta.get("search") or {}).get("exclude")
    return GeneratedPage(src_uri, front + str(body), len(front), searchable, meta)


# Pages that only list examples (continuation pages, «Alle eksempler»): their cards are not
# indexed anyway (data-pagefind-ignore), so they would be search hits without content, and
# every indexed page adds to the data a first search downloads (Pagefind's page list).
NOT_SEARCHED = {"exclude": True}


# where an href that is a path relative to the page starts (no scheme, not absolute, not only a
# fragment): a card is kept split there, and joined with each page's way up to the root
_RELATIVE_HREF = re.compile(r'(?<= href=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)')


# -- components -----------------------------------------------------------------------------

class Components:
    def __init__(self, bank: Bank, settings: Settings,
                 cards: dict[tuple[str, int], tuple[Example, list[str]]] | None = None,
                 mark=None, lists: dict | None = None):
        """`cards`: made cards by (example, level) — kept between builds in serve
        (incremental.PageMemo.cards), where an unchanged example is the same object."""
        self.bank, self.settings, self.ref = bank, settings, bank.reference
        self.fragments = Fragments(settings.theme_dir)
        self.render = self.fragments.render
        self._cards = {} if cards is None else cards
        # serve: made card lists by (page, level, examples) — kept between rebuilds
        # (incremental.PageMemo.card_lists); a listing whose examples are the same objects
        # as last time is the same HTML (≈ 45 000 cards at 5 000 entries, most unchanged)
        self._lists = lists
        self.prize_page = (settings.docs_dir / urls.PRIZE_PAGE).is_file()
        self.form, self.guide = urls.propose(settings)
        # wraps generated HTML that goes into a content page's Markdown (render/content.py)
        self.mark = mark or str

    def card(self, e: Example, from_uri: str, level: int = 3) -> SafeHtml:
        """The example's card on the page `from_uri`. An example is listed on about nine pages
        (44 000 cards at 5 000 entries): its card is made once, for the site root, and each
        page puts its way up to the root (`../` × depth) in front of its relative links."""
        hit = self._cards.get((e.src_uri, level))
        if hit is None or hit[0] is not e:
            made = self.make_card(e, "index.md", level)
            hit = self._cards[(e.src_uri, level)] = (e, _RELATIVE_HREF.split(made))
        # the parts are template output; only relative links get the way up in front
        return SafeHtml(urls.to_root(from_uri).join(hit[1]))

    def make_card(self, e: Example, from_uri: str, level: int = 3) -> SafeHtml:
        return self.render("kort.html", e=e, level=level, from_uri=from_uri,
                           regions=[r.navn for r in self.bank.embeter_of(e)],
                           areas=[self.ref.innsatsomrader[s] for s in e.innsatsomrader])

    def cards(self, examples: Iterable[Example], from_uri: str, level: int = 3) -> SafeHtml:
        examples = tuple(examples)
        if self._lists is not None:
            key = (from_uri, level, tuple(map(id, examples)))
            hit = self._lists.get(key)
            # the memo keeps its examples alive, so `is` proves they are the same
            if hit is not None and all(a is b for a, b in zip(hit[0], examples)):
                return hit[1]
        made = self.render("kortliste.html",
                           cards=[self.card(e, from_uri, level) for e in examples])
        if self._lists is not None:
            self._lists[key] = (examples, made)
        return made

    def pager(self, first_uri: str, current: int, total: int) -> list[dict]:
        if total <= 1:
            return []
        here = first_uri if current == 1 else urls.continuation(first_uri, current)

        def item(n: int, text: str, rel: str = "") -> dict:
            to = first_uri if n == 1 else urls.continuation(first_uri, n)
            return {"kind": "link", "href": urls.href(here, to), "text": text, "rel": rel}

        items = []
        if current > 1:
            items.append(item(current - 1, "← Forrige side", "prev"))
        for n in _page_window(current, total):
            if n is None:
                items.append({"kind": "gap"})
            elif n == current:
                items.append({"kind": "current", "n": n})
            else:
                items.append(item(n, f"Side {n}"))
        if current < total:
            items.append(item(current + 1, "Neste side →", "next"))
        return items

    def remembered(self, key: tuple, examples: list[Example], make: Callable[[], list]) -> list:
        """`make()` — the pages of one place that lists `examples` —, or in serve what it made
        last time for `key` if the examples are the same objects in the same order (an
        unchanged example is the same object between rebuilds, incremental.EntryCache) and the
        settings are equal. `key` holds everything else the pages show. A build always makes
        them."""
        if self._lists is None:
            return make()
        key = ("\0pages",) + key + (self.settings, self.prize_page, len(examples))
        hit = self._lists.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], examples)):
            return hit[1]
        made = make()
        self._lists[key] = (tuple(examples), made)
        return made

    def paginated(self, first_uri: str, title: str, examples: list[Example], *,
                  heading: str = "Eksempler", intro: Callable[[str], SafeHtml] | None = None,
                  group_by_year: bool = False) -> tuple[SafeHtml, list[GeneratedPage]]:
        """Section for the first page, plus the continuation pages (2, 3, …). `intro(uri)`:
        a text above the list, made for each page (its relative links differ by page)."""
        per = self.settings.per_page
        chunks = [examples[i:i + per] for i in range(0, len(examples), per)] or [[]]
        total = len(chunks)
        first, extra = None, []
        for n, chunk in enumerate(chunks, start=1):
            uri = first_uri if n == 1 else urls.continuation(first_uri, n)
            text = intro(uri) if intro else ""
            key = None
            if self._lists is not None:
                # serve: a page of the same examples (objects) at the same place is the same
                # page — one edit remakes one page of «Alle eksempler», not all of its 100
                key = ("\0listing", uri, title, heading, group_by_year, self.form, self.guide,
                       n, total, len(examples), str(text), tuple(map(id, chunk)))
                hit = self._lists.get(key)
                if hit is not None and all(a is b for a, b in zip(hit[0], chunk)):
                    section, made = hit[1]
                    first = section if n == 1 else first
                    extra += [made] if made else []
                    continue
            years = None
            if group_by_year and examples:
                groups: dict[int, list[Example]] = defaultdict(list)
                for e in chunk:
                    groups[e.publisert.year].append(e)
                years = [(year, self.cards(items, uri, 4)) for year, items in groups.items()]
            section = self.render(
                "eksempler-seksjon.html", heading=heading, intro=text,
                total_text=plural(len(examples), "eksempel", "eksempler")
                + (f", side {n} av {total}" if total > 1 else ""),
                empty=not examples, years=years, form=self.form, guide=self.guide,
                cards=self.cards(chunk, uri) if examples and not years else "",
                pager=self.pager(first_uri, n, total))
            made = None
            if n == 1:
                first = section
            else:
                made = page(uri, f"{title} – side {n}", self.render(
                    "liste-side.html", title=title, n=n, uri=uri, first_uri=first_uri,
                    section=section), eb_type="liste", hide=["toc"], search=NOT_SEARCHED,
                    description=f"{title}: side {n} av {total} i listen over "
                                f"{plural(len(examples), 'eksempel', 'eksempler')}.")
                extra.append(made)
            if key is not None:
                self._lists[key] = (tuple(chunk), (section, made))
        return first, extra


def _page_window(current: int, total: int) -> list[int | None]:
    keep = {1, total, current - 1, current, current + 1}
    out: list[int | None] = []
    for n in range(1, total + 1):
        if n in keep:
            out.append(n)
        elif out and out[-1] is not None:
            out.append(None)
    return out
