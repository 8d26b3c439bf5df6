"""Read the site configuration (`site_config.yml`) without the engine: our plugin's options and
the values of the mkdocs config that reach our pages."""
from __future__ import annotations

from pathlib import Path

import yaml

from generator.base.errors import ConfigError, Issue
from generator.base.settings import Settings
from generator.load.yamlsafe import YAML11_BOOL_WORDS, explain_yaml_error

PLUGIN_NAME = "erfaringsbank"
# The plugin's options (adapters/mkdocs_parts.py, ErfaringsbankConfig); a test keeps them in step.
PLUGIN_OPTIONS = ("bank", "branch", "per_page", "sidebar_cache")


def _line_of(text: str, start: str) -> int:
    return next((n for n, line in enumerate(text.splitlines(), 1)
                 if line.strip().startswith(start)), 0)


def read_settings(path: str | Path) -> Settings:
    """Read our plugin's options from an mkdocs config file without mkdocs."""
    path = Path(path)
    shown = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError([Issue(shown, 0, f"kan ikke lese konfigurasjonen ({exc.strerror})",
                                 "Kjør kommandoen fra prosjektmappen, eller oppgi filen med "
                                 "--config.")])
    try:
        data = yaml.load(text, Loader=_ConfigLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        p = explain_yaml_error(exc)
        raise ConfigError([Issue(shown, p.line, p.message, p.hint)])
    if not isinstance(data, dict):
        raise ConfigError([Issue(shown, 1, "konfigurasjonen er ikke en YAML-tabell",
                                 "Se site_config.yml i prosjektets README.")])
    issues = check_config_values(data, shown, text)
    options = _plugin_options(data)
    if options is not None and not isinstance(options, dict):
        issues.append(Issue(shown, 0, f"innstillingene til «{PLUGIN_NAME}» skal være "
                            "nøkkel: verdi", "Se site_config.yml i prosjektets repo."))
        options = {}
    for key in sorted(options or {}):
        if key not in PLUGIN_OPTIONS:
            issues.append(Issue(shown, _line_of(text, f"{key}:"), f"ukjent innstilling "
                                f"«{key}» for «{PLUGIN_NAME}»", "Gyldige innstillinger: "
                                + ", ".join(PLUGIN_OPTIONS) + "."))
    if options is None:
        issues.append(Issue(shown, 0, f"utvidelsen «{PLUGIN_NAME}» er ikke slått på",
                            f"Legg til «- {PLUGIN_NAME}:» under «plugins:»."))
    if options is not None and not (path.resolve().parent /
                                    str(options.get("bank", "examples_bank"))).is_dir():
        line = next((n for n, l in enumerate(text.splitlines(), 1)
                     if l.strip().startswith("bank:")), 0)
        issues.append(Issue(shown, line, f"mappen med eksempler «{options.get('bank', 'examples_bank')}» "
                            "finnes ikke", "Kjør kommandoen fra prosjektmappen, eller rett "
                            "«bank:» under «- erfaringsbank:»."))
    if issues:
        raise ConfigError(issues)
    return Settings.from_options(path, bank=options.get("bank", "examples_bank"),
                            docs_dir=data.get("docs_dir", "docs"),
                            site_url=data.get("site_url") or "",
                            repo_url=data.get("repo_url") or "",
                            edit_branch=options.get("branch", "main"),
                            theme_dir=_theme_dir(path, data))



def check_config_values(data: dict, shown: str, text: str) -> list[Issue]:
    """Config mistakes that mkdocs would accept silently (the YAML 1.1 trap in `language`)."""
    issues = []
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    lang = theme.get("language", "nb")
    if isinstance(lang, bool) or (isinstance(lang, str) and YAML11_BOOL_WORDS.match(lang)):
        line = next((n for n, l in enumerate(text.splitlines(), 1)
                     if l.strip().startswith("language:")), 0)
        issues.append(Issue(shown, line, "theme.language er «no», som YAML leser som usann "
                            "(false)", "Skriv «language: nb» (bokmål) eller «language: nn»."))
    return issues


def _plugin_options(data: dict) -> dict | None:
    for entry in data.get("plugins") or []:
        if entry == PLUGIN_NAME:
            return {}
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            return entry[PLUGIN_NAME] or {}
    return None


class _ConfigLoader(yaml.SafeLoader):
    """SafeLoader that reads mkdocs' extra tags (!ENV, !relative, !!python/name) as null."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/",
                                    lambda loader, suffix, node: None)


def _theme_dir(config_file: Path, data: dict) -> Path | None:
    theme = data.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    return (config_file.resolve().parent / custom).resolve() if isinstance(custom, str) else None
