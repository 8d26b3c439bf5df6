r"""Checks of an entry's body that Markdown rendering would hide: active content (reported so the
contributor learns why it disappears — the sanitiser removes it anyway), images without
alternative text, images from other sites, and possible personal data (warnings).

Every pattern is linear in the length of the text, whatever the text: no pattern may scan past
the next «<» from each «<» (a body of «< < < …» must not take quadratic time), no two
neighbouring quantifiers may match the same characters (`\s*<?\s*` splits a run of spaces in
quadratically many ways), and a pattern that starts with an unbounded run (`[\w.]+@`) has a
bound on it, or every position of a long word would scan to its end.
"""
from __future__ import annotations

import re
from html import unescape

from generator.validate.fields import Reader

# From the start of a run of name characters only (the look-behind), and at most 64 of them: a
# long word without «@» costs one short scan, not one per character.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{1,200}")
_PHONE = re.compile(r"(?<![\d-])(?:\+47[ ]?)?(?:\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}|\d{3}[ ]?\d{2}[ ]?\d{3})(?![\d-])")
# Necessary for a _PHONE match (8 digits, single spaces between): a cheap first pass that lets the
# regex engine skip ahead to digits, where _PHONE's leading look-behind cannot.
_PHONE_HINT = re.compile(r"\d[ ]?\d[ ]?\d[ ]?\d[ ]?\d[ ]?\d[ ]?\d[ ]?\d")
_DANGEROUS_HTML = re.compile(r"<\s*(script|iframe|object|embed|style|form|input|button|link|meta|base|svg|math)\b", re.I)
_EVENT_ATTR = re.compile(r"<[^<>]*\son[a-z]+\s*=", re.I)
# The same after entities are decoded and control characters and spaces removed, as browsers
# do (jav&#x09;ascript:, &#106;avascript:, reference definitions «[x]: javascript:…»).
_BAD_SCHEME_PLAIN = re.compile(r"(?:\]\(<?|\]:<?|(?:href|src|srcset|poster|action)=[\"']?)"
                               r"(javascript|vbscript|data|file):", re.I)
_BAD_SCHEME = re.compile(r"(?:\]\(\s*(?:<\s*)?|\b(?:href|src)\s*=\s*(?:[\"']\s*)?)"
                         r"(javascript|vbscript|data|file):", re.I)
_NO_ALT = re.compile(r"!\[\s*\]\(|<img\b(?![^<>]*\balt\s*=\s*(?:[\"'][^\"'\s]|[^\s\"'>]))[^<>]*>",
                     re.I)


def body_safety(r: Reader, body: str, body_line: int, external_images=()) -> None:
    """`external_images`: the image sources of the rendered body that are not a file of the
    bank (render/markdown.py) — refused: the site makes no request to another site, so a
    visitor's browser is never told to fetch a picture (or a tracking pixel) from one."""
    for src in external_images:
        line = _line_of(body, body_line, src)
        probe = re.sub(r"[\x00-\x20]+", "", src).replace("\\", "/")
        if probe.startswith("/") and not probe.startswith("//"):
            r.err(line, f"bildet «{_short(src)}» er en adresse på nettstedet, ikke en fil i "
                  "examples_bank/", "Legg bildet i examples_bank/bilder/ og lenk til det fra "
                  "eksemplet: ![Beskrivelse](bilder/navn.jpg).")
            continue
        r.err(line, f"bildet «{_short(src)}» hentes fra et annet nettsted", "Nettstedet henter "
              "ingenting fra andre nettsteder (personvern: besøkende skal ikke spores). Last ned "
              "bildet (hvis du har lov til å bruke det), legg det i examples_bank/bilder/ og lenk "
              "til det der: ![Beskrivelse](bilder/navn.jpg). En vanlig lenke til bildet er også "
              "greit.")
    # One search over the whole body first (a line's match is also a match there); only a
    # body with a hit is gone through line by line for the line numbers. Most bodies: none.
    if not ((("<" in body or "![" in body) and (_NO_ALT.search(body)
                                                or _DANGEROUS_HTML.search(body)
                                                or _EVENT_ATTR.search(body)))
            or (":" in body and _BAD_SCHEME.search(body))):
        return
    for n, line in enumerate(body.split("\n"), start=body_line):
        if _NO_ALT.search(line):
            r.err(n, "bildet mangler alternativ tekst",
                  "Beskriv bildet for dem som ikke ser det: ![Eldre og barn baker sammen]"
                  "(bilder/baking.jpg).")
        if m := _DANGEROUS_HTML.search(line):
            r.err(n, f"HTML-elementet <{m.group(1).lower()}> er ikke tillatt",
                  "Bruk vanlig Markdown; skript, skjemaer, stiler og innebygde rammer "
                  "fjernes fra nettstedet.")
        if _EVENT_ATTR.search(line):
            r.err(n, "HTML-attributter som starter med «on» (hendelser) er ikke tillatt",
                  "Bruk vanlig Markdown uten HTML.")
        if m := (_BAD_SCHEME.search(line) or _BAD_SCHEME_PLAIN.search(
                re.sub(r"[\x00-\x20\x7f]+", "", unescape(line)))):
            r.err(n, f"lenker med «{m.group(1).lower()}:» er ikke tillatt",
                  "Lenk bare til adresser som begynner med https://.")


