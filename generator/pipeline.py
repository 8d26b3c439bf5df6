"""The pipeline, one stage after the other (cf. mkdocs' commands/build.py).

    load (reference, entries) → validate → model (Bank with indexes) → pages → exports

The engine adapters (mkdocs plugin, CLI) call `load_bank` once; page generation and exports
are pure functions of the Bank, in `pages` and `exports`.
"""
from __future__ import annotations

from pathlib import Path

from .errors import Collector
from .load import load_entries
from .model import Bank
from .reference import load_reference
from .settings import Settings
from .validate import validate_bank


def load_bank(settings: Settings, strict: bool = False, only: set[Path] | None = None,
              cache=None) -> Bank:
    """Load and validate everything; raise one BankError with all issues if any error.

    `strict` also fails on warnings. `only` limits entry validation to those files (for
    `check --changed`); the reference data is always checked. `cache` (incremental.EntryCache)
    reuses entries unchanged since the previous call (serve).
    """
    issues = Collector()
    reference = load_reference(settings, issues)
    entries = load_entries(settings, issues, only=only, cache=cache)
    examples = validate_bank(settings, reference, entries, issues, cache=cache)
    issues.raise_if_errors(strict=strict)
    return Bank(reference, examples, warnings=list(issues.issues))
