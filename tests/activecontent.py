"""Find active content in HTML: what the sanitiser and the page templates must never let through.

Used on single rendered bodies (fuzzing) and on whole built pages (hostile-entry build).
"""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "style",
                  "form", "input", "button", "textarea", "select", "base", "meta", "link", "svg",
                  "math", "template", "noscript", "video", "audio", "source", "details"}
URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "poster", "xlink:href", "data",
             "background", "content"}
_BAD_URL = re.compile(r"^(?:javascript|vbscript|data|file):", re.I)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def bad_url(value: str) -> bool:
    """Browsers ignore control characters and whitespace in a URL scheme; so do we."""
    text = _CONTROL.sub("", unescape(value))
    text = text.split("url=", 1)[-1] if text.lower().startswith("0;") else text
    return bool(_BAD_URL.match(text))


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        where = f"<{tag} {' '.join(sorted(a))}>"   # names only: comparable across pages
        # a JSON-LD data block (example pages' schema.org metadata) is never run by a browser
        data_block = tag == "script" and a.get("type", "").strip().lower() == "application/ld+json"
        if tag in FORBIDDEN_TAGS and not data_block:
            self.found.append(f"element {where}")
        for k, v in a.items():
            if k.startswith("on"):
                self.found.append(f"event attribute {k} in {where}")
            if k in URL_ATTRS and bad_url(v):
                self.found.append(f"dangerous URL in {where}")
            if k == "style":
                self.found.append(f"style attribute in {where}")

    handle_startendtag = handle_starttag


def active_content(html: str) -> list[str]:
    """Every piece of active content in `html` ([] means safe). On a whole page the theme's
    own scripts, styles and icons are found too: compare with a page without entry content."""
    f = _Finder()
    f.feed(html)
    f.close()
    return f.found
