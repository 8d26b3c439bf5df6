"""A fake `gh` (a small GitHub REST API in a JSON file) and a fake `erfaringsbank from-issue`, and
a runner that executes a workflow's jobs as GitHub Actions would: the `${{ … }}` expressions of
each step's `env:` rendered from an event, GITHUB_OUTPUT read back into `steps.<id>.outputs`,
job outputs into `needs.<job>.outputs`. For tests/test_workflows.py: the workflows run offline,
with their real scripts."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from conftest import ROOT

REPO = "annen-org/var-bank"
SHA = "a" * 40                      # the default branch's head when the issue event fired
ROBOT = "github-actions[bot]"

# The fake gh: every call appended to calls.jsonl; state in state.json between calls. Replies
# echo what was sent (as GitHub's do), so a script that printed gh's output would leak it.
FAKE_GH = r'''#!/usr/bin/env -S python3 -S -E
import hashlib, json, os, re, sys
from urllib.parse import parse_qs, urlsplit
d = os.environ["FAKE_GH_DIR"]
state = json.load(open(os.path.join(d, "state.json"), encoding="utf-8"))
args = sys.argv[1:]
assert args[:2] == ["api", "--method"], args
method, endpoint = args[2], args[3]
payload = None
if "--input" in args:
    payload = json.load(open(args[args.index("--input") + 1], encoding="utf-8"))
with open(os.path.join(d, "calls.jsonl"), "a", encoding="utf-8") as log:
    log.write(json.dumps({"method": method, "endpoint": endpoint, "payload": payload}) + "\n")
url = urlsplit(endpoint)
path, query = url.path, {k: v[0] for k, v in parse_qs(url.query).items()}
pre = "repos/" + os.environ["GITHUB_REPOSITORY"] + "/"
assert path.startswith(pre), path
path = path[len(pre):]

def fail(status):
    # gh's error text may quote what was sent: the script must not pass it on
    sys.stderr.write(f"gh: {json.dumps(payload)} (HTTP {status})\n")
    sys.exit(1)

def robot_commit(sha, tree):
    return {"sha": sha, "author": {"login": "github-actions[bot]"},
            "committer": {"login": "web-flow"}, "commit": {"tree": {"sha": tree}}}

for rule in state.get("fail", []):
    if rule["method"] == method and re.fullmatch(rule["path"], path):
        fail(rule["status"])
reply = None
if method == "GET" and (m := re.fullmatch(r"issues/(\d+)/comments", path)):
    page = int(query.get("page", 1))
    mine = [c for c in state["comments"] if c["issue"] == int(m[1])]
    reply = mine[(page - 1) * 100: page * 100]
elif method == "POST" and (m := re.fullmatch(r"issues/(\d+)/comments", path)):
    state["next_id"] += 1
    reply = {"id": state["next_id"], "issue": int(m[1]), "user": {"login": "github-actions[bot]"},
             "body": payload["body"]}
    state["comments"].append(reply)
elif method == "PATCH" and (m := re.fullmatch(r"issues/comments/(\d+)", path)):
    reply = next(c for c in state["comments"] if c["id"] == int(m[1]))
    reply["body"] = payload["body"]
elif method == "GET" and (m := re.fullmatch(r"git/ref/heads/(.+)", path)):
    if m[1] not in state["branches"]:
        fail(404)
    reply = {"object": {"sha": state["branches"][m[1]][-1]["sha"]}}
    for extra in state.get("push_after_read", {}).pop(m[1], []):   # a race: a push right after
        state["branches"][m[1]].append(extra)
elif method == "GET" and (m := re.fullmatch(r"compare/([^.]+)\.\.\.(.+)", path)):
    found = [b for b in state["branches"].values() if any(c["sha"] == m[2] for c in b)]
    if not found:
        fail(404)
    commits = found[0]
    reply = {"commits": commits[: [c["sha"] for c in commits].index(m[2]) + 1]}
elif method == "GET" and (m := re.fullmatch(r"git/commits/(\w+)", path)):
    reply = {"sha": m[1], "tree": {"sha": "tre-" + m[1]}}
elif method == "POST" and path == "git/trees":
    reply = {"sha": "tre-" + hashlib.sha1(json.dumps(payload).encode()).hexdigest()}
elif method == "POST" and path == "git/commits":
    state["next_id"] += 1
    reply = {"sha": f"c{state['next_id']:039d}"}
    state["trees"][reply["sha"]] = payload["tree"]
    state.setdefault("parents", {})[reply["sha"]] = payload["parents"]
elif method == "POST" and path == "git/refs":
    branch = payload["ref"].removeprefix("refs/heads/")
    assert branch not in state["branches"]
    state["branches"][branch] = [robot_commit(payload["sha"], state["trees"][payload["sha"]])]
elif method == "PATCH" and (m := re.fullmatch(r"git/refs/heads/(.+)", path)):
    assert m[1] in state["branches"]
    if not payload["force"] and state["parents"][payload["sha"]] != [state["branches"][m[1]][-1]["sha"]]:
        fail(422)                       # GitHub: «Update is not a fast forward»
    state["branches"][m[1]].append(robot_commit(payload["sha"], state["trees"][payload["sha"]]))
elif method == "GET" and path == "pulls":
    branch = query["head"].split(":", 1)[1]
    reply = [p for p in state["pulls"] if p["head"] == branch and p["state"] == query["state"]]
elif method == "POST" and path == "pulls":
    state["next_id"] += 1
    reply = {"number": state["next_id"], "head": payload["head"], "title": payload["title"],
             "state": "open", "html_url": f"https://github.com/x/pull/{state['next_id']}"}
    state["pulls"].append(reply)
elif method == "PATCH" and (m := re.fullmatch(r"pulls/(\d+)", path)):
    reply = next(p for p in state["pulls"] if p["number"] == int(m[1]))
    reply.update(payload)
elif method == "POST" and re.fullmatch(r"issues/\d+/labels", path):
    reply = [{"name": n} for n in payload["labels"]]
elif method == "POST" and path == "actions/workflows/pr.yml/dispatches":
    head = state["branches"][payload["ref"]][-1]["sha"]
    state["next_id"] += 1
    if state.get("runs_appear", True):
        state["runs"].append({"id": state["next_id"], "head_sha": head, "branch": payload["ref"],
                              "html_url": f"https://github.com/x/actions/runs/{state['next_id']}"})
elif method == "GET" and path == "actions/workflows/pr.yml/runs":
    assert query["event"] == "workflow_dispatch"
    reply = {"workflow_runs": [r for r in state["runs"] if r["branch"] == query["branch"]
                               and r["head_sha"] == query["head_sha"]]}
elif method == "GET" and (m := re.fullmatch(r"actions/runs/(\d+)", path)):
    run = next(r for r in state["runs"] if r["id"] == int(m[1]))
    status = state["run_states"].pop(0) if state["run_states"] else "in_progress"
    reply = {**run, "status": status.split("/")[0], "conclusion": (status.split("/") + [None])[1]}
else:
    state.setdefault("unknown", []).append([method, endpoint])
    json.dump(state, open(os.path.join(d, "state.json"), "w", encoding="utf-8"))
    fail(404)
json.dump(state, open(os.path.join(d, "state.json"), "w", encoding="utf-8"))
if reply is not None:
    print(json.dumps(reply))
'''

# The fake from-issue, as its interface is documented (docs/kommandolinje.md): exit 0 and one
# line, the new file's path; exit 1 and the answer in --svar; 2/3 for our own failures. What it
# does comes from stub.json in the workspace; its messages quote the issue, as the real ones may.
FAKE_ERFARINGSBANK = r'''#!/usr/bin/env -S python3 -S -E
import json, pathlib, sys
args = sys.argv[1:]
ws = pathlib.Path.cwd()
(ws / "stub-argv.json").write_text(json.dumps(args))
plan = json.loads((ws / "stub.json").read_text())
assert args[0] == "from-issue" and args[2] == "--issue" and args[4] == "--svar", args
body = pathlib.Path(args[1]).read_text(encoding="utf-8")
sys.stderr.write("advarsel: " + body)
if plan["code"] == 0:
    path = ws / plan["path"]
    path.parent.mkdir(exist_ok=True)
    path.write_text("---\ntittel: fra skjemaet\n---\n" + body, encoding="utf-8")
    print(plan["path"])
elif plan["code"] == 1:
    pathlib.Path(args[5]).write_text(plan["svar"] + "\n\n> " + body, encoding="utf-8")
else:
    sys.stderr.write("Traceback: " + body)
sys.exit(plan["code"])
'''


@dataclass
class World:
    """The fake GitHub and the workspace of one test."""
    root: Path
    event: dict
    logs: list[str] = field(default_factory=list)       # every step's stdout and stderr

    @property
    def ws(self) -> Path:
        return self.root / "ws"

    @property
    def state_file(self) -> Path:
        return self.root / "gh" / "state.json"

    def state(self) -> dict:
        return json.loads(self.state_file.read_text(encoding="utf-8"))

    def edit_state(self, **changes) -> None:
        state = self.state()
        state.update(changes)
        self.state_file.write_text(json.dumps(state), encoding="utf-8")

    def calls(self) -> list[dict]:
        f = self.root / "gh" / "calls.jsonl"
        return [json.loads(line) for line in f.read_text().splitlines()] if f.exists() else []

    def stub(self, **plan) -> None:
        (self.ws / "stub.json").write_text(json.dumps(plan), encoding="utf-8")

    def comments(self) -> list[dict]:
        return self.state()["comments"]


def _python_script(text: str) -> str:
    """The fakes run with this interpreter, without site: a `python3` found on PATH may be a
    version manager's shim that takes 0.2 s to start (pyenv), for every gh call."""
    return text.replace("#!/usr/bin/env -S python3 -S -E", f"#!{sys.executable} -SE", 1)


