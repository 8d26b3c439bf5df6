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

from collections import defaultdict

from generator.pages import discovery
from generator.pages import status as statuspages
from generator.model import urls
from generator.pages.components import NOT_SEARCHED, Components, GeneratedPage, h, page
from generator.model import LANGUAGES, STATUSES, Bank, Example, Kommune
from generator.base.settings import Settings
from generator.base.text import format_date, format_int, plural, sort_key



# -- example pages --------------------------------------------------------------------------

def example_page(c: Components, e: Example) -> GeneratedPage:
    ref, uri = c.ref, e.src_uri
    fylker = ", ".join(f'<span data-pagefind-filter="fylke:{nr}">{h(ref.fylker[nr].navn)}</span>'
                       for nr in e.fylker)
    regions = ", ".join(c.link(uri, urls.region(r), r.navn, data_pagefind_filter=f"region:{r.slug}")
                        for r in c.bank.embeter_of(e))
    innsats = ", ".join(c.link(uri, ref.innsatsomrader[s].src_uri, ref.innsatsomrader[s].navn,
                               data_pagefind_filter=f"innsatsomrade:{s}")
                        for s in e.innsatsomrader)
    losninger = ", ".join(c.link(uri, ref.losninger[s].src_uri, ref.losninger[s].navn,
                                 data_pagefind_filter=f"losning:{s}")
                          for s in e.losninger) or "Ingen oppgitt"
    dates = (f'<time datetime="{e.publisert.isoformat()}" data-pagefind-filter="aar:{e.publisert.year}"'
             f' data-pagefind-sort="dato:{e.publisert.isoformat()}" data-pagefind-meta="dato">'
             f'{format_date(e.publisert)}</time>')
    kommuner = ", ".join(c.link(uri, urls.kommune(k), f"{k.navn} kommune",
                                data_pagefind_filter=f"kommune:{k.slug}") for k in e.kommuner)
    facts = [
        ("Kommune" if len(e.kommuner) == 1 else "Kommuner",
         f'<span data-pagefind-meta="sted">{kommuner}</span>'),
        ("Fylke", fylker),
        ("Region", regions),
        ("Innsatsområder" if len(e.innsatsomrader) > 1 else "Innsatsområde", innsats),
        ("Løsninger", losninger),
        ("Status", f'<span data-pagefind-filter="status:{e.status}">{h(STATUSES[e.status])}</span>'),
        ("Publisert", dates),
        ("Sist oppdatert", f'<time datetime="{e.sist_oppdatert.isoformat()}">'
                           f'{format_date(e.sist_oppdatert)}</time>'),
    ]
    if e.kontakt:
        facts.append(("Kontakt", h(e.kontakt)))
    if e.sprak != "nb":
        facts.append(("Språk", h(LANGUAGES[e.sprak])))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    kilder = "".join(
        f'<li><a href="{h(k.url)}" rel="noopener noreferrer">{h(k.tittel)}</a></li>' if k.url
        else f"<li>{h(k.tittel)}</li>" for k in e.kilder)
    lang = f' lang="{e.sprak}"' if e.sprak != "nb" else ""
    synthetic = ('<p class="eb-syntetisk" role="note"><strong>Syntetisk testeksempel.</strong> '
                 'Dette er laget for test og ytelsesmåling, ikke en ekte kommunes praksis.</p>'
                 if e.synthetic else "")
    body = (
        f'<article class="eb-eksempel"{lang}>\n'
        f'<h1 data-pagefind-weight="10">{h(e.tittel)}</h1>\n{synthetic}'
        f'<p class="eb-ingress" data-pagefind-weight="5">{h(e.sammendrag)}</p>\n'
        f'<aside class="eb-fakta" aria-labelledby="fakta-tittel" data-pagefind-filter="type:eksempel">'
        f'<h2 id="fakta-tittel">Fakta</h2>'
        f'<dl>{dl}</dl></aside>\n'
        f'<div class="eb-brodtekst">\n{e.body_html}\n</div>\n'
        f'<section class="eb-kilder" aria-labelledby="kilder-tittel"><h2 id="kilder-tittel">Kilder</h2>'
        f'<ul>{kilder}</ul></section>\n'
        f'{c.source_links(e)}'
        f'</article>\n')
    return page(uri, e.tittel, body, description=e.sammendrag, eb_type="eksempel",
                eb_source=e.path, eb_updated=e.sist_oppdatert.isoformat(), hide=["toc"])


