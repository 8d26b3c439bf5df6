"""Untrusted text in Markdown that GitHub shows (a job summary, an issue): as text, never as markup.

An entry arrives by pull request from anyone. Shown in a GitHub job summary or issue it must not
become HTML or a script, an image loaded from another site, a @mention that notifies someone, or
a workflow command: the runner reads `::command::` at the start of a stdout line (after any
leading whitespace) and the old `##[command]` anywhere in a line.
"""
from __future__ import annotations

import re

from generator.base.text import BAD_CHARS

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaped, none of them
# starts emphasis, a link, an image, an autolink, raw HTML, an entity, a heading, a list or a table.
_PUNCT = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_WS = re.compile(r"\s+")
# a word joiner after «@»: no mention (GitHub finds them in the text after rendering, where a
# backslash escape is gone), and the reader sees «@» as it was written
_AT = "@\u2060"
# what a URL may hold to be an autolink «<…>» (and a validated kilde always is)
_SAFE_URL = re.compile(r"https?://[^\s<>\"'`\\^{}|\x00-\x1f\x7f]+")
_ZWSP = "\u200b"   # not whitespace to the runner: a line starting with it is no command
# control characters (an escape sequence would colour a reviewer's terminal) and bidirectional
# overrides (they reorder what is shown): «?», as everywhere (base/text.py)
_CONTROL = BAD_CHARS


# GitHub turns «#123» into a link to an issue, a bare «https://…» or «www.…» into a link, and
# «@name» into a mention *after* Markdown is rendered, when the backslashes are gone: a word
# joiner (invisible, not whitespace) after «@» and «#» before a word, inside «://» and after
# «www» keeps the text as written and stops all three.
_JOIN = "\u2060"
_REFERENCE = re.compile(r"([@#])(?=\w)")
_AUTOLINK = re.compile(r"(?i)(:)(?=//)|(www)(?=\.)")


def _text(line: str) -> str:
    line = _REFERENCE.sub(lambda m: m.group(1) + _JOIN, _CONTROL.sub("?", line))
    line = _AUTOLINK.sub(lambda m: (m.group(1) or m.group(2)) + _JOIN, line)
    return _PUNCT.sub(r"\\\1", line).replace("@", _AT).replace(_AT + _JOIN, _AT)


def inline(text: str, limit: int | None = None) -> str:
    """One line of plain text, shown exactly as written (newlines become spaces)."""
    text = _WS.sub(" ", str(text)).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return _text(text)


def quoted(text: str) -> str:
    """Many lines of plain text as a block quote, each line as written (its Markdown visible)."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    lines = [_indent(_text(line.rstrip())) for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def _indent(line: str) -> str:
    """Leading spaces as no-break spaces: indented the same, but never an indented code block
    (where the backslashes of the escapes would show)."""
    body = line.lstrip(" ")
    return "\u00a0" * (len(line) - len(body)) + body


def url(address: str) -> str:
    """A link to an http(s) address; anything else as escaped text."""
    if _SAFE_URL.fullmatch(address) and len(address) <= 2000:
        return f"<{address}>"
    return inline(address, limit=300)


def no_commands(markdown: str) -> str:
    """The final guard on everything printed: no line is a workflow command for the runner."""
    out = []
    for line in markdown.split("\n"):
        if line.lstrip().startswith("::"):
            line = _ZWSP + line
        out.append(line.replace("##[", "##" + _ZWSP + "["))
    return "\n".join(out)
