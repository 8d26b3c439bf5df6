"""Stage 4: the pages, as Markdown (with HTML blocks we build and escape ourselves).

Pure functions of the Bank; the engine adapter turns each GeneratedPage into a virtual file and
calls `augment` for content pages that ask for generated sections (`eb_side:` in front matter,
or the innsatsområde/løsning pages). This module composes the whole set explicitly: the status
dashboards (`statuspages`) and the search page (`discovery`) are called from here, and all of
them build on the shared blocks in `components`. Every listing is paginated, so no page grows with the bank.
Entry bodies arrive here already rendered and sanitised (render stage); everything else from an
entry is escaped here.
"""
from __future__ import annotations

from dataclasses import replace

import re
from collections import defaultdict
from collections.abc import Iterator

from markupsafe import escape

from generator.base.settings import Settings
from generator.base.text import plural, sort_key
from generator.model import (LANGUAGES, LICENCE_URL, STOTTE_ROLLER, Bank,
                              Example, Kommune, taxonomy, urls)
from generator.pages import discovery
from generator.pages import related as similar
from generator.pages import status as statuspages
from generator.base.html import SafeHtml
from generator.pages.components import NOT_SEARCHED, Components, GeneratedPage, page
from generator.pages.fragments import Fragments



# -- example pages --------------------------------------------------------------------------

def facts(c: Components, e: Example, uri: str) -> tuple[list[dict], list[str]]:
    """The facts box: a row per taxonomy (model/taxonomy.py), each term with its Pagefind filter
    and a link to its page where it has one; and the filters of taxonomies without a row."""
    ref, rows, filters = c.ref, [], []
    for tax in taxonomy.ranked(c.bank.taxonomies):
        terms = list(tax.terms(e, ref))
        if not tax.facts or (tax.hide_empty and not terms):
            filters.extend(f"{tax.key}:{t}" for t in terms)
            continue
        shown = []
        for t in terms:
            target = tax.page(ref, t)
            shown.append({"term": t, "name": (tax.fact or tax.name)(ref, t),
                          "href": urls.href(uri, target) if target else None})
        rows.append({"key": tax.key, "label": tax.label if len(terms) == 1 else tax.plural,
                     "terms": shown, "empty": tax.empty, "meta": tax.meta})
    return rows, filters


def example_page(c: Components, e: Example) -> GeneratedPage:
    uri = e.src_uri
    rows, filters = facts(c, e, uri)
    shown = similar.related(c.bank, e)
    body = c.render("eksempel.html", e=e, facts=rows, filters=filters,
                    sprak=LANGUAGES.get(e.sprak, e.sprak),
                    pris_uri=urls.href(uri, urls.PRIZE_PAGE) if e.pris and c.prize_page else None,
                    edit=urls.repository(c.settings, "edit", e.path),
                    view=urls.repository(c.settings, "blob", e.path),
                    related=[{"href": urls.href(uri, o.src_uri), "tittel": o.tittel,
                              "kommuner": ", ".join(k.navn for k in o.kommuner)}
                             for o in shown])
    made = page(uri, e.tittel, body + structured(c, e), description=e.sammendrag,
                eb_type="eksempel",
                eb_source=e.path, eb_updated=e.sist_oppdatert.isoformat(), hide=["toc"])
    return replace(made, shows=tuple(shown))


# -- tag pages ------------------------------------------------------------------------------

def structured(c: Components, e: Example) -> SafeHtml:
    """schema.org metadata of an example (JSON-LD, a data block the browser never runs), for
    search engines and other harvesters: what it is about, where, when, its sources, licence.
    Not repeated from the page's own markup (issue 18, lean pages): the summary (the page's
    <meta name="description">), the language when it is the site's (<html lang>), the site,
    the address (<link rel="canonical">), a last change on the day it was published."""
    ref = c.ref
    data = {
        "@context": "https://schema.org", "@type": "Article", "headline": e.tittel,
        **({"inLanguage": e.sprak} if e.sprak != "nb" else {}),
        "datePublished": e.publisert.isoformat(),
        **({"dateModified": e.sist_oppdatert.isoformat()}
           if e.sist_oppdatert != e.publisert else {}),
        "about": [{"@type": "Thing", "name": ref.innsatsomrader[s].navn} for s in e.innsatsomrader]
                 + [{"@type": "Thing", "name": ref.losninger[s].navn} for s in e.losninger],
        "spatialCoverage": [{"@type": "AdministrativeArea", "name": f"{k.navn} kommune",
                             "identifier": k.nummer} for k in e.kommuner],
        "citation": [{"@type": "CreativeWork", "name": k.tittel, **({"url": k.url} if k.url else {})}
                     for k in e.kilder],
        "license": LICENCE_URL,
    }
    return c.render("strukturert.html", data=data)


