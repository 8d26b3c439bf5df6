"""Open data and feeds: validated against their documented schema, counted against the data."""
from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET

import jsonschema

import tempfile
from pathlib import Path

from conftest import ROOT, TODAY, fixture_bank

from generator import exports
from generator.pipeline import load_bank
from generator.base.settings import Settings

ATOM = "{http://www.w3.org/2005/Atom}"


def bank():
    root = Path(tempfile.mkdtemp())
    return load_bank(Settings(root=root, bank_dir=fixture_bank(root), docs_dir=ROOT / "content",
                              today=TODAY))


def documented_fields() -> list[str]:
    """The field table of the page «Åpne data», in order."""
    text = (ROOT / "content" / "apne-data.md").read_text(encoding="utf-8")
    section = text.split("## Feltene", 1)[1].split("## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)


def test_json_validates_against_the_schema_and_counts(fixture_site):
    data = json.loads((fixture_site / "eksempler.json").read_text(encoding="utf-8"))
    schema = json.loads((fixture_site / "eksempler.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    b = bank()
    assert data["skjemaversjon"] == exports.SCHEMA_VERSION
    assert data["antall"] == len(data["eksempler"]) == len(b.examples) == 5
    tydal = next(e for e in data["eksempler"] if e["slug"] == "tydal-kafe-posten")
    assert tydal["kommuner"] == [{"nummer": "5033", "navn": "Tydal"}]
    assert tydal["regioner"] == [{"slug": "trondelag", "navn": "Trøndelag"}]
    assert tydal["url"] == "https://leve-hele-livet.github.io/erfaringsbank/eksempler/tydal-kafe-posten/"
    assert tydal["syntetisk"] is False
    # every example's url is a page of the site
    for e in data["eksempler"]:
        assert (fixture_site / e["url"].split("/erfaringsbank/", 1)[1] / "index.html").exists()


def test_schema_rejects_a_broken_record(fixture_site):
    data = json.loads((fixture_site / "eksempler.json").read_text(encoding="utf-8"))
    schema = json.loads(exports.SCHEMA_FILE.read_text(encoding="utf-8"))
    data["eksempler"][0]["status"] = "ferdig"
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        assert "ferdig" in exc.message
    else:
        raise AssertionError("the schema must reject an unknown status")


def test_csv_has_the_documented_columns_and_matches_the_json(fixture_site):
    fields = documented_fields()
    assert tuple(fields) == exports.csv_fields(bank())
    with open(fixture_site / "eksempler.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0].keys()) == fields
    data = json.loads((fixture_site / "eksempler.json").read_text(encoding="utf-8"))
    assert [r["slug"] for r in rows] == [e["slug"] for e in data["eksempler"]]
    for row, rec in zip(rows, data["eksempler"]):
        assert row["skjemaversjon"] == exports.SCHEMA_VERSION
        assert row["kommunenummer"].split("; ") == [k["nummer"] for k in rec["kommuner"]]
        assert row["innsatsomrader"].split("; ") == rec["innsatsomrader"]
        assert row["syntetisk"] == ("ja" if rec["syntetisk"] else "nei")
    heroy = next(r for r in rows if r["slug"] == "syntetisk-heroy-dagsenter")
    assert heroy["kommunenummer"] == "1818" and heroy["fylker"] == "Nordland"


def test_atom_feeds(fixture_site):
    b = bank()
    feed = ET.parse(fixture_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [x.tittel for x in b.examples]
    for entry in entries:
        for tag in ("id", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{tag}") is not None
    for slug in b.reference.innsatsomrader:
        per = ET.parse(fixture_site / "feed" / f"{slug}.xml").getroot()
        titles = [e.find(f"{ATOM}title").text for e in per.findall(f"{ATOM}entry")]
        assert titles == [x.tittel for x in b.tagged("innsatsomrade", slug)], slug


def test_feed_is_capped():
    b = bank()
    many = b.examples * 20
    feed = ET.fromstring(exports.atom_feed(b, many, title="t", feed_path="feed.xml"))
    assert len(feed.findall(f"{ATOM}entry")) == exports.FEED_SIZE
    assert feed.find(f"{ATOM}id").text == "urn:erfaringsbank:feed.xml"


def test_open_data_page_links_and_sitemap(fixture_site):
    html = (fixture_site / "apne-data" / "index.html").read_text(encoding="utf-8")
    for target in ("../eksempler.json", "../eksempler.csv", "../feed.xml", "CC BY 4.0", "© Kartverket",
                   "Statistisk sentralbyrå"):
        assert target in html
    sitemap = (fixture_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://leve-hele-livet.github.io/erfaringsbank/eksempler/tydal-kafe-posten/</loc>" in sitemap
    # No <link rel="alternate"> in page heads: mkdocs-material would fetch the whole sitemap.xml
    # on every page view (≈ 1 MB at 5 000 examples). The feeds are linked visibly instead.
    home = (fixture_site / "index.html").read_text(encoding="utf-8")
    assert 'rel="alternate"' not in home
    io = (fixture_site / "innsatsomrader" / "helsehjelp" / "index.html").read_text(encoding="utf-8")
    assert "../../feed/helsehjelp.xml" in io


make_bank = bank


def test_json_and_csv_made_per_example_equal_whole_document_encoding():
    """examples_json / examples_csv assemble the text one example at a time (so `serve` can reuse
    unchanged examples): it must be exactly what encoding the whole document at once gives —
    with and without the memo, and after an example changes."""
    import io
    from dataclasses import replace
    bank = make_bank()
    whole = json.dumps({"skjemaversjon": exports.SCHEMA_VERSION, "lisens": exports.LICENCE,
                        "lisens_url": exports.LICENCE_URL, "antall": len(bank.examples),
                        "eksempler": [exports.record(bank, e, "https://x.no/") for e in bank.examples]},
                       ensure_ascii=False, indent=1) + "\n"
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=exports.csv_fields(bank), lineterminator="\r\n")
    w.writeheader()
    for e in bank.examples:
        w.writerow(exports.csv_row(bank, e, exports.record(bank, e, "https://x.no/")))
    assert len(bank.examples) >= 5
    assert exports.examples_json(bank, "https://x.no/") == whole
    assert exports.examples_csv(bank, "https://x.no/") == out.getvalue()
    memo = exports.RecordMemo()
    for _ in range(2):
        files = {f.path: f.content for f in exports.generate(bank, "https://x.no/", memo)}
        assert files["eksempler.json"] == whole and files["eksempler.csv"] == out.getvalue()
    bank.examples[3] = replace(bank.examples[3], tittel="Endret tittel")
    files = {f.path: f.content for f in exports.generate(bank, "https://x.no/", memo)}
    assert json.loads(files["eksempler.json"])["eksempler"][3]["tittel"] == "Endret tittel"
    assert "Endret tittel" in files["eksempler.csv"]
    from generator.model import Bank
    empty = exports.examples_json(Bank(bank.reference, []))
    assert empty == json.dumps({"skjemaversjon": exports.SCHEMA_VERSION, "lisens": exports.LICENCE,
                                "lisens_url": exports.LICENCE_URL, "antall": 0, "eksempler": []},
                               ensure_ascii=False, indent=1) + "\n"
