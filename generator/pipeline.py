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
from .status import load_status
from .validate import validate_bank


def load_bank(settings: Settings, strict: bool = False, only: set[Path] | None = None) -> Bank:
    """Load and validate everything; raise one BankError with all issues if any error.

    `strict` also fails on warnings. `only` limits entry validation to those files (for
    `check --changed`); the reference data is always checked.
    """
    issues = Collector()
    reference = load_reference(settings, issues)
    entries = load_entries(settings, issues, only=only)
    examples = validate_bank(settings, reference, entries, issues)
    # Status rounds may name highlighted examples; they are checked against the bank when the
    # bank and the content belong to the same project (not when tests pair the real content
    # with a bank of their own, and not in `check --changed`, which loads only some entries).
    same_project = settings.docs_dir.resolve().parent == settings.root.resolve()
    status, funding = load_status(settings, reference, issues,
                                  {e.slug for e in examples}
                                  if only is None and same_project else None)
    issues.raise_if_errors(strict=strict)
    return Bank(reference, examples, warnings=list(issues.issues), status=status,
                finansiering=funding)
