"""The reviewers' and maintainers' commands: `forhandsvis` (a pull request's changed examples
as they will be published, for the job summary) and `lenker` (every external URL the site
cites, for the weekly dead-link check)."""
from __future__ import annotations


def add_parsers(sub) -> None:
    pv = sub.add_parser("forhandsvis", help="vis endrede eksempler slik de blir publisert "
                                            "(Markdown, for sammendraget i en pull request)")
    pv.add_argument("--changed", action="store_true", help="bare eksempler endret mot --base")
    pv.add_argument("--base", default=None, help="git-referansen det sammenlignes med")
    ln = sub.add_parser("lenker", help="skriv ut alle eksterne lenker nettstedet viser "
                                       "(kilder og lenker i innholdet)")
    ln.add_argument("--format", choices=("tekst", "json"), default="tekst")


def cmd_forhandsvis(args) -> int:
    raise NotImplementedError("forhandsvis")


def cmd_lenker(args) -> int:
    raise NotImplementedError("lenker")


COMMANDS = {"forhandsvis": cmd_forhandsvis, "lenker": cmd_lenker}
