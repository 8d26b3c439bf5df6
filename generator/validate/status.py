"""Load stage for status reporting: `content/status/*.yml` → `StatusRunde` and `Finansiering`.

The format is documented in `docs/status-format.md`. Rules (each error names file and line, says
what is wrong and how to fix it, and all errors are collected):

* counts are `null` (= «ikke rapportert», never 0) or whole numbers ≥ 0 — our YAML loader keeps
  plain scalars as text, so the digits are parsed here;
* parts never exceed the total (`kommuner`), and neither do the sums of parts;
* a region's `kommuner` equals the number of kommuner in the reference data, the country's 356;
* unknown regions and keys are errors, with a suggestion; every count key must be present;
* `runde` matches the file name, `dato` is a date, `eksempler` exist in the bank.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from generator.base.errors import Collector
from generator.model import STATUS_COUNTS, Finansiering, Kilde, Reference, StatusRunde, StatusTall, Vurdering
from generator.base.settings import Settings
from generator.load.yamlsafe import load_mapping

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


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"Mente du «{close[0]}»? " if close else ""


def _children(node: Node) -> dict[str, tuple[int, Node]]:
    """key → (1-based line of the key, value node) for a mapping node."""
    out: dict[str, tuple[int, Node]] = {}
    if isinstance(node, MappingNode):
        for k, v in node.value:
            out.setdefault(str(k.value), (k.start_mark.line + 1, v))
    return out


def _line(node: Node) -> int:
    return node.start_mark.line + 1


class _Reader:
    def __init__(self, shown: str, path: Path, issues: Collector):
        self.shown, self.path, self.issues = shown, path, issues
        self.ok = True

    def err(self, line: int, message: str, hint: str) -> None:
        self.ok = False
        self.issues.error(self.shown, line, message, hint)

    def _load(self) -> dict | None:
        try:
            text = self.path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError) as exc:
            self.err(0, f"kan ikke lese filen ({exc})", "Lagre filen som UTF-8.")
            return None
        mapping, problems = load_mapping(text)
        for p in problems:
            self.err(p.line, p.message, p.hint)
        return mapping

    def unknown_keys(self, found: dict[str, tuple[int, Node]] | dict, allowed, where: str) -> None:
        for key, item in found.items():
            if key not in allowed:
                line = item[0] if isinstance(item, tuple) else item.line
                self.err(line, f"ukjent nøkkel «{key}» {where}",
                         f"{_suggest(key, allowed)}Tillatte nøkler er: {', '.join(allowed)} "
                         f"(se {FORMAT_DOC}).")

    # -- numbers -----------------------------------------------------------------------------

    def count(self, key: str, line: int, node: Node, subject: str = "antall kommuner"
              ) -> int | None:
        value = node.value if isinstance(node, ScalarNode) else None
        if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return None
        if isinstance(node, ScalarNode) and node.style is None and value.isdigit() \
                and value.isascii():
            return int(value)
        shown = value if isinstance(node, ScalarNode) else "en liste eller tabell"
        if isinstance(node, ScalarNode) and re.fullmatch(r"-\d+", value or ""):
            why = "et negativt tall"
        elif isinstance(node, ScalarNode) and re.fullmatch(r"-?\d+[.,]\d+", value or ""):
            why = "et desimaltall"
        elif isinstance(node, ScalarNode) and node.style is not None:
            why = "tekst i anførselstegn"
        else:
            why = "ikke et helt tall"
        self.err(line, f"«{key}: {shown}» er {why}; {subject} må være et helt tall "
                       "som er 0 eller større",
                 "Skriv tallet slik det står i kilden, uten anførselstegn, «ca.» eller prosent "
                 "(for eksempel «kommuner: 23»). Står tallet ikke i kilden, skriv «null» – "
                 "anslå aldri.")
        return None

    # -- a reporting round -------------------------------------------------------------------

    def round(self, ref: Reference, example_slugs: set[str] | None) -> StatusRunde | None:
        mapping = self._load()
        if mapping is None:
            return None
        self.unknown_keys(mapping, TOP_KEYS, "på toppnivå")
        for key in TOP_KEYS[:-1]:
            if key not in mapping:
                self.err(1, f"nøkkelen «{key}» mangler", f"Legg til «{key}:» (se {FORMAT_DOC}).")
        if not self.ok:
            return None
        runde = mapping["runde"].value
        m = ROUND_FILE.match(self.path.name)
        if not isinstance(runde, str) or not re.fullmatch(r"\d{4}-(05|11)", runde):
            self.err(mapping["runde"].line, f"«runde: {runde}» har feil form",
                     'Skriv runden som "ÅÅÅÅ-MM" i anførselstegn, med måned 05 eller 11, '
                     'for eksempel runde: "2021-11".')
        elif runde != self.path.stem:
            self.err(mapping["runde"].line, f"«runde: {runde}» stemmer ikke med filnavnet "
                     f"{self.path.name}", f"Gi filen navnet {runde}.yml, eller rett runden til "
                     f'"{m.group(1)}-{m.group(2)}".')
        dato = None
        try:
            dato = dt.date.fromisoformat(str(mapping["dato"].value))
        except ValueError:
            self.err(mapping["dato"].line, f"«dato: {mapping['dato'].value}» er ikke en gyldig "
                     "dato", "Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2021-11-01.")
        tittel = mapping["tittel"].value
        if not isinstance(tittel, str) or not tittel.strip():
            self.err(mapping["tittel"].line, "«tittel» er tom", "Skriv en overskrift for runden.")
        kilder = self.sources(mapping["kilder"])
        nasjonalt = self.figures(mapping["nasjonalt"].node, mapping["nasjonalt"].line,
                                 "nasjonalt", len(ref.kommuner), national=True)
        regioner = {}
        rnode = mapping["regioner"].node
        found = _children(rnode)
        if not isinstance(rnode, MappingNode):
            self.err(mapping["regioner"].line, "«regioner» skal inneholde én oppføring per "
                     "statsforvalterembete", f"Se eksempelet i {FORMAT_DOC}.")
        for slug, (line, node) in found.items():
            if slug not in ref.embeter:
                self.err(line, f"ukjent region «{slug}»",
                         f"{_suggest(slug, ref.embeter)}Regionene er statsforvalterembetene: "
                         f"{', '.join(ref.embeter)}.")
                continue
            total = len(ref.kommuner_in(ref.embeter[slug]))
            regioner[slug] = self.figures(node, line, slug, total)
        for slug in ref.embeter:
            if isinstance(rnode, MappingNode) and slug not in found:
                self.err(mapping["regioner"].line, f"regionen «{slug}» mangler",
                         f"Legg til «{slug}:» under «regioner:», med null der tallene ikke "
                         "er rapportert.")
        eksempler: tuple[str, ...] = ()
        if "eksempler" in mapping:
            eksempler = self.example_refs(mapping["eksempler"], example_slugs)
        if not self.ok:
            return None
        return StatusRunde(runde, dato, tittel.strip(), self.shown, kilder, nasjonalt,
                           regioner, eksempler)

    def sources(self, located) -> tuple[Kilde, ...]:
        value = located.value
        if not isinstance(value, list) or not value:
            self.err(located.line, "«kilder» må være en liste med minst én kilde",
                     "Skriv hver kilde som «- tittel: …» (og eventuelt «url: …»).")
            return ()
        out = []
        for item, node in zip(value, located.node.value):
            if not isinstance(item, dict) or not str(item.get("tittel") or "").strip():
                self.err(_line(node), "en kilde mangler «tittel»",
                         "Skriv kilden som «- tittel: Dokumentets navn».")
                continue
            self.unknown_keys(_children(node), ("tittel", "url"), "i en kilde")
            out.append(Kilde(str(item["tittel"]).strip(), item.get("url")))
        return tuple(out)

    def figures(self, node: Node, line: int, where: str, expected_total: int,
                national: bool = False) -> StatusTall:
        name = "nasjonalt" if national else f"regionen «{where}»"
        if not isinstance(node, MappingNode):
            self.err(line, f"{name} skal være en tabell med tallnøkler",
                     f"Se eksempelet i {FORMAT_DOC}.")
            return StatusTall({k: None for k in STATUS_COUNTS})
        found = _children(node)
        allowed = tuple(STATUS_COUNTS) + TEXT_KEYS + (NATIONAL_ONLY if national else ())
        self.unknown_keys(found, allowed, f"i {name}")
        counts: dict[str, int | None] = {}
        lines: dict[str, int] = {}
        for key in STATUS_COUNTS:
            if key not in found:
                self.err(line, f"tallnøkkelen «{key}» mangler i {name}",
                         f"Legg til «{key}: null» hvis tallet ikke er rapportert.")
                counts[key] = None
                continue
            lines[key], vnode = found[key]
            counts[key] = self.count(key, lines[key], vnode)
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
        prio = self.text(found.get("prioriteringer_fase_3"), "prioriteringer_fase_3")
        vurdering = self.assessment(found.get("vurdering"))
        reasons: tuple[str, ...] = ()
        if national and "forsinkelsesarsaker" in found:
            rline, rnode = found["forsinkelsesarsaker"]
            if not (isinstance(rnode, ScalarNode) and rnode.tag.endswith(":null")):
                items = getattr(rnode, "value", None)
                if not isinstance(items, list) or not all(
                        isinstance(i, ScalarNode) and i.value.strip() for i in items):
                    self.err(rline, "«forsinkelsesarsaker» må være en liste med tekst",
                             "Skriv hver årsak på en egen linje som begynner med «- ».")
                else:
                    reasons = tuple(i.value.strip() for i in items)
        return StatusTall(counts, prio, vurdering, reasons)

    def text(self, item, key: str) -> str | None:
        if item is None:
            return None
        line, node = item
        if isinstance(node, ScalarNode) and node.tag.endswith(":null"):
            return None
        if not isinstance(node, ScalarNode) or not node.value.strip():
            self.err(line, f"«{key}» må være tekst eller null",
                     "Skriv teksten etter «>-» på linjene under, eller «null».")
            return None
        return node.value.strip()

    def assessment(self, item) -> Vurdering | None:
        if item is None:
            return None
        line, node = item
        if isinstance(node, ScalarNode) and node.tag.endswith(":null"):
            return None
        found = _children(node)
        if not isinstance(node, MappingNode):
            self.err(line, "«vurdering» må ha «sprak» og «tekst», eller være null",
                     f"Se eksempelet i {FORMAT_DOC}.")
            return None
        self.unknown_keys(found, ("sprak", "tekst"), "i «vurdering»")
        sprak = found.get("sprak")
        tekst = found.get("tekst")
        ok = True
        if sprak is None or not isinstance(sprak[1], ScalarNode) or \
                sprak[1].value not in ("nb", "nn"):
            shown = sprak[1].value if sprak and isinstance(sprak[1], ScalarNode) else ""
            self.err(sprak[0] if sprak else line,
                     f"«vurdering.sprak» må være nb eller nn{f', ikke «{shown}»' if shown else ''}",
                     "Skriv «sprak: nb» for bokmål eller «sprak: nn» for nynorsk (vurder teksten "
                     "som helhet).")
            ok = False
        if tekst is None or not isinstance(tekst[1], ScalarNode) or not tekst[1].value.strip() \
                or tekst[1].tag.endswith(":null"):
            self.err(tekst[0] if tekst else line, "«vurdering.tekst» er tom",
                     "Lim inn statsforvalterens vurdering ordrett, eller sett «vurdering: null».")
            ok = False
        return Vurdering(sprak[1].value, tekst[1].value.strip()) if ok else None

    def example_refs(self, located, example_slugs: set[str] | None) -> tuple[str, ...]:
        value = located.value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.err(located.line, "«eksempler» må være en liste med filnavn (uten .md)",
                     "Skriv for eksempel «eksempler: [tydal-kafe-posten]».")
            return ()
        if example_slugs is not None:
            for slug, node in zip(value, located.node.value):
                if slug not in example_slugs:
                    self.err(_line(node), f"eksempelet «{slug}» finnes ikke i examples_bank/",
                             f"{_suggest(slug, example_slugs)}Skriv filnavnet til eksempelet "
                             "uten .md.")
        return tuple(value)

    # -- funding -----------------------------------------------------------------------------

    def funding(self, ref: Reference) -> Finansiering | None:
        mapping = self._load()
        if mapping is None:
            return None
        self.unknown_keys(mapping, FUNDING_KEYS, "på toppnivå")
        for key in ("tittel", "kilde", "enhet", "embeter"):
            if key not in mapping or mapping[key].value in (None, ""):
                self.err(1, f"nøkkelen «{key}» mangler", f"Legg til «{key}:» (se {FORMAT_DOC}).")
        if not self.ok:
            return None
        amounts: dict[str, int] = {}
        found = _children(mapping["embeter"].node)
        for slug, (line, node) in found.items():
            if slug not in ref.embeter:
                self.err(line, f"ukjent region «{slug}»",
                         f"{_suggest(slug, ref.embeter)}Regionene er: {', '.join(ref.embeter)}.")
                continue
            value = self.count(slug, line, node, subject="beløpet")
            if value is not None:
                amounts[slug] = value
        for slug in ref.embeter:
            if slug not in found:
                self.err(mapping["embeter"].line, f"beløpet for «{slug}» mangler",
                         f"Legg til «{slug}: <beløp>» under «embeter:».")
        if not self.ok:
            return None
        merknad = mapping.get("merknad")
        return Finansiering(str(mapping["tittel"].value), str(mapping["kilde"].value),
                            str(mapping["enhet"].value),
                            str(merknad.value) if merknad and merknad.value else None,
                            self.shown, {s: amounts[s] for s in ref.embeter})
