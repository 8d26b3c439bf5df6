"""Problems as GitHub Actions workflow commands, so they appear on the lines of a PR diff.

    ::error file=examples_bank/x.md,line=3,title=ukjent kommune::ukjent kommune «Tydall» …

Escaping follows GitHub's rules for workflow commands (actions/toolkit, command.ts): in the
message `%`, `\\r` and `\\n` are percent-encoded; in property values also `:` and `,`.
Used by `erfaringsbank check` when the environment variable GITHUB_ACTIONS is "true".
"""
from __future__ import annotations

import os
from typing import Iterable, Mapping

from generator.base.errors import Issue


def in_github_actions(environ: Mapping[str, str] | None = None) -> bool:
    return (os.environ if environ is None else environ).get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(issue: Issue) -> str:
    """One workflow command for one issue; line 0 (the whole file) gives a file annotation."""
    command = "error" if issue.is_error else "warning"
    props = [f"file={escape_property(issue.path)}"]
    if issue.line > 0:
        props.append(f"line={issue.line}")
    props.append(f"title={escape_property(issue.message[:100])}")
    message = issue.message + (f"\nSlik retter du det: {issue.hint}" if issue.hint else "")
    return f"::{command} {','.join(props)}::{escape_data(message)}"


def annotations(issues: Iterable[Issue]) -> str:
    return "\n".join(annotation(i) for i in sorted(issues))
