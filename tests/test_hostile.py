"""Hostile entries: the sanitiser and the page templates never let active content through.

Two layers: the validator refuses obvious script/on*/javascript: in a body (tests/bad_banks/
active-content-in-body), and the renderer sanitises with an allowlist (nh3) whatever gets past.
Here the validator's body check is switched off, so every payload reaches the sanitiser and the
real mkdocs build; the front-matter fields go through the normal validator.
"""
from __future__ import annotations

import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from activecontent import active_content, bad_url
from conftest import build_site, entry
from generator.render.markdown import render_markdown
from generator.validate import entries

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
from payloads import FIELDS, KILDER, KILDER_URL, PAYLOADS  # noqa: E402


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"p{i + 1}" for i in range(len(PAYLOADS))])
def test_sanitiser_blocks_payload(payload):
    html = render_markdown(payload).html
    assert active_content(html) == [], html
    assert "alert(" not in "".join(v for v in _attr_values(html)), html


def test_external_links_get_noopener():
    html = render_markdown('[Helsedirektoratet](https://www.helsedirektoratet.no) og '
                           '<a href="https://example.org" target="_blank">x</a>').html
    assert html.count('rel="noopener noreferrer"') == 2 and "target" not in html


def test_bad_url_detection_is_not_fooled():
    for url in ["javascript:x", " JaVa\tScript:x", "&#106;avascript:x", "jav&#x09;ascript:x",
                "data:text/html,x", "\x01vbscript:x"]:
        assert bad_url(url), url
    assert not bad_url("https://example.org/javascript:x")


def _attr_values(html: str) -> list[str]:
    values = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "meta" and dict(attrs).get("name") == "description":
                return
            values.extend(v or "" for k, v in attrs if k not in ("title", "alt"))
    P().feed(html)
    return values


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.title, self.description, self._in_title, self.h1, self._in_h1 = "", None, False, "", 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._in_title = tag == "title"
        if tag == "h1":
            self._in_h1 += 1
        if tag == "meta" and a.get("name") == "description":
            self.description = a.get("content")

    def handle_endtag(self, tag):
        self._in_title = False
        if tag == "h1":
            self._in_h1 -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_h1:
            self.h1 += data


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setattr(entries, "body_safety", lambda *args: None)
    try:
        bank = tmp_path_factory.mktemp("hostile-bank")
        text = entry(**FIELDS).replace(
            "kilder:\n  - tittel: Testdata\n    url: https://example.org/kilde\n", KILDER)
        text += "\n" + "\n\n".join(PAYLOADS) + "\n"
        (bank / "syntetisk-fiendtlig.md").write_text(text, encoding="utf-8")
        (bank / "syntetisk-normal.md").write_text(entry(tittel="Vanlig eksempel"),
                                                   encoding="utf-8")
        yield build_site(tmp_path_factory.mktemp("hostile-site"), bank)
    finally:
        mp.undo()


def test_hostile_entry_builds_without_active_content(hostile_site):
    hostile = (hostile_site / "eksempler/syntetisk-fiendtlig/index.html").read_text()
    normal = (hostile_site / "eksempler/syntetisk-normal/index.html").read_text()
    # The theme's own scripts, styles and icons are on both pages; the entry adds nothing.
    extra = Counter(active_content(hostile)) - Counter(active_content(normal))
    assert extra == Counter(), extra
    # No payload survives in an attribute other than inert text (title, alt, meta content).
    assert not [v for v in _attr_values(hostile)
                if ("xss-" in v or "alert(" in v) and v != KILDER_URL]
    href = str(escape(KILDER_URL))  # the apostrophe as the templates escape it (&#39;)
    assert f'<a href="{href}" rel="noopener noreferrer">' in hostile


def test_hostile_fields_stay_text_in_title_and_meta(hostile_site):
    """mkdocs-material puts page.meta.title and page.meta.description into <title> and
    <meta content="…"> without escaping: the quotes must not break out of the attribute."""
    p = _Head()
    p.feed((hostile_site / "eksempler/syntetisk-fiendtlig/index.html").read_text())
    tittel = """Kafe "Posten" ' onmouseover=alert(1) x='"""
    assert p.title == f"{tittel} - Leve hele livet – erfaringsbank"
    assert p.description == """Slutt" onmouseover="alert(2)" x=" og ' onfocus='alert(3)"""
    assert tittel in p.h1


# -- the theme: config values and the Content-Security-Policy (issue 14) ------------------------

HOSTILE_SITE_URL = 'https://x.no/"><script>alert(\'site\')</script>/'
HOSTILE_REPO_URL = 'https://github.com/o/r"><script>alert(\'repo\')</script>'


