"""Shared fixtures: a bank in a temporary folder, and one real mkdocs build of a fixture bank."""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Callable

import pytest

from generator.base.errors import BankError
from generator.pipeline import load_bank
from generator.base.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
# In GitHub Actions the repository's address comes from GITHUB_REPOSITORY (validate/config.py:
# repository). The tests build their own projects with their own repo_url, here and in the
# commands they start, so the runner's repository must not leak in; tests that need it set it.
for _name in ("GITHUB_REPOSITORY", "GITHUB_SERVER_URL"):
    os.environ.pop(_name, None)
FIXTURE_BANK = ROOT / "tests" / "fixtures" / "bank"
TODAY = dt.date(2026, 11, 25)

VALID = """\
---
tittel: Syntetisk testeksempel
kommuner: [Tydal]
innsatsomrader: [aktivitet-og-fellesskap]
losninger: []
sammendrag: Syntetisk eksempel for testene.
status: gjennomfort
publisert: 2021-12-01
sprak: nb
syntetisk: true
kilder:
  - tittel: Testdata
    url: https://example.org/kilde
---
Syntetisk brødtekst som er lang nok til å bli godtatt av kontrollen.
"""


class BankDir:
    """A throw-away project with its own examples_bank/ and the real content/ pages."""

    def __init__(self, root: Path):
        self.root = root
        self.bank = root / "examples_bank"
        self.bank.mkdir(parents=True, exist_ok=True)

    def write(self, name: str, text: str | bytes) -> Path:
        path = self.bank / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    @property
    def settings(self) -> Settings:
        return Settings(root=self.root, bank_dir=self.bank, docs_dir=ROOT / "content", today=TODAY)

    def load(self, strict: bool = False):
        return load_bank(self.settings, strict=strict)

    def issues(self, strict: bool = False):
        """All issues reported for this bank (errors and warnings)."""
        try:
            return self.load(strict=strict).warnings
        except BankError as exc:
            return exc.issues


# The slowest files first, roughly by their time on two cores (scripts/test.sh hands out whole
# files to its workers in this order: --dist loadfile --no-loadscope-reorder), so that the files
# left at the end are short and no worker is left alone with a long one. The first two do not
# wait for each other's site (test_serve_bad_input builds none); those sharing the bundled
# bank's build (real_project) are far apart. Files not named follow in their usual order.
LONGEST_FIRST = [
    "test_a11y.py", "test_serve_bad_input.py", "test_search.py", "test_workflows.py",
    "test_search_phone.py", "test_limits.py", "test_workflows_forslag_edits.py",
    "test_serve.py", "test_real_bank.py", "test_privacy.py", "test_scale.py",
    "test_keyboard.py", "test_publish.py", "test_contributor_pr.py", "test_contributing.py",
    "test_guard.py", "test_parallel.py", "test_issueform.py", "test_files.py",
    "test_search_stream.py", "test_browser_smoke.py", "test_html_valid.py",
    "test_publish_safety.py", "test_content_pages.py", "test_search_relevance.py",
    "test_build.py",
]


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files stay whole


def pytest_sessionfinish(session):
    """The browser tests share one Chromium per test process (browser.py): stop it."""
    import sys
    shared = sys.modules.get("browser")
    if shared is not None:
        shared.stop_shared()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The fixture bank, loaded: (Bank, Settings) — shared by a module's tests."""
    tmp = tmp_path_factory.mktemp("bank")
    settings = Settings(root=tmp, bank_dir=fixture_bank(tmp), docs_dir=ROOT / "content",
                        today=TODAY)
    return load_bank(settings), settings


@pytest.fixture
def bankdir(tmp_path) -> BankDir:
    return BankDir(tmp_path)


def entry(**changes) -> str:
    """VALID with front-matter lines replaced (value None removes the key)."""
    lines = VALID.split("\n")
    out = []
    for line in lines:
        key = line.split(":", 1)[0]
        if key in changes and not line.startswith(" "):
            if changes[key] is not None:
                out.append(f"{key}: {changes.pop(key)}")
            else:
                changes.pop(key)
            continue
        out.append(line)
    if changes:
        idx = out.index("---", 1)
        out[idx:idx] = [f"{k}: {v}" for k, v in changes.items()]
    return "\n".join(out)


