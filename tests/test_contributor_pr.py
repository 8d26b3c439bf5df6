"""What a contributor's pull request does — one more valid example in examples_bank/ — keeps
the tests green: no test counts or names the bundled examples (issue «tests independent of the
bundled bank»). A file of its own, so that it runs beside the others."""
from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import ROOT, VALID


def test_a_new_valid_example_keeps_the_suite_green(tmp_path):
    """What a contributor's pull request does: one more valid example in examples_bank/. The
    fast tests, run in a copy of the project with that example, stay green (no test counts or
    names the bundled examples)."""
    project = tmp_path / "p"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".venv", "site", ".git", "node_modules", "bench", ".site-*", "__pycache__",
        ".pytest_cache", ".hypothesis"))
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    new = VALID.replace("syntetisk: true\n", "").replace(
        "Syntetisk testeksempel", "Et nytt eksempel fra en kommune").replace(
        "    url: https://example.org/kilde", "    url: https://example.org/kilde\n    type: kommune")
    (project / "examples_bank" / "tydal-et-nytt-eksempel.md").write_text(new, encoding="utf-8")
    fast = ["tests/test_model.py", "tests/test_validate.py", "tests/test_documented.py",
            "tests/test_real_bank.py::test_every_entry_has_a_page_and_is_listed",
            "tests/test_real_bank.py::test_exports_count_every_entry",
            "tests/test_real_bank.py::test_every_real_example_cites_a_source_with_a_url"]
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                        *fast], cwd=project, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:]