def region_pages(c: Components) -> list[GeneratedPage]:
    ref, bank, settings = c.ref, c.bank, c.settings
    out, rows = [], []
    for emb in ref.embeter.values():
        uri = urls.region(emb)
        kommuner = ref.kommuner_in(emb)
        fylker = [ref.fylker[nr].navn for nr in emb.fylker]
        examples = bank.tagged("region", emb.slug)
        rows.append({"uri": uri, "navn": emb.navn, "fylker": fylker,
                     "kommuner": len(kommuner), "eksempler": len(examples)})
        section, extra = c.paginated(uri, emb.navn, examples)
        body = c.render(
            "region.html", uri=uri, region=emb, fylker=fylker, count=len(examples),
            kommuner=[({"uri": urls.kommune(k), "navn": k.navn},
                       len(bank.tagged("kommune", k.slug))) for k in kommuner],
            status=statuspages.region_section(c, emb, uri), section=section,
            stotte=bank.stotteapparat.get(emb.slug, ()), roller=STOTTE_ROLLER)
        out.append(page(uri, emb.navn, body, eb_type="region", eb_region=emb.slug,
                        hide=["toc"], description=(
                            f"Leve hele livet i {emb.navn} ({', '.join(fylker)}): "
                            f"{plural(len(examples), 'eksempel', 'eksempler')} fra kommunene, "
                            "status fra statsforvalteren og støtteapparatet i regionen.")))
        out.extend(extra)
    out.append(page(urls.REGIONS_INDEX, "Regioner", c.render(
        "regioner.html", uri=urls.REGIONS_INDEX, rows=rows,
        map=statuspages.map_section(c, urls.REGIONS_INDEX)), eb_type="regioner",
        description="Eksempler og status for Leve hele livet i de ti regionene, fylke for "
                    "fylke, med kart og tabell."))
    return out


def kommune_pages(c: Components) -> list[GeneratedPage]:
    ref, bank = c.ref, c.bank
    out = []
    by_fylke: dict[str, list[Kommune]] = defaultdict(list)
    for term, examples in bank.terms_in_use("kommune").items():
        k = ref.kommune_by_slug[term]
        by_fylke[k.fylke].append(k)
        uri = urls.kommune(k)
        fylke = ref.fylker[k.fylke]
        emb = ref.embeter[fylke.embete]
        # «Herøy kommune (Nordland)»: two kommuner share the name, their pages must not
        title = f"{k.navn} kommune" + (f" ({fylke.navn})" if ref.shares_name(k) else "")

        def made(uri=uri, title=title, examples=examples, k=k, fylke=fylke, emb=emb):
            section, extra = c.paginated(uri, title, examples)
            body = c.render("kommune.html", uri=uri, title=title, k=k, fylke=fylke,
                            region=emb, region_uri=urls.region(emb), section=section)
            return [page(uri, title, body, eb_type="kommune", eb_kommune=k.nummer,
                         hide=["toc"], description=(
                             f"{plural(len(examples), 'eksempel', 'eksempler')} fra {title} "
                             f"({fylke.navn}) i arbeidet med Leve hele livet, "
                             "kvalitetsreformen for eldre.")), *extra]
        # serve: one edit changes one kommune's pages; the other 355 are kept (a kommune
        # page shows its examples' cards and the reference data's names, nothing else)
        out.extend(c.remembered(("kommune", uri, title, k, fylke, emb), examples, made))
    groups = []
    for fylke in sorted(ref.fylker.values(), key=lambda f: sort_key(f.navn)):
        ks = sorted(by_fylke.get(fylke.nummer, []), key=lambda k: sort_key(k.navn))
        if ks:
            groups.append((fylke.navn, [({"uri": urls.kommune(k), "title": k.navn},
                                         len(bank.tagged("kommune", k.slug))) for k in ks]))
    out.append(page(urls.KOMMUNER_INDEX, "Kommuner", c.render(
        "kommuner.html", uri=urls.KOMMUNER_INDEX, count=len(bank.terms_in_use("kommune")),
        groups=groups), eb_type="kommuner",
        description=f"{plural(len(bank.terms_in_use('kommune')), 'kommune', 'kommuner')} med "
                    "eksempler i erfaringsbanken for Leve hele livet, ordnet etter fylke."))
    return out


