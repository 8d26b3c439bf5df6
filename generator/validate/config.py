"""The settings of a build from `site_config.yml`, read with the same field readers as every
other file: what the config says that reaches our pages (site_url, repo_url, the theme's
language and folder) and our plugin's options. Every mistake is a configuration error (exit 2)
with the option and its line, the same in `check`, `build` and `serve` — before mkdocs reads the
file (load/config.py: data, never code)."""
from __future__ import annotations

import os
import re
from pathlib import Path

from generator.base.errors import Collector, ConfigError, Issue
from generator.base.settings import Settings
from generator.load.config import PLUGIN_NAME, PLUGIN_OPTIONS, load_config
from generator.load.yamlsafe import YAML11_BOOL_WORDS, Located
from generator.validate.fields import Reader, fields, items

MAX_PER_PAGE = 1000
_URL_HINT = ("Skriv hele adressen, som begynner med https:// og slutter med /, for eksempel "
             "«https://org.github.io/erfaringsbank/» — uten anførselstegn, mellomrom eller < >.")


def read_settings(path: str | Path, site_url: str | None = None, text: str | None = None
                  ) -> Settings:
    """Our settings from the config file (`site_url`: the `--site-url` option, which wins;
    `text`: the file's text, if read already — load.config.config_text)."""
    path = Path(path)
    mapping, problems = load_config(path, text)
    issues = Collector()
    issues.extend(problems)
    r = Reader(path.name, issues)
    found_url = r.url(mapping.get("site_url"), "site_url", hint=_URL_HINT)
    if site_url is not None:
        found_url = r.url(Located(site_url, 0, None), "--site-url", hint=_URL_HINT)
    repo_url = repository(r.url(mapping.get("repo_url"), "repo_url", hint=_URL_HINT) or "",
                          issues, path.name)[0]
    # written into every page by the theme's templates, which do not escape everything
    for key in ("site_name", "site_description", "site_author", "repo_name", "copyright"):
        value = r.text(mapping.get(key), key, max_len=300, html=False)
        if value and '"' in value:
            r.err(mapping[key].line, f"«{key}» kan ikke inneholde anførselstegn (\")",
                  "Bruk «sitattegn» i stedet.")
    docs_dir = r.text(mapping.get("docs_dir"), "docs_dir", max_len=200) or "docs"
    theme = _theme(r, mapping.get("theme"))
    options = _plugin_options(r, mapping.get("plugins"))
    if options is None:
        r.err(mapping["plugins"].line if "plugins" in mapping else 0,
              f"utvidelsen «{PLUGIN_NAME}» er ikke slått på",
              f"Legg til «- {PLUGIN_NAME}:» under «plugins:».")
        options = {}
    for key, loc in options.items():
        if key not in PLUGIN_OPTIONS:
            r.err(loc.line, f"ukjent innstilling «{key}» for «{PLUGIN_NAME}»",
                  "Gyldige innstillinger: " + ", ".join(PLUGIN_OPTIONS) + ".")
    bank = r.text(options.get("bank"), "bank", max_len=200) or "examples_bank"
    branch = r.text(options.get("branch"), "branch", max_len=100) or "main"
    per_page = r.integer(options.get("per_page"), "per_page", low=1, high=MAX_PER_PAGE,
                         hint="Antall eksempler per listeside, for eksempel «per_page: 50».")
    r.boolean(options.get("sidebar_cache"), "sidebar_cache", "Skriv true eller false.")
    r.boolean(options.get("lean_pages"), "lean_pages", "Skriv true eller false.")
    redirects = _redirects(r, options.get("redirects"), path.resolve().parent / docs_dir)
    root = path.resolve().parent
    if not (root / bank).is_dir():
        r.err(options["bank"].line if "bank" in options else 0,
              f"mappen med eksempler «{bank}» finnes ikke",
              "Kjør kommandoen fra prosjektmappen, eller rett «bank:» under «- erfaringsbank:».")
    if issues.issues:
        raise ConfigError(issues.issues)
    return Settings.from_options(path, bank=bank, docs_dir=docs_dir, site_url=found_url or "",
                                 repo_url=repo_url or "", edit_branch=branch,
                                 per_page=per_page or Settings.per_page,
                                 theme_dir=(root / theme).resolve() if theme else None,
                                 redirects=redirects)


