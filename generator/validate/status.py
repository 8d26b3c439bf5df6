"""Load stage for status reporting: `content/status/*.yml` → `StatusRunde` and `Finansiering`.

The format is documented in `docs/status-format.md`. Rules (each error names file and line, says
what is wrong and how to fix it, and all errors are collected):

* counts are `null` (= «ikke rapportert», never 0) or whole numbers ≥ 0 in ASCII digits (the
  shared field readers, fields.py, read every value of these files);
* parts never exceed the total (`kommuner`), and neither do the sums of parts;
* a region's `kommuner` equals the number of kommuner in the reference data, the country's 356;
* unknown regions and keys are errors, with a suggestion; every count key must be present;
* `runde` matches the file name, `dato` is a date, `eksempler` exist in the bank.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator.base.errors import Collector
from generator.base.settings import Settings
from generator.load.files import read_text
from generator.load.yamlsafe import Located, load_mapping
from generator.model import (STATUS_COUNTS, Finansiering, Reference, StatusRunde, StatusTall,
                             Vurdering)
from generator.validate.fields import Reader, fields, is_null, items, suggest

ROUND_FILE = re.compile(r"^(\d{4})-(\d{2})\.yml$")
FUNDING_FILE = re.compile(r"^finansiering-\d{4}\.yml$")
TOP_KEYS = ("runde", "dato", "tittel", "kilder", "nasjonalt", "regioner", "eksempler")
TEXT_KEYS = ("prioriteringer_fase_3", "vurdering")
NATIONAL_ONLY = ("forsinkelsesarsaker",)
FUNDING_KEYS = ("tittel", "kilde", "enhet", "merknad", "embeter")
# (parts that must not add up to more than `kommuner`)
PART_SUMS = (("vedtak_fattet", "vedtak_i_aar"),
             ("nettverk_deltar", "nettverk_planlegger", "nettverk_onsker_ikke"),
             ("fase_2", "fase_3"))
FORMAT_DOC = "docs/status-format.md"


def status_dir(settings: Settings) -> Path:
    return settings.docs_dir / "status"


def load_status(settings: Settings, reference: Reference, issues: Collector,
                example_slugs: set[str] | None = None
                ) -> tuple[list[StatusRunde], list[Finansiering]]:
    """All rounds (newest first) and funding tables. `example_slugs=None` skips the check of
    `eksempler` (used by `check --changed`, which does not load every entry)."""
    folder = status_dir(settings)
    rounds: list[StatusRunde] = []
    funding: list[Finansiering] = []
    if not folder.is_dir():
        return rounds, funding
    for path in sorted(folder.glob("*.yml")):
        shown = settings.rel(path)
        if ROUND_FILE.match(path.name):
            r = _Reader(shown, path, issues).round(reference, example_slugs)
            if r is not None:
                rounds.append(r)
        elif FUNDING_FILE.match(path.name):
            f = _Reader(shown, path, issues).funding(reference)
            if f is not None:
                funding.append(f)
        else:
            issues.error(shown, 0, "ukjent fil i content/status/",
                         "Filnavnet skal være ÅÅÅÅ-MM.yml (en rapporteringsrunde, for eksempel "
                         f"2021-11.yml) eller finansiering-ÅÅÅÅ.yml. Se {FORMAT_DOC}.")
    rounds.sort(key=lambda r: r.runde, reverse=True)
    return rounds, funding


MAX_AMOUNT = 10**12  # kroner or 1000 kroner: far above any grant, far below a crash


def _suggest(word: str, choices) -> str:
    hint = suggest(word, choices)
    return hint + " " if hint else ""


class _Reader(Reader):
    def __init__(self, shown: str, path: Path, issues: Collector):
        super().__init__(shown, issues)
        self.path = path

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def _load(self) -> dict[str, Located] | None:
        own = Collector()
        text = read_text(self.path, self.shown, own)
        for i in own.issues:
            self.err(i.line, i.message, i.hint)
        if text is None:
            return None
        mapping, problems = load_mapping(text)
        for p in problems:
            self.err(p.line, p.message, p.hint)
        return mapping

    def keys(self, found: dict[str, Located], allowed, where: str) -> None:
        for key, loc in found.items():
            if key not in allowed:
                self.err(loc.line, f"ukjent nøkkel «{key}» {where}",
                         f"{_suggest(key, allowed)}Tillatte nøkler er: {', '.join(allowed)} "
                         f"(se {FORMAT_DOC}).")

    def count(self, key: str, loc: Located, subject: str = "antall kommuner",
              high: int = 1000) -> int | None:
        return self.integer(loc, key, low=0, high=high, subject=subject, hint=(
            "Skriv tallet slik det står i kilden, uten anførselstegn, «ca.» eller prosent "
            "(for eksempel «kommuner: 23»). Står tallet ikke i kilden, skriv «null» – "
            "anslå aldri."))

    # -- a reporting round -------------------------------------------------------------------

    def round(self, ref: Reference, example_slugs: set[str] | None) -> StatusRunde | None:
        mapping = self._load()
        if mapping is None:
            return None
        self.keys(mapping, TOP_KEYS, "på toppnivå")
        for key in TOP_KEYS[:-1]:
            if key not in mapping:
                self.err(1, f"nøkkelen «{key}» mangler", f"Legg til «{key}:» (se {FORMAT_DOC}).")
        if not self.ok:
            return None
        runde = self.text(mapping["runde"], "runde")
        m = ROUND_FILE.match(self.path.name)
        if runde is not None and not re.fullmatch(r"\d{4}-(05|11)", runde):
            self.err(mapping["runde"].line, f"«runde: {runde}» har feil form",
                     'Skriv runden som "ÅÅÅÅ-MM" i anførselstegn, med måned 05 eller 11, '
                     'for eksempel runde: "2021-11".')
        elif runde is not None and runde != self.path.stem:
            self.err(mapping["runde"].line, f"«runde: {runde}» stemmer ikke med filnavnet "
                     f"{self.path.name}", f"Gi filen navnet {runde}.yml, eller rett runden til "
                     f'"{m.group(1)}-{m.group(2)}".')
        dato = self.date(mapping["dato"], "dato")
        tittel = self.text(mapping["tittel"], "tittel", max_len=200, html=False,
                           empty_hint="Skriv en overskrift for runden.")
        kilder = self.sources(mapping["kilder"], empty_hint=(
            "Skriv hver kilde som «- tittel: …» (og eventuelt «url: …»)."))
        if is_null(mapping["kilder"]):
            self.err(mapping["kilder"].line, "«kilder» må være en liste med minst én kilde",
                     "Skriv hver kilde som «- tittel: …» (og eventuelt «url: …»).")
        nasjonalt = self.figures(mapping["nasjonalt"], "nasjonalt", len(ref.kommuner),
                                 national=True)
        regioner = {}
        rloc = mapping["regioner"]
        found = fields(rloc)
        if not isinstance(rloc.value, dict):
            self.err(rloc.line, "«regioner» skal inneholde én oppføring per "
                     "statsforvalterembete", f"Se eksempelet i {FORMAT_DOC}.")
        for slug, loc in found.items():
            if slug not in ref.embeter:
                self.err(loc.line, f"ukjent region «{BAD_SLUG.sub('?', slug)[:60]}»",
                         f"{_suggest(slug, ref.embeter)}Regionene er statsforvalterembetene: "
                         f"{', '.join(ref.embeter)}.")
                continue
            total = len(ref.kommuner_in(ref.embeter[slug]))
            regioner[slug] = self.figures(loc, slug, total)
        for slug in ref.embeter:
            if isinstance(rloc.value, dict) and slug not in found:
                self.err(rloc.line, f"regionen «{slug}» mangler",
                         f"Legg til «{slug}:» under «regioner:», med null der tallene ikke "
                         "er rapportert.")
        eksempler: tuple[str, ...] = ()
        if "eksempler" in mapping:
            eksempler = self.example_refs(mapping["eksempler"], example_slugs)
        if not self.ok:
            return None
        return StatusRunde(runde, dato, tittel, self.shown, kilder, nasjonalt, regioner,
                           eksempler)

    def figures(self, loc: Located, where: str, expected_total: int,
                national: bool = False) -> StatusTall:
        name = "nasjonalt" if national else f"regionen «{where}»"
        if not isinstance(loc.value, dict):
            self.err(loc.line, f"{name} skal være en tabell med tallnøkler",
                     f"Se eksempelet i {FORMAT_DOC}.")
            return StatusTall({k: None for k in STATUS_COUNTS})
        found = fields(loc)
        allowed = tuple(STATUS_COUNTS) + TEXT_KEYS + (NATIONAL_ONLY if national else ())
        self.keys(found, allowed, f"i {name}")
        counts: dict[str, int | None] = {}
        lines: dict[str, int] = {}
        for key in STATUS_COUNTS:
            if key not in found:
                self.err(loc.line, f"tallnøkkelen «{key}» mangler i {name}",
                         f"Legg til «{key}: null» hvis tallet ikke er rapportert.")
                counts[key] = None
                continue
            lines[key] = found[key].line
            counts[key] = self.count(key, found[key])
        total = counts["kommuner"]
        if total is not None and total != expected_total:
            self.err(lines["kommuner"], f"«kommuner: {total}» stemmer ikke med "
                     f"referansedataene: {name} har {expected_total} kommuner",
                     f"Skriv «kommuner: {expected_total}», eller «null» hvis kilden ikke "
                     "oppgir tallet.")
        elif total is not None:
            for key in list(STATUS_COUNTS)[1:]:
                if counts[key] is not None and counts[key] > total:
                    self.err(lines[key], f"«{key}: {counts[key]}» er større enn antall "
                             f"kommuner ({total}) i {name}",
                             "En del kan ikke være større enn helheten. Sjekk tallet mot kilden.")
            for parts in PART_SUMS:
                given = [k for k in parts if counts[k] is not None]
                s = sum(counts[k] for k in given)
                if len(given) > 1 and s > total and all(counts[k] <= total for k in given):
                    self.err(lines[given[-1]], f"{' + '.join(given)} = {s} er større enn antall "
                             f"kommuner ({total}) i {name}",
                             "En kommune kan bare telles i én av disse gruppene. Sjekk tallene "
                             "mot kilden.")
        a, b, both = counts["vedtak_fattet"], counts["vedtak_i_aar"], \
            counts["vedtak_fattet_eller_i_aar"]
        if None not in (a, b, both) and a + b != both:
            self.err(lines["vedtak_fattet_eller_i_aar"],
                     f"vedtak_fattet + vedtak_i_aar = {a + b}, men "
                     f"vedtak_fattet_eller_i_aar er {both} i {name}",
                     "Summen skal være lik. Sjekk tallene mot kilden, eller sett "
                     "vedtak_fattet_eller_i_aar til null hvis kilden ikke oppgir summen.")
        prio = self.paragraphs(found.get("prioriteringer_fase_3"), "prioriteringer_fase_3")
        vurdering = self.assessment(found.get("vurdering"))
        reasons: tuple[str, ...] = ()
        if national and not is_null(found.get("forsinkelsesarsaker")):
            rloc = found["forsinkelsesarsaker"]
            if not isinstance(rloc.value, list) or not all(
                    isinstance(i, str) and i.strip() for i in rloc.value):
                self.err(rloc.line, "«forsinkelsesarsaker» må være en liste med tekst",
                         "Skriv hver årsak på en egen linje som begynner med «- ».")
            else:
                reasons = tuple(t for t in (self.text(i, "forsinkelsesarsaker")
                                            for i in items(rloc)) if t)
        return StatusTall(counts, prio, vurdering, reasons)

    def paragraphs(self, loc: Located | None, key: str) -> str | None:
        if is_null(loc):
            return None
        if not isinstance(loc.value, str) or not loc.value.strip():
            self.err(loc.line, f"«{key}» må være tekst eller null",
                     "Skriv teksten etter «>-» på linjene under, eller «null».")
            return None
        return self.text(loc, key, multiline=True)

    def assessment(self, loc: Located | None) -> Vurdering | None:
        if is_null(loc):
            return None
        if not isinstance(loc.value, dict):
            self.err(loc.line, "«vurdering» må ha «sprak» og «tekst», eller være null",
                     f"Se eksempelet i {FORMAT_DOC}.")
            return None
        found = fields(loc)
        self.keys(found, ("sprak", "tekst"), "i «vurdering»")
        sprak, tekst = found.get("sprak"), found.get("tekst")
        ok = True
        if sprak is None or sprak.value not in ("nb", "nn"):
            shown = sprak.value if sprak is not None and isinstance(sprak.value, str) else ""
            shown = BAD_SLUG.sub("?", shown)[:20]
            self.err(sprak.line if sprak else loc.line,
                     f"«vurdering.sprak» må være nb eller nn{f', ikke «{shown}»' if shown else ''}",
                     "Skriv «sprak: nb» for bokmål eller «sprak: nn» for nynorsk (vurder teksten "
                     "som helhet).")
            ok = False
        if tekst is None or not isinstance(tekst.value, str) or not tekst.value.strip():
            self.err(tekst.line if tekst else loc.line, "«vurdering.tekst» er tom",
                     "Lim inn statsforvalterens vurdering ordrett, eller sett «vurdering: null».")
            ok = False
        value = self.text(tekst, "vurdering.tekst", multiline=True) if ok else None
        return Vurdering(sprak.value, value) if ok and value else None

    def example_refs(self, loc: Located, example_slugs: set[str] | None) -> tuple[str, ...]:
        value = loc.value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.err(loc.line, "«eksempler» må være en liste med filnavn (uten .md)",
                     "Skriv for eksempel «eksempler: [tydal-kafe-posten]».")
            return ()
        if example_slugs is not None:
            for item in items(loc):
                if item.value not in example_slugs:
                    self.err(item.line, f"eksempelet «{BAD_SLUG.sub('?', item.value)[:80]}» "
                             "finnes ikke i examples_bank/",
                             f"{_suggest(item.value, example_slugs)}Skriv filnavnet til eksempelet "
                             "uten .md.")
        return tuple(value)

    # -- funding -----------------------------------------------------------------------------

    def funding(self, ref: Reference) -> Finansiering | None:
        mapping = self._load()
        if mapping is None:
            return None
        self.keys(mapping, FUNDING_KEYS, "på toppnivå")
        for key in ("tittel", "kilde", "enhet", "embeter"):
            if key not in mapping or mapping[key].value in (None, ""):
                self.err(1, f"nøkkelen «{key}» mangler", f"Legg til «{key}:» (se {FORMAT_DOC}).")
        if not self.ok:
            return None
        tittel = self.text(mapping["tittel"], "tittel", max_len=200, html=False)
        kilde = self.text(mapping["kilde"], "kilde", max_len=300, html=False)
        enhet = self.text(mapping["enhet"], "enhet", max_len=40, html=False)
        merknad = self.text(mapping.get("merknad"), "merknad", required=False, multiline=True)
        amounts: dict[str, int] = {}
        eloc = mapping["embeter"]
        found = fields(eloc)
        for slug, loc in found.items():
            if slug not in ref.embeter:
                self.err(loc.line, f"ukjent region «{BAD_SLUG.sub('?', slug)[:60]}»",
                         f"{_suggest(slug, ref.embeter)}Regionene er: {', '.join(ref.embeter)}.")
                continue
            value = self.count(slug, loc, subject="beløpet", high=MAX_AMOUNT)
            if value is not None:
                amounts[slug] = value
        for slug in ref.embeter:
            if slug not in found:
                self.err(eloc.line, f"beløpet for «{slug}» mangler",
                         f"Legg til «{slug}: <beløp>» under «embeter:».")
        if not self.ok:
            return None
        return Finansiering(tittel, kilde, enhet, merknad or None, self.shown,
                            {s: amounts[s] for s in ref.embeter})


BAD_SLUG = re.compile(r"[^\w\s.,:;()«»/-]")