class _Attrs(HTMLParser):
    """Every element with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def _render(template: str, block: str | None = None, **context) -> str:
    """A theme template (or one block of it) rendered by the same Jinja environment mkdocs
    gives the theme — autoescape off, mkdocs' `url` filter."""
    from types import SimpleNamespace
    from mkdocs.theme import Theme
    from conftest import ROOT
    env = Theme(name="material", custom_dir=str(ROOT / "theme"), language="nb").get_env()
    tmpl = env.get_template(template)
    lang = SimpleNamespace(t=lambda key: {"source": "Gå til kilde", "language": "nb"}.get(key, key))
    ctx = {"lang": lang, "features": ["content.action.edit"], "mkdocs_version": "1.6.1", **context}
    if block is None:
        return tmpl.render(**ctx)
    return "".join(tmpl.blocks[block](tmpl.new_context(ctx)))


def test_theme_escapes_site_url_and_config_values():
    """mkdocs' Jinja does not autoescape: a site_url or repo_url with a quote and a <script> must
    stay inside its attribute (check refuses such a config; the theme does not rely on that)."""
    from types import SimpleNamespace
    config = {"site_name": 'Bank"><script>alert(\'navn\')</script>',
              "site_description": '"><script>alert(\'beskrivelse\')</script>',
              "site_url": HOSTILE_SITE_URL, "repo_url": HOSTILE_REPO_URL,
              "repo_name": "o/r<script>alert('navn')</script>",
              "theme": {"favicon": "assets/logo.svg", "palette": None, "icon": {}}, "extra": {}}
    page = SimpleNamespace(url="side/", meta={}, title="Side", is_homepage=False,
                           canonical_url=HOSTILE_SITE_URL + "side/", previous_page=None,
                           next_page=None, edit_url=HOSTILE_REPO_URL + "/edit/main/content/side.md")
    base_url = "/\"><script>alert('base')</script>/"     # 404.html: the path of site_url
    out = {
        "site_meta": _render("main.html", "site_meta", config=config, page=page, base_url=".."),
        "htmltitle": _render("main.html", "htmltitle", config=config, page=page, base_url=".."),
        "source": _render("partials/source.html", config=config, page=page, base_url=".."),
        "footer": _render("partials/footer.html", config=config, page=page, base_url=".."),
        "actions": _render("partials/actions.html", config=config, page=page, base_url=".."),
        "base.js": _render("partials/javascripts/base.html", config=config, page=page,
                           base_url=base_url),
        "header": _render("partials/header.html", config=config, page=page, base_url=base_url),
    }
    for name, html in out.items():
        # No element made of the values: only the theme's own <script> (base.js) is a script.
        scripts = [a for t, a in _parsed(html) if t == "script"]
        assert len(scripts) == (1 if name in ("base.js", "header") else 0), (name, html)
        assert "<script>alert" not in html, (name, html)
    # Every value is still there, whole, inside its attribute.
    canonical = [a for t, a in _parsed(out["site_meta"]) if t == "link" and a.get("rel") == "canonical"]
    assert canonical == [{"rel": "canonical", "href": HOSTILE_SITE_URL + "side/"}]
    source = [a for t, a in _parsed(out["source"]) if t == "a"]
    assert source[0]["href"] == HOSTILE_REPO_URL and "data-md-component" not in source[0]
    hrefs = [a["href"] for t, a in _parsed(out["footer"]) if t == "a" and "github" in a["href"]]
    assert hrefs == [HOSTILE_REPO_URL, HOSTILE_REPO_URL + "/issues"]
    edit = [a for t, a in _parsed(out["actions"]) if t == "a"]
    assert edit[0]["href"] == page.edit_url
    header = _parsed(out["header"])
    assert next(a for t, a in header if t == "form")["action"] == base_url + "finn-eksempler/"
    assert next(a for t, a in header if t == "a" and "md-logo" in a["class"])["href"] == base_url
    script = next(a for t, a in _parsed(out["base.js"]) if t == "script")
    assert script["data-eb-scope"] == base_url
    assert "<title>Side - Bank&#34;&gt;&lt;script&gt;" in out["htmltitle"]
    assert out["site_meta"].count('content="&#34;&gt;&lt;script&gt;') == 1   # the description


def _parsed(html: str) -> list[tuple[str, dict]]:
    p = _Attrs()
    p.feed(html)
    return p.elements


def test_hostile_entry_page_carries_the_policy(hostile_site):
    """The hostile entry's page has the same Content-Security-Policy as every page (the policy
    itself is checked in tests/test_privacy.py), before anything the entry could add."""
    html = (hostile_site / "eksempler/syntetisk-fiendtlig/index.html").read_text()
    head = html.split("</head>", 1)[0]
    assert head.count('http-equiv="Content-Security-Policy"') == 1
    assert "script-src 'self' 'wasm-unsafe-eval';" in head and "unsafe-inline" not in head
    assert head.index("Content-Security-Policy") < head.index("<script")
