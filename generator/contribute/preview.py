"""`erfaringsbank forhandsvis`: a pull request's changed examples as they will be published, in
Markdown for the job summary (or a reviewer's terminal) — title, facts box, summary, text, sources
and the page's address; removed examples; the files that have errors (the check step shows why).

Everything from an entry is untrusted and goes through `safemd`: shown as text, never as markup.
The bank is loaded by the caller (an adapter: this stage may not import the pipeline).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.base.errors import Collector
from generator.base.settings import Settings
from generator.base.text import format_date
from generator.contribute import safemd
from generator.contribute.changes import _git, changed_entries  # the same git runner and errors
from generator.load.files import entry_files, load_document
from generator.load.tree import IGNORED_NAMES
from generator.model import LANGUAGES, Bank, Example, urls
from generator.pages import facts
from generator.pages.components import Components

MAX_SHOWN = 20          # entries shown in full; a summary has room for about that many
MAX_TEXT_CHARS = 6000   # of each entry's text (a job summary holds at most 1 MiB)
CHECK_STEP = "kontrollsteget («erfaringsbank check»)"


@dataclass
class Selection:
    """The entry files to show (resolved paths, sorted), and what else the reviewer should know."""

    paths: list[Path]
    base: str | None = None                      # None: all entries, not a comparison
    added: set[Path] = field(default_factory=set)
    removed: list[str] = field(default_factory=list)   # entry files, relative to the project

    @property
    def shown(self) -> list[Path]:
        return self.paths[:MAX_SHOWN]


def changes(settings: Settings, base: str) -> Selection:
    """The entry files added or modified against `base` (as `check --changed` sees them), and
    the ones deleted."""
    changed = changed_entries(settings, base)
    top = Path(_git(settings.root, "rev-parse", "--show-toplevel").strip()).resolve()
    merge_base = _git(settings.root, "merge-base", base, "HEAD").strip()

    def names(*args: str) -> list[Path]:
        return [top / n for n in _git(top, *args).split("\0") if n]

    new = names("diff", "--name-only", "-z", "--no-renames", "--diff-filter=A", merge_base, "--")
    new += names("ls-files", "-z", "--others", "--exclude-standard")
    bank = settings.bank_dir.resolve()
    removed = [settings.rel(p) for p in names("diff", "--name-only", "-z", "--no-renames",
                                               "--diff-filter=D", merge_base, "--")
               if p.suffix == ".md" and p.name not in IGNORED_NAMES and bank in p.parents]
    return Selection(sorted(changed, key=lambda p: p.parts), base,
                     {p.resolve() for p in new} & changed, sorted(removed))


def everything(settings: Settings) -> Selection:
    """Every entry file of the bank (the preview shows the first MAX_SHOWN)."""
    bank = settings.bank_dir.resolve()
    paths = [p.resolve() for p in entry_files(settings)]
    return Selection([p for p in paths if bank in p.parents])


def render(settings: Settings, selection: Selection, bank: Bank | None,
           failed: dict[str, int], general_error: bool = False) -> str:
    """The preview in Markdown. `bank`: the shown entries that have no errors (None when nothing
    could be loaded); `failed`: entry file → number of errors; `general_error`: something other
    than the shown entries (reference data, a status file …) has errors."""
    out = [_heading(selection)]
    shown = selection.shown
    if not shown and not selection.removed:
        out.append("Ingen eksempler er endret." if selection.base is not None
                   else "Banken har ingen eksempler ennå.")
        return safemd.no_commands("\n\n".join(out) + "\n")
    out.append(_intro(settings, selection))
    if general_error:
        out.append("**Forhåndsvisningen kunne ikke lages:** noen av filene prosjektet bygger på "
                   f"har feil. Se {CHECK_STEP}; rett feilene der, så kommer forhåndsvisningen.")
    elif bank is not None:
        by_path = {e.path: e for e in bank.examples}
        warned: dict[str, int] = {}
        for issue in bank.warnings:
            warned[issue.path] = warned.get(issue.path, 0) + 1
        components = Components(bank, settings)
        for path in shown:
            e = by_path.get(settings.rel(path))
            if e is not None:
                out.append(_entry(settings, components, e, path in selection.added,
                                  selection.base is not None, warned.get(e.path, 0)))
    if failed:
        rows = [f"- {safemd.inline(p)} ({n} feil)" for p, n in sorted(failed.items())]
        out.append("### Eksempler med feil\n\nDisse kan ikke forhåndsvises før feilene er rettet. "
                   f"Feilene står i {CHECK_STEP} og som merknader på linjene i pull requesten."
                   "\n\n" + "\n".join(rows))
    if selection.removed:
        rows = [f"- {safemd.inline(p)}: siden "
                f"{safemd.url(_address(settings, urls.example_uri(Path(p).stem)))} forsvinner"
                for p in selection.removed]
        out.append("### Fjernes\n\n" + "\n".join(rows))
    return safemd.no_commands("\n\n".join(out) + "\n")


def _heading(selection: Selection) -> str:
    if selection.base is None:
        return "## Forhåndsvisning av eksemplene"
    return "## Forhåndsvisning av endrede eksempler"


def _intro(settings: Settings, selection: Selection) -> str:
    n = len(selection.paths)
    what = (f"{n} {'eksempel er' if n == 1 else 'eksempler er'} endret sammenlignet med "
            f"{safemd.inline(selection.base)}" if selection.base is not None
            else f"Banken har {n} {'eksempel' if n == 1 else 'eksempler'}")
    text = (f"{what}. Slik blir de publisert. Teksten står slik den er skrevet, med "
            "Markdown-tegnene synlige.")
    if n > MAX_SHOWN:
        text += f" Her vises de {MAX_SHOWN} første av {n}."
    if not settings.site_url:
        text += (" Adressene er regnet fra nettstedets rot («site_url» er ikke satt i "
                 "site_config.yml).")
    return text


def _address(settings: Settings, src_uri: str) -> str:
    return urls.absolute(settings.site_url, src_uri) or "./"


def _entry(settings: Settings, c: Components, e: Example, added: bool, compared: bool,
           warnings: int) -> str:
    parts = [f"### {safemd.inline(e.tittel)}"]
    where = [f"fil: {safemd.inline(e.path)}",
             f"siden får adressen {safemd.url(_address(settings, e.src_uri))}"]
    if compared:
        where.insert(0, "nytt eksempel" if added else "endret eksempel")
    line = " · ".join(where)
    parts.append(line[0].upper() + line[1:])
    if e.synthetic:
        parts.append("*Syntetisk testeksempel (vises med en merknad om det på siden).*")
    if warnings:
        parts.append(f"⚠️ {warnings} {'advarsel' if warnings == 1 else 'advarsler'} fra "
                     f"kontrollen; se {CHECK_STEP}.")
    parts.append(f"**Sammendrag:** {safemd.inline(e.sammendrag)}")
    parts.append("**Fakta**\n\n" + "\n".join(_facts(c, e)))
    parts.append("**Teksten**\n\n" + _text(settings, e))
    parts.append("**Kilder**\n\n" + "\n".join(_source(k) for k in e.kilder))
    return "\n\n".join(parts)


def _facts(c: Components, e: Example) -> list[str]:
    """The rows of the page's facts box (pages.facts: the taxonomy registry), then the rest of
    what the box shows, with the page's own labels."""
    rows, _ = facts(c, e, e.src_uri)
    lines = []
    for row in rows:
        names = ", ".join(t["name"] for t in row["terms"]) or row["empty"] or "–"
        lines.append(f"- **{safemd.inline(row['label'])}:** {safemd.inline(names)}")
    lines.append(f"- **Publisert:** {format_date(e.publisert)}")
    lines.append(f"- **Sist oppdatert:** {format_date(e.sist_oppdatert)}")
    if e.kontakt:
        lines.append(f"- **Kontakt:** {safemd.inline(e.kontakt)}")
    lines.append(f"- **Språk:** {LANGUAGES.get(e.sprak, safemd.inline(e.sprak))}")
    return lines


def _text(settings: Settings, e: Example) -> str:
    """The body as written (read again: the bank holds only its HTML), quoted as plain text."""
    doc = load_document(settings.root / e.path, e.path, Collector())
    body = doc.body.strip("\n") if doc is not None else ""
    note = ""
    if len(body) > MAX_TEXT_CHARS:
        cut = body.rfind("\n", 0, MAX_TEXT_CHARS)
        body = body[: cut if cut > 0 else MAX_TEXT_CHARS]
        note = "\n\n*Teksten er forkortet her; hele teksten står i filen i pull requesten.*"
    return (safemd.quoted(body) or "> (tom)") + note


def _source(k) -> str:
    line = f"- {safemd.inline(k.tittel)}"
    if k.type_label:
        line += f" ({safemd.inline(k.type_label)})"
    if k.url:
        line += f": {safemd.url(k.url)}"
    return line
