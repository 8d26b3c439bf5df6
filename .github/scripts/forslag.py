#!/usr/bin/env python3
"""The issue-form robot of .github/workflows/forslag.yml: issue → entry file → pull request → checks.

Three steps; the workflow runs each with its inputs in the environment:

  lag       runs «erfaringsbank from-issue» on the issue's text and writes the outcome to
            GITHUB_OUTPUT. It holds no token: the untrusted text is parsed without any right to
            write anything.
  publiser  answers in the issue (the contributor's mistakes, a duplicate, our own failure), or
            commits the entry to the branch forslag/sak-N, opens the pull request and starts the
            checks (pr.yml) on that branch: a pull request opened with GITHUB_TOKEN starts no
            workflow by itself, but a workflow_dispatch does (docs/oppsett-github.md).
  vent      waits for those checks and writes their result in the same answer.

The robot keeps one answer per issue (found by MARKER, edited on each run), and never touches a
branch that has a commit that is not its own: from then on the proposal is edited in the pull
request.

The issue's text is untrusted. It travels only in files and the environment. Nothing here prints
it, or anything that may quote it (the answer, from-issue's messages, gh's replies and errors),
to the log, where a line such as «::add-mask::…» would be read as a workflow command.
Only the standard library: the `vent` job runs on the runner's own python3, without setup.sh.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

MARKER = "<!-- erfaringsbank:forslag -->"
# GITHUB_TOKEN acts as this user; its commits and comments carry this login.
ROBOT = "github-actions[bot]"
# A commit the robot made through the API is committed by the robot or by «web-flow» (GitHub).
ROBOT_COMMITTERS = {ROBOT, "web-flow"}
# The path from-issue prints: a file directly in the bank folder, lowercase slug.
ENTRY_PATH = re.compile(r"[a-z0-9_-]+/[a-z0-9][a-z0-9-]*\.md")
CHECKS_WORKFLOW = "pr.yml"
MAX_COMMENT = 60000          # GitHub refuses comments over 65 536 characters


class GhError(Exception):
    """A failed `gh api` call: the HTTP status (if gh said one) and the call, never gh's text."""

    def __init__(self, status: int | None, call: str):
        super().__init__(f"{call} feilet (HTTP {status or 'ukjent'})")
        self.status = status


# -- environment and files ---------------------------------------------------------------------

def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise SystemExit(f"forslag.py: miljøvariabelen {name} mangler")
    return value


def workdir() -> Path:
    d = Path(env("RUNNER_TEMP")) / "forslag"
    d.mkdir(parents=True, exist_ok=True)
    return d


def set_output(**values: str) -> None:
    # Only values this script made (a validated path, numbers, fixed words): no newline can
    # sneak a second output in.
    with open(env("GITHUB_OUTPUT"), "a", encoding="utf-8") as out:
        for key, value in values.items():
            assert "\n" not in value and "\r" not in value, key
            out.write(f"{key}={value}\n")


def issue_number() -> str:
    number = env("NUMBER")
    if not number.isdigit():
        raise SystemExit("forslag.py: NUMBER er ikke et saksnummer")
    return number


def run_url() -> str:
    return (f"{env('GITHUB_SERVER_URL', 'https://github.com')}/{env('GITHUB_REPOSITORY')}"
            f"/actions/runs/{env('GITHUB_RUN_ID')}")


# -- gh ------------------------------------------------------------------------------------------

_calls = 0


def gh(method: str, endpoint: str, payload: dict | None = None):
    """One REST call through `gh api`; the reply as JSON (None when empty). The payload goes in
    a file (--input), gh's output is captured and never shown: both may quote the issue."""
    global _calls
    _calls += 1
    args = ["gh", "api", "--method", method, endpoint]
    if payload is not None:
        f = workdir() / f"kall-{_calls}.json"
        f.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        args += ["--input", str(f)]
    r = subprocess.run(args, capture_output=True, text=True, encoding="utf-8", errors="replace")
    if r.returncode != 0:
        status = re.search(r"HTTP (\d{3})", r.stderr)
        raise GhError(int(status.group(1)) if status else None, f"gh api {method} {endpoint}")
    return json.loads(r.stdout) if r.stdout.strip() else None


