"""What Pagefind reads of a page: the part a visitor searches, a copy of it without æ/ø/å, and
what kind of page it is. Both ways of making the index (streamed during the build,
search/stream.py, and over a written site, search/pagefind.py: index_site) hand Pagefind
`document(url, inner, title)` — so they give the same index (tests/test_search_stream.py).

Pagefind 1.6.0, measured (tests/test_search_relevance.py, docs/performance.md):

* **æ/ø/å.** Pagefind folds accents (å → a, é → e), but not ø or æ: «moteplass» found no
  «møteplass» and fell back to the longest indexed prefix («mot»), «ernaering» to «er».
  So every word with æ, ø or å is indexed once more, folded (`fold`: ø → o, æ → ae; and
  ø → oe, å → aa as people also type them), in a copy of the page's markup after the real
  text (`folded_copy`): same elements, so the same weights (data-pagefind-weight, Pagefind's
  heading weights), with only the folded words in it. «moteplass» then finds the pages
  «møteplass» finds, with the same weighted counts, page lengths and page counts, so ranked
  the same (the page script turns off the two boosts that see the spelling: the title boost
  and the exact-accent bonus, discovery.RANKING). The copy is never shown: it is not in the
  page, only in what Pagefind reads; it starts after `MARKER`, and the page script makes the
  excerpt from the text before it (a hit in the copy is shown on the word it was made from).
* **Only what is searched.** Example pages: title, summary, text, and the place names (a
  hidden line in the facts box, weight 2: a name is said once where the text repeats its
  subject); not the facts box itself (its values are filters), the sources, the prize note, the
  edit links (`_NOT_SEARCHED`). The list of all kommuner is
  not indexed at all (a name query would match it every time).
* **Kind of page.** Every page gets the filter `type` (`KINDS`), shown with each hit. Not
  metadata: Pagefind makes every metadata value searchable («eksempel» would match every
  example, «november» every page with a date in its metadata).
* **A word's first few times.** In running text (not headings, not weighted parts), only the
  first `CAP` occurrences of a word on a page are indexed; later ones are written in a code
  Pagefind does not index (`capped`), which the page script reads back for the excerpt. A word
  is downloaded with every position it has on every page — «møteplass» in the 5 000-entry
  bench: 58 000 positions, 79 KB of a first query's 276 KB; capped at 5 a page, 41 KB. Ranking
  changes little: Pagefind's term frequency saturates (BM25), a page's length is unchanged (the
  code is still a word of the page), and the relevance set keeps its first hits.
* **Examples first.** Navigation pages (kommune, region, status, home, listings) are read with
  a lower weight (`NAV_WEIGHT`), so a place name ranks that place's examples above the pages
  that list them.
"""
from __future__ import annotations

import html
import functools
import re

from generator.pages.discovery import MARKER

# URL (from the site root, "/a/b/") → kind of page; None: not indexed. First match wins.
# The labels the visitor sees are in pages/discovery.py (KIND_LABELS).
KINDS: tuple[tuple[re.Pattern, str | None], ...] = tuple((re.compile(p), k) for p, k in (
    (r"^/eksempler/[^/]+/$", "eksempel"),
    (r"^/innsatsomrader/[^/]+/$", "innsatsomrade"),
    (r"^/innsatsomrader/[^/]+/[^/]+/$", "losning"),
    (r"^/kommuner/$", None),            # every kommune's name: matched by any place query
    (r"^/kommuner/[^/]+/$", "kommune"),
    (r"^/regioner/[^/]+/$", "region"),
    (r"^/regioner/$", "oversikt"),
    (r"^/alle-eksempler/", None),        # lists of titles (the cards are not indexed anyway)
    (r"^/status/", "status"),
    (r"^/$", "oversikt"),
    (r"", "side"),
))

# Kinds whose pages lead to examples rather than being read for themselves: their words count
# less than an example's (the example's title 10, summary 5, text 1, place names PLACE_WEIGHT).
NAV_WEIGHT = "0.2"
NAVIGATION = frozenset({"kommune", "region", "status", "oversikt"})

# Parts of example pages that are not searched for (classes of eksempel.html); the facts box
# marks itself (data-pagefind-ignore on its list). Their filters and metadata still count.
_NOT_SEARCHED = ("eb-kilder", "eb-rediger", "eb-pris", "eb-syntetisk")
_NOT_SEARCHED_TAG = re.compile(r'<(\w+) class="(%s)"' % "|".join(_NOT_SEARCHED))

# MARKER (pages/discovery.py) starts the folded copy. Not a word (no letter or digit): Pagefind
# indexes nothing for it, but it is in the page's text (`content`), where the page script looks.

