"""mkdocs building blocks for the plugin (generator/plugin.py): its config, the File and Page
types of generated pages, and a template cache for `serve`. Like plugin.py, the only other module
that imports mkdocs; the core never does."""
from __future__ import annotations

import hashlib
import json
import re
import zlib

from jinja2 import BytecodeCache, ChoiceLoader, DictLoader, pass_context
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data


class ErfaringsbankConfig(Config):
    bank = c.Type(str, default="examples_bank")
    branch = c.Type(str, default="main")
    per_page = c.Type(int, default=50)
    # the template block caches and the page shells (adapters/shells.py); off only in a test
    sidebar_cache = c.Type(bool, default=True)
    # pages as published: without the search index's markup, one stylesheet (off: as serve
    # writes them, whose index is made from the written pages; a test compares the two indexes)
    lean_pages = c.Type(bool, default=True)
    redirects = c.Type(dict, default={})  # old page (src_uri) → the page that replaced it


_ID = re.compile(r'\sid="([^"<>]+)"')
SHELL_TEMPLATE = "eb-skall.html"  # the template of pages built from a shell (adapters/shells.py)


class GeneratedFile(File):
    """A virtual file whose `is_modified` (asked by mkdocs only in dirty builds) is decided by
    comparing its content with the previous build. `made`: the core's page it holds, or (in a
    build) only that page's front matter and its HTML compressed (`Packed`)."""

    changed = True
    made = None  # components.GeneratedPage or Packed

    def is_modified(self) -> bool:
        return self.changed


class Packed:
    """A generated page as a build keeps it from `on_files` until mkdocs writes it: its front
    matter as data and its HTML compressed. mkdocs reads every page before it renders the first,
    so every page's HTML was in memory at once (≈ 30 KB a page, 190 MB of the build's Python
    peak at 5 000 entries); compressed it is ≈ 1/4 of that, unpacked for the page being written
    (GeneratedPage.unpack, ≈ 0.05 ms a page). Not in `serve`, whose memo keeps the pages."""

    __slots__ = ("meta", "_html")

    def __init__(self, made) -> None:
        self.meta = made.meta
        self._html = zlib.compress(made.body.lstrip("\n").encode("utf-8"), 1)

    @property
    def html(self) -> str:
        return zlib.decompress(self._html).decode("utf-8")


class GeneratedPage(Page):
    """A generated page is HTML already (after its front matter): no Markdown pass. mkdocs
    would otherwise build a Python-Markdown instance per page only to convert nothing (≈ 2 s
    at 5 000 entries). Material's blog plugin subclasses Page the same way."""

    packed: Packed | None = None  # a build: the HTML until on_page_context (Packed)

    def read_source(self, config):
        """The core has the front matter as data already (GeneratedPage.meta): mkdocs would
        parse it from the text again (≈ 0.5 s at 5 000 entries). A plugin that supplies the
        source itself (`on_page_read_source`) gets the usual parsing."""
        made = getattr(self.file, "made", None)
        self.packed = None
        source = config.plugins.on_page_read_source(page=self, config=config)
        if source is not None or made is None:
            self.markdown, self.meta = get_data(source if source is not None
                                                else self.file.content_string)
            return
        if isinstance(made, Packed):  # a build: the HTML stays packed until the page is written
            self.markdown, self.meta, self.packed = "", dict(made.meta), made
            return
        self.markdown, self.meta = made.body.lstrip("\n"), dict(made.meta)

    def render(self, config, files):
        html = self.packed.html if self.packed is not None else self.markdown
        self.content = "" if self.packed is not None else html
        self.toc = get_toc([])
        # the ids in the page (headings, tables, figures): another page may link to them
        # (content/…/x.md#kart-tittel), and mkdocs' strict build checks such anchors
        self.present_anchor_ids = set(_ID.findall(html))
        self.links_to_anchors = {}

    def unpack(self) -> None:
        """The page's HTML back in `content`, just before mkdocs renders the page around it
        (the plugin's on_page_context); it goes again once the page is written (on_post_page)."""
        if self.packed is not None:
            self.content, self.packed = self.packed.html, None


