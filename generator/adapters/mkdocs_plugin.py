"""The mkdocs adapter: wires mkdocs events to the stages of the engine-free core (a `Build`,
generator/pipeline/stages.py, in the pipeline's order). Nothing else lives here.

on_config  → settings + Build.load: load/validate the bank (all errors at once)
on_files   → Build.pages as virtual files (File.generated; no temporary docs tree),
             and Build.exports (eksempler.json/.csv, Atom feeds)
on_page_markdown → Build.content_page: generated sections on content pages (innsatsområde,
                   løsning, forside); generated pages are already HTML (GeneratedPage skips
                   Markdown)
on_page_context → a generated page's HTML unpacked: a build keeps it compressed from on_files
                  until mkdocs renders the page (mkdocs_parts.Packed)
on_nav / on_env → sidebar of pages outside the navigation rendered once per folder (theme/main.html)
on_startup → in `serve`: keep entries and pages between rebuilds (incremental.py); with the dirty
             build only changed pages are rendered again
on_serve   → watch the bank folder for live reload
on_pre_build / on_post_page / on_post_build → search index: in `build` Pagefind gets each
             generated page's content in on_files and each content page's HTML in on_post_page,
             and indexes on the second core while mkdocs renders (search/stream.py); a page's
             HTML is released once written; in `serve` the index is made in the background
             after each rebuild (search/pagefind.py), so a rebuild never waits
"""
from __future__ import annotations

import logging
import secrets
from pathlib import Path

from jinja2 import TemplateNotFound
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data

from generator import exports
from generator.adapters import theme_fixes
from generator.adapters.mkdocs_parts import (PALETTE_SCRIPT, SHELL_TEMPLATE, stylesheet_bundle,
                                             ErfaringsbankConfig, GeneratedFile, GeneratedPage,
                                             MemoryBytecodeCache, Packed, install_shells,
                                             nav_titles, script_widgets)
from generator.adapters.shells import Shells
from generator.base.errors import BankError, ConfigError
from generator.base.settings import Settings
from generator.base.templates import shared_cache
from generator.load.files import symlinked_uris
from generator.model import urls
from generator.pipeline.incremental import EntryCache, PageMemo
from generator.pipeline.stages import Build
from generator.search import pagefind as search
from generator.search.lean import published as published_page
from generator.search import stream as searchstream
from generator.validate.config import read_settings, repository

log = logging.getLogger("mkdocs.plugins.erfaringsbank")


