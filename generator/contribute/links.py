"""`erfaringsbank lenker`: every external http(s) address the site shows, with the file (and
line) it comes from — for the weekly dead-link check (.github/workflows/lenker.yml), which runs
lychee on the list and turns lychee's JSON report into one issue (`report`).

Where the addresses are: each example's `kilder` and the links in its text; the links in the
content pages (Markdown links, autolinks and HTML links, rendered as the entries are); a
løsning page's `kilde`; the status rounds' `kilder`; the support apparatus' organisations.
The bank is loaded by the caller (an adapter: this stage may not import the pipeline).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from generator.base.errors import ConfigError, Issue
from generator.base.settings import Settings
from generator.contribute import safemd
from generator.load.frontmatter import FrontMatterProblem, split
from generator.model import Bank
from generator.render.markdown import render_markdown
from generator.validate import stotteapparat

# In sanitised HTML every «<» starts a tag (nh3 escapes it elsewhere): one match stays in a tag.
_URL_ATTR = re.compile(r'<(?:a|img)\b[^<>]*?\s(?:href|src)="([^"]*)"')
_EXTERNAL = re.compile(r"https?://", re.I)
MAX_REPORT_CHARS = 60_000  # an issue's body holds 65 536 characters


@dataclass(frozen=True, order=True)
class Link:
    url: str
    path: str      # the file, relative to the project root
    line: int = 0  # 1-based; 0: not known

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


def collect(settings: Settings, bank: Bank) -> list[Link]:
    """Every external link the site shows, each (address, file, line) once, sorted."""
    found: set[Link] = set()
    texts: dict[str, str] = {}

    def add(url: str | None, rel: str) -> None:
        if not url or not _EXTERNAL.match(url):
            return
        if rel not in texts:
            try:
                texts[rel] = (settings.root / rel).read_text("utf-8")
            except (OSError, UnicodeDecodeError):
                texts[rel] = ""
        found.add(Link(url, rel, _line_of(texts[rel], url)))

    for e in bank.examples:
        for k in e.kilder:
            add(k.url, e.path)
        for url in external_links(str(e.body_html)):
            add(url, e.path)
    for lo in bank.reference.losninger.values():
        add(lo.kilde, settings.rel(settings.docs_dir / lo.src_uri))
    for runde in bank.status:
        for k in runde.kilder:
            add(k.url, runde.path)
    apparat = settings.rel(settings.docs_dir / stotteapparat.FILE)
    for organisasjoner in bank.stotteapparat.values():
        for org in organisasjoner:
            add(org.url, apparat)
    for path in _content_pages(settings.docs_dir):
        rel = settings.rel(path)
        try:
            text = texts[rel] = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # `check` reports it
        for url in external_links(str(render_markdown(_body(text), headings=False).html)):
            add(url, rel)
    return sorted(found)


def external_links(html: str) -> list[str]:
    """The http(s) addresses of the links and images in sanitised HTML, in order."""
    return [url for m in _URL_ATTR.finditer(html)
            if _EXTERNAL.match(url := unescape(m.group(1)))]


def _content_pages(docs: Path) -> list[Path]:
    """content/'s Markdown pages, sorted; never through a symbolic link (`check` refuses them)."""
    pages = []
    for folder, dirs, names in os.walk(docs):  # os.walk does not follow linked folders
        pages += [Path(folder) / n for n in names
                  if n.endswith(".md") and not os.path.islink(os.path.join(folder, n))]
    return sorted(pages, key=lambda p: p.parts)


