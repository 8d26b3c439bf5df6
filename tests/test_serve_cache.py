"""serve keeps the installed theme's file list between rebuilds (adapters/serve_cache.py): the
list is the one mkdocs makes itself, and a file added to the project's own theme folder is
still published on the next rebuild."""
from __future__ import annotations

from mkdocs.config import load_config
from mkdocs.structure.files import Files

from conftest import copy_project
from generator.adapters import serve_cache


def _theme_files(config) -> list[str]:
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return sorted(f.src_uri for f in files)


def test_the_kept_list_is_mkdocs_own_and_the_project_theme_is_listed_afresh(tmp_path):
    root = copy_project(tmp_path / "p")
    config_file = str(root / "site_config.yml")
    plain = _theme_files(load_config(config_file))
    assert len(plain) > 20  # the installed theme's assets, and ours
    kept = load_config(config_file)
    serve_cache.keep_theme_listing(kept)
    assert _theme_files(kept) == plain
    (root / "theme" / "assets" / "ny-fil.css").write_text("/* ny */\n", encoding="utf-8")
    again = load_config(config_file)  # serve's next rebuild: a new config, the kept list
    serve_cache.keep_theme_listing(again)
    assert _theme_files(again) == sorted([*plain, "assets/ny-fil.css"])
