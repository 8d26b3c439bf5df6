"""The pipeline, one stage after the other (cf. mkdocs' commands/build.py).

    load → validate → model (Bank)  →  pages → exports → search index  →  publish
    `load_bank`                         `Build` (stages.py), run by the    `build()`: guard
                                        engine's events                    + atomic swap

`build()` is the whole: it prepares the target, lets the engine run (the engine adapter calls
a `Build`'s stages from its events, in this order), and publishes. `erfaringsbank build` calls
it; `mkdocs build` runs the same stages through the same events but writes its site folder
itself (not atomically, and without the guard).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from generator import publish
from generator.validate import parallel
from generator.base.errors import Collector
from generator.load.files import entry_files, load_entries
from generator.model import Bank
from generator.validate.reference import load_reference
from generator.base.settings import Settings
from generator.validate.status import load_status
from generator.validate.stotteapparat import load_stotteapparat
from generator.validate.content import check_content_pages
from generator.validate.entries import validate_bank


def build(settings: Settings, engine: Callable[[Path], None], target: Path) -> Path:
    """Build the site into `target`: `engine(folder)` renders the whole site into a fresh folder
    (running a Build's stages), then the folder replaces `target` atomically — only if the
    engine succeeded and the guard finds everything the core makes. Raises ConfigError for a
    target inside the project's sources, PublishError when the site cannot be written, and
    lets the engine's own errors through (the previous site is then untouched)."""
    publish.check_target(settings, target)
    with publish.staging(target) as folder:
        engine(folder)
        publish.commit(folder, target)
    return target


def load_bank(settings: Settings, strict: bool = False, only: set[Path] | None = None,
              cache=None, bodies: bool = True) -> Bank:
    """Load and validate everything; raise one BankError with all issues if any error.

    `strict` also fails on warnings. `only` limits entry validation to those files (for
    `check --changed`); the reference data is always checked. `cache` (incremental.EntryCache)
    reuses entries unchanged since the previous call (serve). `bodies=False` (`check`): the
    bodies are rendered and checked all the same, but a large bank may come back without them.
    """
    issues = Collector()
    reference = load_reference(settings, issues)
    examples = None
    if only is None and cache is None:  # a large bank: two processes (generator/parallel.py)
        examples = parallel.load_and_validate(settings, reference, issues, bodies=bodies)
    if examples is None:
        entries = load_entries(settings, issues, only=only, cache=cache)
        known = partial_bank_checks(settings, entries, issues) if only is not None else None
        examples = validate_bank(settings, reference, entries, issues, known_slugs=known,
                                 cache=cache)
    # Status rounds may name highlighted examples; they are checked against the bank when the
    # bank and the content belong to the same project (not when tests pair the real content
    # with a bank of their own, and not in `check --changed`, which loads only some entries).
    same_project = settings.docs_dir.resolve().parent == settings.root.resolve()
    status, funding = load_status(settings, reference, issues,
                                  {e.slug for e in examples}
                                  if only is None and same_project else None)
    stotteapparat = load_stotteapparat(settings, reference, issues)
    if only is None:
        check_content_pages(settings, issues)
    issues.raise_if_errors(strict=strict)
    return Bank(reference, examples, warnings=list(issues.issues), status=status,
                finansiering=funding, stotteapparat=stotteapparat)


def partial_bank_checks(settings: Settings, entries, issues: Collector) -> set[str]:
    """For a partial check: the slugs of all entry files (links to unchanged entries resolve),
    and slug clashes between a checked entry and an unchecked one."""
    by_slug: dict[str, list[Path]] = {}
    for path in entry_files(settings):
        by_slug.setdefault(path.stem, []).append(path)
    checked = {e.path.resolve() for e in entries}
    for entry in entries:  # clashes among the checked entries are validate_bank's job
        others = [p for p in by_slug.get(entry.slug, []) if p.resolve() not in checked]
        if others:
            issues.error(entry.shown, 0, f"slugen «{entry.slug}» er brukt av "
                         f"{settings.rel(others[0])} også",
                         "Gi filen et annet navn; filnavnet blir adressen til siden.")
    return set(by_slug)