class ErfaringsbankPlugin(BasePlugin[ErfaringsbankConfig]):
    cache: EntryCache | None = None
    memo: PageMemo | None = None
    records: exports.RecordMemo | None = None
    kept: dict | None = None  # serve: src_uri → File of the last build (generated pages)
    kept_stamp: int | None = None
    removed: set[str] = frozenset()  # serve: generated pages deleted from site_dir (on_files)
    bytecode: MemoryBytecodeCache | None = None
    dirty = False
    serving = False
    build: Build | None = None
    nonce: str | None = None
    background: search.BackgroundIndexer | None = None
    files_begun = False  # this build got past on_config (serve: see on_build_error)
    palette: File | None = None  # theme/assets/palett.js, filled in on_env
    lean = False  # pages written as published (option lean_pages; never in serve)
    stylesheet: str | None = None  # a lean build's one stylesheet (stylesheet_bundle)
    sitemap: tuple | None = None  # serve: what the sitemap.xml written last was made from
    sitemap_next: tuple | None = None  # serve: the same for this rebuild, kept once it succeeds

    def on_startup(self, command, dirty):
        # Defining on_startup keeps this instance alive across rebuilds in `serve` — and mkdocs
        # caches it for the whole process, so every command starts from a clean state here.
        self.on_shutdown()
        serving = command == "serve"
        self.cache, self.memo = (EntryCache(), PageMemo()) if serving else (None, None)
        self.records = exports.RecordMemo() if serving else None
        self.kept, self.kept_stamp, self.removed = {}, None, set()
        self.sitemap = self.sitemap_next = None
        self.bytecode = MemoryBytecodeCache() if serving else None
        self.dirty, self.serving = dirty and serving, serving
        self.nonce = "eb-" + secrets.token_hex(12)  # one per process: serve's rebuilds share it
        self.background = search.BackgroundIndexer(log) if serving else None

    def on_shutdown(self):
        if self.background is not None:
            self.background.stop()
            self.background = None

    def on_config(self, config):
        self.files_begun = False
        # serve writes pages as they are: its search index is made from the written pages
        self.lean = self.config.lean_pages and not self.serving
        if self.background is not None:  # serve: the search waits while the rebuild runs
            self.background.hold()
        try:  # the same checks of site_config.yml as `check` makes (exit 2 there)
            read_settings(Path(config.config_file_path), config.site_url or None)
        except ConfigError as exc:
            raise _failed("Konfigurasjonen har feil:\n", exc) from None
        # the repository in one place (validate/config.py): GITHUB_REPOSITORY in Actions, else
        # repo_url — the theme's header link and edit links then agree with ours
        repo_url, repo_name = repository(config.repo_url or "")
        if repo_url != (config.repo_url or "").rstrip("/"):
            config["repo_url"], config["repo_name"] = repo_url, repo_name
        self.settings = Settings.from_options(
            Path(config.config_file_path), bank=self.config.bank, docs_dir=config.docs_dir,
            site_url=config.site_url or "", repo_url=repo_url,
            edit_branch=self.config.branch, per_page=self.config.per_page,
            theme_dir=Path(config.theme.custom_dir) if config.theme.custom_dir else None,
            redirects=tuple(self.config.redirects.items()))
        self.build = Build(self.settings, cache=self.cache, memo=self.memo, records=self.records,
                           nonce=self.nonce)
        try:
            self.bank = self.build.load()
        except BankError as exc:
            raise _failed("Eksempelbanken har feil:\n", exc) from None
        for issue in self.bank.warnings:
            # Warnings (possible personal data) are shown but only fail `check --strict`.
            log.info(issue.format())
        return config

    def on_files(self, files, config):
        self.files_begun = True  # from here a failure may leave the page memo ahead of site_dir
        # content/'s data files (status rounds, the support apparatus) are read by the core,
        # not published as they are
        for file in [f for f in files if f.src_uri.endswith((".yml", ".yaml"))]:
            files.remove(file)
        # a symbolic link in content/ is never read or published (check reports it): it could
        # point at /etc/passwd or /proc/self/environ (the build's secrets)
        linked = symlinked_uris(Path(config.docs_dir), [f.src_uri for f in files])
        for file in [f for f in files if f.src_uri in linked]:
            files.remove(file)
        self.generated: set[str] = set()
        titles = nav_titles(config.nav)
        kept, self.kept = self.kept or {}, {}
        stamp = Path(config.config_file_path).stat().st_mtime_ns
        if stamp != self.kept_stamp:  # a new config (site_url, nav titles…): new Page objects
            kept, self.kept_stamp = {}, stamp
        for generated in self.build.pages():
            self.generated.add(generated.src_uri)
            changed = (self.memo is None or self.memo.changed(generated.src_uri, generated.markdown)
                       or generated.src_uri in self.removed)
            file = None if changed else kept.get(generated.src_uri)
            if file is None:
                if self.serving:  # the memo compares and keeps the pages
                    file = GeneratedFile.generated(config, generated.src_uri,
                                                    content=generated.markdown)
                    file.made = generated
                else:  # a build: only what mkdocs needs until it writes the page, compressed
                    file = GeneratedFile.generated(config, generated.src_uri, content="")
                    file.made = Packed(generated)
                GeneratedPage(titles.get(generated.src_uri), file, config)
            file.changed = changed
            if self.memo is not None:
                # serve: an unchanged page keeps its File and Page (≈ 0.5 s of mkdocs objects
                # for 5 900 pages); the dirty build neither reads nor writes it again.
                self.kept[generated.src_uri] = file
            self.build.index_generated(generated)  # now, while mkdocs renders
            files.append(file)
        gone = kept.keys() - self.kept.keys()
        for uri in gone:
            # serve: a page no longer made (its entry deleted or renamed) must not be served
            # from the last build's output (a dirty build never removes anything); if it comes
            # back, it is written again even though the memo knows its content
            Path(kept[uri].abs_dest_path).unlink(missing_ok=True)
        self.removed = (self.removed - self.generated) | gone
        for where, html in self.build.redirects():
            files.append(File.generated(config, where, content=html))
        for export in self.build.exports():
            files.append(File.generated(config, export.path, content=export.content))
        # Content pages are rendered before the generated ones (they come first in `files`);
        # once the last has gone to Pagefind, it can write the index while mkdocs goes on.
        self.unindexed = {f.src_uri for f in files.documentation_pages()
                          if f.src_uri not in self.generated}
        if not self.unindexed:
            self.build.start_writing_index(Path(config.site_dir))
        if self.dirty:
            self._mark_changed(files, config)
        # the light/dark switch and «Tilbake til toppen» go into the theme's palette script
        # (on_env: mkdocs_parts.script_widgets)
        self.palette = files.get_file_from_path(PALETTE_SCRIPT)
        if self.palette is not None and self.palette.abs_src_path:
            files.remove(self.palette)
            code = Path(self.palette.abs_src_path).read_text(encoding="utf-8")
            self.palette = File.generated(config, PALETTE_SCRIPT, content=code)
            files.append(self.palette)
        self.stylesheet = None
        if self.lean and (sheet := stylesheet_bundle(files, config)) is not None:
            self.stylesheet, css = sheet
            files.append(File.generated(config, self.stylesheet, content=css))
            config.extra_css = []  # in the one sheet (theme/main.html, block styles)
        images = {rel for e in self.bank.examples for rel in e.images}
        for rel in sorted(images):
            files.append(File.generated(config, urls.example_file(rel),
                                        abs_src_path=str(self.settings.bank_dir / rel)))
        return files

    def _mark_changed(self, files, config):
        """Dirty rebuild (serve): a page is rendered again only if what it shows changed. A
        hand-written page: its file, or its generated sections; all pages: the theme or config."""
        theme = Path(config.theme.custom_dir or config.config_file_path)
        stamp = [(str(p), p.stat().st_mtime_ns) for p in sorted(theme.rglob("*")) if p.is_file()]
        stamp.append(Path(config.config_file_path).stat().st_mtime_ns)
        everything = self.memo.changed("\0theme-and-config", repr(stamp))
        for file in files.documentation_pages():
            if file.src_uri in self.generated:
                file.changed = file.changed or everything
                continue
            changed = everything or file.is_modified()  # mkdocs' own rule: source newer
            markdown, meta = get_data(file.content_string)
            shown = self.build.content_page(file.src_uri, meta, markdown)
            changed = self.memo.changed(file.src_uri, shown) or changed
            file.is_modified = lambda changed=changed: changed

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.src_uri in self.generated:
            if not self.serving:  # read (page.markdown has the HTML): the core's copy can go
                page.file.made = None
                page.file.content_string = ""
            return markdown
        return self.build.content_page(page.file.src_uri, page.meta, markdown)

    def on_page_content(self, html, page, config, files):
        if page.file.src_uri in self.generated:  # our templates' output
            if self.config.sidebar_cache and self._outside_nav(page):
                page.meta["template"] = SHELL_TEMPLATE  # thousands alike: adapters/shells.py
            return html
        return self.build.content_html(html)  # a content page: nothing active gets through

    def on_nav(self, nav, config, files):
        self.in_nav = {p.file.src_uri for p in nav.pages}
        self.nav_urls = [p.url for p in nav.pages]
        return nav

    def on_env(self, env, config, files):
        sidebars: dict[tuple, str] = {}
        blocks: dict[tuple, str] = {}  # theme/main.html: header and config, per base_url
        if self.bytecode is not None:  # serve: each rebuild has a new env; compile templates once
            env.bytecode_cache = self.bytecode
        else:  # a build: the theme's templates compiled by an earlier build (base/templates.py)
            env.bytecode_cache = shared_cache()
        on = self.config.sidebar_cache
        if self.palette is not None:
            self.palette.content_string = script_widgets(env, config, self.palette.content_string)
        self.shells = Shells()  # per build: the theme may have changed
        if self.serving:
            self._sitemap_if_changed(env, config, files)
        install_shells(env, self.shells)
        env.globals.update(eb_pagefind_end=searchstream.BODY_END, eb_stylesheet=self.stylesheet,
                           # serve's live-reload script is inline and changes on every load:
                           # theme/main.html relaxes the CSP for it only in serve
                           eb_live_reload=self.serving,
                           eb_sidebar_key=self._sidebar_key, eb_sidebar_get=sidebars.get,
                           eb_outside_nav=self._outside_nav,
                           eb_sidebar_put=lambda key, html: sidebars.setdefault(key, html)
                           if key else html,
                           eb_cache_key=lambda *key: key if on else None,
                           eb_cache_get=lambda key: blocks.get(key) if key else None,
                           eb_cache_put=lambda key, html: blocks.setdefault(key, str(html))
                           if key else str(html))
        return env

    def _sitemap_if_changed(self, env, config, files) -> None:
        """serve: sitemap.xml lists every page (≈ 0.06 s of a rebuild at 5 000 entries, most of
        them for nothing: an edit rarely adds or removes a page). It is made again only when what
        it is made from changed — each page's URL and date, and the template — and otherwise
        left as the last successful rebuild wrote it. `build` always makes it."""
        try:
            template = env.get_template("sitemap.xml")
            stamp = Path(template.filename).stat().st_mtime_ns if template.filename else None
        except (TemplateNotFound, OSError):  # none, or no file behind it: mkdocs decides
            self.sitemap_next = None
            return
        key = (stamp, tuple((f.page.canonical_url or f.page.abs_url, f.page.update_date)
                            for f in files.documentation_pages() if f.page is not None))
        self.sitemap_next = key
        if key == self.sitemap and (Path(config.site_dir) / "sitemap.xml").is_file():
            config.theme.static_templates.discard("sitemap.xml")

    def _outside_nav(self, page) -> bool:
        """A generated page the navigation does not list (examples, kommuner, regions,
        continuation pages — thousands): theme/partials/nav-kort.html gives it the sections
        only, not the whole tree."""
        file = getattr(page, "file", None) if page is not None else None
        return bool(file) and file.src_uri in self.generated and file.src_uri not in self.in_nav

    def _sidebar_key(self, page):
        """Same key ⇒ same sidebar HTML: a generated page outside the nav, without a toc; its
        relative links depend only on its parent folder (if no nav page lies below it)."""
        if page is None or not getattr(page, "file", None):  # 404.html and other templates
            return None
        uri = page.file.src_uri
        if (not self.config.sidebar_cache or uri not in self.generated
                or uri in self.in_nav or page.toc.items
                or any(u.startswith(page.url) for u in self.nav_urls)):
            return None
        return page.url.rstrip("/").rpartition("/")[0], tuple(page.meta.get("hide") or ())

    def on_page_context(self, context, page, config, nav):
        if isinstance(page, GeneratedPage):  # the last event before mkdocs renders the page
            page.unpack()  # a build keeps generated pages' HTML packed until now (Packed)
        # «Rediger denne siden» → the file the page really comes from (None: no button).
        page.edit_url = urls.edit_url(self.settings, page.file.src_uri, page.meta,
                                           page.file.generated_by is not None)
        return context

    def on_serve(self, server, config, builder):
        # from the config, not self.settings: serve goes on even if the first build failed
        root = Path(config.config_file_path).resolve().parent
        server.watch(str((root / self.config.bank).resolve()))
        if config.theme.custom_dir:  # our templates and CSS (mkdocs only watches docs_dir
            server.watch(config.theme.custom_dir)  # and the config unless --watch-theme)
        return server

    def on_pre_build(self, config):
        if not self.serving:
            try:
                self.build.start_index(log)
            except search.SearchIndexError as exc:
                raise PluginError(str(exc)) from None

    def on_post_template(self, output_content, template_name, config):
        # 404.html is rendered from the theme without on_post_page
        return theme_fixes.repaired(output_content) if template_name.endswith(".html") else output_content

    def on_post_page(self, output, page, config):
        output = theme_fixes.repaired(output)  # the stock theme's invalid markup (theme_fixes.py)
        if page.file.src_uri in self.unindexed:  # content pages: known only once rendered
            self.build.index_rendered(page.url, output)
            self.unindexed.discard(page.file.src_uri)
            if not self.unindexed:
                self.build.start_writing_index(Path(config.site_dir))
        if self.lean:  # Pagefind has had the page (generated ones in on_files)
            output = published_page(output, tidy=self._outside_nav(page))
        if not self.serving:
            # Written right after this event; no later page, template or the sitemap reads a
            # page's HTML again, so it need not stay in memory until the end of the build.
            page.content = None
            if page.file.src_uri in self.generated:  # (its file's copy went in on_page_markdown)
                page.markdown = ""  # not None: the title (from the front matter) stays
        return output

    def on_build_error(self, error):
        if self.background is not None:
            self.background.release()
        if self.build is not None:
            self.build.close()
        self.sitemap = None  # serve: whether this rebuild wrote its sitemap is not known
        if self.serving and self.files_begun:
            # The memo already holds pages that may not have been written: the next build
            # (after the fix, serve keeps running) renders every page again, so the folder
            # served is whole. A failure while loading the bank (the usual one) writes nothing
            # and keeps the memo.
            self.memo, self.kept = PageMemo(), {}

    def on_post_build(self, config):
        if self.serving:  # the rebuilt page is shown at once; search follows a moment later
            self.sitemap = self.sitemap_next
            self.background.request(Path(config.site_dir))
            return
        try:
            index, stats = self.build.write_index(Path(config.site_dir))
        except search.SearchIndexError as exc:
            raise PluginError(str(exc)) from None
        log.info(f"Søkeindeks (Pagefind): {index.pages} sider, {stats.files} filer, "
                 f"{stats.bytes // 1024} KiB")
        log.info(f"Sideskall: {self.shells.filled} sider fylt inn i et ferdig skall "
                 "(adapters/shells.py)")
        for key, why in self.shells.refused.items():
            log.debug(f"Sideskall brukes ikke for {key[0]!r}: {why}")


def _failed(title: str, exc: BankError) -> PluginError:
    """mkdocs stops the build on a PluginError; the issues ride along for `serve`'s error panel
    (adapters/serve.py), which lists them by file and line."""
    error = PluginError(title + exc.report())
    error.issues = exc.issues
    return error

