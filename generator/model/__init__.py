"""The typed data model shared by the CLI, the mkdocs plugin, the exports and the tests.

Reference data (kommuner, fylker, embeter, innsatsområder, løsninger) and the validated
examples. Everything is immutable; indexes by tag are computed once in `Bank.__post_init__`
so that no page has to scan all entries (per-page cost stays constant as the bank grows).
"""
from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from generator.base.html import SafeHtml
from generator.model import urls

STATUSES = {
    "planlagt": "Planlagt",
    "igangsatt": "Igangsatt",
    "gjennomfort": "Gjennomført",
}
LANGUAGES = {"nb": "bokmål", "nn": "nynorsk"}


@dataclass(frozen=True)
class Embete:
    """A statsforvalter embete (region) as of 2021; Oslo og Viken covers two fylker."""

    slug: str
    navn: str
    fylker: tuple[str, ...]  # fylkesnummer

    @property
    def tittel(self) -> str:
        return f"Statsforvalteren i {self.navn}"


@dataclass(frozen=True)
class Fylke:
    nummer: str
    navn: str
    embete: str  # Embete.slug


@dataclass(frozen=True)
class Kommune:
    nummer: str
    navn: str
    fylke: str  # Fylke.nummer
    andre_navn: tuple[str, ...] = ()

    @functools.cached_property  # asked for every link to the kommune's page
    def slug(self) -> str:
        from generator.base.text import slugify
        return f"{self.nummer}-{slugify(self.navn)}"


@dataclass(frozen=True)
class Losning:
    slug: str
    navn: str
    innsatsomrade: str
    verified: bool
    kilde: str | None
    src_uri: str  # content page, relative to docs_dir
    grunnlag: str | None = None  # what an unconfirmed name (verified: false) is based on


@dataclass(frozen=True)
class Innsatsomrade:
    slug: str
    navn: str
    mal: str
    src_uri: str
    losninger: tuple[str, ...]  # Losning.slug, in page order


@dataclass(frozen=True)
class Reference:
    kommuner: dict[str, Kommune]          # by kommunenummer
    fylker: dict[str, Fylke]              # by fylkesnummer
    embeter: dict[str, Embete]            # by slug, in official order
    innsatsomrader: dict[str, Innsatsomrade]
    losninger: dict[str, Losning]
    statuses: dict[str, str] = field(default_factory=lambda: dict(STATUSES))

    @functools.cached_property
    def kommune_by_slug(self) -> dict[str, Kommune]:
        return {k.slug: k for k in self.kommuner.values()}

    @functools.cached_property
    def shared_kommune_names(self) -> Counter:
        """How many kommuner bear each name (Herøy, Våler and Os: two each, 2020–2023)."""
        return Counter(k.navn for k in self.kommuner.values())

    def shares_name(self, kommune: Kommune) -> bool:
        """Another kommune bears the same name: its fylke is shown with it wherever it is named
        (taxonomy.kommune_name, the kommune page's title)."""
        return self.shared_kommune_names[kommune.navn] > 1

    def embete_of(self, kommune: Kommune) -> Embete:
        return self.embeter[self.fylker[kommune.fylke].embete]

    def kommuner_in(self, embete: Embete) -> list[Kommune]:
        from generator.base.text import sort_key
        return sorted((k for k in self.kommuner.values() if k.fylke in embete.fylker),
                      key=lambda k: sort_key(k.navn))


# The texts' licence (LICENSE): named in the exports, the feeds and each page's structured data.
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.no"
SITE_TITLE = "Leve hele livet – erfaringsbank"

# What kind of source a «kilde» is (its `type:`), with the label the sources list shows: the
# strength of a source is visible to the reader.
KILDE_TYPES = {
    "kommune": "Kommunens egen side",
    "offentlig": "Offentlig etat",
    "organisasjon": "Fagpresse eller organisasjon",
    "avis": "Avis eller kringkasting",
}


@dataclass(frozen=True)
class Kilde:
    tittel: str
    url: str | None = None
    type: str | None = None        # a key of KILDE_TYPES

    @property
    def type_label(self) -> str | None:
        return KILDE_TYPES.get(self.type) if self.type else None


# Leve hele livet-prisen (2019–2023): what an example's kommune was in a year's round.
PRIS_PLASSERINGER = {"vinner": "Vinner", "finalist": "Finalist", "nominert": "Nominert"}


@dataclass(frozen=True)
class Pris:
    ar: int
    plassering: str                # a key of PRIS_PLASSERINGER

    @property
    def term(self) -> str:
        return f"{self.plassering}-{self.ar}"

    @property
    def label(self) -> str:
        return PRIS_PLASSERINGER[self.plassering]

    @property
    def tekst(self) -> str:
        return f"{self.label} {self.ar}"


@dataclass(frozen=True)
class Example:
    slug: str
    path: str                      # source file, relative to the project root
    tittel: str
    kommuner: tuple[Kommune, ...]
    innsatsomrader: tuple[str, ...]  # listed ∪ implied by løsninger, in official order
    losninger: tuple[str, ...]
    sammendrag: str
    status: str
    publisert: dt.date
    oppdatert: dt.date | None
    sprak: str
    kilder: tuple[Kilde, ...]
    kontakt: str | None
    body_html: SafeHtml            # rendered once and sanitised (render stage)
    synthetic: bool = False
    images: tuple[str, ...] = ()   # bank-relative paths of images the body uses
    pris: Pris | None = None       # Leve hele livet-prisen
    ar: int | None = None          # the year the example is from, as its source says

    @property
    def sist_oppdatert(self) -> dt.date:
        return self.oppdatert or self.publisert

    @property
    def src_uri(self) -> str:
        return urls.example_uri(self.slug)

    @property
    def fylker(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k.fylke for k in self.kommuner))


