"""The status pages in the built fixture site, checked against the data files."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from conftest import ROOT
from generator.load.yamlsafe import load_plain
from sitecheck import page, parse, text

DATA = load_plain((ROOT / "content" / "status" / "2021-11.yml").read_text(encoding="utf-8"))
FUNDING = load_plain((ROOT / "content" / "status" / "finansiering-2021.yml")
                     .read_text(encoding="utf-8"))
MISSING = "ikke rapportert"
# The round the data above is: the status page itself while it is the newest round, else its
# own page (the tests hold whatever rounds content/status/ has).
ROUNDS = sorted(p.stem for p in (ROOT / "content" / "status").glob("[0-9][0-9][0-9][0-9]-*.yml"))
ROUND = "status/" if ROUNDS[-1] == "2021-11" else "status/2021-11/"
# A chart shows an area only where the data has a figure for one of its parts.
CHART_PARTS = {"vedtak-tabell": ("vedtak_fattet", "vedtak_i_aar", "vedtak_fattet_eller_i_aar"),
               "faser-tabell": ("fase_2", "fase_3"),
               "nettverk-tabell": ("nettverk_deltar", "nettverk_planlegger", "nettverk_onsker_ikke")}


class Cells(HTMLParser):
    """Every <td data-felt=…> (per table id) and every element with lang, with its text."""

    def __init__(self):
        super().__init__()
        self.table = None
        self.cells: dict[str, list[tuple[str, str]]] = {}
        self._cell = None
        self._buf: list[str] = []
        self.lang_blocks: list[tuple[str, str]] = []
        self._lang_depth = 0
        self._lang = None
        self.svg_links: list[str] = []
        self._in_svg = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self._in_svg += 1
        if tag == "a" and self._in_svg and a.get("href"):
            self.svg_links.append(a["href"])
        if tag == "table":
            self.table = a.get("id")
            self.cells.setdefault(self.table, [])
        if tag == "td" and "data-felt" in a:
            self._cell, self._buf = a["data-felt"], []
        if tag == "blockquote" and a.get("lang"):
            self._lang, self._lang_depth, self._lbuf = a["lang"], 1, []

    def handle_endtag(self, tag):
        if tag == "svg":
            self._in_svg -= 1
        if tag == "td" and self._cell:
            self.cells[self.table].append((self._cell, "".join(self._buf).strip()))
            self._cell = None
        if tag == "blockquote" and self._lang:
            self.lang_blocks.append((self._lang, " ".join("".join(self._lbuf).split())))
            self._lang = None

    def handle_data(self, data):
        if self._cell:
            self._buf.append(data)
        if self._lang:
            self._lbuf.append(data)


def cells(site, url) -> Cells:
    c = Cells()
    c.feed(page(site, url).read_text(encoding="utf-8"))
    return c


def shown(value) -> str:
    return MISSING if value is None else f"{int(value):,}".replace(",", "\u202f")


def test_every_national_figure_equals_the_data_file(fixture_site):
    national = dict(cells(fixture_site, ROUND).cells["nasjonalt"])
    counts = {k: v for k, v in DATA["nasjonalt"].items() if not isinstance(v, (dict, list))
              and k not in ("prioriteringer_fase_3", "vurdering")}
    assert set(national) == set(counts)
    for key, value in counts.items():
        assert national[key] == shown(value), key
    # the figures from the sources, spelled out
    assert (national["kommuner"], national["vedtak_fattet_eller_i_aar"], national["forsinket"],
            national["nettverk_deltar"], national["nettverk_planlegger"],
            national["nettverk_onsker_ikke"], national["fase_3"]) == (
        "356", "307", "42", "310", "35", "11", "172")


def test_chart_tables_equal_the_data_file(fixture_site):
    c = cells(fixture_site, ROUND)
    areas = {"nasjonalt": DATA["nasjonalt"], **DATA["regioner"]}
    for table, parts in CHART_PARTS.items():
        names = [n for n, data in areas.items() if any(data[k] is not None for k in parts)]
        assert 0 < len(names) < len(areas), "some areas have figures, some none"
        rows = c.cells[table]
        per_row = len(rows) // len(names)
        assert per_row * len(names) == len(rows)
        for i, region in enumerate(names):
            for key, got in rows[i * per_row:(i + 1) * per_row]:
                assert got == shown(areas[region][key]), (table, region, key)


def test_chart_text_alternative_has_the_numbers(fixture_site):
    raw = page(fixture_site, ROUND).read_text(encoding="utf-8")
    desc = re.search(r'<desc id="faser-desc">(.*?)</desc>', raw).group(1)
    assert "Vestfold og Telemark: fase 2: 13 av 23 (57 %); fase 3: 10 av 23 (43 %)." in desc
    assert "Hele landet: fase 2: ikke rapportert; fase 3: 172 av 356 (48 %)." in desc
    assert "Vestland" not in desc  # no figure for its phases: left out of the chart
    assert 'role="img" aria-labelledby="faser-title faser-desc"' in raw


def test_no_page_shows_a_number_for_an_empty_field(fixture_site):
    """Region pages: the region's own table and the chart tables (region row, country row)."""
    for slug, data in DATA["regioner"].items():
        c = cells(fixture_site, f"regioner/{slug}/")
        if not any(data[k] is not None for k in data if k not in ("prioriteringer_fase_3",
                                                                  "vurdering")):
            assert "status-region" not in c.cells and not any(
                t and t.startswith(f"{slug}-") for t in c.cells), slug
            assert "Kildene oppgir ingen tall" in text(fixture_site, f"regioner/{slug}/")
            continue
        own = dict(c.cells["status-region"])
        assert set(own) == {k for k in data if k not in ("prioriteringer_fase_3", "vurdering")}
        for key, got in own.items():
            assert got == shown(data[key]), (slug, key)
        for table in (t for t in c.cells if t and t.startswith(f"{slug}-")):
            parts = CHART_PARTS[table[len(slug) + 1:]]
            shown_areas = [d for d in (data, DATA["nasjonalt"])
                           if any(d[k] is not None for k in parts)]
            rows = c.cells[table]
            per = len(rows) // len(shown_areas)
            for i, src in enumerate(shown_areas):
                for key, got in rows[i * per:(i + 1) * per]:
                    assert got == shown(src[key]), (slug, table, key)
    # and nowhere a cell claims 0 for a field the data leaves empty
    assert not any(v is not None and int(v) == 0 for d in [DATA["nasjonalt"], *DATA["regioner"].values()]
                   for k, v in d.items() if k not in ("prioriteringer_fase_3", "vurdering",
                                                      "forsinkelsesarsaker"))