# `capped`: occurrences of a word a page's running text has indexed; later ones are written as
# CODE_START + the word in a code of ASCII punctuation + CODE_START (no letter, digit, emoji or
# space: Pagefind indexes nothing for it but keeps it in the page's text, the fragment's
# `content`), with the word's own punctuation around it. The page script (finn-eksempler.js:
# `decode`) turns it back into the word. The code: one sign for the 23 most used letters, "~" +
# a sign for the others, "_" before a capital letter. The closing CODE_START keeps the code apart
# from punctuation after it (Pagefind adds a «.» after a paragraph that ends in a word).
CAP = 5
CODE_START = "⁑"
_SIGNS = "!$%()+,-./:;=?@[]^`{|}\\"
_COMMON = "erntsialkodgmvfuphbåøjy"
_RARE = "cwxzqæéèêóòôüöäáàîí"
CODE = {**{c: _SIGNS[i] for i, c in enumerate(_COMMON)},
        **{c: "~" + _SIGNS[i] for i, c in enumerate(_RARE)}}
CODE.update({c.upper(): "_" + v for c, v in CODE.items()})
_CODE_TABLE = str.maketrans(CODE)
_PUNCTUATED = re.compile(r"([^\w\s]*)([^\W\d_]+)([^\w\s]*)")  # «word», word. (word)
_ELEMENT = re.compile(r"<(/?)([a-zA-Z][\w-]*)")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# Tags Pagefind puts a space at (its SENTENCE_SELECTORS and <br>): a word ends there
_BREAKS = frozenset("h1 h2 h3 h4 h5 h6 p td div ul li article section br".split())
# Elements whose text is not running text: weighted (headings, data-pagefind-weight), or not
# indexed at all (ignored, Pagefind's REMOVE_SELECTORS)
_KEPT = re.compile(r"^<(?:h[1-6]\b|script|style|svg|noscript|template)|data-pagefind-(?:weight|ignore)",
                   re.I)

_NORDIC = re.compile(r"[æøåÆØÅ]")
_LETTERS = re.compile(r"[\W_]")  # what is not a letter or digit
# A tag, captured (re.split keeps it). [^<>]: a stray «<» costs one step, not a scan to the end.
_TAG = re.compile(r"(<[^<>]*>)")
# Not read by Pagefind (its REMOVE_SELECTORS): left out of the copy, with what they hold
_SKIPPED = re.compile(r"<(script|style|svg|noscript|template)\b", re.I)
# What must not be repeated in the copy: filters, metadata, sort keys (counted once), and ids
# (Pagefind makes an anchor of each)
_ONCE = re.compile(r'\s(?:data-pagefind-(?:filter|meta|default-meta|sort)|id)="[^"]*"')


def kind(url: str) -> str | None:
    for pattern, k in KINDS:
        if pattern.search(url):
            return k
    return None


def fold(word: str) -> list[str]:
    """The spellings without æ/ø/å a visitor may type for `word`: [] if it has none.
    «Trøndelag» → [Trondelag, Troendelag]; «ernæring» → [ernaering]; «måltid» → [maaltid]
    (Pagefind itself finds «måltid» for «maltid»); «Bodø» → [Bodo] — «Bodoe» would extend
    «Bodo», so a query «bodo» would count both; Pagefind finds «bodoe» by its prefix «bodo».
    Words of one or two letters are not folded."""
    return _fold(word) if _NORDIC.search(word) else []


def _fold(word: str) -> list[str]:
    """`fold` of a word with æ, ø or å."""
    if len(word) <= 2 or (len(word) <= 4 and len(_LETTERS.sub("", word)) <= 2):
        return []  # «på», «år», «nå»: nobody searches for them, and they are everywhere
    # str.replace: a few times faster than str.translate with a table of strings
    one = word.replace("æ", "ae").replace("Æ", "Ae").replace("ø", "o").replace("Ø", "O")
    two = (word.replace("æ", "ae").replace("Æ", "Ae").replace("ø", "oe").replace("Ø", "Oe")
           .replace("å", "aa").replace("Å", "Aa"))
    if one == word:        # only å: Pagefind folds it itself
        return [two]
    return [one] if two.startswith(one) else [one, two]


def _fold_all(words: list[str]) -> list[str]:
    """`fold` of each word, in order, with the replacements made once over all of them (C
    speed) instead of per word: the same result (tests/test_search_relevance.py)."""
    if not words:
        return []
    joined = "\n".join(words)  # split() leaves no line break inside a word
    ones = (joined.replace("æ", "ae").replace("Æ", "Ae").replace("ø", "o").replace("Ø", "O")
            .split("\n"))
    twos = (joined.replace("æ", "ae").replace("Æ", "Ae").replace("ø", "oe").replace("Ø", "Oe")
            .replace("å", "aa").replace("Å", "Aa").split("\n"))
    out = []
    for word, one, two in zip(words, ones, twos):
        if two == word:  # no æ, ø or å
            continue
        if len(word) <= 2 or (len(word) <= 4 and len(_LETTERS.sub("", word)) <= 2):
            continue
        if one == word:
            out.append(two)
        elif two.startswith(one):
            out.append(one)
        else:
            out += (one, two)
    return out


def _folded_text(text: str) -> str:
    if not _NORDIC.search(text):
        return ""
    if "&" in text:
        text = html.unescape(text)
    # (a word with æ/ø/å is not ASCII: isascii() sorts out most words at C speed)
    words = _fold_all([w for w in text.split() if not w.isascii()])
    # spaces around: the next element's words must not join these
    return f" {html.escape(' '.join(words), quote=False)} " if words else ""