def _newest_first(e: Example):
    return (e.publisert, e.slug)


@dataclass
class Bank:
    """Reference data + validated examples, with every taxonomy's index computed once
    (`model/taxonomy.py`): no page has to scan all examples."""

    reference: Reference
    examples: list[Example]
    warnings: list = field(default_factory=list)
    status: list = field(default_factory=list)        # StatusRunde, newest first
    finansiering: list = field(default_factory=list)  # Finansiering
    stotteapparat: dict = field(default_factory=dict)  # Embete.slug → tuple[Organisasjon]
    taxonomies: tuple = field(default_factory=lambda: taxonomy.TAXONOMIES)
    index: dict[str, dict[str, list[Example]]] = field(init=False)
    by_slug: dict[str, Example] = field(init=False)

    def __post_init__(self) -> None:
        self.examples = sorted(self.examples, key=_newest_first, reverse=True)
        ref = self.reference
        index: dict[str, dict[str, list[Example]]] = {t.key: defaultdict(list)
                                                      for t in self.taxonomies}
        for e in self.examples:
            for t in self.taxonomies:
                tagged = index[t.key]
                for term in t.terms(e, ref):
                    tagged[term].append(e)
        self.index = {key: dict(terms) for key, terms in index.items()}
        self.by_slug = {e.slug: e for e in self.examples}

    def tagged(self, key: str, term: str) -> list[Example]:
        """The examples with `term` of taxonomy `key`, newest first."""
        return self.index[key].get(term, [])

    def terms_in_use(self, key: str) -> dict[str, list[Example]]:
        return self.index[key]

    def taxonomy(self, key: str):
        return next(t for t in self.taxonomies if t.key == key)

    def terms_of(self, key: str, example: Example) -> tuple[str, ...]:
        return tuple(self.taxonomy(key).terms(example, self.reference))

    def embeter_of(self, example: Example) -> list[Embete]:
        ref = self.reference
        return [ref.embeter[s] for s in self.terms_of("region", example)]


# -- the regional support apparatus -----------------------------------------------------------

STOTTE_ROLLER = {"statsforvalter": "Statsforvalteren", "ks": "KS",
                 "usht": "Utviklingssenteret for sykehjem og hjemmetjenester (USHT)",
                 "annet": "Andre i støtteapparatet"}


@dataclass(frozen=True)
class Organisasjon:
    """An organisation of a region's support apparatus (never a person)."""

    navn: str
    rolle: str                     # a key of STOTTE_ROLLER
    url: str


# -- status reporting (statsforvalternes rapportering per 1. mai og 1. november) --------------

# Count fields of a reporting round, in display order, with their Norwegian labels.
STATUS_COUNTS = {
    "kommuner": "Kommuner i alt",
    "vedtak_fattet": "Har politisk vedtak",
    "vedtak_i_aar": "Vil fatte vedtak i år",
    "vedtak_fattet_eller_i_aar": "Har vedtak eller vil fatte vedtak i år",
    "forsinket": "Forsinket (klarer ikke vedtak i år likevel)",
    "nettverk_deltar": "Deltar i nettverk",
    "nettverk_planlegger": "Ønsker eller planlegger å delta i nettverk",
    "nettverk_onsker_ikke": "Ønsker ikke å delta i nettverk",
    "fase_2": "I fase 2 (planfasen)",
    "fase_3": "I fase 3 (gjennomføringsfasen)",
}


@dataclass(frozen=True)
class Vurdering:
    """The statsforvalter's overall assessment, verbatim, in the language it was written."""

    sprak: str   # nb | nn
    tekst: str


@dataclass(frozen=True)
class StatusTall:
    """Figures for the country or one region in one round. None = not reported (never 0)."""

    counts: dict[str, int | None]            # every key of STATUS_COUNTS
    prioriteringer_fase_3: str | None = None
    vurdering: Vurdering | None = None
    forsinkelsesarsaker: tuple[str, ...] = ()  # national only

    def __getitem__(self, key: str) -> int | None:
        return self.counts[key]

    @property
    def has_figures(self) -> bool:
        return any(v is not None for v in self.counts.values())


@dataclass(frozen=True)
class StatusRunde:
    runde: str                      # "2021-11"
    dato: dt.date
    tittel: str
    path: str                       # source file, relative to the project root
    kilder: tuple[Kilde, ...]
    nasjonalt: StatusTall
    regioner: dict[str, StatusTall]  # by Embete.slug, every embete present
    eksempler: tuple[str, ...] = ()  # Example.slug


@dataclass(frozen=True)
class Finansiering:
    """Earmarked funds per embete, as printed in the source."""

    tittel: str
    kilde: str
    enhet: str
    merknad: str | None
    path: str
    embeter: dict[str, int]          # by Embete.slug


from generator.model import taxonomy  # noqa: E402 - the registry reads the types above