# -- tag pages ------------------------------------------------------------------------------

def region_pages(c: Components) -> list[GeneratedPage]:
    ref, bank, settings = c.ref, c.bank, c.settings
    out = []
    rows = []
    for emb in ref.embeter.values():
        uri = urls.region(emb)
        kommuner = ref.kommuner_in(emb)
        fylker = [ref.fylker[nr].navn for nr in emb.fylker]
        examples = bank.by_embete.get(emb.slug, [])
        rows.append(f"<tr><th scope=\"row\">{c.link(urls.REGIONS_INDEX, uri, emb.navn)}</th>"
                    f"<td>{h(', '.join(fylker))}</td><td>{format_int(len(kommuner))}</td>"
                    f"<td>{format_int(len(examples))}</td></tr>")
        counts = {k.nummer: len(bank.by_kommune.get(k.nummer, [])) for k in kommuner}
        items = "".join(
            f"<li>{c.link(uri, urls.kommune(k), k.navn)} ({counts[k.nummer]})</li>"
            if counts[k.nummer] else f"<li>{h(k.navn)}</li>" for k in kommuner)
        section, extra = c.paginated(uri, emb.navn, examples)
        extras = statuspages.region_section(bank, settings, emb, uri)
        body = (f"<h1>{h(emb.navn)}</h1>\n"
                f'<p class="eb-ingress">Region for {h(emb.tittel)}: '
                f"{h(' og '.join(fylker))} fylke, {plural(len(kommuner), 'kommune', 'kommuner')}, "
                f"{plural(len(examples), 'eksempel', 'eksempler')} i banken.</p>\n"
                f"{extras}\n{section}\n"
                f'<section aria-labelledby="kommuner"><h2 id="kommuner">Kommunene i '
                f"{h(emb.navn)}</h2>\n<p>Kommuner med eksempler er lenket, med antall i parentes.</p>"
                f'<ul class="eb-kolonner">{items}</ul></section>\n')
        out.append(page(uri, emb.navn, body, eb_type="region", eb_region=emb.slug,
                        hide=["toc"]))
        out.extend(extra)
    table = (f'<table><caption>De ti statsforvalterembetene (2021)</caption>'
             f'<thead><tr><th scope="col">Region</th><th scope="col">Fylker</th>'
             f'<th scope="col">Kommuner</th><th scope="col">Eksempler</th></tr></thead>'
             f'<tbody>{"".join(rows)}</tbody></table>')
    out.append(page(urls.REGIONS_INDEX, "Regioner",
                    "<h1>Regioner</h1>\n<p>Leve hele livet følges opp regionalt av et støtteapparat "
                    "i hvert av de ti statsforvalterembetene: statsforvalteren, KS og "
                    "utviklingssentrene for sykehjem og hjemmetjenester (USHT). Regionen til et "
                    "eksempel avledes av kommunen.</p>\n\n" + table + "\n"
                    + statuspages.regions_index_section(bank, settings, urls.REGIONS_INDEX),
                    eb_type="regioner"))
    return out


