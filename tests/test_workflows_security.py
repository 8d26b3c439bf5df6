"""The workflows follow GitHub's security hardening guide (issue 14).

* No `${{ … }}` expression in a `run:` script: untrusted text (an issue's title or body, a branch
  name) reaches scripts only through the environment, where the shell cannot run it.
* forslag.yml never prints the issue's text, or anything quoting it, to the log, where a line such
  as `::add-mask::` or `::stop-commands::` would be a workflow command: its script keeps from-issue's
  output and gh's replies in files (the answer itself is made inert by from-issue:
  tests/test_issueform.py); the step that parses the issue holds no token.
* Permissions per job, least privilege: nothing at the top of a workflow; only the deploy job may
  publish to Pages; only the issue-form job may write, and the
  dead-link job (lenker.yml) its one issue, running nothing but the gh CLI.
(Every action is pinned to a commit SHA: tests/test_contributing.py.)
"""
from __future__ import annotations

import re

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
    publiser = forslag_step("Svar i saken og åpne pull request")
    assert publiser["env"]["TITLE"] == "${{ github.event.issue.title }}"
    # The step that parses the untrusted text holds no token; the one with the token never
    # sees the body (only what `lag` made of it: a validated path, or the answer in a file).
    assert "GH_TOKEN" not in lag["env"] and "github.token" not in str(lag)
    assert "BODY" not in publiser["env"] and "issue.body" not in str(publiser)
    # Every script is the tested one (tests/test_workflows.py), with no shell logic around it.
    for _, s in steps(workflows()["forslag.yml"]):
        if "run" in s and s["name"] != "Installer":
            assert re.fullmatch(r"python3 \.github/scripts/forslag\.py (lag|publiser|vent)\n?",
                                s["run"]), s["name"]


def test_forslag_script_keeps_what_quotes_the_issue_out_of_the_log():
    """Static half of the check (the dynamic half, with hostile text: tests/test_workflows.py):
    from-issue's output and messages go to files, gh's replies and errors are captured."""
    script = (ROOT / ".github/scripts/forslag.py").read_text(encoding="utf-8")
    assert "stdout=out, stderr=err" in script                # from-issue → files
    assert script.count("subprocess.run(") == 2
    assert "capture_output=True" in script                   # gh → captured
    # Nothing read from a file or from gh is printed: print() only gets literals and f-strings
    # of numbers, paths that passed ENTRY_PATH, and the call that failed.
    for line in script.splitlines():
        if "print(" in line:
            assert not re.search(r"print\((text|body|content|r\.std|printed|answer)", line), line


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
    assert forslag == {"contents": "write", "pull-requests": "write", "issues": "write",
                       "actions": "write"}          # actions: start pr.yml on the robot's branch
    # The job that waits for the checks only reads them and writes the answer.
    resultat = workflows()["forslag.yml"]["jobs"]["resultat"]["permissions"]
    assert resultat == {"contents": "read", "actions": "read", "issues": "write"}
    bygg = workflows()["pages.yml"]["jobs"]["bygg"]["permissions"]
    assert bygg == {"contents": "read", "pages": "read"}


def test_jobs_that_run_code_keep_no_token_in_git():
    for name in ("pages.yml", "pr.yml", "forslag.yml"):
        for _, s in steps(workflows()[name]):
            if s.get("uses", "").startswith("actions/checkout@"):
                assert s["with"]["persist-credentials"] is False, name
