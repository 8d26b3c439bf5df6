"""Command line: `erfaringsbank build | serve | check` (also `python -m generator`).

Exit codes: 0 ok · 1 the content has errors (or the build failed) · 2 usage or configuration
error · 3 internal error (a bug: please report it).
"""
from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

from .errors import BankError, ConfigError, format_report
from .settings import Settings

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
ISSUES_URL = "https://github.com/leve-hele-livet/erfaringsbank/issues"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="erfaringsbank",
                                description="Bygg og kontroller erfaringsbanken for Leve hele livet.")
    p.add_argument("-f", "--config", default="site_config.yml",
                   help="nettstedets konfigurasjon (standard: site_config.yml)")
    sub = p.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    b = sub.add_parser("build", help="bygg nettstedet til site/")
    b.add_argument("-d", "--site-dir", default=None, help="mappe for nettstedet (standard: site/)")
    b.add_argument("--no-strict", action="store_true",
                   help="ikke stopp på advarsler fra mkdocs (standard er streng bygging)")
    s = sub.add_parser("serve", help="vis nettstedet lokalt med automatisk oppdatering")
    s.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="adresse (vert:port)")
    ch = sub.add_parser("check", help="kontroller eksemplene uten å bygge nettstedet")
    ch.add_argument("--strict", action="store_true", help="feil også på advarsler")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    try:
        return {"build": cmd_build, "serve": cmd_serve, "check": cmd_check}[args.command](args)
    except ConfigError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_USAGE
    except BankError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_INVALID
    except Exception:  # noqa: BLE001 - last resort: never a bare traceback for users
        print(traceback.format_exc(), file=sys.stderr)
        print("Intern feil i erfaringsbank (ikke en feil i innholdet ditt). Meld den gjerne på "
              f"{ISSUES_URL} med teksten over.", file=sys.stderr)
        return EXIT_INTERNAL


def cmd_check(args) -> int:
    from .pipeline import load_bank
    settings = Settings.from_config_file(args.config)
    bank = load_bank(settings, strict=args.strict)
    if bank.warnings:
        print(format_report(bank.warnings), file=sys.stderr)
    print(f"OK: {len(bank.examples)} eksempler kontrollert, ingen feil.")
    return EXIT_OK


def _mkdocs_config(args, **overrides):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError
    Settings.from_config_file(args.config)  # our own, clearer config errors first
    try:
        return load_config(config_file=args.config, **overrides)
    except ConfigurationError as exc:
        raise ConfigError([_config_issue(args.config, str(exc))]) from None


def _config_issue(path, message):
    from .errors import Issue
    return Issue(Path(path).name, 0, f"ugyldig konfigurasjon: {message}",
                 "Sammenlign med site_config.yml i prosjektets repo.")


def cmd_build(args) -> int:
    """Build into a temporary folder; replace the output folder only if everything succeeded."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException, PluginError

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s - %(message)s")
    root = Path(args.config).resolve().parent
    target = Path(args.site_dir).resolve() if args.site_dir else root / "site"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    try:
        config = _mkdocs_config(args, site_dir=str(tmp), strict=not args.no_strict)
        try:
            build(config)
        except PluginError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_INVALID
        except (Abort, MkDocsException) as exc:
            print(f"Byggingen feilet: {exc}", file=sys.stderr)
            return EXIT_INVALID
        _replace(tmp, target)
        print(f"Nettstedet er bygget i {target}")
        return EXIT_OK
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _replace(new: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    new.rename(target)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def cmd_serve(args) -> int:
    from mkdocs.commands.serve import serve
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s - %(message)s")
    # mkdocs warns on every dirty rebuild; ours re-renders every page whose content changed.
    logging.getLogger("mkdocs.commands.build").addFilter(
        lambda r: "'dirty' build" not in r.getMessage())
    Settings.from_config_file(args.config)
    # Dirty rebuilds: only pages whose content changed are rendered again (generator/incremental.py).
    serve(config_file=args.config, livereload=True, dev_addr=args.dev_addr,
          build_type="dirty")
    return EXIT_OK
