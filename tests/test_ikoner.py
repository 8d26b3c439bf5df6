"""The theme's icons as CSS masks (scripts/ikoner.py → theme/assets/ikoner.css, used through
theme/partials/eb-ikon.html): the stylesheet is what the script makes from the installed
Material, the macro lists the same icons, and a built page has no inline SVG for them."""
from __future__ import annotations

import re
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from scripts import ikoner  # noqa: E402


def test_the_stylesheet_is_up_to_date():
    assert ikoner.OUT.read_text(encoding="utf-8") == ikoner.css(), \
        "kjør .venv/bin/python scripts/ikoner.py"


def test_the_macro_and_the_stylesheet_name_the_same_icons():
    macro = (ROOT / "theme" / "partials" / "eb-ikon.html").read_text(encoding="utf-8")
    listed = re.search(r"if name in \[([^\]]*)\]", macro).group(1)
    assert sorted(re.findall(r'"([^"]+)"', listed)) == sorted(ikoner.ICONS)
    assert "assets/ikoner.css" in (ROOT / "site_config.yml").read_text(encoding="utf-8")


def test_pages_carry_spans_not_svg_for_these_icons(fixture_site):
    html = (fixture_site / "regioner" / "index.html").read_text(encoding="utf-8")
    header = html[html.index("<header"):html.index("</header>")]
    assert "<svg" not in header
    for name in ("material-menu", "material-magnify"):
        assert f'class="eb-ikon eb-ikon--{name}" aria-hidden="true"' in header, name
    # the light/dark switch and «Tilbake til toppen» come with the palette script (lean pages)
    script = (fixture_site / "assets" / "palett.js").read_text(encoding="utf-8")
    assert "<svg" not in script
    for name in ("material-weather-night", "material-weather-sunny", "material-arrow-up"):
        assert f'class=\\"eb-ikon eb-ikon--{name}\\" aria-hidden=\\"true\\"' in script, name
    assert (fixture_site / "assets" / "ikoner.css").is_file()