def kommune_pages(c: Components) -> list[GeneratedPage]:
    ref, bank = c.ref, c.bank
    out = []
    by_fylke: dict[str, list[Kommune]] = defaultdict(list)
    for nr in bank.by_kommune:
        k = ref.kommuner[nr]
        by_fylke[k.fylke].append(k)
        uri = urls.kommune(k)
        fylke = ref.fylker[k.fylke]
        emb = ref.embeter[fylke.embete]
        examples = bank.by_kommune[nr]
        section, extra = c.paginated(uri, f"{k.navn} kommune", examples)
        other = f" Også kjent som {h(', '.join(k.andre_navn))}." if k.andre_navn else ""
        body = (f"<h1>{h(k.navn)} kommune</h1>\n"
                f'<p class="eb-ingress">Kommunenummer {h(k.nummer)}, {h(fylke.navn)} fylke, '
                f"region {c.link(uri, urls.region(emb), emb.navn)}.{other}</p>\n{section}\n")
        out.append(page(uri, f"{k.navn} kommune", body, eb_type="kommune", eb_kommune=k.nummer,
                        hide=["toc"]))
        out.extend(extra)
    groups = []
    for fylke in sorted(ref.fylker.values(), key=lambda f: sort_key(f.navn)):
        ks = sorted(by_fylke.get(fylke.nummer, []), key=lambda k: sort_key(k.navn))
        if not ks:
            continue
        items = "".join(f"<li>{c.link(urls.KOMMUNER_INDEX, urls.kommune(k), k.navn)} "
                        f"({len(bank.by_kommune[k.nummer])})</li>" for k in ks)
        groups.append(f'<h2>{h(fylke.navn)}</h2>\n<ul class="eb-kolonner">{items}</ul>')
    n = len(bank.by_kommune)
    out.append(page(urls.KOMMUNER_INDEX, "Kommuner",
                    f"<h1>Kommuner</h1>\n<p>{plural(n, 'kommune', 'kommuner')} har eksempler i "
                    "banken, ordnet etter fylke. Antall eksempler står i parentes.</p>\n"
                    + "\n".join(groups) + "\n", eb_type="kommuner"))
    return out


def all_examples_pages(c: Components) -> list[GeneratedPage]:
    out = []
    newest = c.bank.examples
    oldest = list(reversed(newest))
    for uri, title, items, other_uri, other_text in (
            (urls.EXAMPLES_INDEX, "Alle eksempler", newest, urls.EXAMPLES_OLDEST, "Eldste først"),
            (urls.EXAMPLES_OLDEST, "Alle eksempler, eldste først", oldest, urls.EXAMPLES_INDEX,
             "Nyeste først")):
        sort = (f'<p class="eb-sortering">Sortert etter publiseringsdato. '
                f'{c.link(uri, other_uri, other_text)} · '
                f'{c.link(uri, urls.SEARCH_PAGE, "Søk og filtrer")}</p>\n')
        section, extra = c.paginated(uri, title, items, heading="Eksempler etter år",
                                     intro=sort, group_by_year=True)
        out.append(page(uri, title, f"<h1>{h(title)}</h1>\n{section}\n", eb_type="liste",
                        hide=["toc"], search=NOT_SEARCHED))
        out.extend(extra)
    return out


def generate(bank: Bank, settings: Settings, memo=None) -> list[GeneratedPage]:
    """Every page that exists only because of the data. `memo` (incremental.PageMemo, in serve)
    reuses the page of every example that did not change."""
    c = Components(bank, settings, cards=memo.cards if memo is not None else None)
    if memo is None:
        out = [example_page(c, e) for e in bank.examples]
    else:
        out = [memo.example_page(e, lambda e=e: example_page(c, e)) for e in bank.examples]
        memo.keep_only(bank.examples)
    out += region_pages(c)
    out += kommune_pages(c)
    out += all_examples_pages(c)
    for tag_uri, title, examples in _content_listings(bank):
        out += c.paginated(tag_uri, title, examples)[1]
    out += statuspages.status_pages(c)
    return out


def _content_listings(bank: Bank):
    ref = bank.reference
    for io in ref.innsatsomrader.values():
        yield io.src_uri, io.navn, bank.by_innsatsomrade.get(io.slug, [])
    for lo in ref.losninger.values():
        yield lo.src_uri, lo.navn, bank.by_losning.get(lo.slug, [])


# -- content pages with generated sections ----------------------------------------------------

def augment(bank: Bank, settings: Settings, src_uri: str, meta: dict, markdown: str,
            memo=None) -> str:
    """Markdown of a content page with its generated sections; unchanged for other pages.
    `memo` (incremental.PageMemo, in serve) reuses the cards of unchanged examples."""
    c = Components(bank, settings, cards=memo.cards if memo is not None else None)
    markdown = statuspages.funding(c, src_uri, meta, markdown)
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
        return discovery.search_page(bank, settings, src_uri, markdown)
    return markdown


