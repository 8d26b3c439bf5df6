"""The workflows follow GitHub's security hardening guide (issue 14).

* No `${{ … }}` expression in a `run:` script: untrusted text (an issue's title or body, a branch
  name) reaches scripts only through the environment, where the shell cannot run it.
* forslag.yml never prints the error text (which quotes the issue's answers) to the log, where a
  line such as `::add-mask::` or `::stop-commands::` would be a workflow command; the error text is
  posted from a file, in a code block no answer can close; `check`'s output is fenced off with a
  random `::stop-commands::` token.
* Permissions per job, least privilege: nothing at the top of a workflow; only the deploy job may
  publish to Pages; only the issue-form job may write, and the
  dead-link job (lenker.yml) its one issue, running nothing but the gh CLI.
(Every action is pinned to a commit SHA: tests/test_contributing.py.)
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import cmarkgfm
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def workflows() -> dict[str, dict]:
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(WORKFLOWS.glob("*.yml"))}


def steps(wf: dict):
    for job_name, job in wf["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, step


def forslag_step(name: str) -> dict:
    return next(s for _, s in steps(workflows()["forslag.yml"]) if s.get("name") == name)


def test_no_expression_in_any_run_script():
    found = [(wf_name, s.get("name", s["run"][:40]))
             for wf_name, wf in workflows().items() for _, s in steps(wf)
             if "run" in s and "${{" in s["run"]]
    assert not found, ("pass values to a script through `env:` and use \"$NAME\" — "
                       f"an expression is pasted into the script before the shell sees it: {found}")
    # The untrusted event fields in particular, anywhere in a run script's text.
    for wf_name, wf in workflows().items():
        for _, s in steps(wf):
            assert "github.event." not in s.get("run", ""), (wf_name, s.get("name"))
            assert "github.head_ref" not in s.get("run", ""), (wf_name, s.get("name"))


def test_issue_text_reaches_scripts_only_through_the_environment():
    lag = forslag_step("Lag eksempelfilen fra saken")
    assert lag["env"]["BODY"] == "${{ github.event.issue.body }}"
    assert '"$BODY"' in lag["run"]
    # The title goes to the pull-request action as an input (an API call), never to a shell.
    pr = next(s for _, s in steps(workflows()["forslag.yml"]) if "create-pull-request" in s.get("uses", ""))
    assert pr["with"]["title"] == "${{ github.event.issue.title }}"


def _shell_lines(script: str):
    """The shell lines of a run script, without the text of a quoted (<<'X') here-document."""
    lines, end = [], None
    for line in script.splitlines():
        if end is not None:
            if line.strip() == end:
                end = None
            continue
        lines.append(line)
        m = re.search(r"<<-?\s*'(\w+)'", line)
        if m:
            end = m.group(1)
    return lines


def test_forslag_never_prints_the_error_file_to_the_log():
    for _, s in steps(workflows()["forslag.yml"]):
        for line in _shell_lines(s.get("run", "")):
            # feil.txt may be written (> or 2> it), never read by a shell command: cat, head,
            # echo "$(<…)", a pipe … would all put the issue's answers in the log.
            rest = re.sub(r'[12]?>\s*"\$RUNNER_TEMP/feil\.txt"', "", line)
            assert "feil.txt" not in rest, (s.get("name"), line)
    svar = forslag_step("Svar i saken med feilene")["run"]
    assert "--body-file" in svar and "read_text" in svar
    program = svar.split("<<'PY'\n", 1)[1].split("\nPY\n", 1)[0]
    assert "print(" not in program and "stdout" not in program


def _comment_for(tmp_path: Path, errors: str) -> tuple[str, str]:
    """Run the workflow's own comment builder on `errors`; (its log, the comment)."""
    svar = forslag_step("Svar i saken med feilene")["run"]
    program = svar.split("<<'PY'\n", 1)[1].split("\nPY\n", 1)[0]
    (tmp_path / "feil.txt").write_text(errors, encoding="utf-8")
    r = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                       env={**os.environ, "RUNNER_TEMP": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    return r.stdout + r.stderr, (tmp_path / "svar.md").read_text(encoding="utf-8")


def test_the_bot_comment_keeps_every_answer_inside_its_code_block(tmp_path):
    # Lines that would close a shorter fence (``` and `````), then Markdown, HTML and mentions.
    hostile = ("examples_bank/x.md:3: feil: ukjent kommune «\n```\n# Overskrift\n"
               "<img src=x onerror=alert(1)>\n`````\n@alle ```` `\n::add-mask::hemmelig\n"
               "::stop-commands::abc\n~~~»\n")
    log, comment = _comment_for(tmp_path, hostile)
    assert log == ""
    html = cmarkgfm.github_flavored_markdown_to_html(comment)
    # One code block holding the whole error text, and nothing from it outside the block.
    assert html.count("<pre") == 1 and "<h1" not in html and "<img" not in html
    code = re.search(r"<pre[^>]*><code[^>]*>(.*)</code></pre>", html, re.S).group(1)
    from html import unescape
    assert unescape(code) == hostile
    assert html.split("</pre>", 1)[1].strip() == ""
    # Plain errors: the usual three backticks.
    _, plain = _comment_for(tmp_path, "examples_bank/x.md:3: feil: mangler «tittel»\n")
    assert "\n```text\n" in plain and plain.endswith("\n```\n")


def test_check_output_in_forslag_cannot_issue_workflow_commands():
    run = forslag_step("Kontroller")["run"]
    lines = [line.strip() for line in run.splitlines()]
    stop = lines.index('echo "::stop-commands::$token"')
    check = next(i for i, line in enumerate(lines) if "erfaringsbank check" in line)
    resume = lines.index('echo "::$token::"')
    assert stop < check < resume
    assert "secrets.token_hex" in lines[0]          # a fresh random token for every run


def test_permissions_per_job_least_privilege():
    for name, wf in workflows().items():
        assert wf.get("permissions") == {}, f"{name}: no permissions at the top, only per job"
        for job_name, job in wf["jobs"].items():
            perms = job.get("permissions")
            assert isinstance(perms, dict), f"{name}/{job_name}: permissions per job, as a mapping"
            uses = {s.get("uses", "").split("@")[0] for s in job.get("steps", [])}
            writes = {k for k, v in perms.items() if v == "write"}
            if "actions/deploy-pages" in uses:
                assert perms == {"pages": "write", "id-token": "write"}, (name, job_name)
                assert len(job["steps"]) == 1, "the deploy job runs nothing but deploy-pages"
            elif name == "lenker.yml" and writes:
                # the dead-link issue: the job that writes it runs nothing but the gh CLI
                assert perms == {"issues": "write"}, (name, job_name)
                assert [s.get("uses") for s in job["steps"]] == [None], (name, job_name)
                assert all(s["run"].lstrip().startswith("set -euo") for s in job["steps"])
            elif name != "forslag.yml":
                assert not writes, (name, job_name, writes)
    forslag = workflows()["forslag.yml"]["jobs"]["forslag"]["permissions"]
    assert forslag == {"contents": "write", "pull-requests": "write", "issues": "write"}
    bygg = workflows()["pages.yml"]["jobs"]["bygg"]["permissions"]
    assert bygg == {"contents": "read", "pages": "read"}


def test_jobs_that_run_code_keep_no_token_in_git():
    for name in ("pages.yml", "pr.yml"):
        for _, s in steps(workflows()[name]):
            if s.get("uses", "").startswith("actions/checkout@"):
                assert s["with"]["persist-credentials"] is False, name
