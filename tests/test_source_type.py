"""The source's strength: «type» of a source comes in through `new --kilde`, the issue form and
entry files alike, and is shown in the sources list."""
from __future__ import annotations

from generator.contribute.scaffold import parse_kilde
from sitecheck import page


def test_a_source_line_may_end_with_its_type():
    k = parse_kilde("Tydal kommune: Kafe Posten | https://www.tydal.kommune.no/kafe | kommune")
    assert (k.tittel, k.url, k.type) == ("Tydal kommune: Kafe Posten",
                                         "https://www.tydal.kommune.no/kafe", "kommune")
    k = parse_kilde("KS: Leve hele livet | https://www.ks.no/x | Organisasjon")
    assert k.type == "organisasjon"
    k = parse_kilde("Notat fra Helsedirektoratet | offentlig")
    assert (k.tittel, k.url, k.type) == ("Notat fra Helsedirektoratet", None, "offentlig")
    k = parse_kilde("Avisa | https://x.no/a")  # no type given: none guessed
    assert k.type is None and k.url == "https://x.no/a"


def test_the_type_is_shown_with_the_source(fixture_site):
    raw = page(fixture_site, "eksempler/syntetisk-oslo/").read_text(encoding="utf-8")
    assert '<span class="eb-kildetype">(Kommunens egen side)</span>' in raw
