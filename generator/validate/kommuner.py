"""What contributors type for a kommune — «Tydal», «5033», «Herøy (Nordland)» — resolved
against the reference data, with a suggestion when it is not found."""
from __future__ import annotations

import difflib
import re
from collections import defaultdict

from generator.base.text import fold
from generator.model import Kommune, Reference


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
        m = re.fullmatch(r"(.+?)\s*[(,]\s*([^()]+?)\s*\)?", text)
        name, fylke = (m.group(1), m.group(2)) if m else (text, None)
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
