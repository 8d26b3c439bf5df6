"""What a published page keeps of what the search index read (issue 18, lean pages).

Pagefind gets every page with its markup (search/stream.py: `page_document`, `indexable`); the
page a visitor downloads does not need it — about 0.65 KB of every example page: Pagefind's
attributes, the filter-only <span>s, the hidden line of place names and the body's wrapper.
`serve` writes pages with the markup: its index is made from the written site (index_site).
"""
from __future__ import annotations

import re

from generator.search.stream import BODY_END, BODY_START

# What only the indexer reads (issue 18, lean pages; ≈ 0.65 KB of an example page): Pagefind's
# attributes, the filter-only <span>s, the hidden line of place names, the body's wrapper.
_MARK = " data-pagefind-"
_ATTRIBUTE = re.compile(r'\s([^\s="<>/]+)(="[^"]*")?')
_INDEX_ONLY = {"<span": "</span>", "<p hidden": "</p>"}  # elements with nothing else in them
# The theme's line breaks between tags, around the content (≈ 0.1 KB a page); never in the
# content itself, where a line break between two inline elements is a space between words.
# Only where asked (`tidy`): on the pages outside the menu, whose chrome is ours and renders
# the same without them (compared pixel by pixel, docs/performance.md); in Material's full
# menu a line break is a gap between inline blocks (the repository link's icon and name).
# (The theme's output has no indentation: a plain replace, ≈ 10× faster than a pattern.)
_BETWEEN_TAGS = ">\n<"


def _unmarked(tag: str) -> str:
    # attributes one by one: a quoted value that contains «data-pagefind-» stays as it is
    return _ATTRIBUTE.sub(lambda a: "" if a.group(1).startswith("data-pagefind-") else a.group(),
                          tag)


def published(html: str, tidy: bool = False) -> str:
    """A page as it is written once Pagefind has had it (`indexable`, `page_document`): without
    what only the indexer reads, and (`tidy`) the theme's line breaks between tags around the
    content. The index is made from the marked page, so search is the same;
    `serve` writes pages as they are (its index is made from the written site: `index_site`).
    Linear time: each part of the page is searched once (text has "<" escaped, so a mark in
    text is never taken for a tag's)."""
    start = html.find(BODY_START)
    if start >= 0:
        end = html.find("</div>" + BODY_END, start)
        if end >= 0:
            before, after = html[:start], html[end + len("</div>" + BODY_END):]
            if tidy:
                # (after: as if the content's last tag were before it)
                before = before.lstrip().replace(_BETWEEN_TAGS, "><")
                after = (">" + after).replace(_BETWEEN_TAGS, "><")[1:]
            html = before + html[start + len(BODY_START):end] + after
    out, done, seen, lt, gt = [], 0, 0, -1, -1
    i = html.find(_MARK)
    while i >= 0:
        lt, gt = max(lt, html.rfind("<", seen, i)), max(gt, html.rfind(">", seen, i))
        seen = i
        if lt <= gt or lt < done:  # in text, not in a tag
            i = html.find(_MARK, i + 1)
            continue
        end = html.find(">", i)
        if end < 0:
            break
        tag, after = _unmarked(html[lt:end + 1]), end + 1
        for opening, closing in _INDEX_ONLY.items():
            if tag == opening + ">" and (stop := html.find(closing, after)) >= 0 \
                    and (opening == "<p hidden" or stop == after) and "<" not in html[after:stop]:
                tag, after = "", stop + len(closing)
                break
        out += (html[done:lt], tag)
        done = seen = after
        i = html.find(_MARK, done)
    out.append(html[done:])
    return "".join(out)
