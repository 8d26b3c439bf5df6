"""Exports stage: open data and feeds, as pure functions of the Bank (engine-free).

    eksempler.json          every example's metadata, with `skjemaversjon` (JSON Schema below)
    eksempler.csv           the same, one row per example (multi-valued fields joined by «; »)
    eksempler-excel.csv     the same for Excel in Norway: «;» between the fields (both with a BOM)
    eksempler.schema.json   the JSON Schema of eksempler.json (also in generator/data/)
    datasett.jsonld         the files above described in DCAT-AP-NO, for data catalogues (dcat.py)
    feed.xml                Atom feed of the newest examples
    feed/<innsatsområde>.xml  one Atom feed per innsatsområde

Field names are stable: add fields in a new minor `SCHEMA_VERSION`, rename or remove only in a
new major version. They are documented on the page «Åpne data» (content/apne-data.md).

Untrusted text (defence in depth; the field readers already refuse control characters):
    * every string in every export goes through `clean()`: no control character (C0 but tab, line
      feed and carriage return; DEL; C1), lone surrogate or U+FFFE/U+FFFF reaches a file, so the
      feeds are always well-formed XML 1.0 and the files always encode as UTF-8;
    * every CSV field goes through `csv_safe()` (OWASP «CSV injection»): a field that begins with
      a formula character, or has one right after a semicolon, gets a ' in front of that character,
      so a spreadsheet shows the text instead of computing it. The JSON keeps the text unchanged.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from generator.model import LICENCE, LICENCE_URL, SITE_TITLE, Bank, Example, taxonomy, urls

SCHEMA_VERSION = "1.0"
FEED_SIZE = 50
SCHEMA_FILE = Path(__file__).parent.parent / "data" / "eksempler.schema.json"

# The CSV columns: these, the taxonomies' columns (model/taxonomy.py), then the tail.
CSV_HEAD = ("skjemaversjon", "slug", "url", "tittel", "sammendrag")
CSV_TAIL = ("publisert", "oppdatert", "sprak", "kilder", "kontakt", "syntetisk")
SEP = taxonomy.SEP


# Not allowed in XML 1.0 (C0 but \t \n \r, lone surrogates, U+FFFE/U+FFFF), or invisible control
# characters that have no place in open data (DEL, C1).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# OWASP «CSV injection»: a spreadsheet computes a cell that begins with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The same after a semicolon (and spaces): Excel with Norwegian settings splits a .csv file on «;»
# (and the multi-valued fields are joined with «; »), so each part may become a cell of its own.
_FORMULA_AFTER_SEMICOLON = re.compile(r"(;[ \t]*)(?=[=+\-@])")


def clean(text: str) -> str:
    """`text` without the characters that would break a feed or a file (see the module doc)."""
    return _UNSAFE.sub("", text)


def _cleaned(value):
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_cleaned(v) for v in value]
    return value


def csv_safe(text: str) -> str:
    """A CSV field a spreadsheet reads as text: a ' before a formula character at the start of the
    field or right after a semicolon (documented on «Åpne data»)."""
    if ";" in text:                       # most fields have none: skip the regex
        text = _FORMULA_AFTER_SEMICOLON.sub(r"\1'", text)
    return "'" + text if text.startswith(FORMULA_START) else text


@dataclass(frozen=True)
class ExportFile:
    path: str      # relative to the site root
    content: str


def record(bank: Bank, e: Example, site_url: str) -> dict:
    """One example as the exports give it; its taxonomies' fields come from the registry
    (model/taxonomy.py), in their rank order."""
    ref = bank.reference
    rec = {
        "slug": e.slug,
        "url": urls.absolute(site_url, e.src_uri),
        "tittel": e.tittel,
        "sammendrag": e.sammendrag,
    }
    for tax in taxonomy.ranked(bank.taxonomies):
        if tax.json is not None:
            rec[taxonomy.json_field(tax)] = tax.json(ref, tuple(tax.terms(e, ref)))
    rec.update({
        "publisert": e.publisert.isoformat(),
        "oppdatert": e.oppdatert.isoformat() if e.oppdatert else None,
        "sprak": e.sprak,
        "kilder": [{"tittel": k.tittel, "url": k.url, "type": k.type} for k in e.kilder],
        "kontakt": e.kontakt,
        "syntetisk": e.synthetic,
    })
    return _cleaned(rec)


class RecordMemo:
    """`serve`: each example's JSON text and CSV row, kept by Example identity between rebuilds
    (an edit makes one entry new; encoding all 5 000 again took ≈ 0.5 s per rebuild)."""

    def __init__(self) -> None:
        self._items: dict[tuple, tuple] = {}  # (id, kind) → (example, text); feeds: see feed
        self._used: dict[tuple, tuple] = {}

    def get(self, e: Example, kind: str, make) -> str:
        key = (id(e), kind)
        hit = self._items.get(key)
        if hit is None or hit[0] is not e:
            hit = (e, make())
        self._used[key] = hit
        return hit[1]

    def feed(self, key: tuple, items: list[Example], make) -> str:
        """A feed as made last time for `key` if it lists the same examples (objects, in the
        same order): an edit changes at most the few feeds that list the example."""
        key = ("\0feed",) + key
        hit = self._items.get(key)
        if hit is None or len(hit[0]) != len(items) or any(
                a is not b for a, b in zip(hit[0], items)):
            hit = (tuple(items), make())
        self._used[key] = hit
        return hit[1]

    def done(self) -> None:
        """Keep only what this build used (no growth over a long serve session)."""
        self._items, self._used = self._used, {}


def _made(memo: RecordMemo | None, e: Example, kind: str, make) -> str:
    return memo.get(e, kind, make) if memo is not None else make()


def _json_item(rec: dict) -> str:
    # One element of the "eksempler" list exactly as json.dumps(whole, indent=1) writes it
    # (strings never hold a raw line break in JSON, so indenting every line is safe).
    return textwrap.indent(json.dumps(rec, ensure_ascii=False, indent=1), "  ")


class _Records:
    """Each example's record and CSV row, made once for all the files of one build (the JSON and
    both CSV files used to make them again: a third of the exports' time)."""

    def __init__(self, bank: Bank, site_url: str):
        self.bank, self.site_url = bank, site_url
        self._recs: dict[int, dict] = {}
        self._rows: dict[int, dict] = {}

    def record(self, e: Example) -> dict:
        if (rec := self._recs.get(id(e))) is None:
            rec = self._recs[id(e)] = record(self.bank, e, self.site_url)
        return rec

    def row(self, e: Example) -> dict:
        if (row := self._rows.get(id(e))) is None:
            row = self._rows[id(e)] = csv_row(self.bank, e, self.record(e))
        return row


