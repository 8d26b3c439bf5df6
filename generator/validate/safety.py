"""Checks of an entry's body that Markdown rendering would hide: active content (reported so the
contributor learns why it disappears — the sanitiser removes it anyway), images without
alternative text, and possible personal data (warnings).

Every pattern is linear in the length of the text: no pattern may scan past the next «<» from
each «<» (a body of «< < < …» must not take quadratic time).
"""
from __future__ import annotations

import re
from html import unescape

from generator.validate.fields import Reader

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
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
_BAD_SCHEME = re.compile(r"(?:\]\(\s*<?|\b(?:href|src)\s*=\s*[\"']?)\s*(javascript|vbscript|data|file):", re.I)
_NO_ALT = re.compile(r"!\[\s*\]\(|<img\b(?![^<>]*\balt\s*=\s*(?:[\"'][^\"'\s]|[^\s\"'>]))[^<>]*>",
                     re.I)


def body_safety(r: Reader, body: str, body_line: int) -> None:
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


def personal_data(r: Reader, body: str, body_line: int, kontakt: tuple[int, str] | None) -> None:
    """Warnings (they fail only `check --strict`): an e-mail address or a phone number."""
    checks = [kontakt] if kontakt else []
    if ("@" in body and _EMAIL.search(body)) or (_PHONE_HINT.search(body)
                                                 and _PHONE.search(body)):  # else no line hits
        checks += list(enumerate(body.split("\n"), start=body_line))
    for line, text in checks:
        if ("@" in text and _EMAIL.search(text)) or _PHONE.search(text):
            r.warn(line, "mulig personopplysning (e-postadresse eller telefonnummer)",
                   "Oppgi en rolle eller et felles postmottak, ikke en privat "
                   "person. Sjekk at personen har samtykket.")