def _innsatsomrade(c: Components, io, markdown: str) -> str:
    ref, uri = c.ref, io.src_uri
    items = []
    for slug in io.losninger:
        lo = ref.losninger[slug]
        n = len(c.bank.by_losning.get(slug, []))
        note = ("" if lo.verified else
                ' <span class="eb-merknad">(navnet er ikke kontrollert mot meldingen)</span>')
        items.append(f"<li>{c.link(uri, lo.src_uri, lo.navn)}{note} – "
                     f"{plural(n, 'eksempel', 'eksempler')}</li>")
    section, _ = c.paginated(uri, io.navn, c.bank.by_innsatsomrade.get(io.slug, []))
    feed = (f'<p class="eb-abonner"><a href="{h(urls.href(uri, urls.feed(io.slug)))}" '
            f'type="application/atom+xml">Abonner på nye eksempler (Atom)</a></p>')
    return (f"<h1>{h(io.navn)}</h1>\n\n"
            f'<p class="eb-mal"><strong>Mål:</strong> {h(io.mal)}</p>\n\n{markdown}\n\n'
            f'<section aria-labelledby="losninger"><h2 id="losninger">De fem løsningene</h2>'
            f"<ul>{''.join(items)}</ul></section>\n\n{feed}\n\n{section}\n")


def _losning(c: Components, lo, markdown: str) -> str:
    io = c.ref.innsatsomrader[lo.innsatsomrade]
    uri = lo.src_uri
    note = ("" if lo.verified else
            '<p class="eb-merknad" role="note"><strong>Merk:</strong> Navnet på denne løsningen '
            "er ikke kontrollert mot stortingsmeldingen ennå.</p>\n")
    kilde = (f'<p class="eb-kilde">Kilde: <a href="{h(lo.kilde)}" rel="noopener noreferrer">'
             f"{h(lo.kilde)}</a></p>" if lo.kilde else
             '<p class="eb-kilde">Kilde: ikke funnet ennå.</p>')
    section, _ = c.paginated(uri, lo.navn, c.bank.by_losning.get(lo.slug, []))
    return (f"<h1>{h(lo.navn)}</h1>\n{note}"
            f'<p class="eb-ingress">Løsning under innsatsområdet '
            f"{c.link(uri, io.src_uri, io.navn)}.</p>\n\n{markdown}\n\n{kilde}\n\n{section}\n")


def _forside(c: Components, uri: str, markdown: str) -> str:
    bank, ref = c.bank, c.ref
    n_ex = len(bank.examples)
    counts = (f'<p class="eb-tall">{plural(n_ex, "eksempel", "eksempler")} fra '
              f'{plural(len(bank.by_kommune), "kommune", "kommuner")} i '
              f'{plural(len(bank.by_embete), "region", "regioner")}.</p>')
    newest = c.cards(bank.examples[:6], uri)
    tiles = "".join(
        f'<li>{c.link(uri, io.src_uri, io.navn)}<span>{plural(len(bank.by_innsatsomrade.get(io.slug, [])), "eksempel", "eksempler")}</span></li>'
        for io in ref.innsatsomrader.values())
    regions = "".join(f"<li>{c.link(uri, urls.region(e), e.navn)} "
                      f"({len(bank.by_embete.get(e.slug, []))})</li>"
                      for e in ref.embeter.values())
    search = (f'<p class="eb-sok-lenke">{c.link(uri, urls.SEARCH_PAGE, "Søk og filtrer")} '
              f'etter innsatsområde, løsning, region, kommune, status og år.</p>')
    return (f"{markdown}\n\n{counts}\n\n{search}\n\n"
            f'<section aria-labelledby="innsatsomrader"><h2 id="innsatsomrader">Innsatsområder</h2>'
            f'<ul class="eb-fliser">{tiles}</ul></section>\n\n'
            f'<section aria-labelledby="nyeste"><h2 id="nyeste">Nyeste eksempler</h2>\n{newest}\n'
            f"<p>{c.link(uri, urls.EXAMPLES_INDEX, 'Se alle eksempler')}</p></section>\n\n"
            f'<section aria-labelledby="regioner"><h2 id="regioner">Regioner</h2>'
            f'<ul class="eb-kolonner">{regions}</ul></section>\n')