def test_vestfold_og_telemark_page(fixture_site):
    own = dict(cells(fixture_site, "regioner/vestfold-og-telemark/").cells["status-region"])
    assert (own["kommuner"], own["vedtak_fattet"], own["vedtak_i_aar"], own["fase_2"],
            own["fase_3"], own["nettverk_deltar"]) == ("23", "10", "7", "13", "10", "23")
    t = text(fixture_site, "regioner/vestfold-og-telemark/")
    assert "Leve hele livet er satt tydelig på dagsorden i Vestfold og Telemark" in t


def test_vestland_assessment_is_marked_nynorsk(fixture_site):
    c = cells(fixture_site, "regioner/vestland/")
    assert [lang for lang, _ in c.lang_blocks] == ["nn"]
    assert c.lang_blocks[0][1].startswith("Det regionale støtteapparatet jobbar godt saman")
    national = {t[:40]: lang for lang, t in cells(fixture_site, ROUND).lang_blocks}
    assert national["Det regionale støtteapparatet jobbar god"] == "nn"
    assert list(national.values()).count("nn") == 1 and len(national) == 10


def test_highlighted_examples_link_to_their_pages(fixture_site):
    links = parse(page(fixture_site, ROUND)).links
    up = "../" * ROUND.count("/")
    assert f"{up}eksempler/tydal-kafe-posten/" in links
    assert f"{up}eksempler/ulstein-levekarsplan-og-300-metersbyen/" in links


def test_map_links_every_fylke_to_its_region(fixture_site):
    for url, prefix in ((ROUND, "../../regioner/" if ROUND != "status/" else "../regioner/"),
                        ("regioner/", "")):
        c = cells(fixture_site, url)
        assert len(c.svg_links) == 11
        assert c.svg_links.count(f"{prefix}oslo-og-viken/") == 2      # Oslo and Viken
        for link in c.svg_links:
            assert (page(fixture_site, url).parent / link / "index.html").resolve().exists()
        assert "© Kartverket, CC BY 4.0" in text(fixture_site, url)


def test_funding_table_on_the_support_page(fixture_site):
    raw = page(fixture_site, "reformen/stotteapparat/").read_text(encoding="utf-8")
    assert "<!-- finansiering -->" not in raw
    for slug, amount in FUNDING["embeter"].items():
        got = re.search(rf'<td data-embete="{slug}">([^<]*)</td>', raw).group(1)
        assert got == shown(amount), slug
    assert "Statsforvalteren i Vestfold og Telemark" in text(fixture_site,
                                                              "reformen/stotteapparat/")
