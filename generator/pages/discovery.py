"""«Finn eksempler»: the search page with facets (Pagefind in the browser, see search/).

`search_page` renders the page's generated part (templates/finn-eksempler.html): the search
form, the facet panel and the result list that theme/assets/finn-eksempler.js fills in, the
labels of the facet values (reference data only: constant size however large the bank grows),
and a <noscript> fallback to the browse pages.

The facets are the taxonomies of the registry (model/taxonomy.py); their values are the terms
that the example pages declare with `data-pagefind-filter`, and what the page's URL query holds
(`?region=trondelag`).
"""
from __future__ import annotations

import json

from markupsafe import escape

from generator.base.text import format_date
from generator.model import Bank, taxonomy, urls
from generator.pages.components import Components

SIDE = "finn-eksempler"   # `eb_side:` of content/finn-eksempler.md
START_SIZE = 20  # the newest examples shown before a search (finn-eksempler.js shows 20 a batch)


def facets(bank: Bank) -> list[list[str]]:
    """(filter key = URL parameter, heading, how its values are ordered), in display order."""
    return [[t.key, t.label, t.facet_order] for t in bank.taxonomies]


def facet_labels(bank: Bank) -> dict[str, dict[str, str]]:
    """Display name of every facet value that can occur (only terms with a name of their own:
    a year is its own label)."""
    ref, out = bank.reference, {}
    for t in bank.taxonomies:
        if t.all_terms is not None:
            terms = list(t.all_terms(ref))
        else:
            terms = taxonomy.terms_by_name(t, ref, bank.terms_in_use(t.key))
        labels = {term: t.name(ref, term) for term in terms}
        if any(term != label for term, label in labels.items()):
            out[t.key] = labels
    return out


def start_view(bank: Bank, src_uri: str) -> dict:
    """What the page shows before anything is typed or ticked: facet totals and the newest
    examples, computed here from the Bank. Pagefind is only asked once the visitor searches, so
    opening the page downloads none of the index (an empty Pagefind search loads every chunk)."""
    counts = {t.key: {term: len(examples) for term, examples in bank.terms_in_use(t.key).items()}
              for t in bank.taxonomies}
    newest = [{"url": urls.href(src_uri, e.src_uri), "title": e.tittel,
               "sted": ", ".join(f"{k.navn} kommune" for k in e.kommuner),
               "dato": format_date(e.publisert),
               # set as HTML by the page script (like Pagefind's own excerpts): escaped here
               "excerpt": str(escape(e.sammendrag))}
              for e in bank.examples[:START_SIZE]]
    return {"total": len(bank.examples), "counts": counts, "newest": newest}


def search_page(c: Components, src_uri: str, markdown: str) -> str:
    bank = c.bank
    config = {
        "root": urls.href(src_uri, "index.md"),
        "facets": facets(bank),
        "labels": facet_labels(bank),
        "start": start_view(bank, src_uri),
    }
    browse = [(urls.EXAMPLES_INDEX, "Alle eksempler, nyeste først"),
              (urls.REGIONS_INDEX, "Regioner"),
              (urls.KOMMUNER_INDEX, "Kommuner med eksempler"),
              *((io.src_uri, f"Innsatsområdet {io.navn} (med løsningene)")
                for io in bank.reference.innsatsomrader.values())]
    ui = c.render("finn-eksempler.html", uri=src_uri, browse=browse,
                  config=json.dumps(config, ensure_ascii=False))
    return f"{markdown}\n\n{c.mark(str(ui))}"