_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_SERVER = re.compile(r"https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?")


def repository(configured: str, issues: Collector | None = None, shown: str = "miljøet",
               environ=os.environ) -> tuple[str, str]:
    """The repository's address and name («org/repo»): the one place it is decided.

    In GitHub Actions the repository the workflow runs in (GITHUB_REPOSITORY, on
    GITHUB_SERVER_URL) wins, so a copy under another organisation links to itself without
    editing a file; elsewhere `repo_url` from site_config.yml. Edit links, «Meld fra om feil»,
    the footer and the theme's header link all come from here."""
    name = environ.get("GITHUB_REPOSITORY", "")
    if name:
        server = environ.get("GITHUB_SERVER_URL", "") or "https://github.com"
        if _REPOSITORY.fullmatch(name) and _SERVER.fullmatch(server):
            return f"{server}/{name}", name
        if issues is not None:
            issues.error(shown, 0, f"GITHUB_REPOSITORY/GITHUB_SERVER_URL har en ugyldig verdi "
                         f"({name[:80]!r}, {server[:80]!r})",
                         "Variablene settes av GitHub Actions; fjern dem hvis du har satt dem selv.")
    url = configured.rstrip("/")
    found = re.match(r"https://[^/]+/([^/]+/[^/]+)$", url)
    return url, found.group(1) if found else ""


def _theme(r: Reader, loc: Located | None) -> str | None:
    """The theme's custom folder; `language: no` (YAML 1.1 reads it as false) is refused."""
    if loc is None or not isinstance(loc.value, dict):
        return None
    theme = fields(loc)
    lang = theme.get("language")
    if lang is not None and (isinstance(lang.value, bool) or (
            isinstance(lang.value, str) and YAML11_BOOL_WORDS.match(lang.value))):
        pass  # the YAML 1.1 trap: reported by the loader (load/config.py) with this line
    else:
        r.text(lang, "language", max_len=10)
    return r.text(theme.get("custom_dir"), "custom_dir", max_len=200)


def _plugin_options(r: Reader, loc: Located | None) -> dict[str, Located] | None:
    """Our plugin's options ({} when it is listed without any), or None if it is not listed."""
    if loc is None or not isinstance(loc.value, list):
        return None
    for item in items(loc):
        if item.value == PLUGIN_NAME:
            return {}
        if isinstance(item.value, dict) and PLUGIN_NAME in item.value:
            entry = fields(item)[PLUGIN_NAME]
            if entry.value is None:
                return {}
            if not isinstance(entry.value, dict):
                r.err(entry.line, f"innstillingene til «{PLUGIN_NAME}» skal være nøkkel: verdi",
                      "Se site_config.yml i prosjektets repo.")
                return {}
            return fields(entry)
    return None


_PAGE = re.compile(r"^(?!/)(?!.*\.\.)[a-z0-9][a-z0-9/_.-]*\.md$")


def _redirects(r: Reader, loc: Located | None, docs: Path) -> tuple[tuple[str, str], ...]:
    """`redirects: {gammel/side.md: ny/side.md}`: the old addresses of renamed pages, each
    sending the visitor to the page that replaced it (which must exist in the docs folder)."""
    if loc is None or loc.value is None:
        return ()
    if not isinstance(loc.value, dict):
        r.err(loc.line, "«redirects» skal være «gammel/side.md: ny/side.md» per linje",
              "Se docs/kommandolinje.md.")
        return ()
    out = []
    for old, target in fields(loc).items():
        new = r.text(target, old, max_len=300)
        if not _PAGE.match(old) or not new or not _PAGE.match(new):
            r.err(target.line, f"omdirigeringen «{old[:80]}» skal gå fra en sti til en annen, "
                  "begge som «mappe/side.md»", "Bruk små bokstaver, tall, - og /, og .md.")
            continue
        if not (docs / new).is_file():
            r.err(target.line, f"omdirigeringen går til «{new}», som ikke finnes i innholdsmappen",
                  "Rett stien til siden som erstatter den gamle.")
            continue
        out.append((old, new))
    return tuple(out)


def config_issue(path: Path, message: str) -> Issue:
    return Issue(Path(path).name, 0, f"ugyldig konfigurasjon: {message}",
                 "Sammenlign med site_config.yml i prosjektets repo.")
