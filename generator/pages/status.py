"""Pages stage for status reporting: the national dashboard, the status section of each region
page, the map of examples per fylke and the funding table on the støtteapparat page.

Pure functions of the Bank, called by `pages` (the pages stage composes them explicitly). Every figure comes from `content/status/*.yml`; a
figure the data leaves empty is shown as «ikke rapportert», never as a number.
"""
from __future__ import annotations

from generator.pages import charts
from generator.pages import norgeskart
from generator.model import urls
from generator.model import STATUS_COUNTS, Bank, Embete, StatusRunde, StatusTall, Vurdering
from generator.pages.components import Components, GeneratedPage, h, page
from generator.base.settings import Settings
from generator.base.text import format_date, format_int, plural

MISSING = charts.MISSING
FUNDING_PLACEHOLDER = "<!-- finansiering -->"
LANG_NAMES = {"nb": "bokmål", "nn": "nynorsk"}


# -- building blocks -------------------------------------------------------------------------

def cell(t: StatusTall, key: str) -> str:
    value = t[key]
    if value is None:
        return f'<td data-felt="{key}" class="eb-ikke-rapportert">{MISSING}</td>'
    return f'<td data-felt="{key}">{format_int(value)}</td>'


def figures_table(t: StatusTall, caption: str, table_id: str) -> str:
    rows = "".join(f'<tr><th scope="row">{h(label)}</th>{cell(t, key)}</tr>'
                   for key, label in STATUS_COUNTS.items())
    return (f'<div class="eb-tabell-rull eb-status-tabell"><table id="{table_id}">'
            f'<caption>{h(caption)}</caption>'
            f'<thead><tr><th scope="col">Kommuner</th><th scope="col">Antall</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


CHARTS = (
    # (id, title, legend, table keys, segments(t) → tuple[Segment])
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


def chart_block(chart, rows: list[tuple[str, StatusTall]], id_prefix: str, caption: str) -> str:
    cid, title, legend, keys = chart
    svg = charts.stacked_bars(f"{id_prefix}{cid}", f"{title}, {caption}",
                              [charts.Row(name, t["kommuner"], segments(cid, t))
                               for name, t in rows], legend)
    head = "".join(f'<th scope="col">{h(STATUS_COUNTS[k])}</th>' for k in keys)
    body = "".join(f'<tr><th scope="row">{h(name)}</th>{"".join(cell(t, k) for k in keys)}</tr>'
                   for name, t in rows)
    table = (f'<div class="eb-tabell-rull eb-status-tabell"><table '
             f'id="{id_prefix}{cid}-tabell"><caption>{h(title)}: tallene i diagrammet</caption>'
             f'<thead><tr><th scope="col">Område</th>{head}</tr></thead><tbody>{body}</tbody>'
             f"</table></div>")
    return f'<section class="eb-diagram-blokk">{svg}{table}</section>'


def assessment(v: Vurdering | None, heading: str, level: int = 3) -> str:
    if v is None:
        return (f'<h{level}>{h(heading)}</h{level}><p class="eb-ikke-rapportert">Ingen vurdering '
                "i kildene.</p>")
    blocks = []
    for para in v.tekst.split("\n\n"):
        lines = [l.strip() for l in para.strip().split("\n") if l.strip()]
        if lines and all(l.startswith("- ") for l in lines):
            blocks.append("<ul>" + "".join(f"<li>{h(l[2:])}</li>" for l in lines) + "</ul>")
        elif lines:
            blocks.append(f"<p>{h(' '.join(lines))}</p>")
    note = (f' <span class="eb-sprak">(på {LANG_NAMES[v.sprak]})</span>'
            if v.sprak != "nb" else "")
    return (f"<h{level}>{h(heading)}{note}</h{level}>"
            f'<blockquote class="eb-vurdering" lang="{v.sprak}">{"".join(blocks)}</blockquote>')


def sources(r: StatusRunde) -> str:
    items = "".join(f'<li><a href="{h(k.url)}" rel="noopener noreferrer">{h(k.tittel)}</a></li>'
                    if k.url else f"<li>{h(k.tittel)}</li>" for k in r.kilder)
    return (f'<section aria-labelledby="kilder"><h2 id="kilder">Kilder</h2><ul>{items}</ul>'
            f'<p>Tallene og tekstene er hentet fra disse dokumentene. «{MISSING}» betyr at tallet '
            "ikke står i kildene – det er ikke anslått.</p></section>")


def map_section(c: Components, uri: str, heading_id: str = "kart-tittel") -> str:
    """Map of examples per fylke, with the same numbers in a table."""
    ref, bank = c.ref, c.bank
    counts = {nr: len(bank.by_fylke.get(nr, [])) for nr in ref.fylker}
    hrefs, titles, rows = {}, {}, []
    for nr, fylke in sorted(ref.fylker.items(), key=lambda kv: kv[1].navn):
        emb = ref.embeter[fylke.embete]
        hrefs[nr] = urls.href(uri, urls.region(emb))
        titles[nr] = (f"{fylke.navn}: {plural(counts[nr], 'eksempel', 'eksempler')} "
                      f"(region {emb.navn})")
        rows.append(f'<tr><th scope="row">{h(fylke.navn)}</th>'
                    f"<td>{c.link(uri, urls.region(emb), emb.navn)}</td>"
                    f'<td data-fylke="{nr}">{format_int(counts[nr])}</td></tr>')
    table = (f'<div class="eb-tabell-rull"><table><caption>Eksempler per '
             f"fylke (tallene i kartet)</caption><thead><tr><th scope=\"col\">Fylke</th>"
             f'<th scope="col">Region</th><th scope="col">Eksempler</th></tr></thead>'
             f"<tbody>{''.join(rows)}</tbody></table></div>")
    return (f'<section class="eb-kart-seksjon" aria-labelledby="{heading_id}">'
            f'<h2 id="{heading_id}">Eksempler per fylke</h2>'
            f"<p>Klikk på et fylke for å gå til regionen. Oslo og Viken hører til samme "
            f"statsforvalterembete.</p>"
            f"{norgeskart.svg(counts, hrefs, titles)}{table}</section>\n")


# -- pages -------------------------------------------------------------------------------------

def round_page(c: Components, r: StatusRunde, uri: str, others: list[tuple[str, str]]) -> GeneratedPage:
    ref, bank = c.ref, c.bank
    when = format_date(r.dato)
    n = r.nasjonalt
    rows = [("Hele landet", n)] + [(e.navn, r.regioner[e.slug]) for e in ref.embeter.values()]
    blocks = "".join(chart_block(ch, rows, "", f"per region, {when}") for ch in CHARTS)
    reasons = "".join(f"<li>{h(x)}</li>" for x in n.forsinkelsesarsaker)
    forsinket = (f"<p>{format_int(n['forsinket'])} kommuner som tidligere sa at de ville vedta en "
                 "plan i løpet av året, melder nå at de ikke klarer det.</p>"
                 if n["forsinket"] is not None else
                 f'<p class="eb-ikke-rapportert">Antall forsinkede kommuner: {MISSING}.</p>')
    delay = (f'<section aria-labelledby="forsinkelser"><h2 id="forsinkelser">Forsinkelser</h2>'
             f"{forsinket}" + (f"<p>Årsaker som er oppgitt:</p><ul>{reasons}</ul>" if reasons
                               else "") + "</section>")
    prio = (f'<section aria-labelledby="prioriteringer"><h2 id="prioriteringer">Hva kommunene i '
            f"fase 3 prioriterer</h2><p>{h(n.prioriteringer_fase_3)}</p></section>"
            if n.prioriteringer_fase_3 else "")
    highlighted = [bank.by_slug[s] for s in r.eksempler if s in bank.by_slug]
    examples = (f'<section aria-labelledby="fremhevet"><h2 id="fremhevet">Eksempler som '
                f"rapporten trekker fram</h2>{c.cards(highlighted, uri)}</section>"
                if highlighted else "")
    vurderinger = "".join(
        '<section class="eb-vurdering-region">'
        + assessment(r.regioner[e.slug].vurdering, e.navn)
        + f"<p>{c.link(uri, urls.region(e), f'Mer om {e.navn}')}</p></section>"
        for e in ref.embeter.values())
    other = ("<p>Andre rapporteringsrunder: " + ", ".join(
        c.link(uri, o_uri, o_title) for o_uri, o_title in others) + ".</p>") if others else ""
    body = (f"<h1>Status for reformen: {h(r.tittel)}</h1>\n"
            f'<p class="eb-ingress">To ganger i året, per 1. mai og 1. november, rapporterer '
            f"statsforvalterne hvor kommunene står i arbeidet med Leve hele livet. Her er "
            f"rapporteringen per {when}, for hele landet og per region. Der et tall ikke står i "
            f"kildene, står det «{MISSING}» – vi anslår aldri.</p>\n{other}\n"
            f'<section aria-labelledby="landet"><h2 id="landet">Hele landet</h2>'
            f"{figures_table(n, f'Hele landet per {when}', 'nasjonalt')}</section>\n"
            f'<section aria-labelledby="per-region"><h2 id="per-region">Per region</h2>'
            f"{blocks}</section>\n{delay}\n{prio}\n{examples}\n"
            f'<section aria-labelledby="vurderinger"><h2 id="vurderinger">Statsforvalternes '
            f"vurderinger</h2><p>Den overordnede vurderingen fra hvert regionalt støtteapparat, "
            f"ordrett og på språket den er skrevet på.</p>{vurderinger}</section>\n"
            f"{map_section(c, uri)}\n{sources(r)}\n")
    return page(uri, f"Status {when}", body, eb_type="status", eb_runde=r.runde,
                eb_source=r.path, hide=["toc"])


def status_pages(c: Components) -> list[GeneratedPage]:
    rounds = c.bank.status
    if not rounds:
        return [page(urls.STATUS_INDEX, "Status", "<h1>Status</h1>\n<p>Ingen "
                     "statusrapportering er lagt inn ennå.</p>\n", eb_type="status")]
    listing = [(urls.status_round(r, i == 0), r.tittel) for i, r in enumerate(rounds)]
    out = []
    for i, r in enumerate(rounds):
        uri = urls.status_round(r, i == 0)
        out.append(round_page(c, r, uri, [x for x in listing if x[0] != uri]))
    return out


def region_section(bank: Bank, settings: Settings, emb: Embete, uri: str) -> str:
    if not bank.status:
        return ""
    c = Components(bank, settings)
    r = bank.status[0]
    t = r.regioner[emb.slug]
    when = format_date(r.dato)
    if t.has_figures:
        rows = [(emb.navn, t), ("Hele landet", r.nasjonalt)]
        figs = "".join(chart_block(ch, rows, f"{emb.slug}-", when) for ch in CHARTS)
    else:
        figs = (f'<p class="eb-ikke-rapportert">Kildene oppgir ingen tall for {h(emb.navn)} i '
                "denne runden.</p>")
    return (f'<section class="eb-status-region" aria-labelledby="status">'
            f'<h2 id="status">Status i reformarbeidet per {when}</h2>'
            f"<p>Fra statsforvalterens rapportering. "
            f"{c.link(uri, urls.STATUS_INDEX, 'Se hele landet og de andre regionene')}.</p>"
            f"{figures_table(t, f'{emb.navn} per {when}', 'status-region')}{figs}"
            + assessment(t.vurdering, "Statsforvalterens vurdering") +
            f'<p class="eb-kilde">Kilde: {h(r.kilder[0].tittel) if r.kilder else ""}</p>'
            "</section>\n")


def regions_index_section(bank: Bank, settings: Settings, uri: str) -> str:
    return map_section(Components(bank, settings), uri)


def funding(c: Components, src_uri: str, meta: dict, markdown: str) -> str:
    if FUNDING_PLACEHOLDER not in markdown:
        return markdown
    tables = []
    for f in c.bank.finansiering:
        rows = "".join(
            f'<tr><th scope="row">{c.link(src_uri, urls.region(c.ref.embeter[slug]), c.ref.embeter[slug].tittel)}</th>'
            f'<td data-embete="{slug}">{format_int(amount)}</td></tr>'
            for slug, amount in f.embeter.items())
        unit = f.enhet.replace("1000", "1\u202f000")
        note = f"<p>{h(f.merknad)}</p>" if f.merknad else ""
        tables.append(f'<table><caption>{h(f.tittel)} (i {h(unit)})'
                      f'</caption><thead><tr><th scope="col">Embete</th><th scope="col">Beløp '
                      f"(i {h(unit)})</th></tr></thead><tbody>{rows}</tbody></table>\n"
                      f'{note}<p class="eb-kilde">Kilde: {h(f.kilde)}</p>')
    return markdown.replace(FUNDING_PLACEHOLDER, "\n\n".join(tables) or "")
