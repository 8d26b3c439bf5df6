"""Atomic publishing and no tracebacks: a failed build leaves the previous site byte-identical,
and every foreseeable failure ends with a clear message and the right exit code."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_BANK, ROOT, VALID, build_site
from generator.adapters import cli
from generator.adapters.cli import main


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A project with a built site/; tests break it and check the site is untouched."""
    dest = tmp_path_factory.mktemp("publish")
    bank = dest / "examples_bank"
    shutil.copytree(FIXTURE_BANK, bank)
    site = build_site(dest, bank)
    return dest, bank, site, tree_hashes(site)


def leftovers(dest: Path, wait: float = 60) -> list[str]:
    """Temporary or old site folders next to the site. The previous site is deleted by a
    detached process after the swap (generator/cli.py: _replace): give it time to finish."""
    import time
    deadline = time.monotonic() + wait
    while True:
        found = sorted(p.name for p in dest.iterdir() if p.name.startswith(".site"))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def build(dest: Path, *extra) -> int:
    return main(["--config", str(dest / "site_config.yml"), "build", *extra])


def test_content_error_leaves_previous_site_identical(published, capsys, caplog):
    dest, bank, site, before = published
    bad = bank / "syntetisk-feil.md"
    bad.write_text(VALID.replace("[Tydal]", "[Tydall]"), encoding="utf-8")
    try:
        assert build(dest) == 1
    finally:
        bad.unlink()
    err = capsys.readouterr().err
    assert f"se feilene over. {site} er ikke endret." in err and "Traceback" not in err
    logged = caplog.text  # mkdocs logs the plugin's report as an error, shown above that line
    assert "syntetisk-feil.md:3: feil: ukjent kommune «Tydall»" in logged
    assert "1 feil, 0 advarsler i 1 fil." in logged
    assert tree_hashes(site) == before
    assert leftovers(dest) == []


