"""One build's stages after loading, in the pipeline's order, for an engine adapter to call from
its events: the bank (load → validate → model), the generated pages, the generated sections of
content pages, the exports, and the search index (streamed while the engine renders).

mkdocs: on_config → `Build.load`; on_files → `pages`, `exports` and `index_page` for each
generated page; on_page_markdown → `content_page`; on_post_page → `index_page` for content
pages; on_post_build → `write_index`. Another engine calls the same methods in the same order.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

from generator import exports, pages
from generator.base.settings import Settings
from generator.model import Bank, urls
from generator.pipeline import load_bank
from generator.pipeline.incremental import EntryCache, PageMemo
from generator.render import content
from generator.search import stream


class Build:
    def __init__(self, settings: Settings, *, cache: EntryCache | None = None,
                 memo: PageMemo | None = None, records: exports.RecordMemo | None = None,
                 nonce: str | None = None):
        """`cache`, `memo`, `records`: kept between rebuilds in serve (incremental.py).
        `nonce`: the secret of the markers around generated sections in content pages (the
        same across serve's rebuilds, so an unchanged page stays unchanged)."""
        self.settings = settings
        self.nonce = nonce or "eb-" + secrets.token_hex(12)
        self.cache, self.memo, self.records = cache, memo, records
        self.bank: Bank | None = None
        self.index: stream.StreamingIndex | None = None
        # every card made in this build, by (example, level): the 30 innsatsområde and løsning
        # pages list the same examples as the generated listings (21 600 renders at 5 000 entries → 10 000)
        self.cards: dict = {}

    # 1. load → validate → model
    def load(self) -> Bank:
        self.bank = load_bank(self.settings, cache=self.cache)
        return self.bank

    # 2. pages
    def pages(self) -> Iterator[pages.GeneratedPage]:
        """One page at a time (pages.each): take each before asking for the next."""
        return pages.each(self.bank, self.settings, memo=self.memo, cards=self.cards)

    def content_page(self, src_uri: str, meta: dict, markdown: str) -> str:
        """A content page's Markdown with its generated sections (each between markers)."""
        return pages.augment(self.bank, self.settings, src_uri, meta, markdown, memo=self.memo,
                             mark=lambda html: content.mark(self.nonce, html), cards=self.cards)

    def content_html(self, html: str) -> str:
        """The engine's HTML of a content page, sanitised outside the generated sections."""
        return content.sanitise_page(html, self.nonce)

    def redirects(self) -> list[tuple[str, str]]:
        """Stubs at the old addresses of renamed pages."""
        return pages.redirects(self.settings)

    # 3. exports
    def exports(self) -> list[exports.ExportFile]:
        return exports.generate(self.bank, self.settings.site_url, memo=self.records,
                                repo_url=self.settings.repo_url)

    # 4. search index, made while the engine renders
    def start_index(self, log=None) -> None:
        self.index = stream.StreamingIndex(log)

    def index_generated(self, page: pages.GeneratedPage) -> None:
        if self.index is not None and page.searchable:
            self.index.add("/" + urls.page_dir(page.src_uri),
                           stream.page_document(page.body))

    def index_rendered(self, url: str, html: str) -> None:
        """A content page, once the engine has rendered it (a page without
        data-pagefind-body — the search page — is left out, as Pagefind would)."""
        if self.index is not None and (document := stream.indexable(html)) is not None:
            self.index.add("/" + url, document)

    def start_writing_index(self, site_dir: Path) -> None:
        if self.index is not None:
            self.index.start_write(site_dir)

    def write_index(self, site_dir: Path):
        index, self.index = self.index, None
        return index, index.write(site_dir)

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
            self.index = None