def all_examples_pages(c: Components) -> list[GeneratedPage]:
    out = []
    newest = c.bank.examples
    oldest = list(reversed(newest))
    for uri, title, items, other_uri, other_text in (
            (urls.EXAMPLES_INDEX, "Alle eksempler", newest, urls.EXAMPLES_OLDEST, "Eldste først"),
            (urls.EXAMPLES_OLDEST, "Alle eksempler, eldste først", oldest, urls.EXAMPLES_INDEX,
             "Nyeste først")):
        def sort(here: str, other_uri=other_uri, other_text=other_text) -> SafeHtml:
            return c.render("sortering.html", uri=here, other_uri=other_uri,
                            other_text=other_text, search_uri=urls.SEARCH_PAGE)
        section, extra = c.paginated(uri, title, items, heading="Eksempler etter år",
                                     intro=sort, group_by_year=True)
        out.append(page(uri, title, c.render("alle-eksempler.html", title=title,
                                             section=section),
                        eb_type="liste", hide=["toc"], search=NOT_SEARCHED, description=(
                            f"Alle {plural(len(items), 'eksempel', 'eksempler')} i "
                            "erfaringsbanken for Leve hele livet, "
                            + ("nyeste" if items is newest else "eldste") + " først.")))
        out.extend(extra)
    return out


def generate(bank: Bank, settings: Settings, memo=None, cards: dict | None = None
             ) -> list[GeneratedPage]:
    """Every page that exists only because of the data, as a list (see `each`)."""
    return list(each(bank, settings, memo=memo, cards=cards))


def each(bank: Bank, settings: Settings, memo=None, cards: dict | None = None
         ) -> Iterator[GeneratedPage]:
    """Every page that exists only because of the data, one at a time: a build hands each on
    (to the engine, compressed, and to the search index) before the next is made, so the pages
    are never all in memory at once (≈ 190 MB at 5 000 entries). `memo` (incremental.PageMemo,
    in serve) reuses the page of every example that did not change; `cards`: the build's made
    cards, shared with the content pages' listings (`augment`)."""
    c = Components(bank, settings, cards=memo.cards if memo is not None else cards,
                   lists=memo.card_lists if memo is not None else None)
    if memo is None:
        for e in bank.examples:
            yield example_page(c, e)
    else:
        memo.begin((settings, c.fragments.stamp, c.prize_page))
        current = {e.slug: e for e in bank.examples}
        for e in bank.examples:
            yield memo.example_page(e, lambda e=e: example_page(c, e), current)
        memo.keep_only(bank.examples)
    yield from region_pages(c)
    yield from kommune_pages(c)
    yield from all_examples_pages(c)
    for tag_uri, title, examples in _content_listings(bank):
        yield from c.paginated(tag_uri, title, examples)[1]
    yield from statuspages.status_pages(c)


def redirects(settings: Settings) -> list[tuple[str, str]]:
    """(path in the site, HTML) of a stub for each old address of a renamed page."""
    c = Fragments(settings.theme_dir)
    out = []
    for old, new in settings.redirects:
        where = urls.page_dir(old) + "index.html"
        out.append((where, str(c.render("omdirigering.html", to=urls.href(old, new)))))
    return out


def _content_listings(bank: Bank):
    ref = bank.reference
    for io in ref.innsatsomrader.values():
        yield io.src_uri, io.navn, bank.tagged("innsatsomrade", io.slug)
    for lo in ref.losninger.values():
        yield lo.src_uri, lo.navn, bank.tagged("losning", lo.slug)


# -- content pages with generated sections ----------------------------------------------------

def augment(bank: Bank, settings: Settings, src_uri: str, meta: dict, markdown: str,
            memo=None, mark=None, cards: dict | None = None) -> str:
    """Markdown of a content page with its generated sections; unchanged for other pages.
    `memo` (incremental.PageMemo, in serve) reuses the cards of unchanged examples. `mark`
    wraps each generated section (render/content.py: the sanitiser keeps what it wraps)."""
    c = Components(bank, settings, cards=memo.cards if memo is not None else cards, mark=mark,
                   lists=memo.card_lists if memo is not None else None)
    if not meta.get("description"):
        # a page of its own in search results and link previews: its lead, not the site's line
        lead = describe(markdown)
        if lead:
            meta["description"] = str(escape(lead))
    if "](repo:" in markdown:
        markdown = _repository_links(settings, markdown)
    markdown = statuspages.funding(c, src_uri, meta, markdown)
    if "<!-- eksempler:" in markdown:
        markdown = _listed(c, src_uri, markdown)
    ref = bank.reference
    if meta.get("innsatsomrade") in ref.innsatsomrader:
        io = ref.innsatsomrader[meta["innsatsomrade"]]
        meta.setdefault("title", io.navn)
        return _innsatsomrade(c, io, markdown)
    if meta.get("losning") in ref.losninger:
        lo = ref.losninger[meta["losning"]]
        meta.setdefault("title", lo.navn)
        return _losning(c, lo, markdown)
    if meta.get("eb_side") == "forside":
        return _forside(c, src_uri, markdown)
    if meta.get("eb_side") == discovery.SIDE:
        return discovery.search_page(c, src_uri, markdown)
    return markdown


