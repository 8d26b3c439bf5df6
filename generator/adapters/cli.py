"""Command line: `erfaringsbank build | serve | check | new | from-issue | forhandsvis | lenker`
(also `python -m generator`).

Exit codes: 0 ok · 1 the content has errors (or the build failed) · 2 usage or configuration
error · 3 internal error (a bug: please report it).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import traceback
from pathlib import Path

from generator.base.errors import BankError, ConfigError, format_report
from generator.publish import io_error
from generator.base.settings import Settings
from generator.load.config import config_text
from generator.validate.config import config_issue, read_settings

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="erfaringsbank",
                                description="Bygg og kontroller erfaringsbanken for Leve hele livet.",
                                epilog=EXIT_CODES_HELP,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-f", "--config", default="site_config.yml",
                   help="nettstedets konfigurasjon (standard: site_config.yml)")
    sub = p.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    b = sub.add_parser("build", help="bygg nettstedet til site/")
    b.add_argument("-d", "--site-dir", default=None, help="mappe for nettstedet (standard: site/)")
    b.add_argument("--site-url", default=None,
                   help="nettstedets fulle adresse, f.eks. https://org.github.io/repo/ "
                        "(overstyrer site_url i site_config.yml)")
    b.add_argument("--no-strict", action="store_true",
                   help="ikke stopp på advarsler fra mkdocs (standard er streng bygging)")
    s = sub.add_parser("serve", help="vis nettstedet lokalt med automatisk oppdatering")
    s.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="adresse (vert:port)")
    ch = sub.add_parser("check", help="kontroller eksemplene uten å bygge nettstedet")
    ch.add_argument("--strict", action="store_true", help="feil også på advarsler")
    ch.add_argument("--changed", action="store_true",
                    help="kontroller bare eksempler som er endret mot --base (raskt i pull requests)")
    ch.add_argument("--base", default=None,
                    help="git-referansen det sammenlignes med (standard: origin/$GITHUB_BASE_REF "
                         "i GitHub Actions, ellers origin/main)")
    _add_new_parser(sub)
    fi = sub.add_parser("from-issue", help="lag et eksempel fra en sak laget med skjemaet "
                                           "«Foreslå et eksempel»")
    fi.add_argument("body", help="fil med sakens tekst (- for standard inn)")
    fi.add_argument("--issue", default=None, help="saksnummeret (brukes i feilmeldinger)")
    fi.add_argument("--svar", default=None, metavar="FIL",
                    help="ved feil (kode 1): skriv svaret til saken, med alle feilene felt for "
                         "felt, som Markdown i FIL")
    from generator.adapters import cli_tools  # the reviewers' and maintainers' tools
    cli_tools.add_parsers(sub)
    return p


EXIT_CODES_HELP = """avslutningskoder:
  0  alt i orden
  1  innholdet har feil (eller byggingen feilet)
  2  feil bruk eller feil i konfigurasjonen
  3  intern feil i erfaringsbank (meld den gjerne)

