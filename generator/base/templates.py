"""Compiled Jinja templates kept between processes.

Every build compiles the theme's templates (mkdocs-material's and ours) and the generated pages'
fragments (pages/fragments.py) again: ≈ 60 templates, a fifth of a build of the bundled bank
(≈ 0.4 of 2.2 s), and the test suite runs hundreds of builds. Jinja can keep the compiled code
in files (`FileSystemBytecodeCache`): a template is looked up by its name and file, and used only
if the source's checksum is the same — an edited template is compiled again.

The folder is Jinja's own per-user one (`<tmp>/_jinja2-cache-<uid>`: made with mode 0700, and
refused if another user owns it or it is a link), our files named `erfaringsbank-*.cache`. A cache
is never a reason for a build to fail or differ: a file that cannot be read or written is
skipped, a damaged one is compiled again (Jinja checks its header and checksum). Files not
written for `KEEP_DAYS` are removed, so the folder does not grow with every copy of a project
(the tests build hundreds). `serve` keeps its own, in memory (adapters/mkdocs_parts.py).
"""
from __future__ import annotations

import functools
import os
import time

from jinja2 import BytecodeCache, FileSystemBytecodeCache

PATTERN = "erfaringsbank-%s.cache"
KEEP_DAYS = 7


class CompiledTemplates(FileSystemBytecodeCache):
    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - unreadable or damaged (pickle's own errors too): compile
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a full disk or a read-only folder: the next build compiles again
            pass


def prune(directory: str, days: float = KEEP_DAYS) -> None:
    """Remove our cache files not written for `days` (not the other programs' files)."""
    limit = time.time() - days * 86400
    prefix, suffix = PATTERN.split("%s")
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix) and name.endswith(suffix):
            path = os.path.join(directory, name)
            try:
                if os.lstat(path).st_mtime < limit:
                    os.remove(path)
            except OSError:
                continue


@functools.lru_cache(maxsize=1)
def shared_cache() -> BytecodeCache | None:
    """The cache of compiled templates for this user, or None where there is no safe folder."""
    try:
        cache = CompiledTemplates(pattern=PATTERN)
    except (OSError, RuntimeError):  # no temporary folder, or one another user owns
        return None
    prune(cache.directory)
    return cache
