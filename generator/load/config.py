"""Read `site_config.yml` as data, never as code, before mkdocs sees it.

mkdocs reads its config with a full YAML loader: `!!python/object/apply:os.system [...]` in
site_config.yml would run when the site is built. We read the file first — the same decoder as
every other file, a SafeLoader with line numbers — and refuse any Python tag with file:line.
mkdocs' own tags `!ENV` (an environment variable, with a default) and `!relative` are allowed.
The values we use are then checked with the field readers (validate/config.py).
"""
from __future__ import annotations

import os
from pathlib import Path

from yaml.nodes import ScalarNode, SequenceNode

from generator.base.errors import Collector, ConfigError, Issue
from generator.load.files import read_text
from generator.load.yamlsafe import Located, TextLoader, _load_mapping

PLUGIN_NAME = "erfaringsbank"
# The plugin's options (adapters/mkdocs_parts.py, ErfaringsbankConfig); a test keeps them in step.
PLUGIN_OPTIONS = ("bank", "branch", "per_page", "sidebar_cache", "lean_pages", "redirects")


class PythonTag(Exception):
    def __init__(self, line: int, tag: str):
        super().__init__(tag)
        self.line, self.tag = line, tag


class ConfigLoader(TextLoader):
    """Our text loader plus mkdocs' `!ENV` and `!relative`; Python tags are refused."""


def _env(loader, node):
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`, as mkdocs resolves it."""
    if isinstance(node, ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, SequenceNode):
        items = [loader.construct_object(n) for n in node.value]
        names, default = items[:-1] if len(items) > 1 else items, items[-1] if len(items) > 1 else None
    else:
        return None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return os.environ[name]
    return default


def _python(loader, suffix, node):
    raise PythonTag(node.start_mark.line + 1, f"!!python/{suffix}")


ConfigLoader.add_constructor("!ENV", _env)
ConfigLoader.add_constructor("!relative", lambda loader, node: None)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python)
ConfigLoader.add_multi_constructor("!!python/", _python)


def _explained(shown: str, text: str, p) -> Issue:
    """The YAML 1.1 trap where it matters most: `language: no` is read as false."""
    lines = text.split("\n")
    if 0 < p.line <= len(lines) and lines[p.line - 1].strip().startswith("language:"):
        return Issue(shown, p.line, "theme.language er «no», som YAML leser som usann (false)",
                     "Skriv «language: nb» (bokmål) eller «language: nn».")
    return Issue(shown, p.line, p.message, p.hint)


# the last text read and what it gave: `serve` reads the same file twice per rebuild (the
# command's check, then the plugin's), with the pure-Python loader (≈ 15 ms each)
_last: tuple[str, tuple] | None = None


def config_text(path: Path) -> str:
    """The config file's text; ConfigError (exit 2) for a file that cannot be read or is not
    UTF-8. Read once and handed both to our check and to mkdocs (adapters/cli.py): mkdocs reads
    YAML with PyYAML's full loader, which runs Python tags — so it must get the very text that
    was checked, not the file again (the file may change in between, as in `serve`)."""
    shown = path.name
    issues = Collector()
    if path.is_symlink():
        raise ConfigError([Issue(shown, 0, "konfigurasjonen er en symbolsk lenke",
                                 "Bruk en vanlig fil.")])
    text = read_text(path, shown, issues, missing=(
        "finner ikke konfigurasjonen", "Kjør kommandoen fra prosjektmappen, eller oppgi filen "
        "med --config."))
    if text is None:
        raise ConfigError(issues.issues)
    return text


def load_config(path: Path, text: str | None = None) -> tuple[dict[str, Located], list[Issue]]:
    """The config's top-level keys with their lines, and the problems found in values (the
    YAML 1.1 trap) for the caller to report with its own; ConfigError (exit 2) for a file that
    cannot be read, is not UTF-8 YAML, or holds a Python tag. `text`: the file's text, if read
    already (config_text)."""
    shown = path.name
    if text is None:
        text = config_text(path)
    global _last
    try:
        if _last is not None and _last[0] == text:
            mapping, problems = _last[1]
        else:
            mapping, problems = _load_mapping(text, 0, ConfigLoader)
            _last = (text, (mapping, problems))
    except PythonTag as tag:
        raise ConfigError([Issue(shown, tag.line, f"Python-kode i konfigurasjonen ({tag.tag}) "
                                 "er ikke tillatt", "Slett linjen: konfigurasjonen er data. "
                                 "mkdocs' egne merker !ENV og !relative er lov.")]) from None
    found = [_explained(shown, text, p) for p in problems]
    if mapping is None:
        raise ConfigError(found)
    if not isinstance(mapping, dict):
        raise ConfigError([Issue(shown, 1, "konfigurasjonen er ikke en YAML-tabell",
                                 "Se site_config.yml i prosjektets README.")])
    if "INHERIT" in mapping:  # mkdocs would read that file with its full loader, unchecked
        raise ConfigError([Issue(shown, mapping["INHERIT"].line, "INHERIT (en konfigurasjon "
                                 "bygget på en annen fil) er ikke tillatt",
                                 "Skriv alle innstillingene i denne filen og slett INHERIT-linjen.")])
    return mapping, found
