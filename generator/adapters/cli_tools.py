"""The reviewers' and maintainers' commands: `forhandsvis` (a pull request's changed examples
as they will be published, for the job summary) and `lenker` (every external URL the site
cites, for the weekly dead-link check)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from generator.base.errors import BankError, ConfigError, Issue


def add_parsers(sub) -> None:
    pv = sub.add_parser("forhandsvis", help="vis endrede eksempler slik de blir publisert "
                                            "(Markdown, for sammendraget i en pull request)")
    pv.add_argument("--changed", action="store_true", help="bare eksempler endret mot --base")
    pv.add_argument("--base", default=None,
                    help="git-referansen det sammenlignes med (standard: origin/$GITHUB_BASE_REF "
                         "i GitHub Actions, ellers origin/main)")
    pv.add_argument("--site-url", default=None,
                    help="nettstedets fulle adresse, for sidenes adresser (standard: "
                         "miljøvariabelen SITE_URL, ellers site_url i site_config.yml)")
    pv.add_argument("--ut", default=None, metavar="FIL",
                    help="skriv forhåndsvisningen til FIL (standard: standard ut)")
    ln = sub.add_parser("lenker", help="skriv ut alle eksterne lenker nettstedet viser "
                                       "(kilder og lenker i innholdet)")
    ln.add_argument("--format", choices=("tekst", "url", "json"), default="tekst",
                    help="tekst: «adresse<TAB>fil:linje» per linje; url: hver adresse én gang "
                         "(for lychee); json: adressene med filene de står i")
    ln.add_argument("--rapport", default=None, metavar="LYCHEE_JSON",
                    help="lag saken om døde lenker (Markdown) fra lychees JSON-rapport; "
                         "tom når ingen lenker er døde")
    ln.add_argument("--ut", default=None, metavar="FIL", help="skriv til FIL (standard: standard ut)")


def _write(text: str, ut: str | None) -> None:
    if ut is None:
        sys.stdout.write(text)
        return
    try:
        Path(ut).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError([Issue(ut, 0, f"kan ikke skrive filen ({exc.strerror or exc})",
                                 "Oppgi en fil i en mappe som finnes og som du kan skrive i.")]
                          ) from None


def cmd_forhandsvis(args) -> int:
    from generator.contribute import preview
    from generator.validate.config import read_settings
    site_url = args.site_url or os.environ.get("SITE_URL") or None
    settings = read_settings(args.config, site_url)
    if args.changed:
        from generator.contribute.changes import default_base
        selection = preview.changes(settings, args.base or default_base())
    else:
        selection = preview.everything(settings)
    bank, failed, general = _load_shown(settings, selection.shown)
    _write(preview.render(settings, selection, bank, failed, general), args.ut)
    return 0


def _load_shown(settings, paths):
    """The bank of the entries to show that have no errors; the ones with errors (file → number
    of errors: the check step says what they are); and whether something else has errors."""
    from generator.pipeline import load_bank
    only = set(paths)
    failed: dict[str, int] = {}
    if not only:
        return None, failed, False
    while True:
        try:
            return load_bank(settings, only=only), failed, False
        except BankError as exc:
            errors: dict[str, int] = {}
            for issue in exc.errors:
                errors[issue.path] = errors.get(issue.path, 0) + 1
            bad = {p for p in only if settings.rel(p) in errors}
            if not bad:  # errors elsewhere (reference data, a status file …): nothing to show
                return None, failed, True
            failed.update((settings.rel(p), errors[settings.rel(p)]) for p in bad)
            only -= bad
            if not only:
                return None, failed, False


def cmd_lenker(args) -> int:
    from generator.contribute import links
    from generator.pipeline import load_bank
    from generator.validate.config import read_settings
    settings = read_settings(args.config)
    dead = None
    if args.rapport is not None:  # read first: a missing report is said before the bank loads
        try:
            text = Path(args.rapport).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError([Issue(args.rapport, 0, f"kan ikke lese lychee-rapporten ({exc})",
                                     "Oppgi filen lychee skrev med «--format json».")]) from None
        dead = links.read_lychee(text, args.rapport)
    found = links.collect(settings, load_bank(settings))
    if dead is not None:
        text = links.report(found, dead, settings.rel(settings.bank_dir))
        print(f"{len(dead)} døde lenker av {len({f.url for f in found})}.", file=sys.stderr)
    else:
        text = {"tekst": links.as_text, "url": links.as_urls, "json": links.as_json}[
            args.format](found)
    _write(text, args.ut)
    return 0


COMMANDS = {"forhandsvis": cmd_forhandsvis, "lenker": cmd_lenker}
