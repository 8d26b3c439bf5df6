"""Files that are not what they seem (issue 14, «Every door locked»): symbolic links anywhere in
examples_bank/ or content/, and misnamed, hidden or misplaced files in the bank. Each is an
error with the path and a hint, through the real `check` and `build` — never followed, never
silently ignored, never an internal error (exit 3).

Symbolic links cannot live in tests/bad_banks/ (the corpus is copied, which follows them), so
they are made here; the misnamed files have their own bank there (tests/bad_banks/misnamed-files).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, VALID, fixture_files
from generator.adapters.cli import main
from generator.load import files

SYMLINK = "symbolsk lenke (symlink)"
SECRET = "erfaringsbank-hemmelighet-7f3a"   # in a file outside the project


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project's content and config with the test bank; the theme and Pagefind
    are the project's own (linked from outside content/ and examples_bank/)."""
    root = tmp_path / "p"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(ROOT / "site_config.yml", root / "site_config.yml")
    (root / "theme").symlink_to(ROOT / "theme", target_is_directory=True)
    if (ROOT / "node_modules").exists():
        (root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    bank = root / "examples_bank"
    bank.mkdir()
    for f in fixture_files():
        shutil.copy(f, bank / f.name)
    (bank / "syntetisk-felt.md").write_text(VALID, encoding="utf-8")
    return root


def run(project: Path, capsys, *args: str) -> tuple[int, str]:
    """The CLI as a user runs it: `check` in this process, `build` in its own (mkdocs reports
    through logging, which pytest would capture)."""
    if args[0] == "build":
        r = subprocess.run([sys.executable, "-m", "generator", "--config",
                            str(project / "site_config.yml"), *args], cwd=project,
                           capture_output=True, text=True, timeout=600)
        return r.returncode, r.stdout + r.stderr
    capsys.readouterr()
    code = main(["--config", str(project / "site_config.yml"), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def errors_of(report: str) -> set[str]:
    """The paths (with line, if any) of the errors in a report."""
    return {line.split(": feil:")[0] for line in report.splitlines() if ": feil:" in line}


def outside_secret(tmp_path: Path) -> Path:
    secret = tmp_path / "utenfor" / "hemmelig.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    return secret


# -- symbolic links ----------------------------------------------------------------------------

def _links(project: Path, tmp_path: Path) -> list[str]:
    """Every kind of link, in both folders; returns their paths as reports show them."""
    secret = outside_secret(tmp_path)
    bank, content = project / "examples_bank", project / "content"
    made = {
        # in the bank: to a file inside the project, outside it, dangling, to a folder
        "examples_bank/kopi.md": ("syntetisk-felt.md", False),
        "examples_bank/utenfor.md": (str(secret), False),
        "examples_bank/borte.md": ("finnes-ikke.md", False),
        "examples_bank/bilder": (str(content / "reformen"), True),
        # in content/: the machine's files and the build's environment (CI secrets), a folder
        # outside, a dangling page, a page linked from another page
        "content/passwd.txt": ("/etc/passwd", False),
        "content/miljo.txt": ("/proc/self/environ", False),
        "content/utenfor": (str(secret.parent), True),
        "content/borte.md": ("/finnes/ikke.md", False),
        "content/reformen/kopi.md": ("index.md", False),
    }
    for rel, (target, folder) in made.items():
        (project / rel).symlink_to(target, target_is_directory=folder)
    assert bank.is_dir() and content.is_dir()
    return sorted(made)


def test_symlinks_are_refused_by_check_and_build(project, tmp_path, capsys, monkeypatch):
    links = _links(project, tmp_path)
    code, report = run(project, capsys, "check")
    assert code == 1, report
    assert errors_of(report) == set(links), report
    assert report.count(SYMLINK) == len(links), report  # each once, also the reference pages'
    assert "Slik retter du det: Legg inn selve filen" in report
    assert "Intern feil" not in report and "Traceback" not in report
    code, report = run(project, capsys, "build")
    assert code == 1, report
    assert set(links) <= errors_of(report), report
    assert not (project / "site").exists()
    leaked = [p for p in project.rglob("*") if p.is_file() and not p.is_symlink()
              and "node_modules" not in p.parts and "theme" not in p.parts
              and (SECRET in p.read_text(errors="replace") or "root:x:0:0" in
                   p.read_text(errors="replace"))]
    assert leaked == []


def test_a_dangling_symlink_alone_is_exit_1_not_3(project, capsys):
    (project / "examples_bank" / "borte.md").symlink_to("finnes-ikke.md")
    for command in ("check", "build"):
        code, report = run(project, capsys, command)
        assert code == 1, report
        assert errors_of(report) == {"examples_bank/borte.md"}, report


def test_symlinks_in_finds_links_without_following_them(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "fil.md").write_text("x")
    (tmp_path / "a" / "lenke.md").symlink_to("fil.md")
    (tmp_path / "a" / "b" / "borte").symlink_to("/finnes/ikke")
    (tmp_path / "a" / "sirkel").symlink_to(tmp_path / "a", target_is_directory=True)  # a loop
    found = files.symlinks_in(tmp_path / "a")
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a/b/borte", "a/lenke.md", "a/sirkel"]
    uris = ["fil.md", "lenke.md", "b/borte", "sirkel/fil.md", "sirkel/sirkel/lenke.md", "b/x.md"]
    assert files.symlinked_uris(tmp_path / "a", uris) == {
        "lenke.md", "b/borte", "sirkel/fil.md", "sirkel/sirkel/lenke.md"}
    assert files.symlinked_uris(tmp_path / "a" / "b" / "x", uris) == set()  # no such folder


def test_what_mkdocs_would_publish_loses_every_symlink(project, tmp_path):
    """mkdocs walks docs_dir following links (os.walk(followlinks=True)); what the adapter drops
    in on_files with files.symlinked_uris leaves nothing that comes through a link."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    links = _links(project, tmp_path)
    config = load_config(str(project / "site_config.yml"))
    found = get_files(config)
    docs = Path(config.docs_dir)
    drop = files.symlinked_uris(docs, [f.src_uri for f in found])
    assert {"passwd.txt", "miljo.txt", "utenfor/hemmelig.txt", "reformen/kopi.md"} <= drop
    kept = [f for f in found if f.src_uri not in drop]
    assert all(not any(p.is_symlink() for p in [docs / f.src_uri, *(docs / f.src_uri).parents]
                       if docs in p.parents) for f in kept)
    for link in (l for l in links if l.startswith("content/")):
        rel = link.removeprefix("content/")
        listed = [f.src_uri for f in found if f.src_uri == rel or f.src_uri.startswith(rel + "/")]
        assert listed and set(listed) <= drop, (link, listed)


def _adapter_drops_symlinks() -> bool:
    source = (ROOT / "generator" / "adapters" / "mkdocs_plugin.py").read_text(encoding="utf-8")
    return "symlinked_uris" in source


@pytest.mark.skipif(not _adapter_drops_symlinks(),
                    reason="the mkdocs adapter does not call load.files.symlinked_uris yet")
def test_content_symlinks_never_reach_the_built_site(project, tmp_path, capsys, monkeypatch):
    """Defence in depth: with `check`'s refusal switched off, the build itself (the adapter's
    on_files) still publishes nothing a link points to."""
    secret = outside_secret(tmp_path)
    (project / "content" / "passwd.txt").symlink_to("/etc/passwd")
    (project / "content" / "miljo.txt").symlink_to("/proc/self/environ")
    (project / "content" / "utenfor").symlink_to(secret.parent, target_is_directory=True)
    monkeypatch.setattr(files, "_scan_content", lambda settings: [])
    assert main(["--config", str(project / "site_config.yml"), "build"]) == 0
    site = project / "site"
    assert not (site / "passwd.txt").exists() and not (site / "miljo.txt").exists()
    assert not (site / "utenfor").exists()
    assert not [p for p in site.rglob("*") if p.is_file()
                and (SECRET.encode() in p.read_bytes() or b"root:x:0:0" in p.read_bytes())]


# -- misnamed, hidden and misplaced files in the bank ----------------------------------------

MISNAMED = {
    "x.MD": "filendelsen må skrives med små bokstaver",
    "y.markdown": "filendelsen .md, ikke .markdown",
    "z.txt": "filendelsen .md, ikke .txt",
    ".skjult.md": "skjult fil",
    ".utkast/a.md": "skjult mappe",
    "index.md": "er reservert",
    "nul.md": "er reservert",
    "bilder/kart.svg": "SVG-bilder er ikke tillatt",
    "notater.docx": "hører ikke hjemme i examples_bank/",
}
ALLOWED = ["README.md", ".gitkeep", ".DS_Store", "bilder/foto.JPG", "bilder/x.png",
           "2021/bilder/y.webp", ".utkast/notat.odt"]


def test_misnamed_files_are_reported_not_ignored(project, capsys):
    bank = project / "examples_bank"
    for rel in [*MISNAMED, *ALLOWED]:
        (bank / rel).parent.mkdir(parents=True, exist_ok=True)
        (bank / rel).write_bytes(b"x")
    code, report = run(project, capsys, "check")
    assert code == 1, report
    assert errors_of(report) == {f"examples_bank/{rel}" for rel in MISNAMED}, report
    for rel, message in MISNAMED.items():
        line = next(l for l in report.splitlines() if l.startswith(f"examples_bank/{rel}: "))
        assert message in line, (rel, line)
    assert report.count("Slik retter du det:") == len(MISNAMED)


def test_a_refused_file_makes_the_parallel_loader_fall_back(project, capsys, monkeypatch):
    """In two processes (large banks), a refused file is reported exactly as in one."""
    from generator.validate import parallel
    (project / "examples_bank" / "x.MD").write_text(VALID, encoding="utf-8")
    (project / "examples_bank" / "borte.md").symlink_to("finnes-ikke.md")
    serial = run(project, capsys, "check")
    monkeypatch.setattr(parallel, "MIN_ENTRIES", 1)
    assert run(project, capsys, "check") == serial
    assert serial[0] == 1 and errors_of(serial[1]) == {"examples_bank/x.MD",
                                                       "examples_bank/borte.md"}


def test_entry_files_returns_refused_files_among_the_entries(project):
    """`entry_files` returns refused files too; the slugs `new` and `--changed` see are still the
    bank's entries, plus those files (never fewer)."""
    from generator.base.settings import Settings
    (project / "examples_bank" / "x.MD").write_text(VALID, encoding="utf-8")
    settings = Settings(root=project, bank_dir=project / "examples_bank",
                        docs_dir=project / "content")
    found = files.entry_files(settings)
    refused = [p for p in found if isinstance(p, files.Refused)]
    assert [p.name for p in refused] == ["x.MD"]
    assert {p.stem for p in found if not isinstance(p, files.Refused)} == {
        f.stem for f in fixture_files()} | {"syntetisk-felt"}
    assert all(os.path.isabs(p) for p in found)


def test_check_changed_reports_new_symlinks_and_misnamed_files(project, capsys):
    """`check --changed` (pull requests) sees them as changed files, like entries."""
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "content", "examples_bank", "site_config.yml"], cwd=project,
                   check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=project, check=True)
    (project / "examples_bank" / "borte.md").symlink_to("finnes-ikke.md")
    (project / "examples_bank" / "x.MD").write_text(VALID, encoding="utf-8")
    (project / "content" / "passwd.txt").symlink_to("/etc/passwd")
    code, report = run(project, capsys, "check", "--changed", "--base", "HEAD")
    assert code == 1, report
    assert errors_of(report) == {"examples_bank/borte.md", "examples_bank/x.MD",
                                 "content/passwd.txt"}, report


def test_names_with_control_characters_are_refused_and_shown_escaped(project, capsys):
    """A newline or an escape sequence in a file name would forge report lines or colour the
    terminal; a name that is not UTF-8 reaches Python with lone surrogates."""
    source = os.fsencode(project / "examples_bank" / "syntetisk-felt.md")
    for name in (b"ny\nlinje.md", b"\x1b[31mrod.md", b"r\xf8d.md", b"mappe\t/x.md"):
        target = os.fsencode(project / "examples_bank") + b"/" + name
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(source, target)
    shutil.copyfile(os.fsencode(project / "content" / "index.md"),
                    os.fsencode(project / "content") + b"/a\rb.md")
    code, report = run(project, capsys, "check")
    assert code == 1, report
    assert errors_of(report) == {"examples_bank/ny?linje.md", "examples_bank/?[31mrod.md",
                                 "examples_bank/r?d.md", "examples_bank/mappe?",
                                 "content/a?b.md"}, report
    assert "\x1b" not in report and "\r" not in report and "\udcf8" not in report
