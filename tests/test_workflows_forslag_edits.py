"""forslag.yml, the issue-form robot, after its first answer (split from test_workflows.py, whose
helpers it uses, so that the two halves run on two test workers): an edit of the issue replaces
the robot's own branch and runs the checks again, a branch a maintainer has changed is left alone
(also when the push races the edit), checks that do not finish in time or cannot be found still
get an answer, hostile issue text never reaches the log, and the same run with the real
`erfaringsbank from-issue`."""
from __future__ import annotations

import re
from html import unescape

import cmarkgfm

from conftest import ROOT
from fakes_github import world
from test_workflows import BODY, ENTRY, HOSTILE, forslag, gh_calls, robot_answer


def test_a_branch_a_maintainer_has_changed_is_left_alone(tmp_path):
    w = world(tmp_path, body=BODY)
    w.stub(code=0, path=ENTRY)
    first, _ = forslag(w)
    number = first.outputs["pr"]
    # A maintainer fixes the entry in the pull request (GitHub's editor: committed by web-flow).
    state = w.state()
    state["branches"]["forslag/sak-5"].append({
        "sha": "d" * 40, "author": {"login": "redaktor"}, "committer": {"login": "web-flow"},
        "commit": {"tree": {"sha": "tre-redaktor"}}})
    w.edit_state(branches=state["branches"])
    before = len(w.calls())
    w.event["action"] = "edited"
    w.event["issue"]["body"] = BODY + "\nEndret etterpå.\n"
    again, second = forslag(w)
    assert not again.failed and second is None
    later = w.calls()[before:]
    assert not [c for c in later if c["method"] != "GET" and "/comments" not in c["endpoint"]]
    assert w.state()["branches"]["forslag/sak-5"][-1]["sha"] == "d" * 40
    answer = robot_answer(w)["body"]
    assert f"redigeres nå i pull requesten #{number}" in answer
    assert "skriv dem som en kommentar" in answer


def test_a_maintainer_push_racing_an_issue_edit_is_not_overwritten(tmp_path):
    """A maintainer pushes to the branch after the robot read it: the robot's update is not
    forced, GitHub refuses it, and the maintainer's commit stays the head."""
    w = world(tmp_path, body=BODY)
    w.stub(code=0, path=ENTRY)
    first, _ = forslag(w)
    fix = {"sha": "e" * 40, "author": {"login": "redaktor"}, "committer": {"login": "web-flow"},
           "commit": {"tree": {"sha": "tre-redaktor"}}}
    w.edit_state(push_after_read={"forslag/sak-5": [fix]})
    w.event["action"] = "edited"
    w.event["issue"]["body"] = BODY + "\nEndret samtidig.\n"
    again, second = forslag(w)
    assert not again.failed and second is None
    assert w.state()["branches"]["forslag/sak-5"][-1]["sha"] == "e" * 40
    assert "redigeres nå i pull requesten" in robot_answer(w)["body"]


def test_an_edit_replaces_the_robots_own_branch_and_reruns_the_checks(tmp_path):
    w = world(tmp_path, body=BODY)
    w.stub(code=0, path=ENTRY)
    first, _ = forslag(w)
    w.event["action"] = "edited"
    w.event["issue"]["body"] = BODY + "\nMer tekst.\n"
    w.event["issue"]["title"] = "Eksempel: Kafe Posten i Tydal"
    again, _ = forslag(w)
    assert again.outputs["pr"] == first.outputs["pr"]             # the same pull request
    assert again.outputs["kjoring"] != first.outputs["kjoring"]   # checked again
    assert [c["payload"]["force"] for c in gh_calls(w, "PATCH", "git/refs/")] == [False]
    assert len(gh_calls(w, "POST", "pulls")) == 1
    assert gh_calls(w, "PATCH", "pulls/")[0]["payload"] == {"title": "Eksempel: Kafe Posten i Tydal"}
    assert len(gh_calls(w, "POST", "issues/5/comments")) == 1
    # The same text once more (say, a label added): nothing to commit, nothing to check again.
    before = len(w.calls())
    third, second = forslag(w)
    assert second is None and third.outputs["kjoring"] == ""
    assert not [c for c in w.calls()[before:] if c["method"] != "GET"
                and not c["endpoint"].endswith("git/trees")]


