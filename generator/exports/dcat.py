"""`datasett.jsonld`: the open data described in DCAT-AP-NO (JSON-LD), so that a data catalogue
such as data.norge.no can harvest what the site offers: one dataset («eksempler») with a
distribution per export file, its licence, language, themes, coverage and last change.

Values that only the publishing organisation can give (its organisation number, a contact
e-mail) are not invented here: the publisher is the site itself, the contact point the
project's issue list when the repository is known. docs/oppsett-github.md says how to register
the description with data.norge.no. Vocabulary URIs are the EU Publications Office's authority
tables that DCAT-AP-NO uses (data themes, file types, languages, countries, licences).
"""
from __future__ import annotations

import json

from generator.model import LICENCE_URL, SITE_TITLE, Bank

FILE = "datasett.jsonld"
EU = "http://publications.europa.eu/resource/authority/"
CONTEXT = {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
           "foaf": "http://xmlns.com/foaf/0.1/", "vcard": "http://www.w3.org/2006/vcard/ns#",
           "xsd": "http://www.w3.org/2001/XMLSchema#"}
# (file, title, EU file type, IANA media type, what it holds)
DISTRIBUTIONS = (
    ("eksempler.json", "Eksempler som JSON", "JSON", "application/json",
     "Metadata for alle eksemplene; skjemaet er eksempler.schema.json."),
    ("eksempler.csv", "Eksempler som CSV", "CSV", "text/csv",
     "De samme metadataene som tabell, UTF-8 med BOM, komma mellom feltene."),
    ("eksempler-excel.csv", "Eksempler som CSV for Excel", "CSV", "text/csv",
     "Den samme tabellen med semikolon mellom feltene, for Excel med norske innstillinger."),
    ("feed.xml", "Nyeste eksempler (Atom)", "ATOM", "application/atom+xml",
     "Atom-feed med de nyeste eksemplene."),
)


def _nb(text: str) -> dict:
    return {"@language": "nb", "@value": text}


def description(bank: Bank, site_url: str = "", repo_url: str = "") -> str:
    base = site_url.rstrip("/") + "/" if site_url else ""
    publisher = {"@type": "foaf:Agent", "foaf:name": _nb(SITE_TITLE)}
    if base:
        publisher["foaf:homepage"] = {"@id": base}
    newest = max((e.sist_oppdatert for e in bank.examples), default=None)
    dataset = {
        "@id": f"{base}{FILE}#eksempler", "@type": "dcat:Dataset",
        "dct:identifier": f"{base}{FILE}#eksempler",
        "dct:title": _nb("Eksempler fra kommunenes arbeid med Leve hele livet"),
        "dct:description": _nb(
            "Gode eksempler fra kommunenes arbeid med Leve hele livet, kvalitetsreformen for "
            "eldre (Meld. St. 15 (2017–2018)): hva kommunen gjorde, innsatsområde og løsning, "
            "kommune, fylke og region, status og kilder."),
        "dct:publisher": publisher,
        "dcat:keyword": [_nb(w) for w in ("Leve hele livet", "eldre", "kvalitetsreform",
                                          "kommuner", "gode eksempler")]
        + [_nb(io.navn) for io in bank.reference.innsatsomrader.values()],
        "dcat:theme": [{"@id": f"{EU}data-theme/HEAL"}, {"@id": f"{EU}data-theme/SOCI"}],
        "dct:language": {"@id": f"{EU}language/NOB"},
        "dct:spatial": {"@id": f"{EU}country/NOR"},
        "dct:accessRights": {"@id": f"{EU}access-right/PUBLIC"},
        "dcat:landingPage": {"@id": f"{base}apne-data/"},
        "dcat:distribution": [{
            "@type": "dcat:Distribution", "dct:title": _nb(title),
            "dct:description": _nb(what),
            "dcat:accessURL": {"@id": f"{base}{name}"}, "dcat:downloadURL": {"@id": f"{base}{name}"},
            "dct:format": {"@id": f"{EU}file-type/{kind}"},
            "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
            "dct:license": {"@id": LICENCE_URL},
            **({"dct:conformsTo": {"@id": f"{base}eksempler.schema.json"}}
               if name == "eksempler.json" else {}),
        } for name, title, kind, media, what in DISTRIBUTIONS],
    }
    if newest is not None:
        dataset["dct:modified"] = {"@type": "xsd:date", "@value": newest.isoformat()}
    if repo_url:
        dataset["dcat:contactPoint"] = {"@type": "vcard:Organization",
                                        "vcard:fn": SITE_TITLE,
                                        "vcard:hasURL": {"@id": repo_url.rstrip("/") + "/issues"}}
    catalog = {"@context": CONTEXT, "@id": f"{base}{FILE}", "@type": "dcat:Catalog",
               "dct:title": _nb(SITE_TITLE),
               "dct:description": _nb("Åpne data fra erfaringsbanken for Leve hele livet."),
               "dct:publisher": publisher, "dcat:dataset": [dataset]}
    return json.dumps(catalog, ensure_ascii=False, indent=1) + "\n"
