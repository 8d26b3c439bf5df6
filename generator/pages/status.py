"""Pages stage for status reporting: the national dashboard, the status section of each region
page, the map of examples per fylke and the funding table on the støtteapparat page.

Pure functions of the Bank, called by `pages` (the pages stage composes them explicitly). Every figure comes from `content/status/*.yml`; a
figure the data leaves empty is shown as «ikke rapportert», never as a number.
"""
from __future__ import annotations

from generator.base.text import format_date, plural
from generator.model import STATUS_COUNTS, Embete, StatusRunde, StatusTall, urls
from generator.pages import charts, norgeskart
from generator.pages.components import Components, GeneratedPage, page

MISSING = charts.MISSING
FUNDING_PLACEHOLDER = "<!-- finansiering -->"
LANG_NAMES = {"nb": "bokmål", "nn": "nynorsk"}


def _context(c: Components) -> dict:
    """What the status templates share: labels, the «ikke rapportert» text, paragraphs()."""
    return dict(labels=STATUS_COUNTS, missing=MISSING, lang_names=LANG_NAMES,
                paragraphs=paragraphs)


def paragraphs(text: str) -> list[dict]:
    """An assessment's text as blocks: paragraphs, and lists where every line starts «- »."""
    blocks = []
    for para in text.split("\n\n"):
        lines = [line.strip() for line in para.strip().split("\n") if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            blocks.append({"list": [line[2:] for line in lines]})
        elif lines:
            blocks.append({"list": None, "text": " ".join(lines)})
    return blocks


def figures_table(c: Components, t: StatusTall, caption: str, table_id: str):
    return c.render("status-tabell.html", t=t, caption=caption, table_id=table_id,
                    **_context(c))


CHARTS = (
    # (id, title, legend, table keys)
    ("vedtak", "Politisk vedtak om reformen",
     ("har politisk vedtak", "vil fatte vedtak i år", "har vedtak eller vil fatte vedtak i år "
      "(oppgitt samlet)"),
     ("kommuner", "vedtak_fattet", "vedtak_i_aar", "vedtak_fattet_eller_i_aar")),
    ("faser", "Fase 2 (planfasen) og fase 3 (gjennomføringsfasen)",
     ("fase 2", "fase 3"), ("kommuner", "fase_2", "fase_3")),
    ("nettverk", "Deltakelse i nettverk",
     ("deltar", "ønsker eller planlegger å delta", "ønsker ikke å delta"),
     ("kommuner", "nettverk_deltar", "nettverk_planlegger", "nettverk_onsker_ikke")),
)


def segments(chart: str, t: StatusTall) -> tuple[charts.Segment, ...]:
    S = charts.Segment
    if chart == "vedtak":
        if t["vedtak_fattet"] is None and t["vedtak_i_aar"] is None \
                and t["vedtak_fattet_eller_i_aar"] is not None:
            return (S("har vedtak eller vil fatte vedtak i år (oppgitt samlet)",
                      t["vedtak_fattet_eller_i_aar"], colour=2),)
        return (S("har politisk vedtak", t["vedtak_fattet"]),
                S("vil fatte vedtak i år", t["vedtak_i_aar"]))
    if chart == "faser":
        return (S("fase 2", t["fase_2"]), S("fase 3", t["fase_3"]))
    return (S("deltar", t["nettverk_deltar"]),
            S("ønsker eller planlegger å delta", t["nettverk_planlegger"]),
            S("ønsker ikke å delta", t["nettverk_onsker_ikke"]))


def chart_block(c: Components, chart, rows: list[tuple[str, StatusTall]], id_prefix: str,
                caption: str):
    """A chart and its table, with only the areas that have a figure for it; "" if none has."""
    cid, title, legend, keys = chart
    rows = [(name, t) for name, t in rows
            if any(seg.value is not None for seg in segments(cid, t))]
    if not rows:
        return ""
    svg = charts.stacked_bars(c.render, f"{id_prefix}{cid}", f"{title}, {caption}",
                              [charts.Row(name, t["kommuner"], segments(cid, t))
                               for name, t in rows], legend)
    return c.render("status-diagram.html", svg=svg, table_id=f"{id_prefix}{cid}-tabell",
                    title=title, keys=keys, rows=rows, **_context(c))


def map_section(c: Components, uri: str, heading_id: str = "kart-tittel"):
    """Map of examples per fylke, with the same numbers in a table."""
    ref, bank = c.ref, c.bank
    counts = {nr: len(bank.tagged("fylke", nr)) for nr in ref.fylker}
    hrefs, titles, rows = {}, {}, []
    for nr, fylke in sorted(ref.fylker.items(), key=lambda kv: kv[1].navn):
        emb = ref.embeter[fylke.embete]
        hrefs[nr] = urls.href(uri, urls.region(emb))
        titles[nr] = (f"{fylke.navn}: {plural(counts[nr], 'eksempel', 'eksempler')} "
                      f"(region {emb.navn})")
        rows.append({"navn": fylke.navn, "region": emb.navn, "region_uri": urls.region(emb),
                     "nr": nr, "count": counts[nr]})
    return c.render("kart.html", uri=uri, heading_id=heading_id, rows=rows,
                    svg=norgeskart.svg(c.render, counts, hrefs, titles))


# -- pages -------------------------------------------------------------------------------------

def round_page(c: Components, r: StatusRunde, uri: str, others: list[tuple[str, str]]
               ) -> GeneratedPage:
    ref, bank = c.ref, c.bank
    when = format_date(r.dato)
    rows = [("Hele landet", r.nasjonalt)] + [(e.navn, r.regioner[e.slug])
                                             for e in ref.embeter.values()]
    highlighted = [bank.by_slug[s] for s in r.eksempler if s in bank.by_slug]
    body = c.render(
        "status-runde.html", uri=uri, r=r, n=r.nasjonalt, when=when, others=others,
        national=figures_table(c, r.nasjonalt, f"Hele landet per {when}", "nasjonalt"),
        charts=[block for ch in CHARTS if (block := chart_block(c, ch, rows, "",
                                                                f"per region, {when}"))],
        highlighted=c.cards(highlighted, uri) if highlighted else "",
        regions=[({"navn": e.navn, "uri": urls.region(e)}, r.regioner[e.slug])
                 for e in ref.embeter.values()],
        map=map_section(c, uri), **_context(c))
    return page(uri, f"Status {when}", body, eb_type="status", eb_runde=r.runde,
                eb_source=r.path, hide=["toc"],
                description=f"Status for Leve hele livet i kommunene per {when}: hele landet og "
                            "de ti regionene, med tall fra statsforvalternes rapportering.")


def status_pages(c: Components) -> list[GeneratedPage]:
    rounds = c.bank.status
    if not rounds:
        return [page(urls.STATUS_INDEX, "Status", c.render("status-tom.html"),
                     eb_type="status")]
    listing = [(urls.status_round(r, i == 0), r.tittel) for i, r in enumerate(rounds)]
    out = []
    for i, r in enumerate(rounds):
        uri = urls.status_round(r, i == 0)
        out.append(round_page(c, r, uri, [x for x in listing if x[0] != uri]))
    return out


def region_section(c: Components, emb: Embete, uri: str):
    """The region's status: the newest round with figures for it (dated), or — when no round
    has any — one sentence saying so, with what is known (its kommuner, the assessment)."""
    bank = c.bank
    if not bank.status:
        return ""
    r = next((r for r in bank.status if r.regioner[emb.slug].has_figures), bank.status[0])
    t = r.regioner[emb.slug]
    # the statsforvalter's assessment: from the same round, else the newest that has one
    said = next((x for x in [r, *bank.status] if x.regioner[emb.slug].vurdering), None)
    when = format_date(r.dato)
    rows = [(emb.navn, t), ("Hele landet", r.nasjonalt)]
    return c.render(
        "status-region.html", uri=uri, region=emb, t=t, when=when,
        vurdering=said.regioner[emb.slug].vurdering if said else None,
        vurdering_when=format_date(said.dato) if said and said is not r else None,
        kommuner=len(c.ref.kommuner_in(emb)), newest=r is bank.status[0],
        round_uri=urls.status_round(r, r is bank.status[0]),
        status_uri=urls.STATUS_INDEX, source=r.kilder[0].tittel if r.kilder else "",
        table=figures_table(c, t, f"{emb.navn} per {when}", "status-region")
        if t.has_figures else "",
        charts=[block for ch in CHARTS if (block := chart_block(c, ch, rows, f"{emb.slug}-",
                                                                when))]
        if t.has_figures else [], **_context(c))


def funding(c: Components, src_uri: str, meta: dict, markdown: str) -> str:
    if FUNDING_PLACEHOLDER not in markdown:
        return markdown
    tables = [{"tittel": f.tittel, "unit": f.enhet.replace("1000", "1\u202f000"),
               "merknad": f.merknad, "kilde": f.kilde,
               "rows": [({"uri": urls.region(c.ref.embeter[slug]), "slug": slug,
                          "tittel": c.ref.embeter[slug].tittel}, amount)
                        for slug, amount in f.embeter.items()]}
              for f in c.bank.finansiering]
    return markdown.replace(FUNDING_PLACEHOLDER,
                            c.mark(str(c.render("finansiering.html", uri=src_uri, tables=tables))))
