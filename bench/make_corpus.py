"""Synthetic bank for benchmarks: N entries over the real kommuner, innsatsområder and løsninger.

    .venv/bin/python bench/make_corpus.py 5000            → bench/out/n5000/ (a project folder)

Deterministic (a fixed seed gives byte-identical files). Every entry says `syntetisk: true`, its
title starts with «Syntetisk», its text is obviously filler and its only source is «Syntetisk
testdata». Nothing is ever written into the real `examples_bank/`: the target is a project folder
under `bench/out/` (git-ignored) with its own `site_config.yml` and `examples_bank/`, and the real
`content/` and `theme/` are referenced by absolute path.

Bodies are 150–1,500 words of Markdown (headings, lists, now and then a table); about one entry in
ten shows one of a handful of small generated PNG images, as real entries do.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SEED = 2018  # the year of Meld. St. 15 (2017–2018); any fixed value would do
N_IMAGES = 8

# Obviously synthetic, Norwegian-looking filler. No names, numbers or claims about real practice.
_WORDS = (
    "syntetisk testtekst eldre kommunen tjenesten samarbeid frivillige møteplass aktivitet "
    "fellesskap måltid hverdag mestring planlegging innbyggere pårørende ansatte ressurs tiltak "
    "erfaring arbeidet gruppen nærmiljø bydel tilbud dialog oppfølging overgang hjemmet "
    "sykehjem kafé turgruppe trening kultur bibliotek skole barnehage lag forening prosjekt "
    "plan utvalg råd rutine kartlegging opplæring veiledning evaluering målgruppe deltakelse "
    "og i på med for til som av at det en et de har er ble kan skal blir mer flere godt nytt "
    "lokalt sammen jevnlig gradvis tydelig enkelt trygt fast åpent bredt"
).split()
_HEADINGS = ("Bakgrunn", "Slik gjorde vi det", "Hvem var med", "Erfaringer", "Resultater",
             "Veien videre", "Råd til andre kommuner", "Organisering")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(7, 16))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random, words_left: int) -> tuple[str, int]:
    out, used = [], 0
    while used < min(words_left, rng.randint(40, 110)):
        s = _sentence(rng)
        out.append(s)
        used += s.count(" ") + 1
    return " ".join(out), used


def body(rng: random.Random, n_words: int, image: str | None) -> str:
    parts = ["*Syntetisk testeksempel for ytelsesmåling – ikke en ekte kommunes praksis.*"]
    words = 0
    headings = list(_HEADINGS)
    rng.shuffle(headings)
    while words < n_words:
        if headings and words and rng.random() < 0.35:
            parts.append(f"## {headings.pop()}")
        kind = rng.random()
        if kind < 0.12:
            items = [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 8)))
                     for _ in range(rng.randint(3, 6))]
            parts.append("\n".join(f"- {i.capitalize()}" for i in items))
            words += sum(i.count(" ") + 1 for i in items)
        elif kind < 0.15:
            rows = [f"| {rng.choice(_WORDS).capitalize()} | {' '.join(rng.choice(_WORDS) for _ in range(5))} |"
                    for _ in range(3)]
            parts.append("| Tema | Beskrivelse |\n|---|---|\n" + "\n".join(rows))
            words += 18
        else:
            text, used = _paragraph(rng, n_words - words)
            parts.append(text)
            words += used
        if image and len(parts) == 3:
            parts.append(f"![Syntetisk illustrasjon, bare fargeflater]({image})")
    return "\n\n".join(parts) + "\n"


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A tiny solid-colour PNG, written by hand (zlib + CRC), so no imaging library is needed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height, 9)) + chunk(b"IEND", b""))


def _reference():
    from generator.base.errors import Collector
    from generator.validate.reference import load_reference
    from generator.base.settings import Settings
    settings = Settings(root=ROOT, bank_dir=ROOT / "examples_bank", docs_dir=ROOT / "content")
    ref = load_reference(settings, Collector())
    return ref


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def entry(rng: random.Random, i: int, ref, kommuner: list, with_image: bool) -> tuple[str, str]:
    from generator.base.text import slugify
    ks = [rng.choice(kommuner)] + ([rng.choice(kommuner)] if rng.random() < 0.1 else [])
    ios = rng.sample(list(ref.innsatsomrader), rng.choice((1, 1, 2)))
    los = rng.sample([s for io in ios for s in ref.innsatsomrader[io].losninger],
                     rng.choice((0, 1, 1, 2)))
    start = dt.date(2019, 1, 1)
    publisert = start + dt.timedelta(days=rng.randrange(365 * 7))
    oppdatert = (publisert + dt.timedelta(days=rng.randrange(200))
                 if rng.random() < 0.3 else None)
    tema = " ".join(rng.choice(_WORDS[:45]) for _ in range(3))
    tittel = f"Syntetisk eksempel {i}: {tema} i {ks[0].navn}"
    slug = f"syntetisk-{i:05d}-{slugify(ks[0].navn)}"
    image = f"bilder/syntetisk-{i % N_IMAGES}.png" if with_image else None
    n_words = rng.randint(150, 1500)
    lines = [
        "---",
        f"tittel: {_q(tittel)}",
        "kommuner: [" + ", ".join(_q(k.nummer) for k in ks) + "]",
        "innsatsomrader: [" + ", ".join(ios) + "]",
        "losninger: [" + ", ".join(los) + "]",
        f"sammendrag: {_q(_sentence(rng) + ' ' + _sentence(rng))}",
        f"status: {rng.choice(('planlagt', 'igangsatt', 'gjennomfort', 'gjennomfort'))}",
        f"publisert: {publisert.isoformat()}",
    ]
    if oppdatert and oppdatert <= dt.date(2026, 1, 1):
        lines.append(f"oppdatert: {oppdatert.isoformat()}")
    lines += [
        f"sprak: {'nn' if rng.random() < 0.1 else 'nb'}",
        "syntetisk: true",
        "kilder:",
        "  - tittel: Syntetisk testdata (ytelsesmåling), ingen ekte kilde",
        "---",
    ]
    return slug, "\n".join(lines) + "\n" + body(rng, n_words, image)


SITE_CONFIG_REPLACEMENTS = (
    ("docs_dir: content", f"docs_dir: {ROOT / 'content'}"),
    ("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}"),
)


def make_project(n: int, dest: Path | None = None, seed: int = SEED) -> Path:
    """Write a project folder with `n` synthetic entries; returns its site_config.yml."""
    dest = dest or OUT / f"n{n}"
    bank = dest / "examples_bank"
    if bank.exists():
        shutil.rmtree(bank)
    (bank / "bilder").mkdir(parents=True)
    rng = random.Random(seed)
    ref = _reference()
    kommuner = sorted(ref_kommuner(), key=lambda k: k.nummer)
    for j in range(N_IMAGES):
        colour = (60 + 20 * j, 120, 200 - 15 * j)
        (bank / "bilder" / f"syntetisk-{j}.png").write_bytes(png(160, 90, colour))
    for i in range(1, n + 1):
        slug, text = entry(rng, i, ref, kommuner, with_image=rng.random() < 0.1)
        (bank / f"{slug}.md").write_text(text, encoding="utf-8")
    config = (ROOT / "site_config.yml").read_text(encoding="utf-8")
    for old, new in SITE_CONFIG_REPLACEMENTS:
        config = config.replace(old, new)
    path = dest / "site_config.yml"
    path.write_text(config, encoding="utf-8")
    return path


def ref_kommuner():
    from generator.load.reference import load_geography
    return load_geography()[0].values()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("n", type=int, help="antall syntetiske eksempler")
    p.add_argument("--out", type=Path, default=None, help="prosjektmappe (standard bench/out/nN)")
    p.add_argument("--seed", type=int, default=SEED)
    args = p.parse_args(argv)
    print(make_project(args.n, args.out, args.seed))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