def repo() -> str:
    return env("GITHUB_REPOSITORY")


# -- the one answer in the issue ---------------------------------------------------------------

def find_answer(number: str) -> int | None:
    """The id of the robot's answer in the issue: its own comment holding MARKER."""
    page = 1
    while True:
        comments = gh("GET", f"repos/{repo()}/issues/{number}/comments?per_page=100&page={page}")
        for c in comments or []:
            if (c.get("user") or {}).get("login") == ROBOT and MARKER in (c.get("body") or ""):
                return c["id"]
        if not comments or len(comments) < 100:
            return None
        page += 1


def answer(number: str, text: str) -> None:
    """Write `text` as the robot's answer: edit the existing one, or post the first one."""
    body = f"{MARKER}\n{text.strip()}\n"
    if len(body) > MAX_COMMENT:
        body = body[:MAX_COMMENT] + "\n\n…(svaret er forkortet)\n"
    existing = find_answer(number)
    if existing is None:
        gh("POST", f"repos/{repo()}/issues/{number}/comments", {"body": body})
        print(f"Svaret er lagt i sak #{number}.")
    else:
        gh("PATCH", f"repos/{repo()}/issues/comments/{existing}", {"body": body})
        print(f"Svaret i sak #{number} er oppdatert.")


def our_failure() -> str:
    return ("Noe gikk galt hos oss da forslaget skulle gjøres om til en eksempelside. Det er ikke "
            "din feil, og du trenger ikke gjøre noe: en vedlikeholder ser på det.\n\n"
            f"[Se kjøringen]({run_url()})")


# -- lag: the entry file from the issue --------------------------------------------------------

def lag() -> int:
    """Run from-issue; GITHUB_OUTPUT gets utfall=fil (and fil=PATH), feil or intern."""
    number = issue_number()
    work = workdir()
    body, answer_file = work / "sak.md", work / "svar.md"
    body.write_text(env("BODY", "") + "\n", encoding="utf-8")
    answer_file.unlink(missing_ok=True)
    command = env("ERFARINGSBANK", ".venv/bin/erfaringsbank")
    with open(work / "fil.txt", "w", encoding="utf-8") as out, \
            open(work / "meldinger.txt", "w", encoding="utf-8") as err:
        # from-issue's messages quote the issue: they go to a file, never to the log.
        code = subprocess.run([command, "from-issue", str(body), "--issue", number,
                               "--svar", str(answer_file)], stdout=out, stderr=err).returncode
    printed = (work / "fil.txt").read_text(encoding="utf-8", errors="replace")
    lines = printed.splitlines()
    if code == 0 and len(lines) == 1 and ENTRY_PATH.fullmatch(lines[0]) and Path(lines[0]).is_file():
        set_output(utfall="fil", fil=lines[0])
        print(f"Eksempelfilen er laget: {lines[0]}")
    elif code == 1 and answer_file.is_file() and answer_file.read_text(encoding="utf-8").strip():
        set_output(utfall="feil")
        print("Skjemaet har feil; svaret til bidragsyteren legges i saken (ikke i loggen).")
    else:
        set_output(utfall="intern")
        print(f"from-issue avsluttet med kode {code} uten et brukbart resultat. Meldingene står "
              "ikke i loggen (de siterer saken): kjør «erfaringsbank from-issue» lokalt på "
              "sakens tekst for å se dem.")
    return 0


# -- publiser: answer, or branch + pull request + checks ---------------------------------------

def publiser() -> int:
    number = issue_number()
    outcome = env("UTFALL", "")
    try:
        if outcome == "feil":
            answer(number, (workdir() / "svar.md").read_text(encoding="utf-8", errors="replace"))
            return 0
        if outcome != "fil":
            answer(number, our_failure())
            return 1
        return _propose(number, env("FIL"))
    except GhError as exc:
        print(f"Feil mot GitHub: {exc}", file=sys.stderr)
        try:
            answer(number, our_failure())
        except GhError:
            pass
        return 1


def _robot_commit(c: dict) -> bool:
    author = (c.get("author") or {}).get("login")
    committer = (c.get("committer") or {}).get("login")
    return author == ROBOT and committer in ROBOT_COMMITTERS


