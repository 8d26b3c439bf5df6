"""Machine-readable descriptions: schema.org JSON-LD on example pages and the DCAT-AP-NO
description of the open data (datasett.jsonld), which data.norge.no can harvest."""
from __future__ import annotations

from test_related import bank_with, entry

from generator import pages


def test_structured_data_is_json_that_no_title_can_break_out_of(tmp_path):
    """schema.org JSON-LD on example pages: parses back to the entry's own values; even a title
    that tries to end the <script> element (the validator refuses it; the template must not
    rely on that) stays inside it."""
    import json
    import re
    from dataclasses import replace
    from generator.pages.components import Components
    bank, settings = bank_with(tmp_path, {"a": entry("Kafe & «Posten»")})
    body = next(p.body for p in pages.generate(bank, settings) if p.src_uri == "eksempler/a.md")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    e = bank.by_slug["a"]
    assert data["@type"] == "Article" and data["headline"] == e.tittel == "Kafe & «Posten»"
    assert data["datePublished"] == e.publisert.isoformat()
    assert [c.get("url") for c in data["citation"]] == [k.url for k in e.kilder]
    assert data["spatialCoverage"][0]["identifier"] == e.kommuner[0].nummer
    # what the page's own markup says already is not repeated (issue 18): summary, language nb,
    # the address (canonical link), a change on the day of publication
    assert "description" not in data and "inLanguage" not in data and "url" not in data
    assert ("dateModified" in data) == (e.sist_oppdatert != e.publisert)
    changed = replace(e, oppdatert=e.publisert.replace(year=e.publisert.year + 1))
    later = str(pages.structured(Components(bank, settings), changed))
    assert json.loads(re.search(r">(.*)</script>", later, re.S).group(1))["dateModified"] \
        == changed.sist_oppdatert.isoformat()
    nynorsk = str(pages.structured(Components(bank, settings), replace(e, sprak="nn")))
    assert json.loads(re.search(r">(.*)</script>", nynorsk, re.S).group(1))["inLanguage"] == "nn"
    hostile = "</script><script>alert(1)</script><!--"
    html = str(pages.structured(Components(bank, settings), replace(e, tittel=hostile)))
    assert html.count("</script>") == 1 and "<script>" not in html and "<!--" not in html
    assert json.loads(re.search(r">(.*)</script>", html, re.S).group(1))["headline"] == hostile


def test_the_open_data_is_described_in_dcat(fixture_site):
    """datasett.jsonld: one DCAT catalogue with one dataset, a distribution for every export
    file that exists, the licence on each, and the date of the newest change."""
    import json
    data = json.loads((fixture_site / "datasett.jsonld").read_text(encoding="utf-8"))
    assert data["@type"] == "dcat:Catalog" and data["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    (dataset,) = data["dcat:dataset"]
    assert dataset["@type"] == "dcat:Dataset" and dataset["dct:title"]["@language"] == "nb"
    for field in ("dct:description", "dct:publisher", "dcat:theme", "dct:language",
                  "dcat:keyword", "dcat:landingPage", "dct:modified"):
        assert dataset.get(field), field
    site = json.loads((fixture_site / "eksempler.json").read_text(encoding="utf-8"))
    newest = max(e["oppdatert"] or e["publisert"] for e in site["eksempler"])
    assert dataset["dct:modified"]["@value"] == newest
    files = []
    for d in dataset["dcat:distribution"]:
        url = d["dcat:downloadURL"]["@id"]
        name = url.rsplit("/", 1)[-1]
        assert (fixture_site / name).is_file(), url
        assert d["dct:license"]["@id"].startswith("https://creativecommons.org/licenses/by/4.0/")
        files.append(name)
    assert {"eksempler.json", "eksempler.csv", "eksempler-excel.csv", "feed.xml"} <= set(files)
