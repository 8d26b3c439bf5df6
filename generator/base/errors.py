"""One error type for the whole pipeline: it carries every problem found, not just the first.

Modelled on mkdocs' config validation, which collects all errors before reporting.
Messages are Norwegian (bokmål): the people who read them are advisers, not programmers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

ERROR = "feil"
WARNING = "advarsel"


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in one file. `line` is 1-based; 0 means «the file as a whole»."""

    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = field(default=ERROR, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    Slik retter du det: {self.hint}"
        return text


class BankError(Exception):
    """Raised by a pipeline stage when the input has errors. Carries *all* issues, sorted."""

    def __init__(self, issues: Iterable[Issue]):
        self.issues: list[Issue] = sorted(issues)
        super().__init__(self.report())

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    def report(self) -> str:
        return format_report(self.issues)


def format_report(issues: Iterable[Issue]) -> str:
    issues = sorted(issues)
    lines = [i.format() for i in issues]
    n_err = sum(1 for i in issues if i.is_error)
    n_warn = len(issues) - n_err
    files = len({i.path for i in issues})
    lines.append(f"{n_err} {'feil' if n_err == 1 else 'feil'}, {n_warn} "
                 f"{'advarsel' if n_warn == 1 else 'advarsler'} i {files} "
                 f"{'fil' if files == 1 else 'filer'}.")
    return "\n".join(lines)


class Collector:
    """Accumulates issues for one stage; `raise_if_errors` ends the stage with one BankError."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def error(self, path: str, line: int, message: str, hint: str = "") -> None:
        self.issues.append(Issue(path, line, message, hint, ERROR))

    def warning(self, path: str, line: int, message: str, hint: str = "") -> None:
        self.issues.append(Issue(path, line, message, hint, WARNING))

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    @property
    def has_errors(self) -> bool:
        return any(i.is_error for i in self.issues)

    def raise_if_errors(self, strict: bool = False) -> None:
        if self.has_errors or (strict and self.issues):
            raise BankError(self.issues)


class ConfigError(BankError):
    """The site configuration itself is broken (exit code 2, not 1)."""
