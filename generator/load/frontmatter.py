"""Split a Markdown file into YAML front matter and body, with line numbers."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Split:
    front_matter: str
    fm_start_line: int   # 1-based line of the first front-matter line (after the opening ---)
    body: str
    body_start_line: int


class FrontMatterProblem(Exception):
    def __init__(self, line: int, message: str, hint: str):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def split(text: str) -> Split:
    """`text` must already be decoded, BOM-free and with \\n line endings."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise FrontMatterProblem(
            1, "filen mangler front matter (den skal begynne med en linje med bare ---)",
            "Start filen med ---, så nøklene (tittel:, kommuner: …), så en ny linje med ---, "
            "og deretter teksten. Se CONTRIBUTING.md eller kjør «erfaringsbank new».")
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return Split("\n".join(lines[1:i]), 2, "\n".join(lines[i + 1:]), i + 2)
    raise FrontMatterProblem(
        1, "front matter er ikke avsluttet (fant ingen avsluttende linje med ---)",
        "Legg inn en linje med bare --- mellom nøklene og teksten.")
