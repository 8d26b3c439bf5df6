"""Structural properties that keep the cost per page constant (no timing here: see bench/).

Builds synthetic banks from bench/make_corpus.py (deterministic: the first 50 entries of the
250-entry bank are the 50 entries of the small one: five times the bank, the same pages) and
compares the same pages.
"""
from __future__ import annotations

import filecmp
import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, fixture_bank

sys.path.insert(0, str(ROOT))
from bench.make_corpus import SITE_CONFIG_REPLACEMENTS, make_project  # noqa: E402


def _build(project_config: Path) -> Path:
    from generator.adapters.cli import main
    site = project_config.parent / "site"
    assert main(["--config", str(project_config), "build", "-d", str(site)]) == 0
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    small = _build(make_project(50, tmp_path_factory.mktemp("n50")))
    large = _build(make_project(250, tmp_path_factory.mktemp("n250")))
    return small, large


def test_corpus_is_synthetic_deterministic_and_outside_the_bank(tmp_path):
    a = make_project(20, tmp_path / "a")
    b = make_project(20, tmp_path / "b")
    files = sorted((a.parent / "examples_bank").glob("*.md"))
    assert len(files) == 20
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert "\nsyntetisk: true\n" in text and 'tittel: "Syntetisk' in text
        assert text == (b.parent / "examples_bank" / f.name).read_text(encoding="utf-8")
        words = len(text.split("\n---\n", 1)[1].split())
        assert 150 <= words <= 1700, f.name
    assert not any(p.name.startswith("syntetisk-0") for p in (ROOT / "examples_bank").glob("*"))


def test_example_pages_do_not_grow_with_the_bank(sites):
    small, large = sites
    pages = sorted((small / "eksempler").glob("*/index.html"))
    assert len(pages) == 50
    assert len(list((large / "eksempler").glob("*/index.html"))) == 250
    for p in pages:
        a, b = p.stat().st_size, (large / p.relative_to(small)).stat().st_size
        assert abs(a - b) <= a * 0.01, (p.parent.name, a, b)
        assert b <= 60_000, (p.parent.name, b)


def test_no_page_lists_the_whole_bank(sites):
    _, large = sites
    biggest = max((p.stat().st_size, p) for p in large.rglob("*.html"))
    assert biggest[0] < 250_000, biggest  # listings are paginated (50 per page)
    home = (large / "index.html").read_text(encoding="utf-8")
    assert home.count('class="eb-kort"') <= 6


def test_sidebar_reuse_changes_nothing(tmp_path, caplog):
    """The sidebar and header reuse (theme/main.html) and the page shells (adapters/shells.py)
    must not change a single byte of the site — and the shells must really be used."""
    caplog.set_level("INFO", logger="mkdocs.plugins.erfaringsbank")
    bank = fixture_bank(tmp_path)
    sites = []
    for option in ("", "      sidebar_cache: false\n"):
        config = (ROOT / "site_config.yml").read_text(encoding="utf-8")
        for old, new in SITE_CONFIG_REPLACEMENTS + (
                ("bank: examples_bank", f"bank: {bank}"),
                ("      branch: main\n", "      branch: main\n" + option)):
            assert old in config
            config = config.replace(old, new)
        project = tmp_path / f"p{len(sites)}"
        project.mkdir()
        (project / "site_config.yml").write_text(config, encoding="utf-8")
        sites.append(_build(project / "site_config.yml"))
    fixture_site, uncached = sites
    filled = [int(m) for m in re.findall(r"Sideskall: (\d+) sider", caplog.text)]
    examples = len(list((fixture_site / "eksempler").glob("*/index.html")))
    assert len(filled) == 2 and filled[1] == 0 and filled[0] >= examples - 4 > 0, filled
    cmp = filecmp.dircmp(fixture_site, uncached)
    html = sorted(p.relative_to(fixture_site) for p in fixture_site.rglob("*.html"))
    assert len(html) > 20
    _, mismatch, errors = filecmp.cmpfiles(fixture_site, uncached, [str(p) for p in html],
                                           shallow=False)
    assert mismatch == [] and errors == [] and not cmp.left_only and not cmp.right_only