class MemoryBytecodeCache(BytecodeCache):
    """Jinja's compiled templates kept between `serve` rebuilds (mkdocs makes a new Jinja
    environment for each, and compiling material's templates again took ≈ 0.4 s). Keyed by
    template and source checksum, so an edited theme file is compiled again."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if (code := self._store.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


def nav_titles(items) -> dict[str, str]:
    """{src path: title} of the pages named in the `nav` config (mkdocs gives them that title)."""
    titles: dict[str, str] = {}
    for item in items or ():
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    titles[value] = title
                else:
                    titles.update(nav_titles(value))
    return titles


def install_shells(env, shells) -> None:
    """Pages whose meta names SHELL_TEMPLATE (set by the plugin) are made by `shells`
    (adapters/shells.py) from the theme's main.html: rendered in full for the first pages of
    each kind, filled in for the rest."""
    env.loader = ChoiceLoader([DictLoader({SHELL_TEMPLATE: "{{ eb_skall() }}"}), env.loader])

    @pass_context
    def shell_page(context) -> str:
        page, main = context["page"], context.environment.get_template("main.html")
        names = {"title": "title", "description": "description"}  # meta keys of the slots

        def render(probes: dict | None) -> str:
            if not probes:
                return main.render(context.get_all())
            meta, saved = dict(page.meta), (page.canonical_url, page.edit_url, page.content)
            try:
                page.meta.update({names[k]: v for k, v in probes.items() if k in names})
                page.canonical_url = probes.get("canonical", page.canonical_url)
                page.edit_url = probes.get("edit", page.edit_url)
                page.content = probes.get("content", page.content)
                return main.render(context.get_all())
            finally:
                page.meta.clear()
                page.meta.update(meta)
                page.canonical_url, page.edit_url, page.content = saved

        # a kind: the folder (relative links and the sidebar depend on it) and the page's
        # options (hide, search, eb_type …), not the core's per-page data (eb_source,
        # eb_updated: the theme does not print them; the edit address made of eb_source is a
        # slot); «/blob/» in the edit address is tested by actions.html
        options = repr(sorted((k, repr(v)) for k, v in page.meta.items()
                              if k not in names and (k == "eb_type" or not k.startswith("eb_"))))
        key = (page.url.rstrip("/").rpartition("/")[0], options,
               "/blob/" in (page.edit_url or ""))
        values = {"title": page.meta.get("title"), "description": page.meta.get("description"),
                  "canonical": page.canonical_url, "edit": page.edit_url,
                  "content": page.content}
        return shells.page(key, {k: str(v) for k, v in values.items() if v}, render)

    env.globals["eb_skall"] = shell_page


# Material's own stylesheets, as its base.html links them (block «styles»): its hashed names
_MATERIAL_CSS = re.compile(r"assets/stylesheets/(main|palette)\.[0-9a-f]{8}\.min\.css")
_CSS_NOT_MOVABLE = re.compile(r"@import|url\(\s*(?![\"']?data:)", re.IGNORECASE)
_CHARSET = re.compile(r'\A@charset "[^"]*";')


def stylesheet_bundle(files, config) -> tuple[str, str] | None:
    """One stylesheet for every page instead of six (issue 18, lean pages: one link and one
    request instead of six): Material's (main, and palette if the site has palettes) and
    site_config.yml's extra_css, in the order a page links them, as (path, content). The path
    has the content's hash in it, as Material's own, so a browser never keeps an old copy.
    None — the pages link the sheets one by one, as before — if a sheet is missing, or could
    mean something else in another place (@import, a url() that is not data:)."""
    material = {m.group(1): f for f in files
                if (m := _MATERIAL_CSS.fullmatch(f.src_uri)) and f.abs_src_path}
    wanted = ["main"] + (["palette"] if config.theme.get("palette") else [])
    sheets = [material.get(name) for name in wanted]
    sheets += [files.get_file_from_path(path) for path in config.extra_css]
    parts = []
    for file in sheets:
        if file is None or not file.abs_src_path:
            return None
        with open(file.abs_src_path, encoding="utf-8") as fh:
            text = fh.read()
        if _CSS_NOT_MOVABLE.search(text):
            return None
        parts.append(f"/* {file.src_uri} */\n" + _CHARSET.sub("", text))
    if len(parts) < 2:
        return None
    # @charset counts only as the file's very first bytes (everything here is UTF-8)
    content = '@charset "UTF-8";\n' + "\n".join(parts) + "\n"
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:8]
    return f"assets/stylesheets/erfaringsbank.{digest}.min.css", content


PALETTE_SCRIPT = "assets/palett.js"  # theme/assets/palett.js
_SLOTS = {"palett": "partials/palette.html", "topp": "partials/eb-topp.html"}


def script_widgets(env, config, code: str) -> str:
    """theme/assets/palett.js with the theme's script-only widgets in it, each rendered once per
    build instead of in every page: the light/dark switch (theme/partials/palette.html, from
    site_config.yml's list of palettes) and «Tilbake til toppen»
    (theme/partials/eb-topp.html; only with the feature navigation.top). A slot the script
    does not have (a theme of its own) is left out."""
    palettes = config.theme.get("palette")
    wanted = {"palett": isinstance(palettes, list) and bool(palettes),
              "topp": "navigation.top" in (config.theme.get("features") or ())}
    for name, template in _SLOTS.items():
        slot = f'/*eb:{name}*/""'
        if not wanted[name] or slot not in code:
            continue
        html = env.get_template(template).render(config=config).strip()
        html = re.sub(r"\n\s*", "\n", html)
        # a JSON string is a JavaScript string; "</" is escaped too (harmless in a file)
        code = code.replace(slot, json.dumps(html).replace("</", "<\\/"), 1)
    return code