def world(tmp_path: Path, *, body: str, title: str = "Eksempel: Kafe", number: int = 5) -> World:
    (tmp_path / "bin").mkdir(parents=True)
    (tmp_path / "bin" / "gh").write_text(_python_script(FAKE_GH), encoding="utf-8")
    (tmp_path / "bin" / "gh").chmod(0o755)
    # the workflow's `python3 .github/scripts/forslag.py`: the runner's Python is a plain binary
    (tmp_path / "bin" / "python3").symlink_to(sys.executable)
    (tmp_path / "gh").mkdir()
    (tmp_path / "gh" / "state.json").write_text(json.dumps({
        "comments": [], "branches": {}, "pulls": [], "runs": [], "run_states": [],
        "trees": {}, "next_id": 100}), encoding="utf-8")
    ws = tmp_path / "ws"
    (ws / ".github").mkdir(parents=True)
    shutil.copytree(ROOT / ".github" / "scripts", ws / ".github" / "scripts")
    (ws / ".venv" / "bin").mkdir(parents=True)
    fake = ws / ".venv" / "bin" / "erfaringsbank"
    fake.write_text(_python_script(FAKE_ERFARINGSBANK), encoding="utf-8")
    fake.chmod(0o755)
    event = {"action": "opened",
             "issue": {"number": number, "title": title, "body": body, "state": "open",
                       "labels": [{"name": "eksempelforslag"}]},
             "repository": {"default_branch": "main", "full_name": REPO}}
    return World(tmp_path, event)


