"""The command line as a contributor uses it: exit codes and file:line messages."""
import subprocess
import sys

from conftest import ROOT, VALID


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                          capture_output=True, text=True)


def test_check_bundled_bank_passes():
    r = run("check")
    assert r.returncode == 0, r.stderr
    assert "ingen feil" in r.stdout


def test_check_broken_bank_fails_with_file_and_line(tmp_path):
    (tmp_path / "examples_bank").mkdir()
    (tmp_path / "examples_bank" / "syntetisk-a.md").write_text(
        VALID.replace("[Tydal]", "[Tydall]"), encoding="utf-8")
    config = (ROOT / "site_config.yml").read_text().replace(
        "docs_dir: content", f"docs_dir: {ROOT / 'content'}")
    (tmp_path / "site_config.yml").write_text(config)
    r = run("check", cwd=tmp_path)
    assert r.returncode == 1
    assert "examples_bank/syntetisk-a.md:3: feil: ukjent kommune «Tydall»" in r.stderr
    assert "Mente du «Tydal»?" in r.stderr
    assert "Traceback" not in r.stderr


def test_usage_and_config_errors_exit_2(tmp_path):
    assert run("nonsense").returncode == 2
    (tmp_path / "site_config.yml").write_text("site_name: x\ntheme:\n  language: no\n")
    r = run("check", cwd=tmp_path)
    assert r.returncode == 2
    assert "theme.language" in r.stderr and "erfaringsbank" in r.stderr