def _line_of(body: str, body_line: int, needle: str) -> int:
    at = body.find(needle)
    return body_line + body.count("\n", 0, at) if at >= 0 else body_line


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "…"


# -- personal data -----------------------------------------------------------------------------

# A fødselsnummer or D-nummer: 11 digits, perhaps with a space after the date (DDMMÅÅ IIIKK).
_FNR_HINT = re.compile(r"\d{6} ?\d{5}")
_FNR = re.compile(r"(?<![\d])(\d{6}) ?(\d{5})(?![\d])")
_FNR_WEIGHTS = ((3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))


def is_fodselsnummer(digits: str) -> bool:
    """11 digits with a date that can exist (day + 40 in a D-nummer, month + 40 in an
    H-nummer) and both mod-11 check digits right: about one random 11-digit number in 400
    passes, so a hit is very likely a real one."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    d = [int(c) for c in digits]
    day, month = int(digits[:2]), int(digits[2:4])
    day -= 40 if day > 40 else 0
    month -= 40 if month > 40 else 0
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    for n, weights in enumerate(_FNR_WEIGHTS):
        check = 11 - sum(w * x for w, x in zip(weights, d)) % 11
        if check == 11:
            check = 0
        if check == 10 or check != d[9 + n]:
            return False
    return True


def _has_fodselsnummer(text: str) -> bool:
    return any(is_fodselsnummer(m.group(1) + m.group(2)) for m in _FNR.finditer(text))


# An e-mail address with its «@» written out, so that machines miss it (and so do we, unless we
# look): «kari (at) kommune.no», «kari[at]kommune[dot]no», «kari at kommune dot no»,
# «kari @ kommune.no». Found from the written-out «at», «dot» or a spaced «@» (rare in prose),
# then the name before and the domain after are read from a bounded window, so a long text costs
# one pass. «at» without brackets is a common Norwegian word: there the domain must spell out
# «dot», «punktum» or «prikk» too.
_AT_BRACKETED = re.compile(r"[\[({<] ?(?:at|krøllalfa|alfakrøll) ?[\])}>]", re.I)
_AT_SPACED = re.compile(r" @ ?|(?<=\w)@ ")
_DOT_WORD = re.compile(r"(?:[\[({<] ?(?:dot|punktum|prikk) ?[\])}>]| (?:dot|punktum|prikk) )", re.I)
_NAME_BEFORE = re.compile(r" {0,2}[\w.+-]{1,64}")           # matched on the reversed text
_DOMAIN = re.compile(r" {0,2}[\w-]{1,63}(?:(?: {0,2}\. {0,2}| {0,2}[\[({<] ?(?:dot|punktum|prikk)"
                     r" ?[\])}>] {0,2}| (?:dot|punktum|prikk) )[\w-]{1,63}){1,5}(?![\w-])", re.I)
# «kari at tydal dot no»: «at» is a common word, so the domain must end in a top-level domain
_DOMAIN_SPELLED = re.compile(r" {0,2}[\w-]{1,63}(?:(?: {0,2}\. {0,2}| {0,2}[\[({<] ?(?:dot|punktum|prikk)"
                             r" ?[\])}>] {0,2}| (?:dot|punktum|prikk) )[\w-]{1,63}){0,4}"
                             r"(?: {0,2}\. {0,2}| {0,2}[\[({<] ?(?:dot|punktum|prikk) ?[\])}>] {0,2}"
                             r"| (?:dot|punktum|prikk) )(?:no|com|org|net|eu|se|dk|fi|is|nu|info)"
                             r"(?![\w-])", re.I)
_AT_WORD_BEFORE = re.compile(r" (?:ta|affallørk) ", re.I)  # « at » / « krøllalfa », reversed


def _around(text: str, start: int, end: int, domain: re.Pattern) -> bool:
    before = text[max(0, start - 66):start][::-1]
    return bool(_NAME_BEFORE.match(before)) and bool(domain.match(text, end, end + 400))


def _has_obfuscated_email(text: str) -> bool:
    for m in _AT_BRACKETED.finditer(text):
        if _around(text, m.start(), m.end(), _DOMAIN):
            return True
    if "@" in text:
        for m in _AT_SPACED.finditer(text):
            if _around(text, m.start(), m.end(), _DOMAIN):
                return True
    # «kari at kommune dot no»: from the «dot» back to « at » (a literal search first: on a
    # bank of 5 000 entries a pattern that tries every space costs a quarter of a second)
    if not ("dot" in text or "punktum" in text or "prikk" in text or "DOT" in text):
        return False
    for m in _DOT_WORD.finditer(text):
        window = text[max(0, m.start() - 70):m.start()][::-1]
        at = _AT_WORD_BEFORE.search(window)
        if at is None or not re.fullmatch(r"[\w-]{1,63}", window[:at.start()]):
            continue
        start = m.start() - at.end()
        if _around(text, start, start + at.end() - at.start(), _DOMAIN_SPELLED):
            return True
    return False


_PERSONAL_HINT = ("Oppgi en rolle eller et felles postmottak, ikke en privat person. Sjekk at "
                  "personen har samtykket.")


def personal_data(r: Reader, body: str, body_line: int, kontakt: tuple[int, str] | None) -> None:
    """Warnings (they fail only `check --strict`): an e-mail address (also one written with
    «(at)» or «dot»), a phone number, a fødselsnummer — in `kontakt` and in the body."""
    checks = [kontakt] if kontakt else []
    digits = _PHONE_HINT.search(body) is not None  # 8 digits: needed by a phone number and a fnr
    if (("@" in body and _EMAIL.search(body))
            or (digits and (_PHONE.search(body) or _has_fodselsnummer(body)))
            or _has_obfuscated_email(body)):  # else no line has a hit: skip the lines
        checks += list(enumerate(body.split("\n"), start=body_line))
    for line, text in checks:
        if ("@" in text and _EMAIL.search(text)) or _PHONE.search(text):
            r.warn(line, "mulig personopplysning (e-postadresse eller telefonnummer)",
                   _PERSONAL_HINT)
        elif _has_obfuscated_email(text):
            r.warn(line, "mulig e-postadresse skrevet med «(at)», «[at]» eller «dot»",
                   "En e-postadresse til en person er en personopplysning (personvern), også "
                   "når @ og punktum er skrevet med ord. " + _PERSONAL_HINT)
        if _FNR_HINT.search(text) and _has_fodselsnummer(text):
            r.warn(line, "mulig fødselsnummer (11 sifre med gyldige kontrollsifre)",
                   "Et fødselsnummer identifiserer én person og skal aldri stå i et eksempel "
                   "(personvern). Slett det; skriv heller om personen uten å identifisere "
                   "henne, f.eks. «en bruker (80 år)».")


# A named person with a health detail: cheap and conservative — a person word («fru», «herr»,
# «pasient», «beboer», «bruker», «brukeren» …) followed by a capitalised name, in the same line
# as a word for a diagnosis or condition. Catches «Beboeren Kari har demens» and «fru Hansen,
# som fikk hjerneslag»; a kommune or an institution («Knarvik sjukeheim») does not match.
_PERSON = re.compile(r"\b(?:[Ff]ru|[Hh]err|[Pp]asient(?:en)?|[Bb]eboer(?:en)?|[Bb]ruker(?:en)?|"
                     r"[Dd]atteren|[Ss]ønnen|[Ee]nka|[Ee]nkemannen)\s{1,3}[A-ZÆØÅ][a-zæøå]{1,30}\b")
_HEALTH = re.compile(r"\b(?:demens\w*|alzheimer\w*|diagnos\w*|kreft\w*|hjerneslag|slag\b|"
                     r"parkinson\w*|diabetes|depresjon\w*|psykisk\w*|hjertesvikt|KOLS|"
                     r"underernær\w*|amputer\w*|rusavhengig\w*|innlagt|sykdom\w*|sjukdom\w*)",
                     re.I)


# Stems of _HEALTH as plain substrings: a body without any (almost all) costs one lower() and a
# few substring searches, not the patterns.
_HEALTH_STEMS = ("demens", "alzheimer", "diagnos", "kreft", "slag", "parkinson", "diabetes",
                 "depresjon", "psykisk", "hjertesvikt", "kols", "underernær", "amputer",
                 "rusavhengig", "innlagt", "sykdom", "sjukdom")


def named_health(r: Reader, body: str, body_line: int) -> None:
    """A warning (fails only `check --strict`) for a named person with a health detail."""
    low = body.lower()
    if not any(stem in low for stem in _HEALTH_STEMS):
        return
    if not (_HEALTH.search(body) and _PERSON.search(body)):
        return
    for n, line in enumerate(body.split("\n"), start=body_line):
        if _PERSON.search(line) and _HEALTH.search(line):
            r.warn(n, "mulig helseopplysning om en navngitt person",
                   "Helseopplysninger er særlig beskyttet (personvern). Skriv om personen uten "
                   "navn, f.eks. «en beboer med demens», eller få skriftlig samtykke.")
