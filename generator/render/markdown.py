"""Stage 3a: render an entry's Markdown body to HTML once, then sanitise it with an allowlist.

Entries arrive by pull request from many hands, so their HTML never reaches the site
unsanitised: nh3 (ammonia) keeps only the tags and attributes below, drops every URL scheme
but http(s)/mailto (and relative links), and marks links `rel="noopener noreferrer"`.

Every step is linear in the body's length. nh3's HTML parser (html5ever) is not, on two kinds of
input, so both are bounded before it runs: its time grows with elements × nesting depth (the
caller passes `max_tags`; Markdown nesting is checked by the validator with line numbers), and it
re-opens every unclosed formatting element (<b>, <em> …) at each new paragraph — only three of a
kind with the same attributes, but any number with different ones, so formatting tags lose their
attributes here (nh3 drops them anyway): a 17 kB body of `<b title=…><p>` became 10 MB.
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
_H_OPEN = re.compile(r"<h([2-6])>")
_START_TAG = re.compile(r"<[a-zA-Z]")
_TAG = re.compile(r"<[^<>]*>")
# The HTML formatting elements (the parser's «list of active formatting elements»), as start
# tags with something after the name: attributes, or a «/». cmark-gfm writes them bare (code
# blocks get <pre lang=…><code>); <a> is left alone (the parser keeps only one open <a>).
_FORMATTING_WITH_ATTRIBUTES = re.compile(
    r"<(b|big|code|em|font|i|nobr|s|small|strike|strong|tt|u)[\s/][^>]*>", re.I)


class TooComplex(ValueError):
    """The rendered body has more HTML tags than the caller allows (`tags`: how many)."""

    def __init__(self, tags: int, limit: int):
        super().__init__(f"{tags} HTML tags, at most {limit}")
        self.tags, self.limit = tags, limit


def _shift_and_id_headings(html: str) -> str:
    """The page title is the h1: body headings start at h2 (# → h2), with ids for anchors."""
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}{m.group(3)}", html)
    seen: dict[str, int] = {}

    def add_id(m: re.Match) -> str:
        base = slugify(unescape(_TAG.sub("", m.group(2)))) or "avsnitt"
        n = seen.get(base, 0)
        seen[base] = n + 1
        return f'<h{m.group(1)} id="{base if n == 0 else f"{base}_{n}"}">{m.group(2)}</h{m.group(1)}>'

    # «<hN>…</hN>», the first closing tag after each opening one — what «<h([2-6])>(.*?)</h\1>»
    # matches, without its quadratic time on many unclosed headings: a level whose closing tag
    # is not found further on has none after any later opening tag either.
    out, pos, closed = [], 0, set()
    for m in _H_OPEN.finditer(html):
        level = m.group(1)
        if m.start() < pos or level in closed:
            continue
        end = html.find(f"</h{level}>", m.end())
        if end < 0:
            closed.add(level)
            continue
        out.append(html[pos:m.start()])
        out.append(add_id(_Heading(level, html[m.end():end])))
        pos = end + 5
    out.append(html[pos:])
    return "".join(out)


class _Heading:
    """The two groups add_id reads, as a match of the old regex had them."""

    def __init__(self, level: str, text: str):
        self._groups = (None, level, text)

    def group(self, n: int) -> str:
        return self._groups[n]


# In sanitised HTML every «<» starts a tag (nh3 escapes it in text and attribute values), so
# «[^<>]» keeps each match inside one tag.
_URL_ATTR = re.compile(r'(<(?:a|img)\b[^<>]*?\s(?:href|src)=")([^"]*)(")')


@dataclass(frozen=True)
class Ref:
    """A relative link (kind «a») or image (kind «img») in a rendered body, as written."""

    kind: str
    url: str


@dataclass(frozen=True)
class Rendered:
    html: SafeHtml
    refs: tuple[Ref, ...]   # relative links and images, in document order, each once
    # images that are not a file next to the entry: an address on another site («https://…»,
    # «//host/…») or an absolute path («/…»), as written, each once
    external_images: tuple[str, ...] = ()


def _relative(url: str) -> bool:
    return bool(url) and not url.startswith(("#", "http://", "https://", "mailto:", "/"))


def _external(url: str) -> bool:
    """An image source that is not a relative path: a scheme (any case, with the spaces and
    control characters a browser ignores), «//host» or «/path» (a browser reads «\\» as «/»)."""
    probe = _CONTROL.sub("", url).replace("\\", "/").lower()
    return probe.startswith("/") or bool(_SCHEME.match(probe))


def render_markdown(text: str, headings: bool = True, max_tags: int | None = None) -> Rendered:
    """Body Markdown → sanitised HTML, and the relative links and images it holds (which the
    validator resolves). A pure function: nothing is looked up or reported here.

    Headings start at h2 (the page title is the h1) and get ids for anchors; `headings=False`
    leaves them as they are (for a check that discards the HTML). With `max_tags`, a body whose
    HTML has more start tags raises TooComplex before it reaches the sanitiser."""
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=_GFM_OPTIONS)
    if max_tags is not None:
        # what the HTML parser takes for a start tag: «<» and a letter (cmark-gfm escapes «<» in
        # text, not in raw HTML)
        tags = len(_START_TAG.findall(html)) if html.count("<") > max_tags else 0
        if tags > max_tags:
            raise TooComplex(tags, max_tags)
    html = _FORMATTING_WITH_ATTRIBUTES.sub(r"<\1>", html)
    html = sanitise(_shift_and_id_headings(html) if headings else html)
    refs: dict[Ref, None] = {}
    external: dict[str, None] = {}
    if "=\"" in html:
        for m in _URL_ATTR.finditer(html):
            url = unescape(m.group(2))
            img = m.group(1).startswith("<img")
            if _relative(url) and not (img and _external(url)):
                refs[Ref("img" if img else "a", url)] = None
            elif img and _external(url):
                external[url] = None
    return Rendered(SafeHtml(html), tuple(refs), tuple(external))


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
