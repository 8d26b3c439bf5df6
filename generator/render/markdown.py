"""Stage 3a: render an entry's Markdown body to HTML once, then sanitise it with an allowlist.

Entries arrive by pull request from many hands, so their HTML never reaches the site
unsanitised: nh3 (ammonia) keeps only the tags and attributes below, drops every URL scheme
but http(s)/mailto (and relative links), and marks links `rel="noopener noreferrer"`.
"""
from __future__ import annotations

import re
from html import escape, unescape
from dataclasses import dataclass
from urllib.parse import unquote

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

from generator.base.html import SafeHtml
from generator.base.text import slugify

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "s", "sub", "sup",
    "blockquote", "q", "cite", "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "table",
    "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "code", "pre", "abbr", "figure",
    "figcaption", "div", "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"}, "sup": {"id"}, "div": {"class"},
    "blockquote": {"lang"}, "p": {"lang"}, "span": {"lang"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_CONTROL = re.compile(r"[\x00-\x20]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_:.-]{0,80}$")
_SAFE_CLASS = {"footnote", "footnote-ref", "footnote-backref"}
_SAFE_LANG = {"nb", "nn", "no", "se", "sma", "smj", "en"}


def _filter(tag: str, attr: str, value: str) -> str | None:
    # ids and classes are kept only in forms Markdown itself produces (headings, footnotes),
    # so an entry cannot clobber the theme's own ids or borrow its styling.
    if attr == "id":
        return value if _SAFE_ID.match(value) else None
    if attr == "class":
        kept = [c for c in value.split() if c in _SAFE_CLASS]
        return " ".join(kept) or None
    if attr == "lang":
        return value if value in _SAFE_LANG else None
    if attr in ("href", "src"):
        # An obfuscated scheme (jav%09ascript:) is no scheme to a URL parser, so cmark-gfm and
        # nh3 keep it as a relative link: decode it as a browser might, and drop it.
        probe = _CONTROL.sub("", unquote(value)).lower()
        scheme = _SCHEME.match(probe)
        if scheme and scheme.group(1) not in URL_SCHEMES:
            return None
    return value


_CLEANER_ARGS = dict(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", attribute_filter=_filter,
                     strip_comments=True)


_CLEANER = nh3.Cleaner(**_CLEANER_ARGS)  # built once, not per entry


def sanitise(html: str) -> str:
    return _CLEANER.clean(html)


# GitHub Flavored Markdown (cmark-gfm, C): what advisers see in the pull-request preview, and
# ~50× faster than Python-Markdown (0.1 ms instead of 5 ms per entry, see docs/performance.md).
# Raw HTML is let through to nh3 below, which is the one place that decides what is safe.
_GFM_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
_HEADING = re.compile(r"<(/?)h([1-6])(>|\s)")
_H_TEXT = re.compile(r"<h([2-6])>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _shift_and_id_headings(html: str) -> str:
    """The page title is the h1: body headings start at h2 (# → h2), with ids for anchors."""
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}{m.group(3)}", html)
    seen: dict[str, int] = {}

    def add_id(m: re.Match) -> str:
        base = slugify(unescape(_TAG.sub("", m.group(2)))) or "avsnitt"
        n = seen.get(base, 0)
        seen[base] = n + 1
        return f'<h{m.group(1)} id="{base if n == 0 else f"{base}_{n}"}">{m.group(2)}</h{m.group(1)}>'

    return _H_TEXT.sub(add_id, html)


_URL_ATTR = re.compile(r'(<(?:a|img)\b[^>]*?\s(?:href|src)=")([^"]*)(")')


@dataclass(frozen=True)
class Ref:
    """A relative link (kind «a») or image (kind «img») in a rendered body, as written."""

    kind: str
    url: str


@dataclass(frozen=True)
class Rendered:
    html: SafeHtml
    refs: tuple[Ref, ...]   # relative links and images, in document order, each once


def _relative(url: str) -> bool:
    return bool(url) and not url.startswith(("#", "http://", "https://", "mailto:", "/"))


def render_markdown(text: str, headings: bool = True) -> Rendered:
    """Body Markdown → sanitised HTML, and the relative links and images it holds (which the
    validator resolves). A pure function: nothing is looked up or reported here.

    Headings start at h2 (the page title is the h1) and get ids for anchors; `headings=False`
    leaves them as they are (for a check that discards the HTML)."""
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=_GFM_OPTIONS)
    html = sanitise(_shift_and_id_headings(html) if headings else html)
    refs: dict[Ref, None] = {}
    if "=\"" in html:
        for m in _URL_ATTR.finditer(html):
            url = unescape(m.group(2))
            if _relative(url):
                refs[Ref("img" if m.group(1).startswith("<img") else "a", url)] = None
    return Rendered(SafeHtml(html), tuple(refs))


def with_targets(rendered: Rendered, targets: dict[Ref, str | None]) -> SafeHtml:
    """The body with each relative link and image pointing at its place on the site
    (`targets`, from the validator); one without a target becomes «#»."""
    if not rendered.refs:
        return rendered.html

    def rewrite(m: re.Match) -> str:
        url = unescape(m.group(2))
        if not _relative(url):
            return m.group(0)
        new = targets.get(Ref("img" if m.group(1).startswith("<img") else "a", url))
        return f"{m.group(1)}{escape(new or '#', quote=True)}{m.group(3)}"

    return SafeHtml(_URL_ATTR.sub(rewrite, str(rendered.html)))