_MD_LINK = re.compile(r"!?\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_MD_MARKS = re.compile(r"[*_`]+|<[^>\n]{0,200}>")
DESCRIPTION_MAX = 160


def describe(markdown: str) -> str:
    """A page's lead as plain text for its meta description: the first paragraph of prose (not
    a heading, list, table, quote, HTML block or comment), cut at a word within 160 characters."""
    for block in re.split(r"\n[ \t]*\n", markdown):
        block = block.strip()
        if not block or block[0] in "#|<>-*+!:=`{" or block[:2].rstrip(".").isdigit():
            continue
        text = " ".join(_MD_MARKS.sub("", _MD_LINK.sub(r"\1", block)).split())
        if len(text) < 40:
            continue
        if len(text) > DESCRIPTION_MAX:
            text = text[:DESCRIPTION_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:–-") + "…"
        return text
    return ""


_LISTED = re.compile(r"<!-- eksempler: ([a-z]+)=([a-z0-9-]+) -->")
_REPO_LINK = re.compile(r"\[([^\]\n]{1,300})\]\(repo:([A-Za-z0-9_./?=&-]{0,200})\)")


def _repository_links(settings: Settings, markdown: str) -> str:
    """`[Meld fra](repo:issues)` in a content page: a link into the project's own repository
    (its address from its one place, validate/config.py), so no page names it by hand; without
    a known repository the words stay, unlinked."""
    def link(m: re.Match) -> str:
        base = urls.repository_root(settings)
        return f"[{m.group(1)}]({base}/{m.group(2)})" if base else m.group(1)
    return _REPO_LINK.sub(link, markdown)


def _listed(c: Components, uri: str, markdown: str) -> str:
    """`<!-- eksempler: pris=vinner-2019 -->` in a content page: the examples with that term of
    a taxonomy (model/taxonomy.py), as cards — so a page never links to an example by hand
    (and never to one the bank does not have)."""
    def cards(m: re.Match) -> str:
        key, term = m.groups()
        found = c.bank.index.get(key, {}).get(term, [])
        return c.mark(str(c.render("eksempler-her.html", form=c.form, guide=c.guide,
                                   cards=c.cards(found, uri, 4) if found else None)))
    return _LISTED.sub(cards, markdown)


def _around(c: Components, top: str, markdown: str, bottom: str) -> str:
    """Generated HTML before and after a content page's own Markdown (blank lines apart, so
    Markdown reads the HTML as blocks)."""
    return f"{c.mark(top)}\n\n{markdown}\n\n{c.mark(bottom)}\n"


def _innsatsomrade(c: Components, io, markdown: str) -> str:
    uri = io.src_uri
    section, _ = c.paginated(uri, io.navn, c.bank.tagged("innsatsomrade", io.slug))
    context = dict(uri=uri, io=io, feed=urls.feed(io.slug), section=section, losninger=[
        (c.ref.losninger[s], len(c.bank.tagged("losning", s))) for s in io.losninger])
    return _around(c, c.render("innsatsomrade.html", part="top", **context), markdown,
                   c.render("innsatsomrade.html", part="bottom", **context))


def _losning(c: Components, lo, markdown: str) -> str:
    uri = lo.src_uri
    section, _ = c.paginated(uri, lo.navn, c.bank.tagged("losning", lo.slug))
    context = dict(uri=uri, lo=lo, io=c.ref.innsatsomrader[lo.innsatsomrade], section=section)
    return _around(c, c.render("losning.html", part="top", **context), markdown,
                   c.render("losning.html", part="bottom", **context))


def _forside(c: Components, uri: str, markdown: str) -> str:
    bank, ref = c.bank, c.ref
    sections = c.render(
        "forside.html", uri=uri, examples=len(bank.examples),
        kommuner=len(bank.terms_in_use("kommune")), regioner=len(bank.terms_in_use("region")),
        search_uri=urls.SEARCH_PAGE, all_uri=urls.EXAMPLES_INDEX,
        newest=c.cards(bank.examples[:6], uri),
        areas=[(io, len(bank.tagged("innsatsomrade", io.slug)))
               for io in ref.innsatsomrader.values()],
        regions=[({"uri": urls.region(e), "navn": e.navn}, len(bank.tagged("region", e.slug)))
                 for e in ref.embeter.values()], part="seksjoner")
    # the search field right under the page's heading (on a phone: on the first screen)
    search = c.mark(c.render("forside.html", uri=uri, search_uri=urls.SEARCH_PAGE, part="sok"))
    head, nl, rest = markdown.partition("\n") if markdown.startswith("# ") else ("", "", markdown)
    return f"{head}{nl}\n{search}\n\n{rest}\n\n{c.mark(sections)}\n"
