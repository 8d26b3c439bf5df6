"""The regional support apparatus (`content/regioner/stotteapparat.yml`): per statsforvalter-
embete, the organisations that support the kommuner — statsforvalteren, KS, USHT and others
the sources name — with their public page. Organisations only, never persons. Read with the
shared field readers; shown on each region page («Hvem kan vi spørre?»)."""
from __future__ import annotations

from generator.base.errors import Collector
from generator.base.settings import Settings
from generator.load.files import read_text
from generator.load.yamlsafe import load_mapping
from generator.model import STOTTE_ROLLER, Organisasjon, Reference
from generator.validate.fields import Reader, fields, items

FILE = "regioner/stotteapparat.yml"  # below content/


def load_stotteapparat(settings: Settings, ref: Reference, issues: Collector
                       ) -> dict[str, tuple[Organisasjon, ...]]:
    path = settings.docs_dir / FILE
    if not path.exists() and not path.is_symlink():
        return {}
    shown = settings.rel(path)
    r = Reader(shown, issues)
    text = read_text(path, shown, issues)
    if text is None:
        return {}
    mapping, problems = load_mapping(text)
    for p in problems:
        r.err(p.line, p.message, p.hint)
    if not mapping:
        return {}
    r.unknown_keys(mapping, ("regioner",), "på toppnivå")
    regioner = mapping.get("regioner")
    if regioner is None or not isinstance(regioner.value, dict):
        r.err(regioner.line if regioner else 1, "«regioner» skal ha én oppføring per embete",
              "Se kommentaren øverst i filen.")
        return {}
    out: dict[str, tuple[Organisasjon, ...]] = {}
    for slug, loc in fields(regioner).items():
        if slug not in ref.embeter:
            r.err(loc.line, f"ukjent region «{slug[:60]}»",
                  "Regionene er statsforvalterembetene: " + ", ".join(ref.embeter) + ".")
            continue
        found = []
        for item in r.listing(loc, slug):
            if not isinstance(item.value, dict):
                r.err(item.line, "hver organisasjon skal ha «navn», «rolle» og «url»",
                      "Skriv «- navn: …», «rolle: …» og «url: https://…».")
                continue
            parts = fields(item)
            r.unknown_keys(parts, ("navn", "rolle", "url"), "i en organisasjon")
            navn = r.text(parts.get("navn"), "navn", max_len=200, html=False)
            rolle = r.choice(parts.get("rolle"), "rolle", STOTTE_ROLLER)
            url = r.url(parts.get("url"), "url")
            if navn and rolle and url:
                found.append(Organisasjon(navn, rolle, url))
            elif not (navn and rolle and url) and "navn" in parts and "rolle" in parts \
                    and "url" in parts:
                continue  # reported above
            else:
                r.err(item.line, "en organisasjon mangler «navn», «rolle» eller «url»",
                      "Alle tre må være med.")
        out[slug] = tuple(found)
    return out
