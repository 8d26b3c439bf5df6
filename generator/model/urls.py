"""Where generated pages live, and relative links between them.

Links in generated HTML are relative, so the site works from `/` and from a sub-path
(`https://<org>.github.io/<repo>/`) alike. Assumes mkdocs' `use_directory_urls: true`.
"""
from __future__ import annotations

import functools
import posixpath

from generator.model import Embete, Example, Kommune


def page_dir(src_uri: str) -> str:
    """`a/b.md` → `a/b/`, `a/index.md` → `a/`, `index.md` → ``."""
    if not src_uri.endswith(".md"):
        return src_uri
    stem = src_uri[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def href(from_uri: str, to_uri: str, fragment: str = "") -> str:
    """Relative link from the page at `from_uri` to the page or file at `to_uri`."""
    base = page_dir(from_uri) or "."
    target = page_dir(to_uri) if to_uri.endswith(".md") else to_uri
    rel = _relpath(target or ".", base)
    if to_uri.endswith(".md"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{fragment}" if fragment else "")


def to_root(from_uri: str) -> str:
    """The relative way from the page at `from_uri` up to the site root: `a/b.md` → `../../`."""
    return "../" * page_dir(from_uri).count("/")


@functools.lru_cache(maxsize=65536)
def _relpath(target: str, base: str) -> str:
    """posixpath.relpath for our clean relative paths, memoised: a listing page links to the same
    few folders thousands of times (it was 7 % of the build, docs/performance.md)."""
    return posixpath.relpath(target, base)


def continuation(first_uri: str, page: int) -> str:
    """src_uri of page `page` (≥ 2) of a listing whose first page is `first_uri`."""
    return f"{page_dir(first_uri)}side-{page}.md"


EXAMPLES_INDEX = "alle-eksempler/index.md"
EXAMPLES_OLDEST = "alle-eksempler/eldste/index.md"
REGIONS_INDEX = "regioner/index.md"
KOMMUNER_INDEX = "kommuner/index.md"
SEARCH_PAGE = "finn-eksempler.md"
STATUS_INDEX = "status/index.md"


def example(e: Example) -> str:
    return e.src_uri


def region(e: Embete) -> str:
    return f"regioner/{e.slug}.md"


def kommune(k: Kommune) -> str:
    return f"kommuner/{k.slug}.md"