def examples_json(bank: Bank, site_url: str = "", memo: RecordMemo | None = None,
                  records: _Records | None = None) -> str:
    """The same text as json.dumps(data, ensure_ascii=False, indent=1), made one example at a
    time (tests/test_exports.py compares the two)."""
    records = records or _Records(bank, site_url)
    skeleton = json.dumps({
        "skjemaversjon": SCHEMA_VERSION,
        "lisens": LICENCE,
        "lisens_url": LICENCE_URL,
        "antall": len(bank.examples),
        "eksempler": None,
    }, ensure_ascii=False, indent=1)
    items = [_made(memo, e, "json", lambda e=e: _json_item(records.record(e)))
             for e in bank.examples]
    listing = "[\n" + ",\n".join(items) + "\n ]" if items else "[]"
    return skeleton[: -len("null\n}")] + listing + "\n}\n"


def csv_fields(bank: Bank) -> tuple[str, ...]:
    return (CSV_HEAD + tuple(col for tax in taxonomy.ranked(bank.taxonomies) if tax.csv
                             for col in tax.csv_columns) + CSV_TAIL)


def csv_row(bank: Bank, e: Example, rec: dict) -> dict:
    row = {"skjemaversjon": SCHEMA_VERSION, "slug": rec["slug"], "url": rec["url"],
           "tittel": rec["tittel"], "sammendrag": rec["sammendrag"]}
    for tax in taxonomy.ranked(bank.taxonomies):
        if tax.csv is not None:
            row.update(tax.csv(bank.reference, tuple(tax.terms(e, bank.reference))))
    row.update({
        "publisert": rec["publisert"], "oppdatert": rec["oppdatert"] or "",
        "sprak": rec["sprak"],
        "kilder": SEP.join(k["tittel"] + (f" <{k['url']}>" if k["url"] else "")
                           for k in rec["kilder"]),
        "kontakt": rec["kontakt"] or "",
        "syntetisk": "ja" if rec["syntetisk"] else "nei",
    })
    return {k: csv_safe(clean(v)) if isinstance(v, str) else v for k, v in row.items()}


def _csv_line(fields: tuple[str, ...], row: dict | None, delimiter: str = ",") -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\r\n", delimiter=delimiter)
    w.writeheader() if row is None else w.writerow(row)
    return out.getvalue()


