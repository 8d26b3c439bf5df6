"""«Finn eksempler»: the search page with facets (Pagefind in the browser, see search/).

`search_page` renders the page's generated part (templates/finn-eksempler.html): the search
form, the facet panel and the result list in their start state (theme/assets/finn-eksempler.js
takes over from there), and a <noscript> note pointing to the browse pages.

The facets are the taxonomies of the registry (model/taxonomy.py); their values are the terms
that the example pages declare with `data-pagefind-filter`, and what the page's URL query holds
(`?region=trondelag`).
"""
from __future__ import annotations

import json

from generator.base.text import format_date, format_int, plural, sort_key
from generator.model import Bank, taxonomy, urls
from generator.pages.components import Components

SIDE = "finn-eksempler"   # `eb_side:` of content/finn-eksempler.md
START_SIZE = 20  # the newest examples shown before a search (finn-eksempler.js shows 10 a batch)
OPEN_FACETS = ("innsatsomrade", "region")  # open from the start (on a phone: behind «Filtrer»)

# The kind of each indexed page (Pagefind's filter `type`, given by search/relevance.py), as a
# hit shows it.
KIND_LABELS = {"eksempel": "Eksempel", "losning": "Løsning", "innsatsomrade": "Innsatsområde",
               "region": "Region", "kommune": "Kommune", "status": "Status",
               "oversikt": "Oversikt", "side": "Side"}

# Pagefind's ranking (pagefind.options): the two boosts that see how a word is spelt are off,
# so «moteplass» ranks the pages «møteplass» finds as «møteplass» does (search/relevance.py).
# The title boost matches the title's own spelling only; the titles weigh 10 (examples) or 7
# (headings) in the text anyway. The exact-accent bonus would rank «måltid» and «maltid» apart.
RANKING = {"metaWeights": {"title": 0}, "diacriticSimilarity": 0}

# Where the folded copy of a page's text starts in what Pagefind indexed (search/relevance.py):
# the page script makes excerpts from the text before it.
MARKER = "⁂"


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


def start_facets(bank: Bank) -> list[dict]:
    """The facets before a search, as the page script draws them (finn-eksempler.js:
    renderFacets): every value in use with its number of examples, in the facet's order. The
    page script reads the values' names from here (so they are not sent twice)."""
    ref, out = bank.reference, []
    for t in bank.taxonomies:
        used = {term: len(examples) for term, examples in bank.terms_in_use(t.key).items() if examples}
        if not used:
            continue
        if t.facet_order == "newest":
            terms = sorted(used, reverse=True)
        elif t.facet_order == "count":
            terms = sorted(used, key=lambda term: (-used[term], sort_key(t.name(ref, term))))
        elif t.all_terms is not None:
            terms = [term for term in t.all_terms(ref) if term in used]
        else:
            terms = taxonomy.terms_by_name(t, ref, used)
        out.append({"key": t.key, "label": t.label, "open": t.key in OPEN_FACETS,
                    "values": [{"term": term, "label": t.name(ref, term),
                                "count": format_int(used[term])} for term in terms]})
    return out


def start_hits(bank: Bank, src_uri: str) -> list[dict]:
    """The newest examples, as the page shows them before a search (and as a hit is shown)."""
    ref = bank.reference
    return [{"url": urls.href(src_uri, e.src_uri), "title": e.tittel,
             "meta": " · ".join([KIND_LABELS["eksempel"],
                                 ", ".join(taxonomy.kommune_name(ref, k.slug) for k in e.kommuner),
                                 format_date(e.publisert)]),
             "excerpt": e.sammendrag}
            for e in bank.examples[:START_SIZE]]


def search_page(c: Components, src_uri: str, markdown: str) -> str:
    """The page as it stands before the visitor does anything, made here with its final size
    (nothing moves when the script starts): the form, the facets with their counts, the newest
    examples. The script then searches with Pagefind; opening the page downloads none of the
    index (an empty Pagefind search would load every chunk)."""
    bank = c.bank
    config = {
        "root": urls.href(src_uri, "index.md"),
        "facets": facets(bank),
        "kinds": KIND_LABELS,
        "ranking": RANKING,
        "marker": MARKER,
        "total": len(bank.examples),
    }
    browse = [(urls.EXAMPLES_INDEX, "Alle eksempler, nyeste først"),
              (urls.REGIONS_INDEX, "Regioner"),
              (urls.KOMMUNER_INDEX, "Kommuner med eksempler"),
              *((io.src_uri, f"Innsatsområdet {io.navn} (med løsningene)")
                for io in bank.reference.innsatsomrader.values())]
    hits = start_hits(bank, src_uri)
    ui = c.render("finn-eksempler.html", uri=src_uri, browse=browse,
                  config=json.dumps(config, ensure_ascii=False), facets=start_facets(bank),
                  hits=hits, total=len(bank.examples),
                  count=(plural(len(bank.examples), "eksempel", "eksempler") + ", nyeste først"
                         if bank.examples else "Ingen eksempler ennå."))
    return f"{markdown}\n\n{c.mark(str(ui))}"
