"""The repository's address is decided in one place (validate/config.py: repository): in GitHub
Actions the repository the workflow runs in, elsewhere `repo_url` from site_config.yml — so a copy
under another organisation gets edit links, «Meld fra om feil», the footer and the theme's header
pointing at itself without editing a file (issue «contributor path», docs/oppsett-github.md)."""
from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT, copy_project

from generator.base.errors import Collector
from generator.validate.config import read_settings, repository

CONFIGURED = "https://github.com/leve-hele-livet/erfaringsbank"


def test_github_repository_wins_over_repo_url():
    env = {"GITHUB_REPOSITORY": "kommune-x/bank", "GITHUB_SERVER_URL": "https://github.com"}
    assert repository(CONFIGURED, environ=env) == ("https://github.com/kommune-x/bank",
                                                   "kommune-x/bank")
    assert repository(CONFIGURED + "/", environ={}) == (CONFIGURED,
                                                        "leve-hele-livet/erfaringsbank")
    assert repository("", environ={}) == ("", "")


def test_a_strange_github_repository_is_refused_not_used():
    issues = Collector()
    bad = {"GITHUB_REPOSITORY": 'x/y"><script>', "GITHUB_SERVER_URL": "https://github.com"}
    assert repository(CONFIGURED, issues, environ=bad)[0] == CONFIGURED
    assert issues.issues and "GITHUB_REPOSITORY" in issues.issues[0].message
    issues = Collector()
    evil = {"GITHUB_REPOSITORY": "a/b", "GITHUB_SERVER_URL": "javascript:alert(1)//"}
    assert repository(CONFIGURED, issues, environ=evil)[0] == CONFIGURED
    assert issues.issues


def test_no_file_but_site_config_names_the_repository():
    """The address is written once, in site_config.yml; code, content, templates and the
    exported schema take it from the settings."""
    hits = []
    for folder in ("generator", "content", "theme", "examples_bank"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".md", ".html", ".yml", ".json", ".js"}:
                if "leve-hele-livet/erfaringsbank" in path.read_text(encoding="utf-8",
                                                                       errors="replace"):
                    hits.append(path.relative_to(ROOT).as_posix())
    assert hits == []


def test_a_build_under_another_organisation_links_to_that_repository(tmp_path):
    """What the Pages workflow does in a copy of the project under another organisation."""
    project = copy_project(tmp_path / "p")
    env = {**__import__("os").environ, "GITHUB_REPOSITORY": "annen-org/var-bank",
           "GITHUB_SERVER_URL": "https://github.com"}
    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "generator", "--config",
                        str(project / "site_config.yml"), "build", "-d", str(site),
                        "--site-url", "https://annen-org.github.io/var-bank/"],
                       cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert read_settings(project / "site_config.yml").repo_url == CONFIGURED  # outside Actions
    pages = [p for p in site.rglob("*.html")]
    example = next(p for p in pages if "/eksempler/" in p.as_posix())
    html = example.read_text(encoding="utf-8")
    links = set(re.findall(r'href="(https://github\.com/[^"]+)"', html))
    assert links and all(link.startswith("https://github.com/annen-org/var-bank/")
                         or link == "https://github.com/annen-org/var-bank" for link in links), links
    everywhere = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "leve-hele-livet/erfaringsbank" not in everywhere


def test_the_published_schema_names_its_own_address():
    import json
    from generator import exports
    data = json.loads(exports.schema("https://annen-org.github.io/var-bank/"))
    assert data["$id"] == "https://annen-org.github.io/var-bank/eksempler.schema.json"
    assert list(data)[:2] == ["$schema", "$id"]
    assert "$id" not in json.loads(exports.schema(""))
