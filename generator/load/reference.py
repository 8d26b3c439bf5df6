"""Reference data shipped with the package: kommuner, fylker and embeter (`generator/data/`, with
SOURCES.md). Trusted files of our own; read once per process.

The innsatsområder and løsninger are content pages whose front matter is the data; they come by
pull request like everything else in content/, so they are read with the field readers in
validate/reference.py.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from pathlib import Path

from generator.model import Embete, Fylke, Kommune
from generator.load.yamlsafe import load_plain


def data_path(name: str) -> Path:
    return Path(str(resources.files("generator") / "data" / name))


@lru_cache(maxsize=1)
def load_geography() -> tuple[dict[str, Kommune], dict[str, Fylke], dict[str, Embete]]:
    regioner = load_plain(data_path("regioner.yml").read_text(encoding="utf-8"))
    embeter = {e["slug"]: Embete(e["slug"], e["navn"], tuple(e["fylker"]))
               for e in regioner["embeter"]}
    embete_of = {nr: e.slug for e in embeter.values() for nr in e.fylker}
    fylker = {nr: Fylke(nr, navn, embete_of[nr]) for nr, navn in regioner["fylker"].items()}
    kommuner: dict[str, Kommune] = {}
    with data_path("kommuner-2021.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            nr = row["kommunenummer"]
            kommuner[nr] = Kommune(nr, row["navn"], nr[:2],
                                   tuple(n for n in row["andre_navn"].split(";") if n))
    return kommuner, fylker, embeter
