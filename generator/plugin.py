"""The mkdocs adapter: wires mkdocs events to the engine-free core. Nothing else lives here.

on_config  → settings + load/validate the bank (all errors at once)
on_files   → generated pages as virtual files (File.generated; no temporary docs tree)
on_page_markdown → generated sections on content pages (innsatsområde, løsning, forside);
                   generated pages are already HTML: set aside, so Markdown never parses them
on_page_content  → the generated page's HTML (docs/performance.md: half the build time before)
on_serve   → watch the bank folder for live reload
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from . import pages
from .errors import BankError
from .pipeline import load_bank
from .settings import Settings

log = logging.getLogger("mkdocs.plugins.erfaringsbank")


class ErfaringsbankConfig(Config):
    bank = c.Type(str, default="examples_bank")
    branch = c.Type(str, default="main")
    per_page = c.Type(int, default=50)


class ErfaringsbankPlugin(BasePlugin[ErfaringsbankConfig]):
    def on_config(self, config):
        self.settings = Settings.from_options(
            Path(config.config_file_path), bank=self.config.bank, docs_dir=config.docs_dir,
            site_url=config.site_url or "", repo_url=config.repo_url or "",
            edit_branch=self.config.branch, per_page=self.config.per_page)
        try:
            self.bank = load_bank(self.settings)
        except BankError as exc:
            raise PluginError("Eksempelbanken har feil:\n" + exc.report()) from None
        for issue in self.bank.warnings:
            # Warnings (possible personal data) are shown but only fail `check --strict`.
            log.info(issue.format())
        return config

    def on_files(self, files, config):
        self.generated_html: dict[str, str | None] = {}
        for generated in pages.generate(self.bank, self.settings):
            self.generated_html[generated.src_uri] = None
            files.append(File.generated(config, generated.src_uri, content=generated.markdown))
        images = {rel for e in self.bank.examples for rel in e.images}
        for rel in sorted(images):
            files.append(File.generated(config, f"eksempler/{rel}",
                                        abs_src_path=str(self.settings.bank_dir / rel)))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.src_uri in self.generated_html:
            self.generated_html[page.file.src_uri] = markdown
            return ""
        return pages.augment(self.bank, self.settings, page.file.src_uri, page.meta, markdown)

    def on_page_content(self, html, page, config, files):
        return self.generated_html.get(page.file.src_uri) or html

    def on_serve(self, server, config, builder):
        server.watch(str(self.settings.bank_dir))
        return server
