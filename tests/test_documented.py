"""Every command, CLI option, plugin option and entry field is documented (datasette's habit):
docs/kommandolinje.md is complete, and the entry fields are in README and CONTRIBUTING too."""
from __future__ import annotations

import argparse
import re

from conftest import ROOT
from generator.adapters.cli import _parser
from generator.adapters.mkdocs_parts import ErfaringsbankConfig
from generator.load.config import PLUGIN_OPTIONS
from generator.model import KILDE_TYPES, PRIS_PLASSERINGER, STATUSES
from generator.validate.entries import KNOWN

DOC = (ROOT / "docs" / "kommandolinje.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_option_is_documented():
    commands = _subcommands()
    assert set(commands) >= {"build", "serve", "check", "new", "from-issue"}
    for name, sub in commands.items():
        assert f"### `erfaringsbank {name}`" in DOC, name
        section = DOC.split(f"### `erfaringsbank {name}`", 1)[1].split("\n### ", 1)[0]
        for action in sub._actions:
            if action.dest == "help":
                continue
            for flag in action.option_strings:
                assert f"`{flag}" in section, f"{name} {flag}"
            if not action.option_strings:  # a positional argument
                assert "| `FIL` |" in section or f"`{action.dest.upper()}`" in section, name
    for flag in ("-f", "--config"):
        assert f"`{flag}" in DOC


def test_every_plugin_option_is_documented():
    options = {key for key, _ in ErfaringsbankConfig._schema}
    assert options == set(PLUGIN_OPTIONS)
    for key in options:
        assert f"| `{key}` |" in DOC, key


def test_every_entry_field_is_documented_everywhere_a_contributor_looks():
    for key in KNOWN:
        assert f"| `{key}` |" in DOC, key
        assert re.search(rf"^{key}:", README, flags=re.M) or f"`{key}`" in README, \
            f"README's entry format lacks {key}"
        assert key in CONTRIBUTING, f"CONTRIBUTING.md lacks {key}"
    for value in (*KILDE_TYPES, *PRIS_PLASSERINGER, *STATUSES):
        assert f"`{value}`" in DOC, value
