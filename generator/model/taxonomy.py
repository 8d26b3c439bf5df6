"""The taxonomies of the bank, each defined once (Hugo's idea): how an example gets its terms,
what a term is called, where its page is, how the search page orders it and how the exports
write it. The bank's indexes, the facts box and the search filters on example pages, the search
page's facets and labels, the export columns and the tests all read this registry; adding a
taxonomy is one more `Taxonomy(...)` in `TAXONOMIES`.

A term is a short id that is safe in a URL query and in a Pagefind filter (a slug, a number).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from generator.base.text import sort_key
from generator.model import urls

from generator.model import PRIS_PLASSERINGER

if TYPE_CHECKING:
    from generator.model import Example, Reference


@dataclass(frozen=True)
class Taxonomy:
    key: str                    # index key, Pagefind filter, URL parameter of the search page
    label: str                  # one term: «Innsatsområde»
    plural: str                 # several: «Innsatsområder»
    terms: Callable[[Example, Reference], Iterable[str]]   # an example's terms, in their order
    name: Callable[[Reference, str], str]                  # a term's display name
    # every term that can occur, in display order (None: the terms in use, by name)
    all_terms: Callable[[Reference], Iterable[str]] | None = None
    page: Callable[[Reference, str], str | None] = lambda ref, term: None  # a term's src_uri
    facet_order: str = "labels"  # search page: «labels» (all_terms order), «count», «newest»
    facts: bool = True           # a row in the example page's facts box (else a bare filter)
    fact: Callable[[Reference, str], str] | None = None  # a term in the facts box (else name)
    empty: str = ""              # the facts row when an example has no term («Ingen oppgitt»)
    meta: str | None = None      # Pagefind metadata the facts row also is (shown with a hit)
    # exports (eksempler.json, eksempler.csv): JSON field and CSV columns; None: not exported
    json: Callable[[Reference, tuple[str, ...]], Any] | None = None
    json_field: str = ""         # default: the CSV column, or the key
    csv: Callable[[Reference, tuple[str, ...]], dict[str, str]] | None = None
    csv_columns: tuple[str, ...] = field(default=())
    rank: int = 100              # where it stands in the facts box and in the exports
    hide_empty: bool = False     # no facts row for an example without a term


SEP = "; "  # between the values of one CSV field


def kommune_name(ref: Reference, term: str) -> str:
    """«Tydal»; a name that two kommuner share gets the fylke: «Herøy (Nordland)»."""
    k = ref.kommune_by_slug[term]
    if ref.shares_name(k):
        return f"{k.navn} ({ref.fylker[k.fylke].navn})"
    return k.navn


def _kommuner_csv(ref: Reference, terms: tuple[str, ...]) -> dict[str, str]:
    ks = [ref.kommune_by_slug[t] for t in terms]
    return {"kommunenummer": SEP.join(k.nummer for k in ks),
            "kommuner": SEP.join(k.navn for k in ks)}


def _pris_name(term: str) -> str:
    """«vinner-2019» → «Vinner 2019»."""
    plassering, _, ar = term.rpartition("-")
    return f"{PRIS_PLASSERINGER.get(plassering, plassering)} {ar}"


def _regions(e: Example, ref: Reference) -> Iterable[str]:
    return dict.fromkeys(ref.fylker[nr].embete for nr in e.fylker)


TAXONOMIES: tuple[Taxonomy, ...] = (
    Taxonomy(
        "innsatsomrade", "Innsatsområde", "Innsatsområder",
        terms=lambda e, ref: e.innsatsomrader,
        name=lambda ref, t: ref.innsatsomrader[t].navn,
        all_terms=lambda ref: ref.innsatsomrader,
        page=lambda ref, t: ref.innsatsomrader[t].src_uri,
        json=lambda ref, ts: list(ts),
        csv=lambda ref, ts: {"innsatsomrader": SEP.join(ts)},
        csv_columns=("innsatsomrader",), rank=4),
    Taxonomy(
        "losning", "Løsning", "Løsninger",
        terms=lambda e, ref: e.losninger,
        name=lambda ref, t: ref.losninger[t].navn,
        all_terms=lambda ref: ref.losninger,
        page=lambda ref, t: ref.losninger[t].src_uri,
        facet_order="count", empty="Ingen oppgitt",
        json=lambda ref, ts: list(ts),
        csv=lambda ref, ts: {"losninger": SEP.join(ts)},
        csv_columns=("losninger",), rank=5),
    Taxonomy(
        "region", "Region", "Regioner",
        terms=_regions,
        name=lambda ref, t: ref.embeter[t].navn,
        all_terms=lambda ref: ref.embeter,
        page=lambda ref, t: urls.region(ref.embeter[t]),
        json=lambda ref, ts: [{"slug": t, "navn": ref.embeter[t].navn} for t in ts],
        csv=lambda ref, ts: {"regioner": SEP.join(ref.embeter[t].navn for t in ts)},
        csv_columns=("regioner",), rank=3),
    Taxonomy(
        "fylke", "Fylke", "Fylker",
        terms=lambda e, ref: e.fylker,
        name=lambda ref, t: ref.fylker[t].navn,
        all_terms=lambda ref: sorted(ref.fylker, key=lambda nr: ref.fylker[nr].navn),
        json=lambda ref, ts: [{"nummer": t, "navn": ref.fylker[t].navn} for t in ts],
        csv=lambda ref, ts: {"fylker": SEP.join(ref.fylker[t].navn for t in ts)},
        csv_columns=("fylker",), rank=2),
    Taxonomy(
        "kommune", "Kommune", "Kommuner",
        terms=lambda e, ref: [k.slug for k in e.kommuner],
        name=kommune_name, meta="sted",
        fact=lambda ref, t: f"{ref.kommune_by_slug[t].navn} kommune",
        page=lambda ref, t: urls.kommune(ref.kommune_by_slug[t]),
        facet_order="count",
        json=lambda ref, ts: [{"nummer": ref.kommune_by_slug[t].nummer,
                               "navn": ref.kommune_by_slug[t].navn} for t in ts],
        csv=_kommuner_csv, csv_columns=("kommunenummer", "kommuner"), rank=1),
    Taxonomy(
        "status", "Status", "Status",
        terms=lambda e, ref: (e.status,),
        name=lambda ref, t: ref.statuses[t],
        all_terms=lambda ref: ref.statuses,
        json=lambda ref, ts: ts[0],
        csv=lambda ref, ts: {"status": ts[0]},
        csv_columns=("status",), rank=6),
    Taxonomy(
        "pris", "Leve hele livet-prisen", "Leve hele livet-prisen",
        terms=lambda e, ref: (e.pris.term,) if e.pris else (),
        name=lambda ref, t: _pris_name(t),
        facet_order="labels", rank=7, hide_empty=True),
    Taxonomy(
        "aar", "År", "År",
        terms=lambda e, ref: (str(e.ar),) if e.ar else (),
        name=lambda ref, t: t,
        facet_order="newest", rank=8, hide_empty=True),
)


def terms_by_name(tax: Taxonomy, ref: Reference, terms: Iterable[str]) -> list[str]:
    return sorted(terms, key=lambda t: sort_key(tax.name(ref, t)))


def ranked(taxonomies: Iterable[Taxonomy]) -> list[Taxonomy]:
    """In the order of the facts box and the exports."""
    return sorted(taxonomies, key=lambda t: t.rank)


def json_field(t: Taxonomy) -> str:
    return t.json_field or (t.csv_columns[-1] if t.csv_columns else t.key)
