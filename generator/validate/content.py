"""The front matter of every content page (content/**/*.md): the values the theme writes into
every page's <title>, header and <meta> — `title` and `description` — are plain text without
HTML or control characters (mkdocs' templates do not escape them), and the generated-page
switches are known values. Read with the shared field readers; problems with file:line."""
from __future__ import annotations

import os
from pathlib import Path

from generator.base.errors import Collector
from generator.base.settings import Settings
from generator.load.files import load_document
from generator.validate.fields import Reader

SIDES = ("forside", "finn-eksempler")  # `eb_side:`: pages with generated sections


def check_content_pages(settings: Settings, issues: Collector) -> None:
    docs = settings.docs_dir
    if not docs.is_dir():
        return
    for folder, dirs, names in os.walk(docs):  # never follows a symbolic link
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
        for name in sorted(names):
            path = Path(folder) / name
            if not name.endswith(".md") or path.is_symlink():
                continue
            shown = settings.rel(path)
            own = Collector()
            doc = load_document(path, shown, own)
            if doc is None:
                continue  # the loader's problems are reported where the page is read
            r = Reader(shown, issues)
            meta = doc.fields
            r.text(meta.get("title"), "title", max_len=200, html=False)
            r.text(meta.get("description"), "description", max_len=400, html=False)
            r.choice(meta.get("eb_side"), "eb_side", SIDES)
            for key in ("title", "description"):
                loc = meta.get(key)
                if loc is not None and isinstance(loc.value, str) and '"' in loc.value:
                    r.err(loc.line, f"«{key}» kan ikke inneholde anførselstegn (\")",
                          "Bruk «sitattegn» i stedet.")