def _open_pull(branch: str) -> dict | None:
    owner = repo().split("/")[0]
    query = urlencode({"head": f"{owner}:{branch}", "state": "open"})
    pulls = gh("GET", f"repos/{repo()}/pulls?{query}") or []
    return pulls[0] if pulls else None


def _propose(number: str, path: str) -> int:
    if not ENTRY_PATH.fullmatch(path):
        raise SystemExit("forslag.py: FIL er ikke en eksempelfil")
    branch = f"forslag/sak-{number}"
    base = env("DEFAULT_BRANCH")
    base_sha = env("GITHUB_SHA")        # the commit from-issue was run on (duplicates, names)
    # The branch's head is read first and everything after is decided on that commit: the
    # update below is not forced, so GitHub refuses it if anyone pushed after this read (a
    # compare-and-swap — a maintainer's fix is never overwritten, even in a race).
    try:
        head = gh("GET", f"repos/{repo()}/git/ref/heads/{branch}")["object"]["sha"]
    except GhError as exc:
        if exc.status != 404:
            raise
        head = None                      # no branch yet
    compared = (gh("GET", f"repos/{repo()}/compare/{quote(base, safe='/')}...{head}")
                if head else None)
    pull = _open_pull(branch) if head else None
    commits = (compared or {}).get("commits") or []
    if any(not _robot_commit(c) for c in commits):
        return _edited_by_others(number, branch, pull)

    # The new commit: the base commit's tree with the entry file, made through the API (no git
    # credentials on the runner; GitHub signs the commit).
    content = Path(path).read_text(encoding="utf-8")
    base_tree = gh("GET", f"repos/{repo()}/git/commits/{base_sha}")["tree"]["sha"]
    tree = gh("POST", f"repos/{repo()}/git/trees", {
        "base_tree": base_tree,
        "tree": [{"path": path, "mode": "100644", "type": "blob", "content": content}]})["sha"]
    title = env("TITLE", "").strip()[:200] or f"Nytt eksempel fra sak #{number}"
    if commits and commits[-1]["commit"]["tree"]["sha"] == tree and pull:
        if pull.get("title") != title:
            gh("PATCH", f"repos/{repo()}/pulls/{pull['number']}", {"title": title})
        print(f"Ingen endring i forslaget; #{pull['number']} og kontrollene står som før.")
        return 0
    # On top of the robot's own last commit (a fast-forward), with the tree of today's base
    # and the new entry file: the pull request shows exactly the new file.
    commit = gh("POST", f"repos/{repo()}/git/commits", {
        "message": f"Nytt eksempel fra sak #{number}", "tree": tree,
        "parents": [head or base_sha]})["sha"]
    if head is None:
        gh("POST", f"repos/{repo()}/git/refs", {"ref": f"refs/heads/{branch}", "sha": commit})
    else:
        try:
            gh("PATCH", f"repos/{repo()}/git/refs/heads/{branch}", {"sha": commit, "force": False})
        except GhError as exc:
            if exc.status != 422:        # 422: not a fast-forward any more — someone pushed
                raise
            return _edited_by_others(number, branch, pull)
    print(f"{branch} peker nå på {commit}.")

    pr_body = (f"Laget automatisk fra skjemaet «Foreslå et eksempel» i #{number}.\n\n"
               "Se over teksten og kildene før sammenslåing. Forhåndsvisning: åpne kjøringen "
               "«Kontroll» under **Checks** og se **Summary**, eller last ned artefakten "
               "«nettstedet» der og åpne `index.html`.\n\n"
               "Endringer gjøres her i pull requesten. Så snart noen andre enn roboten har lagt "
               "til en endring, oppdaterer ikke roboten grenen lenger når saken endres.\n\n"
               f"Closes #{number}\n")
    if pull is None:
        pull = gh("POST", f"repos/{repo()}/pulls",
                  {"title": title, "head": branch, "base": base, "body": pr_body})
        gh("POST", f"repos/{repo()}/issues/{pull['number']}/labels", {"labels": ["eksempelforslag"]})
        print(f"Pull request #{pull['number']} er opprettet.")
    elif pull.get("title") != title:
        gh("PATCH", f"repos/{repo()}/pulls/{pull['number']}", {"title": title})

    gh("POST", f"repos/{repo()}/actions/workflows/{CHECKS_WORKFLOW}/dispatches", {"ref": branch})
    run = _find_run(branch, commit)
    link = f" ([se kjøringen]({run['html_url']}))" if run else ""
    answer(number, f"Takk! Forslaget er gjort om til en eksempelside i pull request "
                   f"#{pull['number']}. Kontrollene kjører nå{link}; dette svaret oppdateres "
                   "når de er ferdige.\n\nVil du endre noe, velg «Edit» på saken, rett og lagre: "
                   "da oppdaterer roboten forslaget, så lenge ingen redaktør har begynt å rette "
                   "det i pull requesten.")
    set_output(pr=str(pull["number"]), kjoring=str(run["id"]) if run else "")
    return 0


