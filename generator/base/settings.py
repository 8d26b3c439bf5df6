"""Settings of one site build, independent of the engine.

The mkdocs plugin builds them from its config; the CLI reads them straight from
`site_config.yml` without importing mkdocs (`generator/load/config.py`).
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    root: Path                       # project root (the folder of site_config.yml)
    bank_dir: Path                   # examples_bank/
    docs_dir: Path                   # content/
    site_url: str = ""
    repo_url: str = ""               # https://github.com/<org>/<repo>
    edit_branch: str = "main"
    per_page: int = 50               # examples per listing page: keeps listing pages bounded
    theme_dir: Path | None = None    # the theme's custom_dir: template overrides (pages/fragments.py)
    redirects: tuple[tuple[str, str], ...] = ()  # (old page, new page), src_uris of renamed pages
    today: dt.date = field(default_factory=dt.date.today)

    def rel(self, path: Path) -> str:
        """Path as shown in messages: relative to the project root, with forward slashes."""
        root = _resolved(self.root)
        if path.is_absolute() and ".." not in path.parts:  # fast path: no lstat per component
            try:
                return path.relative_to(root).as_posix()
            except ValueError:
                pass
        try:
            return path.resolve().relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()

    @classmethod
    def from_options(cls, config_file: Path, *, bank: str, docs_dir: str, **kw) -> "Settings":
        root = config_file.resolve().parent
        return cls(root=root, bank_dir=(root / bank).resolve(),
                   docs_dir=(root / docs_dir).resolve(), **kw)



@functools.lru_cache(maxsize=64)
def _resolved(path: Path) -> Path:
    return path.resolve()


