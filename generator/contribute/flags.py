"""`erfaringsbank new` with flags: the draft, and every missing flag and every value that cannot
be used, at once (the validator's view is added by `scaffold.create`), each under its flag.

Exit codes (docs/kommandolinje.md): a missing flag is wrong use of the command, 2; when all
flags are there but values are wrong (an unknown kommune, a bad date, a text too long, an
example that exists already), the content has errors, 1. One report holds both kinds.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator.base.text import fold
from generator.contribute.feedback import Remark, Surface, quote
from generator.contribute.scaffold import Draft, kilde_problem, parse_kilde
from generator.model import LANGUAGES, STATUSES, Reference
from generator.validate.fields import suggest

FLAGS = Surface(
    labels={"tittel": "--tittel", "kommuner": "--kommune", "innsatsomrader": "--innsatsomrade",
            "losninger": "--losning", "sammendrag": "--sammendrag", "status": "--status",
            "publisert": "--publisert", "sprak": "--sprak", "kilder": "--kilde",
            "kontakt": "--kontakt", "tekst": "--tekst"},
    hints={"tittel": "Oppgi en kort, beskrivende tittel med vanlig tekst, høyst 120 tegn: "
                     "--tittel \"…\".",
           "kommuner": "Oppgi kommunens navn eller firesifrede nummer: --kommune Tydal "
                       "(gjenta flagget for flere kommuner).",
           "innsatsomrader": "Oppgi --innsatsomrade (f.eks. aktivitet-og-fellesskap) eller "
                             "--losning (f.eks. gode-oyeblikk); begge kan gjentas.",
           "losninger": "Oppgi --losning med en løsnings slug, f.eks. gode-oyeblikk.",
           "sammendrag": "Oppgi én til tre setninger med vanlig tekst, høyst 300 tegn: "
                         "--sammendrag \"…\".",
           "status": "Oppgi --status planlagt, igangsatt eller gjennomfort.",
           "publisert": "Skriv datoen slik: --publisert 2021-12-01 (uten flagget brukes "
                        "dagens dato).",
           "sprak": "Oppgi --sprak nb (bokmål) eller --sprak nn (nynorsk).",
           "kilder": "Oppgi --kilde \"Tittel | https://… | kommune\" (typen til slutt er "
                     "kommune, offentlig, organisasjon eller avis); kan gjentas.",
           "url": "Skriv hele nettadressen, som begynner med https://, uten mellomrom eller "
                  "anførselstegn: --kilde \"Tittel | https://…\".",
           "kontakt": "Oppgi en rolle, for eksempel --kontakt \"Kommunalsjef helse og omsorg, "
                      "Tydal kommune\", høyst 200 tegn.",
           "tekst": "Oppgi teksten med --tekst \"…\", eller --tekst - for å lese den fra "
                    "standard inn.",
           "duplikat": "Rediger heller den eksisterende filen. Er dette et annet eksempel, gi "
                       "det en --tittel som sier hva som skiller dem."},
    general="eksemplet", body="teksten (--tekst)", quote_labels=False)

REQUIRED = ("tittel", "kommuner", "sammendrag", "status", "kilder", "tekst")


@dataclass
class Reading:
    draft: Draft
    remarks: list[Remark] = field(default_factory=list)
    skip: set[str] = field(default_factory=set)   # fields reported here already
    missing: bool = False                         # a required flag is missing: exit code 2

    def error(self, key: str, message: str, hint: str = "") -> None:
        self.remarks.append(Remark(key, message, hint or FLAGS.hints.get(key, "")))
        self.skip.add(key)


def from_flags(values: dict, reference: Reference, today: dt.date) -> Reading:
    """`values`: the parsed flags (argparse's names: kommune, kilde …; `tekst` already read)."""
    d = Draft(values.get("tittel") or "", list(values.get("kommune") or []),
              sammendrag=values.get("sammendrag") or "", kontakt=values.get("kontakt"),
              tekst=values.get("tekst") or "", syntetisk=bool(values.get("syntetisk")))
    r = Reading(d)
    d.status = _choice(r, "status", values.get("status"),
                       {fold(label): slug for slug, label in STATUSES.items()}, STATUSES) or ""
    d.sprak = _choice(r, "sprak", values.get("sprak") or "nb", {}, LANGUAGES) or "nb"
    d.innsatsomrader = _slugs(r, "innsatsomrader", values.get("innsatsomrade") or [],
                              {s: io.navn for s, io in reference.innsatsomrader.items()},
                              "innsatsområde")
    d.losninger = _slugs(r, "losninger", values.get("losning") or [],
                         {s: lo.navn for s, lo in reference.losninger.items()}, "løsning")
    raw = values.get("publisert")
    try:
        d.publisert = dt.date.fromisoformat(raw.strip()) if raw else today
    except ValueError:
        r.error("publisert", f"«{quote(raw)}» er ikke en dato på formen ÅÅÅÅ-MM-DD")
    for text in values.get("kilde") or []:
        if (problem := kilde_problem(text)) is not None:
            r.remarks.append(Remark("kilder", *problem))
        d.kilder.append(parse_kilde(text))
    for key in REQUIRED:
        if not getattr(d, key) and key not in r.skip:
            r.error(key, "mangler")
            r.missing = True
    if not (values.get("innsatsomrade") or values.get("losning")):
        r.error("innsatsomrader", "mangler (oppgi --innsatsomrade, --losning eller begge)")
        r.missing = True
    return r


def _choice(r: Reading, key: str, raw: str | None, aliases: dict[str, str],
            options: dict[str, str]) -> str | None:
    """A slug of `options`, also written as its label («Gjennomført»); None if absent/wrong."""
    if not raw:
        return None
    value = raw.strip()
    if value in options:
        return value
    found = aliases.get(fold(value)) or next((s for s in options if fold(s) == fold(value)), None)
    if found is None:
        r.error(key, f"«{quote(value)}» er ikke en gyldig verdi",
                ("Gyldige verdier: " + ", ".join(options) + ". " + suggest(value, options)).strip())
    return found


def _slugs(r: Reading, key: str, raws: list[str], valid: dict[str, str], what: str) -> list[str]:
    """Slugs of `valid` (also written as the name); each unknown one reported, and left out."""
    by_name = {fold(name): slug for slug, name in valid.items()}
    out = []
    for raw in raws:
        slug = raw.strip() if raw.strip() in valid else by_name.get(fold(raw))
        if slug is None:
            hint = suggest(raw.strip(), valid)
            r.error(key, f"ukjent {what} «{quote(raw)}»",
                    (hint + " " if hint else "") + "Gyldige verdier: " + ", ".join(valid) + ".")
        elif slug not in out:
            out.append(slug)
    return out