def test_crash_late_in_the_build_leaves_previous_site_identical(published, monkeypatch, capsys):
    """An exception after every page is written (where a search index is made) still
    publishes nothing: the swap happens in the CLI after mkdocs' build() returns."""
    from generator.adapters.mkdocs_plugin import ErfaringsbankPlugin
    dest, bank, site, before = published

    def on_post_build(self, config):
        assert any(Path(config.site_dir).rglob("index.html"))  # the pages were written
        raise RuntimeError("søkeindeksen feilet")

    monkeypatch.setattr(ErfaringsbankPlugin, "on_post_build", on_post_build, raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert build(dest) == 3
    err = capsys.readouterr().err
    assert "Intern feil i erfaringsbank (RuntimeError: søkeindeksen feilet)" in err
    assert f"Meld feilen på {_issues(dest / 'site_config.yml')} " in err
    assert "Traceback" not in err
    assert tree_hashes(site) == before
    assert leftovers(dest) == []


def test_strict_mkdocs_warning_fails_the_build(published, capsys):
    """Strict is the default: a content page with a broken link fails, the site stays."""
    dest, bank, site, before = published
    config = (dest / "site_config.yml").read_text(encoding="utf-8")
    docs = dest / "docs-broken"
    shutil.copytree(ROOT / "content", docs)
    (docs / "reformen" / "faser.md").write_text("# Faser\n\n[lenke](finnes-ikke.md)\n")
    (dest / "strict.yml").write_text(
        config.replace(f"docs_dir: {ROOT / 'content'}", f"docs_dir: {docs}"), encoding="utf-8")
    assert main(["--config", str(dest / "strict.yml"), "build", "-d", str(site)]) == 1
    assert "Byggingen feilet" in capsys.readouterr().err
    assert tree_hashes(site) == before
    assert leftovers(dest) == []


def test_successful_build_replaces_the_site(published):
    dest, bank, site, before = published
    new = bank / "syntetisk-ny.md"
    new.write_text(VALID.replace("Syntetisk testeksempel", "Nytt syntetisk eksempel"),
                   encoding="utf-8")
    try:
        assert build(dest) == 0
        assert (site / "eksempler/syntetisk-ny/index.html").is_file()
    finally:
        new.unlink()
    assert build(dest) == 0
    assert not (site / "eksempler/syntetisk-ny").exists()
    assert leftovers(dest) == []


# -- broken configuration and input: exit 2 (configuration) or 1 (content), never a traceback --

GOOD = (ROOT / "site_config.yml").read_text(encoding="utf-8")


def _line(text: str) -> int:
    """1-based line of `text` in the real site_config.yml (so the config may grow)."""
    return next(n for n, line in enumerate(GOOD.splitlines(), 1) if text in line)


def project(tmp_path: Path, config: str) -> Path:
    (tmp_path / "examples_bank").mkdir(exist_ok=True)
    (tmp_path / "examples_bank" / "syntetisk-a.md").write_text(VALID, encoding="utf-8")
    (tmp_path / "content").symlink_to(ROOT / "content", target_is_directory=True)
    (tmp_path / "theme").symlink_to(ROOT / "theme", target_is_directory=True)
    (tmp_path / "site_config.yml").write_text(config, encoding="utf-8")
    return tmp_path / "site_config.yml"


@pytest.mark.parametrize("name,config,command,expected", [
    ("bad-yaml", GOOD.replace("site_name: Leve", "site_name: [Leve"), "check",
     "site_config.yml:4: feil: ugyldig YAML"),
    ("bad-yaml", GOOD.replace("site_name: Leve", "site_name: [Leve"), "build",
     "site_config.yml:4: feil: ugyldig YAML"),
    ("no-plugin", GOOD.replace("  - erfaringsbank:\n", "  - tags:\n"), "check",
     "utvidelsen «erfaringsbank» er ikke slått på"),
    ("unknown-option", GOOD.replace("branch: main", "branch: main\n      farge: rød"), "build",
     f"site_config.yml:{_line('branch: main') + 1}: feil: ukjent innstilling «farge» for «erfaringsbank»"),
    ("plugin-not-installed", GOOD.replace("plugins:\n", "plugins:\n  - finnes-ikke-plugin\n"),
     "build", "site_config.yml: feil: ugyldig konfigurasjon: Config value 'plugins': The \"finnes-ikke-plugin\" plugin is not installed"),
    ("language-no", GOOD.replace("language: nb", "language: no"), "build",
     f"site_config.yml:{_line('language: nb')}: feil: theme.language er «no»"),
    ("bank-missing", GOOD.replace("bank: examples_bank", "bank: eksempler"), "check",
     f"site_config.yml:{_line('bank: examples_bank')}: feil: mappen med eksempler «eksempler» finnes ikke"),
    # site_config.yml is data, not code: a Python tag is refused before mkdocs' loader runs it
    *[("python-tag", GOOD.replace("site_name: Leve hele livet – erfaringsbank",
                                  "site_name: !!python/object/apply:os.system ['touch HACKED']"),
       command, f"site_config.yml:{_line('site_name:')}: feil: Python-kode i konfigurasjonen "
       "(!!python/object/apply:os.system) er ikke tillatt") for command in ("check", "build")],
    # INHERIT: mkdocs would read the other file with its full loader, which our check never saw
    *[("inherit", "INHERIT: annen.yml\n" + GOOD, command,
       "site_config.yml:1: feil: INHERIT (en konfigurasjon bygget på en annen fil) er ikke tillatt")
      for command in ("check", "build")],
    *[("per-page", GOOD.replace("branch: main", f"branch: main\n      per_page: {value}"),
       command, f"site_config.yml:{_line('branch: main') + 1}: feil: «per_page: {value}» er")
      for value in ("0", "-5", "ti") for command in ("check", "build")],
    ("site-url-html", GOOD.replace("site_url: https://leve-hele-livet.github.io/erfaringsbank/",
                                   "site_url: 'https://x.no/\"><script>alert(1)</script>'"),
     "build", f"site_config.yml:{_line('site_url:')}: feil: «site_url: https://x.no/\"><script>"),
    ("site-name-html", GOOD.replace("site_name: Leve hele livet – erfaringsbank",
                                    "site_name: 'Leve</title><script>alert(1)</script>'"), "check",
     f"site_config.yml:{_line('site_name:')}: feil: «site_name» kan ikke inneholde HTML"),
    ("repo-url-javascript", GOOD.replace("repo_url: https://github.com/leve-hele-livet/erfaringsbank",
                                         "repo_url: javascript:alert(1)"), "check",
     f"site_config.yml:{_line('repo_url:')}: feil: «repo_url: javascript:alert(1)» er ikke en http(s)-adresse"),
])
def test_broken_configuration_exits_2(tmp_path, capsys, name, config, command, expected):
    path = project(tmp_path, config)
    assert main(["--config", str(path), command]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert not (tmp_path / "site").exists() and not (tmp_path / "HACKED").exists()
    assert not Path("HACKED").exists()


def test_mkdocs_gets_the_checked_text_not_the_file_read_again(tmp_path, monkeypatch):
    """serve reloads site_config.yml while it may be being written: if mkdocs (whose YAML
    loader runs Python tags) read the file again after our check, it could read a Python tag
    the check never saw. An editor's write right after the check changes nothing."""
    import argparse

    from generator.adapters import cli
    path = project(tmp_path, GOOD)
    hostile = GOOD.replace("site_name: Leve hele livet – erfaringsbank",
                           "site_name: !!python/object/apply:os.system ['touch HACKED']")
    checked = cli.read_settings

    def check_then_write(*args, **kwargs):
        settings = checked(*args, **kwargs)
        path.write_text(hostile, encoding="utf-8")  # between our reading and mkdocs'
        return settings

    monkeypatch.setattr(cli, "read_settings", check_then_write)
    monkeypatch.chdir(tmp_path)
    config = cli._mkdocs_config(argparse.Namespace(config=str(path)))
    assert not (tmp_path / "HACKED").exists()
    assert config.site_name == "Leve hele livet – erfaringsbank"
    assert config.config_file_path == str(path) and config.docs_dir == str(tmp_path / "content")


def test_missing_config_file_exits_2(tmp_path, capsys):
    assert main(["--config", str(tmp_path / "finnes-ikke.yml"), "check"]) == 2
    assert "finner ikke konfigurasjonen" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["check", "build"])
def test_config_in_utf16_exits_2(tmp_path, capsys, command):
    path = project(tmp_path, GOOD)
    path.write_bytes(GOOD.encode("utf-16"))
    assert main(["--config", str(path), command]) == 2
    err = capsys.readouterr().err
    assert "site_config.yml:1: feil: filen er ikke UTF-8" in err and "Traceback" not in err


def test_site_url_option_is_checked_too(tmp_path, capsys):
    path = project(tmp_path, GOOD)
    assert main(["--config", str(path), "build", "--site-url", "javascript:alert(1)"]) == 2
    assert "«--site-url: javascript:alert(1)» er ikke en http(s)-adresse" in capsys.readouterr().err


def test_unreadable_entry_is_a_content_error(tmp_path, capsys, monkeypatch):
    path = project(tmp_path, GOOD)
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "syntetisk-a.md":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert main(["--config", str(path), "check"]) == 1
    err = capsys.readouterr().err
    assert "examples_bank/syntetisk-a.md: feil: kan ikke lese filen (Permission denied)" in err


def test_internal_error_says_so_and_where_to_report(tmp_path, capsys, monkeypatch):
    import generator.pipeline
    path = project(tmp_path, GOOD)

    def boom(*args, **kwargs):
        raise KeyError("kommunenummer")

    monkeypatch.setattr(generator.pipeline, "validate_bank", boom)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("ERFARINGSBANK_DEBUG", raising=False)
    assert main(["--config", str(path), "check"]) == 3
    err = capsys.readouterr().err
    assert "Intern feil i erfaringsbank (KeyError: 'kommunenummer')" in err
    assert "ikke en feil i innholdet ditt" in err
    assert f"Meld feilen på {_issues(path)} " in err
    assert "Traceback" not in err
    saved = Path(err.split("Detaljene er lagret i ")[1].split(".txt")[0] + ".txt")
    assert "Traceback" in saved.read_text() and "boom" in saved.read_text()
    saved.unlink()


def test_plugin_options_match_the_plugin():
    from generator.adapters.mkdocs_plugin import ErfaringsbankConfig
    from generator.load.config import PLUGIN_OPTIONS
    assert set(PLUGIN_OPTIONS) == {key for key, _ in ErfaringsbankConfig._schema}


def test_redirects_send_the_old_address_on(tmp_path, capsys):
    """The plugin's `redirects` option: the old address of a renamed page gets a stub."""
    path = project(tmp_path, GOOD)
    assert main(["--config", str(path), "build"]) == 0
    capsys.readouterr()
    stub = (tmp_path / "site/innsatsomrader/mat-og-maltider/miljoarbeid-og-maltid/index.html"
            ).read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../maltidstider/">' in stub
    assert '<html lang="nb">' in stub and "<script" not in stub


@pytest.mark.parametrize("old,new,message", [
    ("a/gammel.md", "finnes/ikke.md", "som ikke finnes i innholdsmappen"),
    ("../utenfor.md", "index.md", "skal gå fra en sti til en annen"),
])
def test_redirect_mistakes_exit_2(tmp_path, capsys, old, new, message):
    config = GOOD.replace("      redirects:", f"      redirects:\n        {old}: {new}", 1)
    path = project(tmp_path, config)
    assert main(["--config", str(path), "check"]) == 2
    assert message in capsys.readouterr().err


def _issues(config: Path) -> str:
    """The issue list a bug is reported to: the project's own repository (site_config.yml)."""
    from generator.validate.config import read_settings
    url = read_settings(config).repo_url
    assert url.startswith("https://")
    return url + "/issues"