def test_checks_that_do_not_finish_in_time_are_linked_to(tmp_path):
    w = world(tmp_path, body=BODY)
    w.stub(code=0, path=ENTRY)
    # a wait of 2.4 s with a 0.5 s pause: several polls even when one fake call is slow (on a
    # loaded machine the default third of a second passed before the second poll)
    first, second = forslag(w, env={"FORSLAG_VENT_MINUTTER": "0.04", "FORSLAG_PAUSE": "0.5"})
    assert not second.failed
    assert len(gh_calls(w, "GET", "actions/runs/")) > 1           # it did wait
    answer = robot_answer(w)["body"]
    assert "ikke ferdige ennå" in answer and w.state()["runs"][0]["html_url"] in answer


def test_a_run_that_cannot_be_found_still_gets_an_answer(tmp_path):
    w = world(tmp_path, body=BODY)
    w.stub(code=0, path=ENTRY)
    w.edit_state(runs_appear=False)
    first, second = forslag(w)
    assert not first.failed and second is None
    assert "Kontrollene kjører nå;" in robot_answer(w)["body"]


def test_hostile_issue_text_never_reaches_the_log(tmp_path):
    # Through every path: mistakes, a proposal, our failure, and GitHub refusing a call (the
    # fake gh's error text quotes what was sent, as GitHub's may).
    for case, plan, fail in (("feil", {"code": 1, "svar": "Rett feltene."}, None),
                             ("fil", {"code": 0, "path": ENTRY}, None),
                             ("intern", {"code": 3}, None),
                             ("avvist", {"code": 0, "path": ENTRY}, "pulls")):
        w = world(tmp_path / case, body=BODY + HOSTILE, title="Eksempel: " + HOSTILE)
        w.stub(**plan)
        w.edit_state(run_states=["completed/success"],
                     fail=[{"method": "POST", "path": fail, "status": 422}] if fail else [])
        first, _ = forslag(w)
        assert first.failed == (case in ("intern", "avvist")), case
        log = "\n".join(w.logs)
        assert log.strip(), case
        for needle in ("HEMMELIG", "::add-mask::", "::stop-commands::", "::error::", "@alle"):
            assert needle not in log, (case, needle, log)
        answer = robot_answer(w)["body"]
        if case == "avvist":
            assert "Noe gikk galt hos oss" in answer
            assert "422" in log                          # the status, for the maintainer
        if case == "feil":
            assert answer.count("<!-- erfaringsbank:forslag -->") == 2   # quoted, still one answer


def test_with_the_real_from_issue_a_duplicate_is_answered_and_a_new_example_proposed(tmp_path):
    """The same run with `erfaringsbank from-issue` itself, in a project with the test bank."""
    from conftest import fixture_files
    from test_contributing import ISSUES, project
    tydal = (ISSUES / "forslag-tydal.md").read_text(encoding="utf-8").replace("\r\n", "\n")
    w = world(tmp_path, body=tydal + HOSTILE)
    project(w.ws, fixture_files())
    cli = w.ws / ".venv" / "bin" / "erfaringsbank"
    cli.unlink()
    cli.symlink_to(ROOT / ".venv" / "bin" / "erfaringsbank")
    first, _ = forslag(w)                    # the bank has this example already
    assert not first.failed and first.outputs["pr"] == ""
    # as GitHub shows it (from-issue escapes the answer's Markdown)
    html = cmarkgfm.github_flavored_markdown_to_html(robot_answer(w)["body"])
    shown = unescape(re.sub(r"<[^>]+>", "", html)).replace("\u2060", "")
    assert "finnes allerede" in shown and "examples_bank/tydal-kafe-posten.md" in shown
    assert gh_calls(w, path="git/") == []
    w.event["action"] = "edited"
    w.event["issue"]["body"] = tydal.replace("### Kommune(r)\n\nTydal", "### Kommune(r)\n\nOslo")
    first, _ = forslag(w)
    assert not first.failed and first.outputs["pr"]
    [tree] = [c["payload"]["tree"][0] for c in gh_calls(w, "POST", "git/trees")]
    assert re.fullmatch(r"examples_bank/oslo-kafe-posten[a-z0-9-]*\.md", tree["path"])
    assert tree["content"] == (w.ws / tree["path"]).read_text(encoding="utf-8")
    assert f"pull request #{first.outputs['pr']}" in robot_answer(w)["body"]
    assert len(gh_calls(w, "POST", "issues/5/comments")) == 1
    assert "HEMMELIG" not in "\n".join(w.logs)
