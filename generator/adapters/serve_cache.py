"""What `serve` keeps from one rebuild to the next on the engine's side (the core's side is
pipeline/incremental.py).

The theme's file list: each build, mkdocs lists every file of every theme folder to publish its
static files (`Files.add_files_from_theme` → `env.list_templates(filter_func=…)`): for
mkdocs-material that is ≈ 14 000 names (its icon set), each matched against a dozen patterns —
about a fifth of a rebuild after one edit at 5 000 entries. The installed theme's folders do not
change while serve runs, so their filtered list is made once; the project's own theme folder
(custom_dir, which serve watches) is listed afresh every build.
"""
from __future__ import annotations

from jinja2 import FileSystemLoader

_LISTED: dict[tuple, list[str]] = {}  # (folder, static_templates) → filtered names


def keep_theme_listing(config) -> None:
    """Make `config.theme.get_env()` give environments whose filtered `list_templates` reuses
    the installed theme's list. Anything else (other arguments) is mkdocs' own."""
    theme = config.theme
    made = theme.get_env
    own = theme.custom_dir
    key = tuple(theme.static_templates)

    def get_env():
        env = made()
        listed = env.list_templates

        def list_templates(extensions=None, filter_func=None):
            if extensions is not None or filter_func is None:
                return listed(extensions, filter_func)
            names: set[str] = set()
            for folder in theme.dirs:
                hit = None if folder == own else _LISTED.get((folder, key))
                if hit is None:
                    hit = [n for n in FileSystemLoader(folder).list_templates() if filter_func(n)]
                    if folder != own:
                        _LISTED[(folder, key)] = hit
                names.update(hit)
            return sorted(names)

        env.list_templates = list_templates
        return env

    theme.get_env = get_env
