"""The templates of the generated pages (generator/pages/templates/), like mkdocs-material's tag
fragments: Jinja with autoescaping on, so every value from an entry, a content page or the
reference data is escaped unless its type proves it is safe HTML (`SafeHtml`: a sanitised body,
or the output of one of these templates).

A theme may override any template with a file of the same name in
`<theme custom_dir>/fragments/erfaringsbank/` (Settings.templates_dir).
"""
from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

from generator.base.html import SafeHtml
from generator.base.templates import shared_cache
from generator.base.text import format_date, format_int, plural
from generator.model import urls

OVERRIDE_DIR = Path("fragments") / "erfaringsbank"


def sanitised(value) -> SafeHtml:
    """`{{ body | sanitised }}`: insert HTML as it is — only if it is SafeHtml."""
    if not isinstance(value, SafeHtml):
        raise TypeError(f"not sanitised HTML: {type(value).__name__}")
    return value


def overrides_stamp(theme_dir: Path | None) -> tuple:
    """The theme's template overrides as (name, mtime, size), sorted: `serve` makes a new
    environment — and its page memo forgets its pages — when one is added, edited or removed."""
    folder = theme_dir / OVERRIDE_DIR if theme_dir is not None else None
    if folder is None or not folder.is_dir():
        return ()
    stamp = []
    for path in folder.rglob("*"):
        try:
            st = path.stat()
        except OSError:  # removed while listed: the next rebuild sees it gone
            continue
        stamp.append((path.relative_to(folder).as_posix(), st.st_mtime_ns, st.st_size))
    return tuple(sorted(stamp))


@functools.lru_cache(maxsize=8)
def environment(theme_dir: Path | None = None, stamp: tuple = ()) -> Environment:
    # (`stamp`, overrides_stamp: only part of the cache key — an edited override is read anew)
    loaders = []
    if theme_dir is not None and (theme_dir / OVERRIDE_DIR).is_dir():
        loaders.append(FileSystemLoader(str(theme_dir / OVERRIDE_DIR)))
    loaders.append(PackageLoader("generator.pages", "templates"))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False,
                      bytecode_cache=shared_cache())  # compiled once, not in every process
    env.filters.update(sanitised=sanitised, dato=format_date, tall=format_int)
    env.globals.update(href=urls.href, plural=plural)
    # `tojson` (JSON-LD): keys in our order, æøå as they are (a third smaller than \u escapes),
    # no blanks after , and : (issue 18, lean pages); Jinja still escapes < > & ' in its
    # output, so no value can end the <script> element
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False,
                                         "separators": (",", ":")}
    return env


class Fragments:
    """Renders the templates of one build."""

    def __init__(self, theme_dir: Path | None = None):
        self.stamp = overrides_stamp(theme_dir)
        self.env = environment(theme_dir, self.stamp)
        self._templates: dict[str, object] = {}

    def render(self, name: str, **context) -> SafeHtml:
        template = self._templates.get(name)
        if template is None:
            template = self._templates[name] = self.env.get_template(name)
        return SafeHtml(template.render(**context))