# -- the workflow runner ---------------------------------------------------------------------------

EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")
PATH_EXPR = re.compile(r"[A-Za-z_][\w-]*(\.[\w-]+)*")


def lookup(ctx: dict, path: str):
    """A context value as Actions reads it. Unknown names under steps/needs outputs are empty
    (as in Actions); anywhere else they are a mistake in the workflow, and fail the test."""
    cur = ctx
    parts = path.split(".")
    for i, part in enumerate(parts):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif parts[0] in ("steps", "needs") and i >= 2:
            return ""
        elif parts[0] == "github" and parts[1] == "event" and isinstance(cur, dict):
            return ""                     # event fields may be absent (null) in a payload
        else:
            raise AssertionError(f"the workflow reads «{path}», which this context lacks")
    return cur


def evaluate(expr: str, ctx: dict) -> str:
    """`a.b.c` or `a || b || c` (the first that is not empty)."""
    for alt in (a.strip() for a in expr.split("||")):
        assert PATH_EXPR.fullmatch(alt), f"expression not understood by the test runner: {expr}"
        value = lookup(ctx, alt)
        if value not in ("", None, False):
            return str(value)
    return ""


def render(text: str, ctx: dict) -> str:
    return EXPRESSION.sub(lambda m: evaluate(m.group(1), ctx), str(text))


