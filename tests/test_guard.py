"""The guard (generator/publish/guard.py): a site built without the erfaringsbank plugin — by an
engine that skips unknown plugins, or with the plugin left out of the config — is refused, with
plain-Norwegian reasons; the real build passes."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from generator.publish.guard import missing_output


def guard(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator.publish.guard", str(site)],
                          cwd=ROOT, capture_output=True, text=True)


def test_a_real_build_passes(fixture_site):
    assert missing_output(fixture_site) == []
    r = guard(fixture_site)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("OK: ") and not r.stderr


def _config_without_plugin(dest: Path, theme: bool) -> Path:
    """site_config.yml as it is, but without the `erfaringsbank` plugin (and, if not `theme`,
    without our theme overrides): what an engine that skips our plugin would be left with."""
    text = (ROOT / "site_config.yml").read_text(encoding="utf-8")
    head, plugins = text.split("\nplugins:\n", 1)
    rest = plugins.split("\n\n", 1)[1]
    assert "erfaringsbank" not in rest.split("\nnav:")[0]
    text = (head + "\nplugins: []\n\n" + rest).replace("docs_dir: content",
                                                       f"docs_dir: {ROOT / 'content'}")
    theme_line = f"custom_dir: {ROOT / 'theme'}" if theme else ""
    text = text.replace("custom_dir: theme", theme_line)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "site_config.yml").write_text(text, encoding="utf-8")
    return dest / "site_config.yml"


def _mkdocs_build(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config)],
                          cwd=config.parent, capture_output=True, text=True, timeout=300)


def test_a_site_built_without_the_plugin_is_refused(tmp_path):
    config = _config_without_plugin(tmp_path, theme=False)
    built = _mkdocs_build(config)
    # The danger: the engine is content — the hand-written pages build without an error …
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    assert (site / "index.html").is_file() and (site / "finn-eksempler" / "index.html").is_file()
    # … and only the guard notices that the bank itself is not there.
    problems = missing_output(site)
    for expected in ("eksempler.json mangler", "eksempler.csv mangler", "feed.xml mangler",
                     "«Alle eksempler» (alle-eksempler/index.html) mangler",
                     "Søkeindeksen (Pagefind) mangler", "tillegget «erfaringsbank»"):
        assert any(expected in p for p in problems), (expected, problems)
    r = guard(site)
    assert r.returncode == 1 and not r.stdout
    assert "skal ikke publiseres" in r.stderr
    assert all(f"  - {p}" in r.stderr for p in problems)


def test_our_theme_without_the_plugin_does_not_build(tmp_path):
    """With mkdocs, theme/main.html itself refuses: it calls template functions only the plugin
    defines (on_env). Keep it so: a theme that tolerated a missing plugin would turn a loud
    mkdocs failure into a quiet, empty site (docs/motor.md)."""
    built = _mkdocs_build(_config_without_plugin(tmp_path, theme=True))
    assert built.returncode != 0
    assert re.search(r"'eb_\w+' is undefined", built.stderr), built.stderr[-500:]


def _without(site: Path, *paths: str) -> None:
    for rel in paths:
        target = site / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()


def _unmarked(site: Path, rel: str) -> None:
    page = site / rel
    page.write_text(page.read_text(encoding="utf-8").replace('<article class="eb-eksempel"',
                                                             "<article"), encoding="utf-8")


def _recount(site: Path) -> None:
    data = json.loads((site / "eksempler.json").read_text(encoding="utf-8"))
    data["antall"] += 1
    (site / "eksempler.json").write_text(json.dumps(data), encoding="utf-8")


def _index_without_pages(site: Path) -> None:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    for lang in entry["languages"].values():
        lang["page_count"] = 0
    (site / "pagefind" / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")


def _plain_listing(site: Path) -> None:
    page = site / "alle-eksempler" / "index.html"
    page.write_text("<html><body><h1>Alle eksempler</h1></body></html>", encoding="utf-8")


# One damage to a real site each, and the problem the guard reports for it.
DAMAGES = {
    "eksempler.csv": (lambda s: _without(s, "eksempler.csv"), "eksempler.csv mangler"),
    "feed": (lambda s: _without(s, "feed.xml"), "feed.xml mangler"),
    "en eksempelside": (lambda s: _without(s, "eksempler/tydal-kafe-posten"),
                        "1 av ", "eksempelsider mangler: eksempler/tydal-kafe-posten/index.html"),
    "eksempelside uten merke": (lambda s: _unmarked(s, "eksempler/tydal-kafe-posten/index.html"),
                                "ikke laget av erfaringsbank"),
    "alle-eksempler uten liste": (_plain_listing, "har ingen eksempelliste"),
    "antall": (_recount, "men lister"),
    "pagefind": (lambda s: _without(s, "pagefind"), "Søkeindeksen (Pagefind) mangler"),
    "tom søkeindeks": (_index_without_pages, "Søkeindeksen (Pagefind) har 0 sider"),
    "ugyldig json": (lambda s: (s / "eksempler.json").write_text("{", encoding="utf-8"),
                     "eksempler.json kan ikke leses"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_each_missing_part_is_named(fixture_site, tmp_path, damage):
    site = tmp_path / "site"
    shutil.copytree(fixture_site, site)
    harm, *expected = DAMAGES[damage]
    harm(site)
    problems = missing_output(site)
    assert any(all(e in p for e in expected) for p in problems), problems
    assert len(problems) == 2, problems  # that one problem, and what it means
    assert guard(site).returncode == 1


def test_no_site_at_all_and_usage(tmp_path):
    assert missing_output(tmp_path / "finnes-ikke") == [
        f"Fant ikke det bygde nettstedet: {tmp_path / 'finnes-ikke'} er ikke en mappe."]
    assert guard(tmp_path / "finnes-ikke").returncode == 1
    usage = subprocess.run([sys.executable, "-m", "generator.publish.guard"], cwd=ROOT,
                           capture_output=True, text=True)
    assert usage.returncode == 2 and "Bruk:" in usage.stderr


def test_the_guard_reads_only_files():
    """No engine and no pipeline stage: it checks the output, whatever engine made it."""
    import ast
    tree = ast.parse((ROOT / "generator" / "publish" / "guard.py").read_text(encoding="utf-8"))
    modules = {n.module if isinstance(n, ast.ImportFrom) else a.name
               for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
               for a in n.names}
    assert not {m for m in modules if m.split(".")[0] in ("mkdocs", "material", "jinja2")}
    assert {m for m in modules if m.startswith("generator")} <= {"generator.base"} | {
        m for m in modules if m.startswith("generator.base.")}