def _body(text: str) -> str:
    """A content page without its front matter, as mkdocs reads it (no closing line: none)."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    if not text.startswith("---"):
        return text
    try:
        return split(text).body
    except FrontMatterProblem:
        return text


def _line_of(text: str, url: str) -> int:
    """The line where `url` is first written (as it is, or as the Markdown spelled it)."""
    for probe in (url, unquote(url), url.replace("&", "&amp;")):
        at = text.find(probe)
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return 0


# -- output ----------------------------------------------------------------------------------

def as_text(links: list[Link]) -> str:
    """One «address<TAB>file:line» per line."""
    return "".join(f"{link.url}\t{link.where}\n" for link in links)


def as_urls(links: list[Link]) -> str:
    """Each address once, one per line: what lychee reads from a text file."""
    return "".join(f"{url}\n" for url in sorted({link.url for link in links}))


def as_json(links: list[Link]) -> str:
    grouped: dict[str, list[dict]] = {}
    for link in links:
        grouped.setdefault(link.url, []).append(
            {"fil": link.path, **({"linje": link.line} if link.line else {})})
    return json.dumps({"lenker": [{"url": u, "steder": s} for u, s in sorted(grouped.items())]},
                      ensure_ascii=False, indent=2) + "\n"


# -- lychee's report → the issue ---------------------------------------------------------------

@dataclass(frozen=True, order=True)
class Dead:
    url: str
    status: str


def read_lychee(text: str, shown: str) -> list[Dead]:
    """The failed links of lychee's JSON report (`--format json`): `error_map` (lychee ≥ 0.15;
    `fail_map` before) and `timeout_map` (newer versions keep timeouts apart). Raises
    ConfigError if it is not such a report (then no issue is closed by mistake)."""
    try:
        report = json.loads(text)
    except ValueError as exc:
        raise _bad_report(shown, f"er ikke JSON ({exc})") from None
    maps = [report.get(k) for k in ("error_map", "fail_map", "timeout_map")] \
        if isinstance(report, dict) else []
    if not any(isinstance(m, dict) for m in maps):
        raise _bad_report(shown, "har ingen «error_map»")
    dead = set()
    for m in maps:
        for responses in (m or {}).values():
            for r in responses if isinstance(responses, list) else []:
                if not isinstance(r, dict) or not isinstance(r.get("url"), str):
                    continue
                status = r.get("status") if isinstance(r.get("status"), dict) else {}
                text_ = status.get("text") or "feil"
                details = status.get("details")
                dead.add(Dead(r["url"], f"{text_}: {details}" if details else str(text_)))
    return sorted(dead)


def _bad_report(shown: str, what: str) -> ConfigError:
    return ConfigError([Issue(shown, 0, f"lychee-rapporten {what}",
                              "Kjør lychee med «--format json» og oppgi filen den skrev.")])


def normalised(url: str) -> str:
    """An address as lychee writes it back (a WHATWG URL): scheme and host in lower case, the
    default port and the fragment left out, «/» for an empty path, non-ASCII percent-encoded."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host + (f":{port}" if port and port != default else "")
    keep = "!#$%&'()*+,/:;=?@[]~"
    path = quote(parts.path or "/", safe=keep)
    query = quote(parts.query, safe=keep)
    out = f"{parts.scheme.lower()}://{netloc}{path}" + (f"?{query}" if parts.query else "")
    return re.sub(r"%[0-9a-f]{2}", lambda m: m.group(0).upper(), out)


def report(links: list[Link], dead: list[Dead], bank_dir: str) -> str:
    """The issue «Døde lenker i kildene» in Markdown: the dead links per file, the examples
    first; "" when none is dead."""
    if not dead:
        return ""
    places: dict[str, list[Link]] = {}
    for link in links:
        places.setdefault(normalised(link.url), []).append(link)
    by_file: dict[str, list[tuple[Link, str]]] = {}
    unknown: list[Dead] = []
    for d in dead:
        found = places.get(normalised(d.url))
        if not found:
            unknown.append(d)
        for link in found or ():
            by_file.setdefault(link.path, []).append((link, d.status))
    n = len(dead)
    out = [f"Den ukentlige kontrollen fant {n} {'lenke' if n == 1 else 'lenker'} som ikke "
           "virker. Åpne lenken og se selv: er siden flyttet, bytt til den nye adressen; er "
           "den borte, finn en annen kilde eller en arkivert kopi (for eksempel på "
           "web.archive.org), eller fjern lenken. Denne saken oppdateres hver uke og lukkes av "
           "seg selv når ingen lenker er døde.", ""]
    prefix = bank_dir.rstrip("/") + "/"
    for path in sorted(by_file, key=lambda p: (not p.startswith(prefix), p)):
        out.append(f"### {safemd.inline(path)}")
        out.append("")
        for link, status in sorted(by_file[path]):
            line = f" (linje {link.line})" if link.line else ""
            out.append(f"- {safemd.url(link.url)}{line}: {safemd.inline(status, limit=200)}")
        out.append("")
    if unknown:
        out += ["### Andre lenker", "", "Lychee meldte disse, men de ble ikke funnet i filene "
                "igjen (kanskje skrevet litt annerledes):", ""]
        out += [f"- {safemd.url(d.url)}: {safemd.inline(d.status, limit=200)}" for d in unknown]
        out.append("")
    text = "\n".join(out)
    if len(text) > MAX_REPORT_CHARS:
        cut = text.rfind("\n", 0, MAX_REPORT_CHARS)
        text = (text[:cut] + "\n\n*Listen er for lang for én sak og er kuttet her; hele "
                "rapporten står i kjøringen av arbeidsflyten «Døde lenker».*\n")
    return safemd.no_commands(text)