def read_outputs(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    it = iter(lines)
    for line in it:
        if "<<" in line and "=" not in line.split("<<")[0]:
            key, delim = line.split("<<", 1)
            out[key] = "\n".join(iter(lambda: next(it), delim))
        else:
            key, value = line.split("=", 1)
            out[key] = value
    return out


@dataclass
class JobResult:
    outputs: dict[str, str]
    steps: dict[str, dict]                  # id → {"outputs", "code"}
    failed: bool


def run_job(w: World, workflow: str, job_name: str, *, ctx_extra: dict | None = None,
            event_name: str = "issues", env_extra: dict | None = None) -> JobResult:
    """Run one job's `run:` steps (actions — checkout, setup-python — and the install step are
    what the workspace already is) in the workspace, as the runner would."""
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))
    job = wf["jobs"][job_name]
    ctx = {"github": {"token": "ghs_falsk", "event": w.event, "event_name": event_name,
                      "base_ref": "", "ref_name": "main", "repository": REPO},
           "steps": {}, "needs": {}, **(ctx_extra or {})}
    temp = w.root / f"runner-{job_name}"
    temp.mkdir(exist_ok=True)
    results: dict[str, dict] = {}
    failed = False
    for i, step in enumerate(job["steps"]):
        if "uses" in step or step["run"].strip() == "bash scripts/setup.sh":
            continue
        # success() (no condition) or !cancelled(); no other condition is understood here
        assert step.get("if", "${{ !cancelled() }}") == "${{ !cancelled() }}", step["if"]
        if failed and "if" not in step:
            continue
        out = temp / f"output-{i}"
        out.write_text("")
        env = {"PATH": f"{w.root / 'bin'}{os.pathsep}{os.environ['PATH']}",
               "HOME": str(w.root), "LANG": "C.UTF-8",
               "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": REPO,
               "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "4242",
               "GITHUB_SHA": SHA, "GITHUB_OUTPUT": str(out), "GITHUB_EVENT_NAME": event_name,
               "GITHUB_STEP_SUMMARY": str(temp / f"summary-{i}.md"), "RUNNER_TEMP": str(temp),
               "FAKE_GH_DIR": str(w.root / "gh"), **(env_extra or {})}
        for scope in (wf.get("env") or {}, job.get("env") or {}, step.get("env") or {}):
            env.update({k: render(v, ctx) for k, v in scope.items()})
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                           cwd=w.ws, env=env, capture_output=True, text=True, timeout=60)
        w.logs.append(r.stdout + r.stderr)
        outputs = read_outputs(out)
        results[step.get("id", str(i))] = {"outputs": outputs, "code": r.returncode,
                                           "summary": temp / f"summary-{i}.md"}
        if "id" in step:
            ctx["steps"][step["id"]] = {"outputs": outputs}
        if r.returncode != 0:
            failed = True
    outputs = {k: render(v, ctx) for k, v in (job.get("outputs") or {}).items()}
    return JobResult(outputs, results, failed)