def _without_skipped(inner: str) -> str:
    """`inner` without its script, style, svg … elements (an unclosed one: to the end)."""
    m = _SKIPPED.search(inner)
    if m is None:
        return inner
    low, out, pos = inner.lower(), [], 0
    while m:
        out.append(inner[pos:m.start()])
        end = low.find(f"</{m.group(1).lower()}", m.end())
        if end < 0:
            return "".join(out)
        pos = (inner.find(">", end) + 1) or len(inner)
        m = _SKIPPED.search(inner, pos)
    out.append(inner[pos:])
    return "".join(out)


def folded_copy(inner: str) -> str:
    """`inner` with every text replaced by the folded forms of its words (nothing if none):
    the same elements, so each folded word gets the weight its original has. Linear in the
    page's length (every pattern here is)."""
    if not _NORDIC.search(inner):
        return ""
    parts = _TAG.split(_ONCE.sub("", _without_skipped(inner)))
    found = False
    for i in range(0, len(parts), 2):  # the texts between the tags
        if parts[i]:
            parts[i] = _folded_text(parts[i])
            found = found or bool(parts[i])
    return "".join(parts) if found else ""


@functools.lru_cache(maxsize=1 << 16)
def _coded(word: str) -> str | None:
    """The word in the code between its two CODE_STARTs; None if a letter has no code. A page
    codes the same few dozen words again and again: made once per word."""
    code = word.translate(_CODE_TABLE)
    return CODE_START + code + CODE_START if code.isascii() else None


def capped(inner: str) -> str:
    """`inner` with a word's occurrences after its first CAP in running text written in the code
    (see CODE_START). A token is a word with punctuation around it or nothing; a token that
    touches an inline tag may go on in the next element («<em>møte</em>plass»): left as it is
    and not counted. Linear in the page's length."""
    if CODE_START in inner:
        return inner  # the page already has the code's sign: leave it readable
    parts = _TAG.split(inner)
    counts: dict[str, int] = {}
    stack: list[tuple[str, bool]] = []  # open elements: (name, not running text)
    open_names: dict[str, int] = {}  # how many of each are open (a closing tag without one: skipped)
    kept = 0
    breaks = [False] * len(parts)  # for each tag: does a word end at it?
    for i in range(1, len(parts), 2):
        m = _ELEMENT.match(parts[i])
        breaks[i] = bool(m) and m.group(2).lower() in _BREAKS
    for i in range(0, len(parts), 2):
        if i:  # the tag before this text
            m = _ELEMENT.match(parts[i - 1])
            if m:
                name = m.group(2).lower()
                if m.group(1):  # closing: up to its opening tag
                    if open_names.get(name):
                        while stack:
                            n, k = stack.pop()
                            kept -= k
                            open_names[n] -= 1
                            if n == name:
                                break
                elif name not in _VOID and not parts[i - 1].endswith("/>"):
                    k = bool(_KEPT.search(parts[i - 1]))
                    stack.append((name, k))
                    open_names[name] = open_names.get(name, 0) + 1
                    kept += k
        part = parts[i]
        if kept or not part or part.isspace():
            continue
        lows = part.lower().split()
        first = 0 if part[0].isspace() or (i and breaks[i - 1]) else 1
        last = len(lows) - (not part[-1].isspace() and not (i + 1 < len(parts) and breaks[i + 1]))
        toks = None
        for j in range(first, last):
            key, m = lows[j], None
            if not key.isalpha():  # punctuation around the word, or not a word
                m = _PUNCTUATED.fullmatch(key)
                if not m:
                    continue
                key = m.group(2)
            n = counts[key] = counts.get(key, 0) + 1
            if n > CAP:
                if toks is None:
                    toks = part.split()
                word, before, after = toks[j], "", ""
                if m is not None:
                    before, after = m.group(1), m.group(3)
                    word = word[len(before):len(word) - len(after)]
                code = _coded(word)
                if code is not None:
                    toks[j] = before + code + after
        if toks is not None:
            lead = part[:len(part) - len(part.lstrip())]
            trail = part[len(part.rstrip()):]
            parts[i] = lead + " ".join(toks) + trail
    return "".join(parts)


def searched_part(inner: str) -> str:
    """`inner` with the parts nobody searches for marked data-pagefind-ignore."""
    return _NOT_SEARCHED_TAG.sub(r'<\1 class="\2" data-pagefind-ignore', inner)


def body(url: str, inner: str) -> str | None:
    """The inside of the `data-pagefind-body` element Pagefind reads for the page at `url`,
    whose own `data-pagefind-body` holds `inner`; None: the page is not indexed."""
    k = kind(url)
    if k is None:
        return None
    inner = capped(searched_part(inner))
    copy = folded_copy(inner)
    parts = [f'<span data-pagefind-filter="type:{k}"></span>', inner]
    if copy:
        parts += [f"<p>{MARKER}</p>", copy]
    content = "".join(parts)
    if k in NAVIGATION:
        content = f'<div data-pagefind-weight="{NAV_WEIGHT}">{content}</div>'
    return content
