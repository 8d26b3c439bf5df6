"""What contributors type for a kommune — «Tydal», «5033», «Herøy (Nordland)» — resolved
against the reference data, with a suggestion when it is not found."""
from __future__ import annotations

import difflib
import re
from collections import defaultdict

from generator.base.text import fold
from generator.model import Kommune, Reference


MAX_NAME = 100  # «Porsanger – Porsángu – Porsanki (Troms og Finnmark)» is 51


def split_fylke(text: str) -> tuple[str, str | None]:
    """«Herøy (Nordland)» or «Herøy, Nordland» → ("Herøy", "Nordland"); anything else →
    (text, None). String operations, not a regular expression: the pattern this replaces
    («(.+?)\\s*[(,]\\s*([^()]+?)\\s*\\)?») took cubic time on a long run of spaces."""
    cuts = [i for i in (text.find("("), text.find(",")) if i > 0]
    if not cuts:
        return text, None
    cut = min(cuts)
    name, rest = text[:cut].strip(), text[cut + 1:].strip()
    if rest.startswith("(") and text[cut] == ",":  # «Herøy, (Nordland)»
        rest = rest[1:].lstrip()
    if rest.endswith(")"):
        rest = rest[:-1].rstrip()
    if not name or not rest or "(" in rest or ")" in rest:
        return text, None
    return name, rest


class KommuneIndex:
    """Resolves what contributors type — «Tydal», «5033», «Herøy (Nordland)» — to a Kommune."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self.by_name: dict[str, list[Kommune]] = defaultdict(list)
        for k in ref.kommuner.values():
            for name in (k.navn, *k.andre_navn):
                self.by_name[fold(name)].append(k)
        self.display = {fold(k.navn): k.navn for k in ref.kommuner.values()}

    def resolve(self, raw: str) -> tuple[Kommune | None, str, str]:
        """(kommune, message, hint); message is empty on success."""
        text = raw.strip()
        if re.fullmatch(r"\d{4}", text):
            k = self.ref.kommuner.get(text)
            if k:
                return k, "", ""
            return None, f"kommunenummeret «{text}» finnes ikke (2020–2023)", \
                "Slå opp nummeret i SSBs liste over kommuner, eller skriv navnet."
        if len(text) > MAX_NAME:
            return None, f"ukjent kommune «{text[:40]}…» ({len(text)} tegn)", \
                "Skriv kommunens navn eller firesifrede kommunenummer."
        name, fylke = split_fylke(text)
        hits = self.by_name.get(fold(name), [])
        if fylke is not None:
            hits = [k for k in hits if fold(self.ref.fylker[k.fylke].navn) == fold(fylke)]
        if len(hits) == 1:
            return hits[0], "", ""
        if len(hits) > 1:
            options = ", ".join(f"{k.nummer} ({self.ref.fylker[k.fylke].navn})" for k in hits)
            return None, f"kommunenavnet «{text}» finnes i flere fylker", \
                f"Skriv kommunenummeret: {options} — eller navn og fylke, f.eks. " \
                f"«{hits[0].navn} ({self.ref.fylker[hits[0].fylke].navn})»."
        close = difflib.get_close_matches(fold(name), list(self.display), n=3, cutoff=0.75)
        hint = ("Mente du " + " eller ".join(f"«{self.display[c]}»" for c in close) + "?"
                if close else "Bruk kommunens navn eller firesifrede kommunenummer fra 2020–2023.")
        return None, f"ukjent kommune «{text}»", hint
