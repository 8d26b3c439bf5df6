"""The site's URL scheme, in one place: where every page, feed, export and image lives, links
between pages, absolute URLs, and the links to a page's source file in the repository.

Links in generated HTML are relative, so the site works from `/` and from a sub-path
(`https://<org>.github.io/<repo>/`) alike. Assumes mkdocs' `use_directory_urls: true`.
A page is named by its `src_uri` (the path of its Markdown source below the docs folder, real or
virtual); its URL is `page_dir(src_uri)`.
"""
from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model's types; model/__init__.py itself uses this module
    from generator.base.settings import Settings
    from generator.model import Embete, Example, Kommune, StatusRunde


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


def _relpath(target: str, base: str) -> str:
    """posixpath.relpath for our clean relative paths («a/b/», «.», «x.jpg»), by comparing their
    folders: every example page links from a folder of its own, so a memo of relpath (which
    calls abspath, i.e. os.getcwd, twice) missed on each of them (5 % of a 5 000-entry build,
    docs/performance.md). Anything else (absolute, «..», «./», «//») goes to relpath itself."""
    if not (_clean(target) and _clean(base)):
        return posixpath.relpath(target, base)
    to = [] if target == "." else target.rstrip("/").split("/")
    at = [] if base == "." else base.rstrip("/").split("/")
    common = 0
    for a, b in zip(to, at):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(at) - common) + to[common:]) or "."


def _clean(path: str) -> bool:
    """Not empty, not absolute, no empty folder, none starting with «.» (so no «.» or «..»)."""
    return path == "." or (path[:1] not in ("", "/") and "//" not in path and "/." not in "/" + path)


def continuation(first_uri: str, page: int) -> str:
    """src_uri of page `page` (≥ 2) of a listing whose first page is `first_uri`."""
    return f"{page_dir(first_uri)}side-{page}.md"


EXAMPLES_INDEX = "alle-eksempler/index.md"
EXAMPLES_OLDEST = "alle-eksempler/eldste/index.md"
REGIONS_INDEX = "regioner/index.md"
KOMMUNER_INDEX = "kommuner/index.md"
SEARCH_PAGE = "finn-eksempler.md"
STATUS_INDEX = "status/index.md"
PRIZE_PAGE = "reformen/prisen.md"  # content/: the Leve hele livet-prisen, year by year


EXAMPLES_DIR = "eksempler"     # example pages, and the images they show (eksempler/bilder/…)


def example_uri(slug: str) -> str:
    return f"{EXAMPLES_DIR}/{slug}.md"


def example(e: Example) -> str:
    return example_uri(e.slug)


def example_file(bank_rel: str) -> str:
    """Where a file of the bank (an image, by its path below examples_bank/) is published."""
    return f"{EXAMPLES_DIR}/{bank_rel}"


def region(e: Embete) -> str:
    return f"regioner/{e.slug}.md"


def kommune(k: Kommune) -> str:
    return f"kommuner/{k.slug}.md"


def status_round(r: StatusRunde, newest: bool) -> str:
    """The newest round is the status page itself; older rounds have a page of their own."""
    return STATUS_INDEX if newest else f"status/{r.runde}.md"


def feed(innsatsomrade: str | None = None) -> str:
    """The Atom feed of all examples, or of one innsatsområde."""
    return f"feed/{innsatsomrade}.xml" if innsatsomrade else "feed.xml"


def absolute(site_url: str, src_uri: str) -> str:
    """A page's absolute URL when the site's address is known, else relative to the site root."""
    path = page_dir(src_uri)
    return site_url.rstrip("/") + "/" + path if site_url else path


# -- links to the repository («Rediger denne siden», «Se kildefilen») --------------------------

# Generated pages (by src_uri prefix) → the data they are made from, relative to the root.
DATA_SOURCES = (
    ("regioner/", "generator/data/regioner.yml"),
    ("kommuner/", "generator/data/kommuner-2021.csv"),
)
_CONTINUATION = re.compile(r"^(.*/)side-\d+\.md$")


def repository_root(settings: Settings) -> str:
    """The repository's own page (issues, pull requests … below it); "" when unknown."""
    return settings.repo_url.rstrip("/")


def repository(settings: Settings, kind: str, rel_path: str) -> str | None:
    """A file or folder in the repository on GitHub: kind «blob» (view), «edit» or «tree»."""
    if not settings.repo_url:
        return None
    return f"{settings.repo_url.rstrip('/')}/{kind}/{settings.edit_branch}/{rel_path}"


def propose(settings: Settings) -> tuple[str | None, str | None]:
    """The issue form «Foreslå et eksempel» and the contributor's guide, in the repository."""
    if not settings.repo_url:
        return None, None
    return (f"{settings.repo_url.rstrip('/')}/issues/new?template=nytt-eksempel.yml",
            repository(settings, "blob", "CONTRIBUTING.md"))


def edit_url(settings: Settings, src_uri: str, meta: dict, generated: bool) -> str | None:
    """Where a page's «Rediger denne siden» goes: the file the page really comes from.

    Content pages → their Markdown in content/; example pages → their entry file (`eb_source`);
    pages generated from reference data → that data file; listings of all examples → the bank
    folder; anything else generated → None (never a Markdown file that does not exist)."""
    source = meta.get("eb_source")
    if isinstance(source, str) and source:
        return repository(settings, "edit", source)
    docs = settings.rel(settings.docs_dir)
    if not generated:
        return repository(settings, "edit", f"{docs}/{src_uri}")
    for prefix, data in DATA_SOURCES:
        if src_uri.startswith(prefix):
            return repository(settings, "blob", data)
    if src_uri.startswith("alle-eksempler/"):
        return repository(settings, "tree", settings.rel(settings.bank_dir))
    if src_uri.startswith("status/") and (settings.docs_dir / "status").is_dir():
        return repository(settings, "tree", f"{docs}/status")  # the statsforvalter status data
    m = _CONTINUATION.match(src_uri)
    if m and (settings.docs_dir / m.group(1) / "index.md").is_file():
        return repository(settings, "edit", f"{docs}/{m.group(1)}index.md")
    return None