def build_site(dest: Path, bank: Path, options: str = "") -> Path:
    """A real mkdocs build (through our CLI, as a user runs it) of `bank` into dest/site;
    `options`: more of the plugin's settings, e.g. "lean_pages: false"."""
    from generator.adapters.cli import main
    config = (ROOT / "site_config.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: content", f"docs_dir: {ROOT / 'content'}")
    config = config.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    config = config.replace("bank: examples_bank", f"bank: {bank}"
                            + "".join(f"\n      {o}" for o in options.splitlines()))
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "site_config.yml").write_text(config, encoding="utf-8")
    code = main(["--config", str(dest / "site_config.yml"), "build"])
    assert code == 0, "the fixture site must build"
    return dest / "site"


def fixture_bank(dest: Path) -> Path:
    """The test bank (tests/fixtures/bank/: frozen copies of two real entries and synthetic
    ones) in a folder of its own. Tests never read the bundled examples_bank/, so a new example
    there cannot turn a test red (test_real_bank.py checks only invariants of it)."""
    bank = dest / "examples_bank"
    bank.mkdir(parents=True, exist_ok=True)
    for f in fixture_files():
        shutil.copy(f, bank / f.name)
    return bank


def fixture_files() -> list[Path]:
    return sorted(f for f in FIXTURE_BANK.glob("*.md") if f.name != "README.md")


def made_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder filled by `make(folder)` once per test run and shared by every test process:
    the xdist workers' temporary folders lie in the run's own, and the first worker to ask
    makes it under a lock while the others wait for it. Its users only read it."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / f"made-once-{name}"
    with open(root / f"made-once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".made").exists():
            shutil.rmtree(folder, ignore_errors=True)  # what an attempt that failed left
            folder.mkdir()
            make(folder)
            (folder / ".made").touch()
    return folder


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The test bank's site, built once per test run (made_once)."""
    folder = made_once(tmp_path_factory, "fixture-site",
                       lambda tmp: build_site(tmp, fixture_bank(tmp)))
    return folder / "site"


@pytest.fixture(scope="session")
def marked_site(tmp_path_factory) -> Path:
    """The test bank's site with the search index's markup in its pages (`lean_pages: false`,
    as serve writes them): for tests that index a written site (search.index_site). Read only:
    copy it to change it."""
    folder = made_once(tmp_path_factory, "marked-site",
                       lambda tmp: build_site(tmp, fixture_bank(tmp), "lean_pages: false"))
    return folder / "site"


@pytest.fixture(scope="session")
def real_project(tmp_path_factory) -> tuple[Path, dict]:
    """A copy of the project with the bundled bank, checked (--strict) and built as it is
    published, through the real command; once per test run (made_once). Returns the project
    and, for each command, {"code", "stderr"}. Only invariants may be asserted on it."""
    def make(tmp: Path) -> None:
        project = tmp / "p"
        shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
            ".venv", "site", ".git", "node_modules", "bench", ".site-*", "__pycache__", "tests"))
        (project / "node_modules").symlink_to(ROOT / "node_modules")  # the pinned Pagefind binary
        ran = {}
        for command in (["check", "--strict"], ["build"]):
            r = subprocess.run([sys.executable, "-m", "generator", *command], cwd=project,
                               capture_output=True, text=True)
            ran[command[0]] = {"code": r.returncode, "stderr": r.stderr}
        (tmp / "ran.json").write_text(json.dumps(ran), encoding="utf-8")
    folder = made_once(tmp_path_factory, "real-project", make)
    return folder / "p", json.loads((folder / "ran.json").read_text(encoding="utf-8"))


def bank_of(root: Path | None = None):
    """(Bank, Settings) of the test bank with the real content, without building a site."""
    import tempfile
    root = root or Path(tempfile.mkdtemp())
    settings = Settings(root=root, bank_dir=fixture_bank(root), docs_dir=ROOT / "content",
                        today=TODAY)
    return load_bank(settings), settings


def copy_project(dest: Path) -> Path:
    """A copy of the project's content, theme and config in `dest`, with one valid synthetic
    entry as its bank (the status data's `eksempler:` line dropped: it names real examples)."""
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(ROOT / "theme", dest / "theme")
    shutil.copy(ROOT / "site_config.yml", dest / "site_config.yml")
    (dest / "examples_bank").mkdir(exist_ok=True)
    (dest / "examples_bank" / "syntetisk-a.md").write_text(VALID, encoding="utf-8")
    status = dest / "content" / "status" / "2021-11.yml"
    status.write_text("\n".join(line for line in status.read_text(encoding="utf-8").split("\n")
                                if not line.startswith("eksempler:")), encoding="utf-8")
    return dest


def edit_file(project: Path, rel: str, old: str, new: str) -> int:
    """Replace `old` by `new` once in one file of `project`; return the 1-based line of `old`."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1