def _edited_by_others(number: str, branch: str, pull: dict | None) -> int:
    where = f"pull requesten #{pull['number']}" if pull else f"grenen `{branch}`"
    answer(number, f"Forslaget redigeres nå i {where}, der en redaktør har gjort endringer. "
                   "Endringer i saken blir derfor ikke tatt med lenger: skriv dem som en "
                   f"kommentar i {where} i stedet.")
    print(f"{branch} har endringer som roboten ikke har gjort; grenen er ikke rørt.")
    return 0


def _find_run(branch: str, sha: str) -> dict | None:
    """The pr.yml run just dispatched on `branch` at `sha` (it takes a few seconds to appear)."""
    query = urlencode({"event": "workflow_dispatch", "branch": branch, "head_sha": sha})
    for _ in range(int(env("FORSLAG_FORSOK", "12"))):
        runs = gh("GET", f"repos/{repo()}/actions/workflows/{CHECKS_WORKFLOW}/runs?{query}")
        found = [r for r in (runs or {}).get("workflow_runs", []) if r.get("head_sha") == sha]
        if found:
            return max(found, key=lambda r: r["id"])
        time.sleep(float(env("FORSLAG_PAUSE", "5")))
    print("Fant ikke kjøringen av kontrollene; svaret i saken får ingen lenke til den.")
    return None


# -- vent: the checks' result in the answer ----------------------------------------------------

def vent() -> int:
    number = issue_number()
    run_id, pull = env("KJORING"), env("PR")
    if not (run_id.isdigit() and pull.isdigit()):
        raise SystemExit("forslag.py: KJORING og PR må være tall")
    deadline = time.monotonic() + 60 * float(env("FORSLAG_VENT_MINUTTER", "30"))
    while True:
        run = gh("GET", f"repos/{repo()}/actions/runs/{run_id}")
        if run.get("status") == "completed" or time.monotonic() >= deadline:
            break
        time.sleep(float(env("FORSLAG_PAUSE", "30")))
    url = run["html_url"]
    if run.get("status") != "completed":
        text = (f"Forslaget ligger i pull request #{pull}. Kontrollene er ikke ferdige ennå: "
                f"[se kjøringen]({url}).")
        outcome = "ikke ferdig"
    elif run.get("conclusion") == "success":
        text = (f"Takk! Forslaget ligger i pull request #{pull}, og alle kontroller er grønne "
                f"([se kjøringen]({url})). En redaktør ser over teksten og kildene før eksemplet "
                "publiseres.")
        outcome = "grønn"
    else:
        text = (f"Forslaget ligger i pull request #{pull}, men byggingen eller kontrollene feilet: "
                f"[se kjøringen]({url}) (trykk på jobben med rødt kryss for å se meldingene). Er "
                "det noe i skjemaet som må rettes, velg «Edit» på saken og rett det; ellers ser en "
                "redaktør på det.")
        outcome = "feilet"
    answer(number, text)
    print(f"Kontrollene: {outcome}.")
    return 0


def main(argv: list[str]) -> int:
    steps = {"lag": lag, "publiser": publiser, "vent": vent}
    if len(argv) != 2 or argv[1] not in steps:
        print("bruk: forslag.py lag | publiser | vent", file=sys.stderr)
        return 2
    try:
        return steps[argv[1]]()
    except GhError as exc:               # the call and its status; never gh's text
        print(f"Feil mot GitHub: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
