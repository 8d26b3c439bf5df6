"""Reading a built site the way a browser would: pages, links, text."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) and tag in ("a", "img", "link", "script"):
                self.links.append(a[key])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(path: Path) -> _Collect:
    c = _Collect()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def page(site: Path, url_path: str) -> Path:
    p = site / url_path.strip("/")
    return p / "index.html" if not p.suffix else p


def text(site: Path, url_path: str) -> str:
    return " ".join(" ".join(parse(page(site, url_path)).text).split())


def _base_path(site: Path) -> str:
    """The site's path on its host, from site_url as written in sitemap.xml (e.g. /erfaringsbank/).

    Only 404.html uses it: mkdocs writes absolute links there, since it is served at any URL."""
    import re
    sitemap = site / "sitemap.xml"
    m = re.search(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8")) if sitemap.exists() else None
    return urlparse(m.group(1)).path if m else "/"


def broken_links(site: Path) -> list[tuple[str, str]]:
    """Every relative link or asset in every HTML page must resolve to a file in the site."""
    broken = []
    base_path = _base_path(site)
    for html in site.rglob("*.html"):
        rel = html.relative_to(site).as_posix()
        base = "http://site/" + rel
        for link in parse(html).links:
            url = urlparse(urljoin(base, link))
            if url.scheme not in ("http", "https") or url.netloc != "site":
                continue
            if link.startswith(base_path) and base_path != "/":
                url = url._replace(path="/" + url.path[len(base_path):])
            target = site / unquote(url.path).lstrip("/")
            if url.path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.append((rel, link))
    return broken