def test_serve_rebuild_renders_only_what_changed(tmp_path):
    """`serve` (dirty builds, incremental.py): an edited title shows on its page and listings;
    pages that do not show it are not written again; a theme or config change redoes all."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    config_file = make_project(60, tmp_path / "p")
    site = tmp_path / "site"

    def rebuild(first=False):
        config = load_config(config_file=str(config_file), site_dir=str(site))
        if first:
            config.plugins.on_startup(command="serve", dirty=True)
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)

    rebuild(first=True)
    bank = config_file.parent / "examples_bank"
    edited, other = sorted(bank.glob("syntetisk-*.md"))[:2]
    pages = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        'tittel: "Syntetisk', 'tittel: "Endret Syntetisk', 1), encoding="utf-8")
    rebuild()
    rewritten = {p for p, t in pages.items() if p.stat().st_mtime_ns != t}
    own = site / "eksempler" / edited.stem / "index.html"
    assert "Endret Syntetisk" in own.read_text(encoding="utf-8") and own in rewritten
    # (the redirect stubs of renamed pages, written by mkdocs-redirects, are not listings)
    listings = [p for p in rewritten if p != own
                and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    assert listings and all("Endret Syntetisk" in p.read_text(encoding="utf-8")
                            for p in listings if p.name == "index.html" and "404" not in str(p))
    assert site / "eksempler" / other.stem / "index.html" not in rewritten
    assert len(rewritten) < len(pages) / 4, (len(rewritten), len(pages))
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    config_file.write_text(config_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rebuild()
    assert (site / "eksempler" / other.stem / "index.html").stat().st_mtime_ns != \
        before[site / "eksempler" / other.stem / "index.html"]


def test_serve_makes_the_sitemap_again_only_when_the_pages_change(tmp_path):
    """serve leaves sitemap.xml as it is when no page's URL or date changed (an edit of a
    title), and makes it again when a page comes or goes: always the sitemap a build makes."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    config_file = make_project(8, tmp_path / "p")
    site, fresh = tmp_path / "site", tmp_path / "fresh"

    def rebuild(first=False):
        config = load_config(config_file=str(config_file), site_dir=str(site))
        if first:
            config.plugins.on_startup(command="serve", dirty=True)
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)

    def built():  # in a process of its own: mkdocs keeps one plugin per process (serve's state)
        import subprocess
        subprocess.run([sys.executable, "-m", "generator", "--config", str(config_file), "build",
                        "-d", str(fresh)], check=True, capture_output=True, cwd=ROOT)
        return (fresh / "sitemap.xml").read_text(encoding="utf-8")

    sitemap = site / "sitemap.xml"
    rebuild(first=True)
    bank = config_file.parent / "examples_bank"
    edited = sorted(bank.glob("syntetisk-*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        'tittel: "Syntetisk', 'tittel: "Endret Syntetisk', 1), encoding="utf-8")
    made = sitemap.stat().st_mtime_ns
    rebuild()
    assert sitemap.stat().st_mtime_ns == made            # not made again
    unchanged = sitemap.read_text(encoding="utf-8")
    added = bank / "syntetisk-ny-i-serve.md"
    added.write_text(edited.read_text(encoding="utf-8").replace(
        'tittel: "Endret Syntetisk', 'tittel: "Nytt Syntetisk', 1), encoding="utf-8")
    rebuild()
    assert "/eksempler/syntetisk-ny-i-serve/" in sitemap.read_text(encoding="utf-8")
    added.unlink()
    rebuild()
    assert sitemap.read_text(encoding="utf-8") == unchanged  # the same pages again
    # a failed rebuild may have stopped before the sitemap: the next one makes it again
    text = edited.read_text(encoding="utf-8")
    edited.write_text("---\ntittel: [uavsluttet\n---\n", encoding="utf-8")
    from mkdocs.exceptions import Abort
    with pytest.raises(Abort):
        rebuild()
    edited.write_text(text, encoding="utf-8")
    made = sitemap.stat().st_mtime_ns
    rebuild()
    assert sitemap.stat().st_mtime_ns != made
    assert sitemap.read_text(encoding="utf-8") == unchanged == built()  # a build's sitemap
