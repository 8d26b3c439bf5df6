"""Every internal link resolves on a bank big enough to paginate every listing: with
`per_page: 2`, a dozen synthetic examples give «Alle eksempler», «Eldste først», kommune and
region pages several pages each — the links on page 2 and later must work too (the sort and
search links at the top of «Alle eksempler» were built for page 1 and reused: 404s)."""
from __future__ import annotations

import subprocess
import sys

from conftest import VALID, copy_project, edit_file
from sitecheck import broken_links

KOMMUNER = ("Tydal", "Røros", "Bergen", "Herøy")


def test_no_broken_link_on_any_page_of_a_paginated_bank(tmp_path):
    project = copy_project(tmp_path / "p")
    bank = project / "examples_bank"
    for n in range(12):
        text = (VALID.replace("Syntetisk testeksempel", f"Syntetisk eksempel {n}")
                .replace("[Tydal]", f'["{KOMMUNER[n % 2]}"]' if n % 3 else '["Tydal"]')
                .replace("publisert: 2021-12-01", f"publisert: 2021-{n % 12 + 1:02}-15"))
        (bank / f"syntetisk-{n:02}.md").write_text(text, encoding="utf-8")
    edit_file(project, "site_config.yml", "      branch: main\n",
              "      branch: main\n      per_page: 2\n")
    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "generator", "--config",
                        str(project / "site_config.yml"), "build", "-d", str(site)],
                       cwd=project, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    continued = sorted(p.relative_to(site).as_posix() for p in site.rglob("side-*/index.html"))
    for listing in ("alle-eksempler/", "alle-eksempler/eldste/", "kommuner/", "regioner/"):
        assert any(p.startswith(listing) for p in continued), (listing, continued)
    assert broken_links(site) == []
