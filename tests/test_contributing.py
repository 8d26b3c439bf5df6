"""Contributing as a new user would: `new` → `check` → `build`, `from-issue`, `check --changed`,
GitHub annotations, edit links, and the .github files (validated against GitHub's schemas)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import fixture_files, ROOT, VALID, TODAY
from generator.contribute import annotations
from generator.contribute import issueform
from generator.contribute import scaffold
from generator.base.errors import BankError, Collector, Issue
from generator.validate.reference import load_reference

ISSUES = ROOT / "tests" / "fixtures" / "issues"
NEW_FLAGS = ["new", "--tittel", "Trim for alle på dagsenteret", "--kommune", "Tydal",
             "--losning", "gode-oyeblikk", "--sammendrag", "Syntetisk testeksempel.",
             "--status", "igangsatt", "--publisert", "2022-03-01",
             "--kilde", "Testkilde | https://example.org/kilde", "--kontakt",
             "Kommunalsjef helse og omsorg, Tydal kommune", "--syntetisk",
             "--tekst", "Syntetisk brødtekst: dette er laget for testene, ikke en ekte praksis."]


def project(root: Path, bank_files=()) -> Path:
    """A throw-away project: its own site_config.yml and examples_bank/, the real content/."""
    config = (ROOT / "site_config.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: content", f"docs_dir: {ROOT / 'content'}")
    config = config.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    (root / "site_config.yml").write_text(config, encoding="utf-8")
    (root / "examples_bank").mkdir(parents=True, exist_ok=True)
    for f in bank_files:
        shutil.copy(f, root / "examples_bank" / Path(f).name)
    return root


def run(*args, cwd, env=None, stdin=None):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, text=True,
                          capture_output=True, env={**os.environ, **(env or {})},
                          stdin=stdin if stdin is not None else subprocess.DEVNULL)


def reference(root: Path):
    from generator.validate.config import read_settings
    settings = read_settings(root / "site_config.yml")
    settings = type(settings)(**{**settings.__dict__, "today": TODAY})
    return settings, load_reference(settings, Collector())


# -- new → check → build ----------------------------------------------------------------------

def test_new_then_check_then_build_round_trip(tmp_path):
    root = project(tmp_path, fixture_files())
    r = run(*NEW_FLAGS, cwd=root)
    assert r.returncode == 0, r.stderr
    path = root / "examples_bank" / "tydal-trim-for-alle-pa-dagsenteret.md"
    assert "Opprettet examples_bank/tydal-trim-for-alle-pa-dagsenteret.md" in r.stdout
    text = path.read_text(encoding="utf-8")
    assert 'kommuner: ["Tydal"]' in text and "losninger: [gode-oyeblikk]" in text
    assert "syntetisk: true" in text
    assert run("check", cwd=root).returncode == 0
    r = run("build", cwd=root)
    assert r.returncode == 0, r.stderr
    html = (root / "site/eksempler/tydal-trim-for-alle-pa-dagsenteret/index.html").read_text()
    assert "Trim for alle på dagsenteret" in html and "<dt>Publisert</dt>" in html
    # a new entry is published and last updated the same day: the date is shown once
    assert "Sist oppdatert" not in html
    edit = ("https://github.com/leve-hele-livet/erfaringsbank/edit/main/examples_bank/"
            "tydal-trim-for-alle-pa-dagsenteret.md")
    # one edit link, in words (the theme's edit icon is left out on example pages)
    assert f'<a href="{edit}">Foreslå endring i dette eksemplet</a>' in html
    assert html.count(f'href="{edit}"') == 1
    # Generated pages link to their data, never to a Markdown file that does not exist.
    region = (root / "site/regioner/trondelag/index.html").read_text()
    assert "/blob/main/generator/data/regioner.yml" in region
    for page in (root / "site").rglob("*.html"):
        for url in _edit_links(page.read_text()):
            rel = url.split("/edit/main/", 1)[1]
            base = ROOT if rel.startswith("content/") else root
            assert (base / rel).is_file(), f"{page}: edit link to missing {rel}"
    # It refuses to overwrite, and leaves the file as it was.
    r = run(*NEW_FLAGS, cwd=root)
    assert r.returncode == 1 and "finnes allerede" in r.stderr
    assert path.read_text(encoding="utf-8") == text


def _edit_links(html: str) -> list[str]:
    import re
    return re.findall(r'href="(https://github\.com/[^"]+/edit/main/[^"]+)"', html)


def test_new_reports_mistakes_before_writing(tmp_path):
    root = project(tmp_path)
    flags = [a if a != "Tydal" else "Tydall" for a in NEW_FLAGS]
    r = run(*flags, cwd=root)
    assert r.returncode == 1
    assert "--kommune: ukjent kommune «Tydall»" in r.stderr and "Mente du «Tydal»?" in r.stderr
    assert list((root / "examples_bank").iterdir()) == []
    r = run("new", "--tittel", "Bare en tittel", cwd=root)
    assert r.returncode == 2 and "--kommune: mangler" in r.stderr
    r = run("new", cwd=root)                          # no flags, no terminal to ask in
    assert r.returncode == 2 and "ingen terminal" in r.stderr


def test_new_interactive_suggests_and_asks_again(tmp_path):
    root = project(tmp_path)
    settings, ref = reference(root)
    answers = iter(["Trim for alle", "Tydall", "Tydal", "", "x", "2", "", "Syntetisk.", "9", "3",
                    "2030-01-01", "2022-01-05", "", "Testkilde", "ikke-en-url", "", "",
                    "Syntetisk tekst laget for testene av skjemaet.", "", ""])
    said = []
    draft = scaffold.interactive(ref, ask=lambda prompt: next(answers), say=said.append,
                                 today=TODAY)
    said = "\n".join(said)
    assert "ukjent kommune «Tydall». Mente du «Tydal»?" in said
    assert "Skriv numrene fra listen" in said and "Velg tall mellom 1 og 3." in said
    assert "framtiden" in said
    assert (draft.kommuner, draft.status, str(draft.publisert)) == (["Tydal"], "gjennomfort",
                                                                    "2022-01-05")
    assert draft.losninger == [ref.losninger[list(ref.losninger)[1]].slug]
    assert draft.kilder[0].url is None
    draft.syntetisk = True
    path, warnings = scaffold.create(settings, ref, draft)
    assert path.name == "tydal-trim-for-alle.md" and warnings == []


# -- from-issue ---------------------------------------------------------------------------------

def test_from_issue_turns_the_form_into_an_entry_that_passes_check(tmp_path):
    root = project(tmp_path)
    r = run("from-issue", str(ISSUES / "forslag-tydal.md"), "--issue", "12", cwd=root)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "examples_bank/tydal-kafe-posten-moteplass-skapt-sammen-med-de-eldre.md"
    text = (root / r.stdout.strip()).read_text(encoding="utf-8")
    assert "innsatsomrader: [et-aldersvennlig-norge, aktivitet-og-fellesskap]" in text
    assert "status: gjennomfort" in text and "publisert: 2021-12-01" in text
    assert "### Hvorfor det er nevnt" in text       # a heading in the description stays text
    assert "kontakt" not in text                     # _No response_ → left out
    assert run("check", cwd=root).returncode == 0


def test_from_issue_malformed_body_names_field_not_line(tmp_path):
    root = project(tmp_path)
    r = run("from-issue", str(ISSUES / "forslag-feil.md"), "--issue", "13", cwd=root)
    assert r.returncode == 1
    assert "sak #13: feil: «Status»: «Ferdig» er ikke et av valgene" in r.stderr
    assert "sak #13: feil: «Publisert»: «1. desember 2021» er ikke en dato" in r.stderr
    assert "sak #13: feil: «Kilder»: overskriften er endret til «### Kildene»" in r.stderr
    assert "Skriv den slik skjemaet har den: «### Kilder»." in r.stderr
    assert not re.search(r"sak #13:\d", r.stderr)    # no line numbers
    assert list((root / "examples_bank").iterdir()) == []
    r = run("from-issue", "-", cwd=root, stdin=None)
    assert r.returncode == 1 and "ikke fra skjemaet" in r.stderr


def test_from_issue_validation_errors_point_at_the_form_field(tmp_path):
    root = project(tmp_path)
    settings, ref = reference(root)
    body = (ISSUES / "forslag-tydal.md").read_text(encoding="utf-8").replace(
        "\nTydal\n", "\nTydall\n")
    with pytest.raises(BankError) as exc:
        issueform.write_entry(settings, ref, body, "sak #14")
    [issue] = exc.value.issues
    assert issue.path == "sak #14" and issue.line == 0
    assert issue.message == "«Kommune(r)»: ukjent kommune «Tydall»"
    assert issue.hint == "Mente du «Tydal»?"


def test_issue_form_matches_the_parser_and_the_reference_data(tmp_path):
    form = yaml.safe_load((ROOT / issueform.FORM_FILE).read_text(encoding="utf-8"))
    fields = [b for b in form["body"] if b["type"] != "markdown"]
    assert [(b["id"], b["attributes"]["label"], b["type"],
             b.get("validations", {}).get("required", False)) for b in fields] == \
        [(f.key, f.label, f.kind, f.required) for f in issueform.FIELDS]
    _, ref = reference(project(tmp_path))
    options = {b["id"]: [o["label"] if isinstance(o, dict) else o
                         for o in b["attributes"].get("options", [])] for b in fields}
    assert options["innsatsomrader"] == [io.navn for io in ref.innsatsomrader.values()]
    assert options["losninger"] == [lo.navn for lo in ref.losninger.values()]
    assert options["status"] == list(issueform.STATUS_OPTIONS)
    assert options["sprak"] == list(issueform.LANGUAGE_OPTIONS)
    assert form["labels"] == ["eksempelforslag"]


# -- check --changed and annotations -----------------------------------------------------------

def git(root, *args):
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
                   cwd=root, check=True, capture_output=True)


def test_check_changed_only_checks_changed_entries_but_resolves_links_to_all(tmp_path):
    root = project(tmp_path)
    bank = root / "examples_bank"
    (bank / "syntetisk-gammel.md").write_text(VALID, encoding="utf-8")
    (bank / "syntetisk-gammel-feil.md").write_text(VALID.replace("[Tydal]", "[Tydall]")
                                                   .replace("Syntetisk testeksempel", "Annen"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "checkout", "-qb", "forslag")
    (bank / "syntetisk-ny.md").write_text(
        VALID.replace("Syntetisk testeksempel", "Nytt").rstrip() +
        " Se også [det gamle](syntetisk-gammel.md).\n", encoding="utf-8")
    r = run("check", "--changed", "--base", "main", cwd=root)
    assert r.returncode == 0, r.stderr                 # the unchanged broken entry is not checked
    assert "Kontrollerer 1 endrede eksempler" in r.stdout
    (bank / "syntetisk-ny.md").write_text(VALID.replace("status: gjennomfort", "status: ferdig"))
    r = run("check", "--changed", "--base", "main", cwd=root, env={"GITHUB_ACTIONS": "true"})
    assert r.returncode == 1
    # the title escapes ':' (%3A); the message after '::' keeps ':' and ',' as they are
    assert ("::error file=examples_bank/syntetisk-ny.md,line=7,title=«status%3A ferdig» er ikke "
            "en gyldig verdi::«status: ferdig» er ikke en gyldig verdi%0ASlik retter du det: "
            "Gyldige verdier: planlagt, igangsatt, gjennomfort.") in r.stdout
    assert "syntetisk-gammel-feil" not in r.stdout + r.stderr
    assert run("check", "--changed", "--base", "nope", cwd=root).returncode == 2


def test_annotation_escaping_follows_githubs_rules():
    issue = Issue("examples_bank/a,b:c.md", 3, "100% feil: a,b", "linje 1\r\nlinje 2")
    assert annotations.annotation(issue) == (
        "::error file=examples_bank/a%2Cb%3Ac.md,line=3,title=100%25 feil%3A a%2Cb::"
        "100%25 feil: a,b%0ASlik retter du det: linje 1%0D%0Alinje 2")
    whole_file = Issue("x.md", 0, "m", severity="advarsel")
    assert annotations.annotation(whole_file) == "::warning file=x.md,title=m::m"
    assert annotations.in_github_actions({"GITHUB_ACTIONS": "true"})
    assert not annotations.in_github_actions({})


# -- .github ------------------------------------------------------------------------------------

def _jsonschema(schema: str, *files) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("check-jsonschema")
    return subprocess.run([str(exe), "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True)


def test_workflows_and_issue_form_validate_against_githubs_schemas(tmp_path):
    workflows = sorted((ROOT / ".github/workflows").glob("*.yml"))
    assert [w.name for w in workflows] == ["forslag.yml", "lenker.yml", "pages.yml", "pr.yml"]
    r = _jsonschema("vendor.github-workflows", *workflows)
    assert r.returncode == 0, r.stdout + r.stderr
    r = _jsonschema("vendor.github-issue-forms", ROOT / issueform.FORM_FILE)
    assert r.returncode == 0, r.stdout + r.stderr
    broken = tmp_path / "broken.yml"                  # the validator does reject a bad file
    broken.write_text("on: push\njobs:\n  a:\n    step:\n      - run: x\n")
    assert _jsonschema("vendor.github-workflows", broken).returncode != 0


def test_workflows_do_what_the_project_needs():
    import re
    files = sorted((ROOT / ".github/workflows").glob("*.yml"))
    wf = {p.stem: yaml.safe_load(p.read_text()) for p in files}
    uses = [s["uses"] for w in wf.values() for j in w["jobs"].values()
            for s in j["steps"] if "uses" in s]
    # Every action pinned to a full commit SHA (a tag can be moved; a SHA cannot), with the
    # release it is in a comment: `uses: actions/checkout@<40 hex> # v4.4.0`.
    pinned = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+")
    lines = [line.split("uses:", 1)[1].strip() for p in files for line in p.read_text().splitlines()
             if re.match(r"\s*(- )?uses:", line)]
    assert len(lines) == len(uses) > 0
    assert [u for u in lines if not pinned.fullmatch(u)] == []
    assert all(re.fullmatch(r"[^@]+@[0-9a-f]{40}", u) for u in uses), uses
    pages_uses = {u.split("@")[0] for j in wf["pages"]["jobs"].values() for s in j["steps"]
                  for u in [s.get("uses", "")]}
    assert {"actions/configure-pages", "actions/upload-pages-artifact",
            "actions/deploy-pages"} <= pages_uses
    assert wf["pages"]["permissions"] == {}  # least privilege: per job
    assert wf["pages"]["jobs"]["publiser"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert wf["pages"][True]["push"]["branches"] == ["main"]    # YAML 1.1 reads `on` as True
    pr_runs = " ".join(s.get("run", "") for s in wf["pr"]["jobs"]["kontroll"]["steps"])
    assert "check --changed" in pr_runs and "erfaringsbank build" in pr_runs and ".ci/run" in pr_runs
    setup = [s for j in wf.values() for s in j["jobs"][next(iter(j["jobs"]))]["steps"]
             if s.get("uses", "").startswith("actions/setup-python")]
    assert setup and all("cache" not in s["with"] for s in setup)  # pip installs only uv
    # scripts/setup.sh installs the lock with uv: its cache, keyed on the two lock files, in
    # every job that sets up Python
    for w in wf.values():
        steps = w["jobs"][next(iter(w["jobs"]))]["steps"]
        if any(s.get("uses", "").startswith("actions/setup-python") for s in steps):
            cache = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
            assert len(cache) == 1 and cache[0]["with"]["path"] == "~/.cache/uv"
            assert "hashFiles('requirements.lock', 'requirements-uv.lock')" in cache[0]["with"]["key"]
    # weekly on main, with the full accessibility matrix (tests/test_a11y.py) only then
    assert wf["pr"][True]["schedule"] and all("cron" in c for c in wf["pr"][True]["schedule"])
    tests_step = next(s for s in wf["pr"]["jobs"]["kontroll"]["steps"] if ".ci/run" in s.get("run", ""))
    assert tests_step["env"]["ERFARINGSBANK_A11Y"] == \
        "${{ github.event_name == 'schedule' && 'full' || '' }}"
    for w in wf.values():                              # issue text never pasted into a script
        for j in w["jobs"].values():
            for s in j["steps"]:
                assert "github.event.issue" not in s.get("run", "")


def test_contributing_template_is_a_valid_entry(tmp_path):
    """The template people paste in the GitHub web interface passes `check` as it stands."""
    import re
    doc = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    template = re.search(r"```yaml\n(---\n.*?)```", doc, re.S).group(1)
    settings, ref = reference(project(tmp_path))
    issues = scaffold.check_text(settings, ref, settings.bank_dir / "tydal-mal.md", template)
    assert [i for i in issues if i.is_error] == []
    for heading in ("Fyll ut skjemaet", "Add file", "Create new file", "Propose changes",
                    "erfaringsbank new", "erfaringsbank serve", "Slik retter du det"):
        assert heading in doc


def test_the_new_command_in_contributing_makes_an_entry_that_passes_check(tmp_path):
    """Followed as written (with a real address where it says «https://…»), the `new` command
    in CONTRIBUTING.md makes an entry file that `check` accepts."""
    import re
    import shlex
    doc = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```sh\n(.*?)```", doc, re.S) if "new --tittel" in b)
    args = shlex.split(block.replace("\\\n", " "))
    assert args[0] == ".venv/bin/erfaringsbank" and args[1] == "new"
    args = [a.replace("https://…", "https://www.tydal.kommune.no/kafe") for a in args[2:]]
    root = project(tmp_path)
    r = run("new", *args, cwd=root)
    assert r.returncode == 0, r.stderr
    made = list((root / "examples_bank").glob("*.md"))
    assert len(made) == 1 and r.stdout.startswith(f"Opprettet examples_bank/{made[0].name}")
    assert run("check", "--strict", cwd=root).returncode == 0


def test_issue_form_reader_takes_long_blank_lines_in_its_stride():
    """GitHub allows 65 536 characters an issue: a heading or checkbox line of spaces must be
    read in linear time (the lazy patterns took seconds on one such line)."""
    body = ("### " + " " * 30000 + "Kommune" + " " * 30000 + "\n\nTydal\n\n### Løsninger\n\n"
            + "- [x] " + " " * 60000 + "\n" + " " * 60000 + "\n")
    found = issueform.sections(body)
    assert isinstance(found, dict)
