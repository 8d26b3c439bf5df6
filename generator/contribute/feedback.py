"""Feedback on a proposed example in one round, by the fields the contributor filled in.

`new` (flags or questions) and `from-issue` (the issue form) first check what they can read
themselves (an empty field, a date, an option), then render the draft and run the very validator
`check` uses on it — also when the first checks found problems — and report the union at once.
The contributor never saw the generated file, so nothing here names its lines, its path, its
YAML keys or «front matter»: each validator issue is mapped to the field it is about (by the
line of the rendered entry it points at) and reworded under that field's label, with the fix.
The answer for an issue comment (`markdown`) quotes untrusted text and is made inert.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.base.errors import ERROR, WARNING, BankError, Issue
from generator.base.text import BAD_CHARS
from generator.contribute import safemd

# The keys `scaffold.render` writes, in its order; «url» and «type» are a source's own keys.
KEYS = ("tittel", "kommuner", "innsatsomrader", "losninger", "sammendrag", "status",
        "publisert", "sprak", "kilder", "kontakt", "tekst", "syntetisk")
GENERAL = ""          # a remark about the proposal as a whole, not one field
_KEY_ALT = "|".join(KEYS + ("url", "type"))


@dataclass(frozen=True)
class Remark:
    key: str            # an entry key (KEYS) or GENERAL
    message: str
    hint: str = ""
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass(frozen=True)
class Surface:
    """How one way of contributing names the fields: the form's labels, or the flags."""

    labels: dict[str, str]           # key → label («Kommune(r)», «--kommune»)
    hints: dict[str, str]            # key → the fix in that surface's terms
    general: str                     # label of remarks about the whole
    body: str                        # how the body text is called («beskrivelsen»)
    quote_labels: bool = True        # «Tittel»: … (a flag is shown bare: --tittel: …)
    link_hint: str = ""              # replaces hints naming repository folders (the form)
    order: tuple[str, ...] = field(default=KEYS)

    def label(self, key: str) -> str:
        text = self.labels.get(key, self.general) if key else self.general
        return f"«{text}»" if self.quote_labels and key else text