# A byte order mark first: Excel reads a CSV file without one in the machine's legacy code page
# (æøå garbled in Norway); with it, as UTF-8. Programs that read CSV as UTF-8 skip it
# («utf-8-sig» in Python, read.csv(fileEncoding = "UTF-8-BOM") in R).
BOM = "\ufeff"
# Norwegian Excel splits lines on its list separator, «;» — a file it opens with a double-click
# («eksempler-excel.csv») uses that; eksempler.csv stays RFC 4180 (comma) for programs.
CSV_FILES = {"eksempler.csv": ",", "eksempler-excel.csv": ";"}


def examples_csv(bank: Bank, site_url: str = "", memo: RecordMemo | None = None,
                 delimiter: str = ",", records: _Records | None = None) -> str:
    fields = csv_fields(bank)
    records = records or _Records(bank, site_url)
    return BOM + _csv_line(fields, None, delimiter) + "".join(
        _made(memo, e, "csv" + delimiter,
              lambda e=e: _csv_line(fields, records.row(e), delimiter))
        for e in bank.examples)


# -- Atom (RFC 4287) ---------------------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(d: dt.date) -> str:
    return f"{d.isoformat()}T00:00:00Z"


def atom_feed(bank: Bank, examples: list[Example], *, title: str, feed_path: str,
              site_url: str = "") -> str:
    """Atom feed of the newest `FEED_SIZE` of `examples` (already newest first in the Bank)."""
    ET.register_namespace("", ATOM)
    items = examples[:FEED_SIZE]
    base = site_url.rstrip("/") + "/" if site_url else ""
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "nb"})

    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: clean(v) for k, v in attrs.items()})
        if text is not None:
            el.text = clean(text)
        return el

    sub(feed, "title", title)
    sub(feed, "id", base + feed_path if base else f"urn:erfaringsbank:{feed_path}")
    sub(feed, "link", rel="self", href=base + feed_path if base else feed_path)
    if base:
        sub(feed, "link", rel="alternate", href=base)
    newest = max((e.sist_oppdatert for e in items), default=dt.date(2021, 1, 1))
    sub(feed, "updated", _stamp(newest))
    author = sub(feed, "author")
    sub(author, "name", SITE_TITLE)
    sub(feed, "rights", f"Tekstene er lisensiert under {LICENCE} ({LICENCE_URL}).")
    ref = bank.reference
    for e in items:
        entry = sub(feed, "entry")
        sub(entry, "title", e.tittel)
        url = urls.absolute(site_url, e.src_uri)
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        sub(entry, "id", url if base else f"urn:erfaringsbank:eksempel:{e.slug}")
        sub(entry, "published", _stamp(e.publisert))
        sub(entry, "updated", _stamp(e.sist_oppdatert))
        where = ", ".join(f"{k.navn} kommune" for k in e.kommuner)
        sub(entry, "summary", f"{where}: {e.sammendrag}")
        for s in e.innsatsomrader:
            sub(entry, "category", term=s, label=ref.innsatsomrader[s].navn)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def schema(site_url: str = "") -> str:
    """The published JSON Schema; its `$id` is its own address on this site (known only with a
    site_url), so a copy of the project on another address names itself, not us."""
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    if not site_url:
        return text
    data = json.loads(text)
    data = {"$schema": data.pop("$schema"), "$id": site_url.rstrip("/") + "/eksempler.schema.json",
            **data}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def generate(bank: Bank, site_url: str = "", memo: RecordMemo | None = None,
             repo_url: str = "") -> list[ExportFile]:
    """Every export file of the site (`memo`: reuse unchanged examples' records, in serve)."""
    from generator.exports import dcat
    records = _Records(bank, site_url)
    out = [
        ExportFile(dcat.FILE, dcat.description(bank, site_url, repo_url)),
        ExportFile("eksempler.json", examples_json(bank, site_url, memo, records)),
        *(ExportFile(name, examples_csv(bank, site_url, memo, delimiter, records))
          for name, delimiter in CSV_FILES.items()),
        ExportFile("eksempler.schema.json", schema(site_url)),
    ]
    feeds = [(urls.feed(), "Nyeste eksempler – Leve hele livet", bank.examples)]
    feeds += [(urls.feed(slug), f"{io_.navn} – nyeste eksempler",
               bank.tagged("innsatsomrade", slug))
              for slug, io_ in bank.reference.innsatsomrader.items()]
    for path, title, examples in feeds:
        def make(path=path, title=title, examples=examples) -> str:
            return atom_feed(bank, examples, title=title, feed_path=path, site_url=site_url)
        # (an example's innsatsområde names come from the reference data: when that changes,
        # every example is validated again, so no example object is the same as before)
        out.append(ExportFile(path, make() if memo is None else memo.feed(
            (path, title, site_url), examples[:FEED_SIZE], make)))
    if memo is not None:
        memo.done()
    return out
