"""«Flere eksempler som ligner»: a few other examples on every example page, chosen at build time.

Candidates come from the taxonomy index (model.Bank.index), never from a scan of the whole bank:
the newest `PER_TERM` examples with each of the example's løsninger, innsatsområder, its region
and its kommune. So a page costs the same whatever the size of the bank. Each candidate scores

    3 per shared løsning · 2 for the same region · 1 per shared innsatsområde
    · 1 for the same kommune · up to 2 for shared words in title and summary (Jaccard × 4)

and the best `SHOWN` are listed; ties go to the newer example, then to the slug, so the choice is
deterministic. A candidate needs at least one shared løsning, innsatsområde or region — words
alone never make two examples related. Documented for readers in docs/relaterte-eksempler.md.
"""
from __future__ import annotations

import heapq
import re
from functools import lru_cache

from generator.base.text import fold
from generator.model import Bank, Example

SHOWN = 3
PER_TERM = 40           # candidates taken from each term's list (newest first)
WEIGHTS = {"losning": 3, "region": 2, "innsatsomrade": 1, "kommune": 1}
WORDS_WEIGHT = 4        # × Jaccard of the content words (≤ 1), capped at WORDS_CAP
WORDS_CAP = 2.0
_WORD = re.compile(r"[a-z0-9]{5,}")
# frequent in every entry: they say nothing about what two examples share
_COMMON = frozenset(fold(w) for w in (
    "kommune", "kommunen", "kommunene", "eldre", "leve", "hele", "livet", "arbeid", "arbeidet",
    "tilbud", "tilbudet", "gjennom", "sammen", "andre", "blant", "prosjekt", "prosjektet"))


def words(e: Example) -> frozenset[str]:
    return _words(e.tittel, e.sammendrag)  # the strings' hashes are cached: a cheap lookup


# Each example is a candidate on up to ~200 other pages: its words are computed once (without
# this, 5 000 entries cost 700 000 foldings — 45 s of a 20 s build). Bounded: a few KB each.
@lru_cache(maxsize=1 << 16)
def _words(title: str, summary: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(fold(f"{title} {summary}")) if w not in _COMMON)


def related(bank: Bank, e: Example, shown: int = SHOWN) -> list[Example]:
    """The `shown` examples most like `e` (never `e` itself), best first."""
    scores: dict[str, float] = {}
    found: dict[str, Example] = {}
    for key, weight in WEIGHTS.items():
        for term in bank.terms_of(key, e):
            for other in bank.tagged(key, term)[:PER_TERM + 1]:
                if other.slug != e.slug:
                    scores[other.slug] = scores.get(other.slug, 0) + weight
                    found[other.slug] = other
    if not scores:
        return []
    mine = words(e)
    if mine:
        # shared words add at most WORDS_CAP: a candidate that cannot reach the `shown`-th best
        # score without them cannot be among the best (≈ 140 candidates a page, most cut here)
        floor = heapq.nlargest(shown, scores.values())[-1] - WORDS_CAP
        size = len(mine)
        for slug, score in scores.items():
            if score >= floor and (theirs := words(found[slug])):
                # Jaccard: |A ∩ B| / |A ∪ B|, the union counted, not built
                shared = len(mine & theirs)
                scores[slug] = score + min(WORDS_CAP,
                                           WORDS_WEIGHT * shared / (size + len(theirs) - shared))
    # only candidates scoring at least the `shown`-th best can be among the best: the tie-break
    # (newer, then slug) is computed for those few, not for all ≈ 140
    least = heapq.nlargest(shown, scores.values())[-1]
    return heapq.nsmallest(shown, (found[slug] for slug, score in scores.items() if score >= least),
                           key=lambda o: (-scores[o.slug], -o.publisert.toordinal(), o.slug))
