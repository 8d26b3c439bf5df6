"""Load and validate a large bank in two processes (`check` and `build` of thousands of entries).

Entries are independent of each other except for three things, all kept exactly as in the serial
path (`load.load_entries` + `validate.validate_bank`): links between entries are checked against
the slugs of the entries that loaded, duplicate slugs are reported once, and the duplicate-title
check runs over all examples. A worker validates its half with the slugs of *all* entry files; if
any file then failed to load, or two files share a slug, the result could differ, so `None` is
returned and the caller takes the serial path (such a bank has errors anyway). Otherwise the
examples and issues are the serial ones, in the same order.

Workers are forked (the settings and reference data are inherited, not sent); small banks, and
platforms without fork, stay in one process.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from generator.base.errors import Collector, Issue
from generator.base.html import SafeHtml
from generator.load.files import entry_files, load_entry
from generator.model import Example, Reference
from generator.base.settings import Settings
from generator.validate.entries import EntryValidator, duplicate_titles

MIN_ENTRIES = 1000   # below this, starting a second process costs more than it saves
WORKERS = 2

_shared: tuple[Settings, Reference, set[str], bool] | None = None  # set before the fork


def _work(paths: list[Path]) -> tuple[list[Issue], list[Issue], list[Example], list[str]]:
    # Loading makes few reference cycles: do not let the cycle collector walk what was there
    # before (frozen), and let it run less often (≈ 10 % of the time at 5 000 entries,
    # docs/performance.md). The worker ends after this call; the parent puts both back.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    settings, reference, slugs, bodies = _shared
    loading, checking = Collector(), Collector()
    entries = [e for p in paths if (e := load_entry(p, settings.rel(p), loading)) is not None]
    validator = EntryValidator(settings, reference, checking, slugs, pages=bodies)
    examples = [ex for e in entries if (ex := validator.validate(e)) is not None]
    if not bodies:  # `check`: the bodies were rendered and checked; no need to send them back
        examples = [replace(ex, body_html=SafeHtml()) for ex in examples]
    return loading.issues, checking.issues, examples, [e.slug for e in entries]


def load_and_validate(settings: Settings, reference: Reference, issues: Collector,
                      bodies: bool = True) -> list[Example] | None:
    """The validated examples (issues added to `issues`), or None: use the serial path.
    `bodies=False` (`check`): the examples come back without their Markdown and HTML (≈ 60 MB
    less to pickle between the processes at 5 000 entries)."""
    global _shared
    if "fork" not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2:
        return None
    paths = entry_files(settings)
    slugs = {p.stem for p in paths}
    if len(paths) < MIN_ENTRIES or len(slugs) != len(paths):
        return None
    half = (len(paths) + 1) // 2
    _shared = (settings, reference, slugs, bodies)
    threshold = gc.get_threshold()
    try:
        # One forked worker takes the second half while this process does the first: two
        # processes at work, not three (a forked worker's RSS counts the pages it shares with
        # this one: two workers beside an idle parent summed ≈ 600 MB at 5 000 entries)
        with ProcessPoolExecutor(WORKERS - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            second = pool.submit(_work, paths[half:])
            try:
                first = _work(paths[:half])
            finally:
                gc.unfreeze()
                gc.set_threshold(*threshold)
            parts = [first, second.result()]
    finally:
        _shared = None
    if sum(len(p[3]) for p in parts) != len(paths):
        return None  # a file did not load: links to it must be reported as the serial path does
    for loading, _, _, _ in parts:
        issues.extend(loading)
    examples: list[Example] = []
    for _, checking, part, _ in parts:
        issues.extend(checking)
        examples.extend(part)
    duplicate_titles(examples, issues)
    return examples
