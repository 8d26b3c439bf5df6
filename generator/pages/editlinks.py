"""Where each page's «Rediger denne siden» link goes: to the file the page really comes from.

Content pages → their Markdown in content/; example pages → their entry file in examples_bank/;
pages generated from reference data → that data file; listings of all examples → the bank
folder; anything else generated → no link (never a Markdown file that does not exist).
The repository comes from `repo_url` (and the branch from the plugin's `branch`) in
site_config.yml. The mkdocs adapter sets `page.edit_url` from `edit_url()`.
"""
from __future__ import annotations

import re
from html import escape

from generator.model import Example
from generator.base.settings import Settings

# Generated pages (by src_uri prefix) → the data they are made from, relative to the root.
DATA_SOURCES = (
    ("regioner/", "generator/data/regioner.yml"),
    ("kommuner/", "generator/data/kommuner-2021.csv"),
)
_CONTINUATION = re.compile(r"^(.*/)side-\d+\.md$")


def _repo(settings: Settings, kind: str, rel: str) -> str | None:
    if not settings.repo_url:
        return None
    return f"{settings.repo_url.rstrip('/')}/{kind}/{settings.edit_branch}/{rel}"


def edit_url(settings: Settings, src_uri: str, meta: dict, generated: bool) -> str | None:
    source = meta.get("eb_source")
    if isinstance(source, str) and source:
        return settings.source_url(source, edit=True)
    docs = settings.rel(settings.docs_dir)
    if not generated:
        return settings.source_url(f"{docs}/{src_uri}", edit=True)
    for prefix, data in DATA_SOURCES:
        if src_uri.startswith(prefix):
            return settings.source_url(data)
    if src_uri.startswith("alle-eksempler/"):
        return _repo(settings, "tree", settings.rel(settings.bank_dir))
    if src_uri.startswith("status/") and (settings.docs_dir / "status").is_dir():
        return _repo(settings, "tree", f"{docs}/status")  # the statsforvalter status data
    m = _CONTINUATION.match(src_uri)
    if m and (settings.docs_dir / m.group(1) / "index.md").is_file():
        return settings.source_url(f"{docs}/{m.group(1)}index.md", edit=True)
    return None


def example_links(settings: Settings, e: Example) -> str:
    """Visible links under an example (the theme's edit button is only an icon)."""
    edit, view = settings.source_url(e.path, edit=True), settings.source_url(e.path)
    if not edit:
        return ""
    return (f'<p class="eb-rediger"><a href="{escape(edit)}" rel="noopener">Foreslå endring i '
            f'dette eksemplet</a> (på GitHub) · <a href="{escape(view)}" rel="noopener">'
            f"Se kildefilen</a></p>\n")
