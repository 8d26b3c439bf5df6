"""Lean pages (issue 18): what only works with JavaScript is not written into every page.

The light/dark switch and «Tilbake til toppen» are rendered once per build into
assets/palett.js (generator/adapters/mkdocs_parts.py: script_widgets), which puts them into the
page before Material's script mounts them; Material's script gets only the features it reads."""
from __future__ import annotations

import json
import re
from pathlib import Path

import material
from mkdocs.config import load_config

from conftest import ROOT
from generator.adapters.mkdocs_parts import script_widgets

BUNDLE = next((Path(material.__file__).parent / "templates" / "assets" / "javascripts")
              .glob("bundle.*.min.js"))
_SLOT = re.compile(r'var ebPalett=(?:/\*eb:palett\*/)?("(?:[^"\\]|\\.)*"),'
                   r'ebTopp=(?:/\*eb:topp\*/)?("(?:[^"\\]|\\.)*")')


def _widgets(script: str) -> tuple[str, str]:
    m = _SLOT.search(script)
    assert m, script[:300]
    return json.loads(m.group(1)), json.loads(m.group(2))


def test_pages_leave_the_script_only_widgets_to_the_script(fixture_site):
    pages = sorted(fixture_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert 'data-md-component="palette"' not in html, page
        assert 'class="md-top' not in html, page
        assert "data-md-component=\"header-title\"" not in html, page
    palette, top = _widgets((fixture_site / "assets" / "palett.js").read_text(encoding="utf-8"))
    # the switch as site_config.yml describes it: two palettes, each toggle named
    assert palette.count('name="__palette"') == 2
    assert 'aria-label="Bytt til mørke farger"' in palette and 'title="Bytt til lyse farger"' in palette
    assert 'data-md-component="top"' in top and "Tilbake til toppen" in top
    # every page that loads Material's script loads the palette script before it
    example = (fixture_site / "eksempler" / "tydal-kafe-posten" / "index.html").read_text(encoding="utf-8")
    assert example.index("assets/palett.js") < example.index("assets/javascripts/bundle.")


def _env_and_config(tmp_path, palette_name: str, features: list[str]):
    config = load_config(str(ROOT / "site_config.yml"))
    palettes = json.loads(json.dumps(config.theme["palette"]))   # a copy to change
    palettes[0]["toggle"]["name"] = palette_name
    config.theme["palette"], config.theme["features"] = palettes, features
    return config.theme.get_env(), config


def test_a_hostile_palette_name_stays_text(tmp_path):
    name = '</script><script>alert(1)</script>"\'<b>'
    env, config = _env_and_config(tmp_path, name, ["navigation.top"])
    code = (ROOT / "theme" / "assets" / "palett.js").read_text(encoding="utf-8")
    out = script_widgets(env, config, code)
    assert "</script" not in out                       # nothing in the file ends a script element
    palette, top = _widgets(out)
    assert "<script>" not in palette and "&lt;/script&gt;&lt;script&gt;alert(1)" in palette
    assert top.startswith("<button")
    # the rest of the script is untouched
    assert out.split("\n")[-2:] == code.split("\n")[-2:]


def test_no_widget_without_its_setting(tmp_path):
    env, config = _env_and_config(tmp_path, "Mørk", [])
    config.theme["palette"] = {"scheme": "default"}        # one palette: no switch
    code = (ROOT / "theme" / "assets" / "palett.js").read_text(encoding="utf-8")
    assert _widgets(script_widgets(env, config, code)) == ("", "")
    assert script_widgets(env, config, "var x=1;") == "var x=1;"   # a script without the slots


def test_material_script_never_reads_the_features_left_out_of_its_config():
    """theme/main.html leaves the features only templates use out of __config: Material's
    script must never ask for one of them (then leaving it out would change what it does)."""
    main = (ROOT / "theme" / "main.html").read_text(encoding="utf-8")
    listed = re.search(r"eb_template_features = \[(.*?)\]", main, re.S).group(1)
    features = re.findall(r'"([a-z.]+)"', listed)
    assert "navigation.top" in features and "content.action.edit" in features
    bundle = BUNDLE.read_text(encoding="utf-8")
    assert '"navigation.instant"' in bundle  # the way the script names a feature it reads
    for feature in features:
        assert f'"{feature}"' not in bundle, feature


def test_config_of_pages_names_only_script_features(fixture_site):
    html = (fixture_site / "eksempler" / "tydal-kafe-posten" / "index.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                                  html).group(1))
    assert config["features"] == []   # site_config.yml has only template features


def test_switch_and_top_button_work_in_chromium(fixture_site):
    from browser import browser, serve
    with serve(fixture_site, prefix="erfaringsbank") as base, browser() as b:
        page = b.new_page(viewport={"width": 1280, "height": 600})
        page.goto(base + "eksempler/tydal-kafe-posten/")
        assert page.locator("[data-md-component=palette] input[name=__palette]").count() == 2
        assert page.get_attribute("body", "data-md-color-scheme") == "default"
        page.click("label[for='__palette_1']")
        assert page.get_attribute("body", "data-md-color-scheme") == "slate"
        top = page.locator("main.md-main > button.md-top")
        assert top.count() == 1
        hidden = "document.querySelector('.md-top').hidden"   # Material fades it by [hidden]
        assert page.evaluate(hidden)
        page.mouse.wheel(0, 2000)
        page.wait_for_timeout(300)
        page.mouse.wheel(0, -200)                      # scrolling back up shows the button
        page.wait_for_function(f"!{hidden}", timeout=5000)
        top.click()
        page.wait_for_function("window.scrollY === 0", timeout=5000)


# -- round eight: what only the indexer reads, one stylesheet, sections-only menu ----------------

def test_published_pages_keep_nothing_only_the_indexer_reads():
    from generator.search.lean import published
    from generator.search.stream import BODY_END, BODY_START
    page = ('<html><head><title>T</title></head><body><nav>x</nav>'
            f'{BODY_START}<h1 data-pagefind-weight="10">Tittel</h1>'
            '<dl data-pagefind-ignore><dd><a href="k/" data-pagefind-filter="kommune:0301">Oslo</a>'
            '<span data-pagefind-filter="pris:nominert-2020"></span>'
            '<span data-pagefind-filter="fylke:03">Oslo</span></dd></dl>'
            '<p hidden data-pagefind-weight="2">Oslo, Viken</p>'
            # a value and a text that mention the attribute are content, and stay as they are
            '<p title="om data-pagefind-filter=&quot;x&quot;">tekst data-pagefind-weight="2" her</p>'
            '<section class="eb-lignende" data-pagefind-ignore="all"><h2>Lignende</h2></section>'
            f'</div>{BODY_END}<footer>f</footer></body></html>')
    out = published(page)
    assert out == ('<html><head><title>T</title></head><body><nav>x</nav><h1>Tittel</h1>'
                   '<dl><dd><a href="k/">Oslo</a><span>Oslo</span></dd></dl>'
                   '<p title="om data-pagefind-filter=&quot;x&quot;">tekst data-pagefind-weight="2" her</p>'
                   '<section class="eb-lignende"><h2>Lignende</h2></section>'
                   '<footer>f</footer></body></html>')
    assert published(out) == out  # nothing left to take
    # tidy (pages outside the menu): the theme's line breaks between tags go, the content's stay
    framed = page.replace("<nav>", "\n<nav>\n<i></i>").replace("</h1>", "</h1>\n<em>a</em>\n<b>b</b>")
    framed = framed.replace("<footer>", "\n<footer>")
    assert published(framed, tidy=True) == out.replace("</h1>", "</h1>\n<em>a</em>\n<b>b</b>") \
        .replace("<nav>", "<nav><i></i>")
    assert published(framed).count("\n") == framed.count("\n")
    # hostile: an unclosed tag, marks in text, many marks — the output is the input's order of size
    for hostile in ("<p x data-pagefind-a" * 3000, " data-pagefind-" * 3000 + "<",
                    "<p" + " data-pagefind-a" * 3000 + ">"):
        assert len(published(hostile)) <= len(hostile)


def test_a_build_publishes_lean_pages_and_the_index_keeps_the_filters(fixture_site):
    from test_search_stream import fragments
    pages = sorted(fixture_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "data-pagefind" not in html and "eb:pagefind-slutt" not in html, page
    record = fragments(fixture_site)["/eksempler/tydal-kafe-posten/"]
    assert record["filters"]["kommune"] == ["5033-tydal"] and record["filters"]["type"] == ["eksempel"]
    # outside the menu, the theme's line breaks are gone around the content (not in it)
    example = (fixture_site / "eksempler" / "tydal-kafe-posten" / "index.html").read_text(encoding="utf-8")
    content = example.index('<article class="eb-eksempel"')
    assert ">\n<" not in example[:content] and ">\n<" in example[content:example.index("</article>")]
    assert ">\n<" in (fixture_site / "reformen" / "index.html").read_text(encoding="utf-8")


def test_one_stylesheet_with_every_sheet_in_the_order_pages_linked_them(fixture_site):
    example = (fixture_site / "eksempler" / "tydal-kafe-posten" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)">', example)
    assert len(links) == 1 and re.fullmatch(r"\.\./\.\./assets/stylesheets/erfaringsbank\.[0-9a-f]{8}\.min\.css",
                                            links[0]), links
    bundle = (fixture_site / "eksempler" / "tydal-kafe-posten" / links[0]).resolve().read_text(encoding="utf-8")
    assert bundle.startswith('@charset "UTF-8";\n') and bundle.count("@charset") == 1
    config = load_config(str(ROOT / "site_config.yml"))
    material_css = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    sheets = [next(material_css.glob("main.*.min.css")), next(material_css.glob("palette.*.min.css"))]
    sheets += [ROOT / "theme" / path for path in config.extra_css]
    at = 0
    for sheet in sheets:
        text = re.sub(r'\A@charset "[^"]*";', "", sheet.read_text(encoding="utf-8"))
        found = bundle.find(text, at)
        assert found >= at, sheet
        at = found + len(text)
    # the home page, the 404 page (absolute links) and a content page link the same file
    name = links[0].rsplit("/", 1)[1]
    for other in ("index.html", "404.html", "reformen/index.html"):
        html = (fixture_site / other).read_text(encoding="utf-8")
        assert html.count('rel="stylesheet"') == 1 and name in html, other


def test_a_sheet_that_could_mean_something_else_elsewhere_is_not_joined(tmp_path):
    """@import, or a url() relative to the sheet's own folder, would change meaning in the
    joined file: then there is no bundle, and theme/main.html links the sheets one by one."""
    from mkdocs.structure.files import File, Files
    from generator.adapters.mkdocs_parts import stylesheet_bundle
    config = load_config(str(ROOT / "site_config.yml"))
    material_css = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    main = next(material_css.glob("main.*.min.css"))
    palette = next(material_css.glob("palette.*.min.css"))

    def files_with(extra: str) -> Files:
        (tmp_path / "assets").mkdir(exist_ok=True)
        (tmp_path / "assets" / "egen.css").write_text(extra, encoding="utf-8")
        config.extra_css = ["assets/egen.css"]
        return Files([File(f"assets/stylesheets/{p.name}", str(material_css.parent.parent), "/tmp/s", False)
                      for p in (main, palette)]
                     + [File("assets/egen.css", str(tmp_path), "/tmp/s", False)])

    path, css = stylesheet_bundle(files_with(".a{color:red}"), config)
    assert css.endswith("/* assets/egen.css */\n.a{color:red}\n") and path.endswith(".min.css")
    for moved in ("@import url(b.css);", ".a{background:url(bilde.png)}", ".a{background:url( 'x.png')}"):
        assert stylesheet_bundle(files_with(moved), config) is None, moved
    assert stylesheet_bundle(files_with(".a{background:url(\"data:image/png;base64,AA\")}"), config)


def test_pages_outside_the_menu_get_its_sections_and_no_feed_link(fixture_site):
    example = (fixture_site / "eksempler" / "tydal-kafe-posten" / "index.html").read_text(encoding="utf-8")
    nav = example[example.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[:nav.index("</nav>")]
    links = re.findall(r'<a href="([^"]+)" class="md-nav__link">([^<]+)</a>', nav)
    assert [t for _, t in links][:2] == ["Forside", "Eksempler"] and len(links) >= 5
    assert ("../../alle-eksempler/", "Eksempler") in links
    assert nav.count("<li") == len(links)  # one level: no section opened under another
    assert 'type="application/atom+xml"' not in example
    for listed in ("index.html", "alle-eksempler/index.html"):
        html = (fixture_site / listed).read_text(encoding="utf-8")
        assert html.count('type="application/atom+xml"') == 1, listed