def quote(text: str, limit: int = 80) -> str:
    """Contributor text as quoted in a message: one line, no control characters, bounded."""
    text = " ".join(BAD_CHARS.sub("?", text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- validator issues → remarks by field ----------------------------------------------------

def _lines_to_keys(text: str) -> tuple[dict[int, str], int]:
    """{line of the rendered entry: its key} and the first line of the body."""
    lines = text.split("\n")
    keys: dict[int, str] = {}
    current = GENERAL
    for n, line in enumerate(lines[1:], start=2):
        if line.rstrip() == "---":
            return keys, n + 1
        m = re.match(r"([a-z_]+):", line)
        if m:
            current = m.group(1) if m.group(1) in KEYS else GENERAL
        keys[n] = current
    return keys, len(lines) + 1


def key_of(issue: Issue, keys: dict[int, str], body_line: int) -> str:
    if issue.line >= body_line:
        return "tekst"
    if issue.line in keys:
        return keys[issue.line]
    named = re.search(rf"«({_KEY_ALT})\b", issue.message)   # «nøkkelen «x» mangler» (line 1)
    if named and named.group(1) in KEYS:
        return named.group(1)
    return "tittel" if "filnavnet" in issue.message else GENERAL


_YAMLISH = re.compile(rf"«?\b(?:{_KEY_ALT}):|front ?matter|url-linjen|nøkkel|\n|\[a, b\]", re.I)
_PATHS = re.compile(r"examples_bank/|content/|\.md\b")
_SUBJECT = {"kilder": {"tittel": "kildens tittel", "url": "nettadressen", "type": "kildetypen",
                       "kilder": "listen"}}


def plain(key: str, message: str, hint: str, surface: Surface, hide: str = "") -> tuple[str, str]:
    """A validator message and hint about the rendered entry, in the contributor's terms.
    `hide`: the not yet written file as messages name it; it is never shown."""
    msg = message.replace("brødteksten (etter front matter)", surface.body)
    msg = msg.replace("brødteksten", surface.body).replace("front matter", "feltene")
    msg = re.sub(r"«url: ([^»]*)»", r"nettadressen «\1»", msg)
    msg = re.sub(rf"«(?:{_KEY_ALT}): ([^»]*)»", r"«\1»", msg)
    msg = re.sub(rf"^nøkkelen «(?:{_KEY_ALT})» mangler$", "feltet mangler", msg)
    msg = re.sub(rf"^«(?:{_KEY_ALT})» er tom$", "feltet er tomt", msg)
    names = _SUBJECT.get(key, {})
    msg = re.sub(rf"«({_KEY_ALT})»",
                 lambda m: names.get(m.group(1), "teksten" if m.start() == 0 else "feltet"), msg)
    name = hide.rsplit("/", 1)[-1]
    if hide:
        msg = msg.replace(hide, "eksemplet").replace(f"«{name}»", "eksemplet")
    default = surface.hints.get(key, "")
    if key == "kilder" and msg.startswith("nettadressen"):
        default = surface.hints.get("url", default)
    if surface.link_hint and key == "tekst" and (_PATHS.search(hint) or msg.startswith("bildet")):
        hint = surface.link_hint      # the form cannot add images or files to the repository
    elif _YAMLISH.search(hint) or (hide and name in hint):
        hint = default
    hint = hint.replace("brødteksten", surface.body)
    return msg, hint


def from_validator(issues: list[Issue], text: str, surface: Surface, skip=frozenset(),
                   hide: str = "") -> list[Remark]:
    """The validator's issues about `text` (a rendered draft) as remarks by field. Fields in
    `skip` were reported already (empty, or a value that could not be read): what the validator
    says about their placeholder would repeat it."""
    keys, body_line = _lines_to_keys(text)
    out = []
    for issue in issues:
        key = key_of(issue, keys, body_line)
        if key in skip:
            continue
        if key == "syntetisk":
            key = GENERAL
        msg, hint = plain(key, issue.message, issue.hint, surface, hide)
        out.append(Remark(key, msg, hint, issue.severity))
    return out


def merge(remarks: list[Remark], surface: Surface) -> list[Remark]:
    """Deduplicated, in the surface's field order (remarks about the whole first)."""
    rank = {key: n for n, key in enumerate((GENERAL, *surface.order))}
    seen, out = set(), []
    for r in remarks:
        if (r.key, r.message) not in seen:
            seen.add((r.key, r.message))
            out.append(r)
    return sorted(out, key=lambda r: (rank.get(r.key, 0), not r.is_error))


# -- the report ------------------------------------------------------------------------------

def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!" else text + "."


class Feedback(BankError):
    """Every remark on a proposal that was not saved; `exit_code` 1 (content) or 2 (usage)."""

    def __init__(self, shown: str, remarks: list[Remark], surface: Surface,
                 exit_code: int = 1, closing: str = "Eksemplet ble ikke lagret."):
        self.shown, self.surface, self.exit_code, self.closing = shown, surface, exit_code, closing
        self.remarks = merge(remarks, surface)
        super().__init__(Issue(shown, 0, f"{surface.label(r.key)}: {r.message}", r.hint,
                               r.severity) for r in self.remarks)

    def report(self) -> str:
        """For the terminal: one problem a line, labelled by field, in the fields' order."""
        lines = [Issue(self.shown, 0, f"{self.surface.label(r.key)}: {r.message}", r.hint,
                       r.severity).format() for r in self.remarks]
        n_err = sum(r.is_error for r in self.remarks)
        n_warn = len(self.remarks) - n_err
        lines.append(f"{self.closing} {n_err} feil, {n_warn} "
                     f"{'advarsel' if n_warn == 1 else 'advarsler'}.")
        return "\n".join(lines)

    def markdown(self, intro: str) -> str:
        """The answer for an issue comment: `intro`, then one section a field, in form order.
        Every bit of text is made inert (see `inert`): it may quote the issue's answers."""
        out = [intro, ""]
        for key in dict.fromkeys(r.key for r in self.remarks):
            label = self.surface.labels.get(key, self.surface.general) if key \
                else self.surface.general
            out += [f"#### {inert(label)}", ""]
            for r in (r for r in self.remarks if r.key == key):
                text = _sentence(r.message)
                if not r.is_error:
                    text = "Se over (ikke en feil, men sjekk det): " + text
                if r.hint:
                    text += " Slik retter du det: " + _sentence(r.hint)
                out.append(f"- {inert(text)}")
            out.append("")
        return "\n".join(out)[:60000]


# -- Markdown that does nothing ---------------------------------------------------------------

def inert(text: str) -> str:
    """`text` as Markdown that renders as exactly this text, on one line: no HTML, no link,
    image, mention or issue reference, no block (heading, list, quote, code) can start in it.
    The one implementation is safemd.inline (the reviewers' preview uses it too)."""
    return safemd.inline(text)


def warnings_as_issues(remarks: list[Remark], surface: Surface, shown: str) -> list[Issue]:
    """Warnings about a saved entry (it exists now: `shown` is its path), labelled by field."""
    return [Issue(shown, 0, f"{surface.label(r.key)}: {r.message}", r.hint, WARNING)
            for r in merge(remarks, surface) if not r.is_error]