I GitHub Actions (GITHUB_ACTIONS=true) skriver «check» i tillegg hver feil som en
::error-merknad, slik at den vises på riktig linje i pull requesten."""


def _add_new_parser(sub) -> None:
    n = sub.add_parser("new", help="lag et nytt eksempel (spør deg om feltene hvis du ikke "
                                   "oppgir noen)", epilog="Uten flagg, i en terminal, spør "
                                   "kommandoen om hvert felt.")
    n.add_argument("--tittel")
    n.add_argument("--kommune", action="append", default=[], help="navn eller nummer; kan gjentas")
    n.add_argument("--innsatsomrade", action="append", default=[], help="slug; kan gjentas")
    n.add_argument("--losning", action="append", default=[], help="slug; kan gjentas")
    n.add_argument("--sammendrag")
    n.add_argument("--status", help="planlagt | igangsatt | gjennomfort")
    n.add_argument("--publisert", help="ÅÅÅÅ-MM-DD (standard: i dag)")
    n.add_argument("--sprak", default="nb", help="nb | nn (standard: nb)")
    n.add_argument("--kilde", action="append", default=[],
                   help="«Tittel | https://… | type» (type: kommune, offentlig, organisasjon "
                        "eller avis) eller bare «Tittel»; kan gjentas")
    n.add_argument("--kontakt", help="en rolle, ikke en privatperson")
    n.add_argument("--tekst", help="brødteksten (Markdown); - leser den fra standard inn")
    n.add_argument("--syntetisk", action="store_true", help="merk som syntetisk testdata")


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    try:
        from generator.adapters import cli_tools
        return {"build": cmd_build, "serve": cmd_serve, "check": cmd_check, "new": cmd_new,
                "from-issue": cmd_from_issue, **cli_tools.COMMANDS}[args.command](args)
    except ConfigError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_USAGE
    except BankError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_INVALID
    except (KeyboardInterrupt, EOFError):
        print("\nAvbrutt; ingen fil er skrevet.", file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:  # noqa: BLE001 - last resort: never a bare traceback for users
        return _internal_error(exc, args.config)


def _issues_page(config: str) -> str:
    """Where to report a bug: the project's issue list (the repository address from its one
    place), or plain words when even the config cannot be read."""
    try:
        url = read_settings(config).repo_url
    except Exception:  # noqa: BLE001 - reporting a bug must not raise another
        url = ""
    return f"{url}/issues" if url else "prosjektets saksliste på GitHub"


def _internal_error(exc: Exception, config: str = "site_config.yml") -> int:
    """A bug, not a content problem: say so, keep the details in a file, say where to report.
    The traceback is printed too in CI (env CI) or with ERFARINGSBANK_DEBUG=1."""
    details = traceback.format_exc()
    try:
        fd, name = tempfile.mkstemp(prefix="erfaringsbank-feil-", suffix=".txt")
        with open(fd, "w", encoding="utf-8") as f:
            f.write(details)
        saved = f" Detaljene er lagret i {name}."
    except OSError:
        saved, details = "", details
    if os.environ.get("CI") or os.environ.get("ERFARINGSBANK_DEBUG") or not saved:
        print(details, file=sys.stderr)
    print(f"Intern feil i erfaringsbank ({type(exc).__name__}: {exc}). Dette er ikke en feil i "
          f"innholdet ditt.{saved} Meld feilen på {_issues_page(config)} og legg ved detaljene.",
          file=sys.stderr)
    return EXIT_INTERNAL


def cmd_check(args) -> int:
    from generator.pipeline import load_bank
    from generator.contribute.annotations import annotations, in_github_actions
    settings = read_settings(args.config)
    only = None
    if args.changed:
        from generator.contribute.changes import changed_entries, default_base
        only = changed_entries(settings, args.base or default_base())
        print(f"Kontrollerer {len(only)} endrede eksempler (og referansedataene).")
    try:
        bank = load_bank(settings, strict=args.strict, only=only, bodies=False)
    except BankError as exc:
        if in_github_actions():
            print(annotations(exc.issues))
        raise
    if bank.warnings:
        print(format_report(bank.warnings), file=sys.stderr)
        if in_github_actions():
            print(annotations(bank.warnings))
    print(f"OK: {len(bank.examples)} eksempler kontrollert, ingen feil.")
    return EXIT_OK


def _settings_and_reference(args):
    """Settings and checked reference data, for the commands that write entries."""
    from generator.base.errors import Collector
    from generator.validate.reference import load_reference
    settings = read_settings(args.config)
    collector = Collector()
    reference = load_reference(settings, collector)
    collector.raise_if_errors()
    return settings, reference


def cmd_new(args) -> int:
    """Every problem at once, under the flag (or question) it is about; no file is named until
    it is written. Exit 2 if a flag is missing (wrong use), 1 if values are wrong (content)."""
    from generator.contribute.feedback import Feedback
    from generator.contribute.flags import FLAGS, from_flags
    from generator.contribute.scaffold import create, interactive, usage_error
    settings, reference = _settings_and_reference(args)
    flags = (args.tittel, args.kommune, args.innsatsomrade, args.losning, args.sammendrag,
             args.status, args.publisert, args.kilde, args.kontakt, args.tekst)
    try:
        if not any(flags):
            if not sys.stdin.isatty():
                raise usage_error("ingen felt oppgitt, og ingen terminal å spørre i",
                                  "Kjør «erfaringsbank new» i en terminal, eller oppgi feltene "
                                  "med flagg (se «erfaringsbank new --help»).")
            path, warnings = create(settings, reference, interactive(reference))
        else:
            tekst = sys.stdin.read() if args.tekst == "-" else (args.tekst or "")
            got = from_flags({**vars(args), "tekst": tekst}, reference, settings.today)
            path, warnings = create(settings, reference, got.draft, surface=FLAGS,
                                    remarks=got.remarks, skip=frozenset(got.skip),
                                    exit_code=EXIT_USAGE if got.missing else EXIT_INVALID)
    except Feedback as exc:
        print(exc.report(), file=sys.stderr)
        return exc.exit_code
    if warnings:
        print(format_report(warnings), file=sys.stderr)
    print(f"Opprettet {settings.rel(path)}. Kontroller med «erfaringsbank check», og se siden "
          "med «erfaringsbank serve».")
    return EXIT_OK


def cmd_from_issue(args) -> int:
    """On success stdout is one line, the new file's path (the workflow relies on it). On
    errors: a report by form field on stderr, and with --svar the answer for the issue."""
    from generator.base.errors import Issue
    from generator.contribute.feedback import Feedback
    from generator.contribute.issueform import INTRO, write_entry
    settings, reference = _settings_and_reference(args)
    shown = f"sak #{args.issue}" if args.issue else "saken"
    try:
        body = sys.stdin.read() if args.body == "-" else Path(args.body).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Issue(args.body, 0, f"kan ikke lese saksteksten ({exc})",
                                 "Oppgi en UTF-8-tekstfil med sakens tekst.")]) from None
    try:
        path, warnings = write_entry(settings, reference, body, shown)
    except Feedback as exc:
        if args.svar:
            try:
                Path(args.svar).write_text(exc.markdown(INTRO), encoding="utf-8")
            except OSError as err:
                raise ConfigError([Issue(args.svar, 0, f"kan ikke skrive svaret ({err.strerror})",
                                         "Oppgi en fil i en mappe du kan skrive i.")]) from None
        print(exc.report(), file=sys.stderr)
        return exc.exit_code
    if warnings:
        print(format_report(warnings), file=sys.stderr)
    print(settings.rel(path))
    return EXIT_OK


def _mkdocs_config(args, **overrides):
    import io

    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError
    # our own reading first: the file is data (a Python tag is refused before mkdocs' full
    # YAML loader would run it), and every mistake is reported with its line. mkdocs gets the
    # text that was checked, not the file again: `serve` reloads it while an editor (or a
    # hostile process) may be writing it — read twice, the second read could hold a Python tag
    # the check never saw (tests/test_serve_bad_input.py saw one run).
    text = config_text(Path(args.config))
    read_settings(args.config, getattr(args, "site_url", None), text=text)
    from mkdocs.exceptions import Abort
    errors = _Recorder()
    logging.getLogger("mkdocs").addHandler(errors)
    try:
        return load_config(config_file=io.BytesIO(text.encode("utf-8")),
                           config_file_path=os.path.abspath(args.config), **overrides)
    except ConfigurationError as exc:
        raise ConfigError([config_issue(args.config, str(exc))]) from None
    except Abort:  # mkdocs logged the reasons (e.g. a plugin that is not installed)
        raise ConfigError([config_issue(args.config, m) for m in errors.messages]
                          or [config_issue(args.config, "mkdocs avbrøt")]) from None
    finally:
        logging.getLogger("mkdocs").removeHandler(errors)


class _Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())




def cmd_build(args) -> int:
    """The pipeline (generator/pipeline: build) with mkdocs as the engine: the site is built
    into a temporary folder and replaces the output folder only if everything succeeded."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort, MkDocsException, PluginError

    from generator.pipeline import build

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s - %(message)s")
    settings = read_settings(args.config, args.site_url)
    target = Path(args.site_dir).resolve() if args.site_dir else settings.root / "site"

    def engine(folder: Path) -> None:
        overrides = {"site_url": args.site_url} if args.site_url else {}
        config = _mkdocs_config(args, site_dir=str(folder), strict=not args.no_strict,
                                **overrides)
        config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
        try:
            mkdocs_build(config)
        except PluginError as exc:
            raise _Failed(str(exc)) from None
        except (Abort, MkDocsException) as exc:
            raise _Failed(f"Byggingen feilet ({exc}); se feilene over. {target} er ikke "
                          "endret.") from None
        except OSError as exc:
            raise io_error(exc, target) from None

    try:
        build(settings, engine, target)
    except _Failed as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    print(f"Nettstedet er bygget i {target}")
    return EXIT_OK


class _Failed(Exception):
    """The engine reported the failure already; our message says the site is unchanged."""


def cmd_serve(args) -> int:
    from generator.adapters.serve import serve
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s - %(message)s")
    # mkdocs warns on every dirty rebuild; ours re-renders every page whose content changed.
    logging.getLogger("mkdocs.commands.build").addFilter(
        lambda r: "'dirty' build" not in r.getMessage())
    try:
        # A configuration error at start: exit 2 with our message, before serving. After that
        # nothing stops the server: a failed rebuild (content, configuration, even a bug) is
        # shown at the top of every page (adapters/serve.py). Lenient, not strict; dirty
        # rebuilds render only pages whose content changed (pipeline/incremental.py).
        serve(lambda site_dir: _mkdocs_config(args, site_dir=site_dir, dev_addr=args.dev_addr),
              args.config, report_to=lambda: _issues_page(args.config))
    except OSError as exc:  # e.g. the port is taken
        print(f"Kan ikke vise nettstedet på {args.dev_addr}: {exc.strerror or exc}. Velg en "
              "annen adresse, f.eks. «erfaringsbank serve -a 127.0.0.1:8001».", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
