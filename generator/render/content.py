"""Content pages (content/*.md) come by pull request too: the HTML mkdocs makes of them is
sanitised like an entry body, with an allowlist of what the content needs — the reform pages'
tables, figures, `lang` spans, small print — and nothing active (no script, no event handler,
no javascript: link, no style, no iframe or form).

The sections the core generates into a content page (listings, charts, the search page's form
and script) are our own autoescaped template output: they are wrapped in markers that carry a
secret per build (`nonce`), kept as they are, and everything outside the markers is cleaned. A
content page cannot forge a marker without knowing the nonce.
"""
from __future__ import annotations

import re

import nh3

from generator.base.html import SafeHtml
from generator.render.markdown import (ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES,
                                       _filter)

CONTENT_TAGS = ALLOWED_TAGS | {"h1", "small", "time", "details", "summary", "mark", "section"}
CONTENT_ATTRIBUTES = {**ALLOWED_ATTRIBUTES, "h1": {"id"}, "time": {"datetime"},
                      "section": {"id"}, "table": {"id"}, "span": {"lang"},
                      "blockquote": {"lang"}, "li": {"id", "lang"}, "td": {"align", "colspan",
                                                                            "rowspan", "lang"}}
_CLEANER = nh3.Cleaner(tags=CONTENT_TAGS, attributes=CONTENT_ATTRIBUTES, url_schemes=URL_SCHEMES,
                       link_rel="noopener noreferrer", attribute_filter=_filter,
                       strip_comments=True)


def mark(nonce: str, html: str) -> str:
    """Generated HTML to go into a content page's Markdown, between the build's markers (raw
    HTML blocks, blank lines apart, so Markdown leaves them alone)."""
    return f"\n\n<!--{nonce}-->\n\n{html}\n\n<!--/{nonce}-->\n\n"


def sanitise_page(html: str, nonce: str) -> SafeHtml:
    """The rendered content page with everything outside the markers sanitised."""
    pattern = re.compile(f"<!--{re.escape(nonce)}-->(.*?)<!--/{re.escape(nonce)}-->", re.S)
    out, at = [], 0
    for m in pattern.finditer(html):
        out.append(_CLEANER.clean(html[at:m.start()]))
        out.append(m.group(1))
        at = m.end()
    out.append(_CLEANER.clean(html[at:]))
    return SafeHtml("".join(out))
