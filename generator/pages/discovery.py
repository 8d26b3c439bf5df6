"""«Finn eksempler»: the search page with facets (Pagefind in the browser, see search.py).

`search_page` renders the page's generated part: the search form, the facet panel and the result
list that theme/assets/finn-eksempler.js fills in, the labels of the facet values (reference data
only: constant size however large the bank grows), and a <noscript> fallback to the browse pages.

The facet values are the slugs that the example pages declare with `data-pagefind-filter` in
pages.example_page; they are also what the page's URL query holds (`?region=trondelag`).
"""
from __future__ import annotations

import json
from collections import Counter
from html import escape

from generator.model import urls
from generator.model import STATUSES, Bank
from generator.base.settings import Settings
from generator.base.text import format_date

SIDE = "finn-eksempler"   # `eb_side:` of content/finn-eksempler.md

# (filter key = URL parameter, heading), in display order
FACETS = (
    ("innsatsomrade", "Innsatsområde"),
    ("losning", "Løsning"),
    ("region", "Region"),
    ("fylke", "Fylke"),
    ("kommune", "Kommune"),
    ("status", "Status"),
    ("aar", "År"),
)


def facet_labels(bank: Bank) -> dict[str, dict[str, str]]:
    """Display name of every facet value that can occur (year labels are the values)."""
    ref = bank.reference
    names = Counter(k.navn for k in ref.kommuner.values())

    def kommune_label(k):
        return f"{k.navn} ({ref.fylker[k.fylke].navn})" if names[k.navn] > 1 else k.navn

    kommuner = sorted((ref.kommuner[nr] for nr in bank.by_kommune), key=kommune_label)
    return {
        "innsatsomrade": {s: io.navn for s, io in ref.innsatsomrader.items()},
        "losning": {s: lo.navn for s, lo in ref.losninger.items()},
        "region": {s: e.navn for s, e in ref.embeter.items()},
        "fylke": {f.nummer: f.navn for f in sorted(ref.fylker.values(), key=lambda f: f.navn)},
        "kommune": {k.slug: kommune_label(k) for k in kommuner},
        "status": dict(STATUSES),
    }


START_SIZE = 20  # = PAGE_SIZE in finn-eksempler.js


def start_view(bank: Bank, src_uri: str) -> dict:
    """What the page shows before anything is typed or ticked: facet totals and the newest
    examples, computed here from the Bank. Pagefind is only asked once the visitor searches, so
    opening the page downloads none of the index (an empty Pagefind search loads every chunk)."""
    totals: dict[str, Counter] = {key: Counter() for key, _ in FACETS}
    for e in bank.examples:
        totals["innsatsomrade"].update(e.innsatsomrader)
        totals["losning"].update(e.losninger)
        totals["region"].update(r.slug for r in bank.embeter_of(e))
        totals["fylke"].update(e.fylker)
        totals["kommune"].update(k.slug for k in e.kommuner)
        totals["status"][e.status] += 1
        totals["aar"][str(e.publisert.year)] += 1
    newest = [{"url": urls.href(src_uri, e.src_uri), "title": e.tittel,
               "sted": ", ".join(f"{k.navn} kommune" for k in e.kommuner),
               "dato": format_date(e.publisert), "excerpt": escape(e.sammendrag)}
              for e in bank.examples[:START_SIZE]]
    return {"total": len(bank.examples), "counts": {k: dict(v) for k, v in totals.items()},
            "newest": newest}


def search_page(bank: Bank, settings: Settings, src_uri: str, markdown: str) -> str:
    def rel(to: str) -> str:
        return escape(urls.href(src_uri, to), quote=True)

    config = {
        "root": urls.href(src_uri, "index.md"),
        "facets": [list(f) for f in FACETS],
        "labels": facet_labels(bank),
        "start": start_view(bank, src_uri),
    }
    browse = "".join(
        f'<li><a href="{rel(uri)}">{escape(text)}</a></li>' for uri, text in (
            (urls.EXAMPLES_INDEX, "Alle eksempler, nyeste først"),
            (urls.REGIONS_INDEX, "Regioner"),
            (urls.KOMMUNER_INDEX, "Kommuner med eksempler"),
            *((io.src_uri, f"Innsatsområdet {io.navn} (med løsningene)")
              for io in bank.reference.innsatsomrader.values())))
    noscript = (
        '<noscript><div class="eb-uten-js" role="note"><p><strong>Søket og filtrene trenger '
        "JavaScript.</strong> Uten JavaScript kan du bla i eksemplene etter innsatsområde, "
        "løsning, region og kommune:</p>"
        f'<ul>{browse}</ul></div></noscript>')
    ui = (
        f'<div id="eb-finn" class="eb-finn" hidden data-config="{escape(json.dumps(config, ensure_ascii=False), quote=True)}">\n'
        '<form class="eb-finn__skjema" role="search" id="eb-finn-skjema">'
        '<label for="eb-finn-q">Søk i eksempler og sider</label>'
        '<div class="eb-finn__rad"><input id="eb-finn-q" name="q" type="search" autocomplete="off" '
        'placeholder="For eksempel «måltid» eller «Kafe Posten»">'
        '<button type="submit" class="md-button md-button--primary">Søk</button></div></form>\n'
        '<div class="eb-finn__oppsett">\n'
        '<section class="eb-finn__filtre" aria-labelledby="eb-filtre-tittel">'
        '<h2 id="eb-filtre-tittel">Filtrer eksemplene</h2>'
        '<p class="eb-finn__hjelp">Velg flere verdier i samme filter for å få med alle; '
        'filtre av ulike slag snevrer inn. Tallet viser hvor mange treff du får.</p>'
        '<div id="eb-fasetter"></div>'
        '<button type="button" id="eb-nullstill" class="md-button" hidden>Fjern alle filtre</button>'
        '</section>\n'
        '<section class="eb-finn__treff" aria-labelledby="eb-antall">'
        '<div class="eb-finn__linje"><h2 id="eb-antall" aria-live="polite">Laster søket …</h2>'
        '<label class="eb-finn__sortering">Sorter <select id="eb-sorter">'
        '<option value="relevans">Mest relevant</option>'
        '<option value="nyeste">Nyeste først</option></select></label></div>'
        '<ol id="eb-treffliste" class="eb-treffliste"></ol>'
        '<button type="button" id="eb-flere" class="md-button" hidden>Vis flere treff</button>'
        '</section>\n</div>\n</div>\n')
    script = f'<script type="module" src="{rel("assets/finn-eksempler.js")}"></script>\n'
    return f"{markdown}\n\n{noscript}\n\n{ui}\n{script}"

