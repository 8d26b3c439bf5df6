"""The one type of HTML that templates may insert without escaping.

Templates autoescape everything. HTML that is already safe — an entry body after the sanitiser
(render/markdown.py), or the output of one of our own autoescaping templates — is a `SafeHtml`
(markupsafe's `Markup`, which Jinja does not escape again). Anything else that reaches a template
is text and is escaped. A `str` never becomes `SafeHtml` by accident: only the sanitiser and
the template renderer construct it.
"""
from __future__ import annotations

from markupsafe import Markup


class SafeHtml(Markup):
    """HTML that went through the sanitiser or an autoescaping template."""

    __slots__ = ()
