"""What GitHub's evidence means (issue 14), played through ``prodgate pr`` against the stand-in:
the gate's own workflow job is not CI, re-runs, merge queues, who may approve, null review
commits, pull_request_target, deployments read with the ``sha`` filter and statuses in no
documented order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.github.conftest import OWN_SUITE, RUN_ID, Scenario, event_payload, platform_repo, pr_event, run_gate
from tests.github.test_action_pr import _files, _green


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str, str]:
    ws = tmp_path / "workspace"
    base, head = platform_repo(ws, {"payments": "stable", "billing": "stable"},
                               base_files={".github/prod-readiness.yml": "ci:\n  ignore: ['report-*']\n"})
    return ws, base, head


def item(run: Any, ident: str, service: str | None = None) -> dict[str, Any]:
    assert run.report is not None, run.stderr
    items = run.report["items"] if service is None else next(
        s["items"] for s in run.report["services"] if s["name"] == service)
    return next(i for i in items if i["id"] == ident)


def messages(it: dict[str, Any]) -> str:
    return " | ".join(f["message"] for f in it.get("findings", [])) + " | " + str(it.get("reason", ""))


def _cr(ident: int, name: str, sha: str, conclusion: str | None, suite: int = 1, app: str = "github-actions",
        status: str = "completed") -> dict[str, Any]:
    return {"id": ident, "name": name, "head_sha": sha, "status": status, "conclusion": conclusion,
            "check_suite": {"id": suite}, "app": {"id": 1, "slug": app, "name": app}}


def _scenario(repo: tuple[Path, str, str]) -> Scenario:
    _, base, head = repo
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["services/payments/src/index.ts"])
    _green(s)
    return s


def test_the_gates_own_workflow_jobs_are_not_ci(repo, standin_factory, webhook_examples):
    ws, _, head = repo
    s = _scenario(repo)
    # the job running the gate (this run) and the same workflow's run for an earlier event on this head
    s.workflow_runs = {RUN_ID: {"workflow_id": 77, "check_suite_id": OWN_SUITE, "head_sha": head},
                       RUN_ID - 5: {"workflow_id": 77, "check_suite_id": OWN_SUITE - 1, "head_sha": head},
                       RUN_ID - 9: {"workflow_id": 12, "check_suite_id": 555, "head_sha": head}}
    s.check_runs += [_cr(31, "gate-job", head, None, OWN_SUITE, status="in_progress"),
                     _cr(30, "gate-job", head, "failure", OWN_SUITE - 1),
                     _cr(32, "report-coverage", head, "failure", 555)]  # ci.ignore: ['report-*']
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    ci = item(run, "promotion.ci-green")
    assert ci["status"] == "pass", messages(ci)
    assert "gate-job" not in messages(ci) and "report-coverage" not in messages(ci)
    # a failing job of another workflow still fails
    s.check_runs.append(_cr(33, "lint", head, "failure", 555))
    run = run_gate(ws, standin, pr_event(webhook_examples, s, action="synchronize"))
    ci = item(run, "promotion.ci-green")
    assert ci["status"] == "fail"
    (f,) = ci["findings"]
    assert "check run 'lint' concluded failure" in f["message"] and "fix it and re-run it" in f["message"]


def test_own_workflow_unreadable_fails_closed_saying_which_permission(repo, standin_factory, webhook_examples):
    ws = repo[0]
    s = _scenario(repo)
    standin = standin_factory(s)
    standin.fail("GET", r"/actions/runs/\d+$", 403, message="Resource not accessible by integration")
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    ci = item(run, "promotion.ci-green")
    assert ci["status"] == "fail"
    assert "actions: read" in messages(ci) and "re-run the gate" in messages(ci)


def test_reruns_the_newest_check_run_and_status_count(repo, standin_factory, webhook_examples):
    ws, _, head = repo
    s = _scenario(repo)
    # a re-run in another check suite: filter=latest lists both, the newest counts
    s.check_runs = [_cr(40, "test", head, "failure", 3), _cr(41, "test", head, "success", 4)]
    s.statuses = [{"id": 2, "context": "ci/build", "state": "success", "updated_at": "2026-11-29T11:00:00Z"},
                  {"id": 1, "context": "ci/build", "state": "failure", "updated_at": "2026-11-29T10:00:00Z"}]
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    ci = item(run, "promotion.ci-green")
    assert ci["status"] == "pass", messages(ci)
    # and the other way round: a green run re-run red fails
    s.check_runs = [_cr(50, "test", head, "success", 3), _cr(51, "test", head, "failure", 4)]
    run = run_gate(ws, standin, pr_event(webhook_examples, s, action="synchronize"))
    ci = item(run, "promotion.ci-green")
    assert ci["status"] == "fail"
    assert "check run 'test' concluded failure" in messages(ci)


def test_merge_group_reviews_are_judged_against_the_pr_head(repo, standin_factory, webhook_examples):
    # the payload is GitHub's merge_group example (@octokit/webhooks-examples): "The event payload
    # includes head_sha, the commit SHA that should be validated and have status reported on"
    # (github.blog/changelog/2022-08-18-merge-group-webhook-event-and-github-actions-workflow-trigger);
    # head_ref, "The full ref of the merge group", names the PR: gh-readonly-queue/<base>/pr-<N>-<sha>
    ws, base, head = repo
    group = "a" * 40
    s = _scenario(repo)  # reviews approve the PR's head
    s.check_runs = [_cr(60, "test", group, "success")]
    s.workflow_runs = {RUN_ID: {"workflow_id": 77, "check_suite_id": OWN_SUITE, "head_sha": group}}
    standin = standin_factory(s)
    ev = event_payload(webhook_examples, "merge_group", "checks_requested")
    ev["merge_group"].update(head_sha=group, base_sha=base, head_ref=f"refs/heads/gh-readonly-queue/main/pr-2-{base}")
    run = run_gate(ws, standin, ev, event_name="merge_group")
    ok = item(run, "promotion.approved")
    assert ok["status"] == "pass", messages(ok)
    assert f"octocat on {head[:7]}" in ok["reason"]
    assert item(run, "promotion.ci-green")["status"] == "pass"
    (cr,) = standin.gate_runs()
    assert cr["head_sha"] == group  # the verdict is reported on the group's commit
    assert any(r.path.endswith(f"/commits/{group}/check-runs") for r in standin.requests)


def test_approvals_count_only_from_writers_never_bots(repo, standin_factory, webhook_examples):
    ws, _, head = repo
    s = _scenario(repo)
    s.reviews = [
        {"id": 1, "user": {"login": "drive-by", "type": "User"}, "state": "APPROVED", "commit_id": head,
         "author_association": "CONTRIBUTOR", "submitted_at": "2026-11-29T10:00:00Z", "body": ""},
        {"id": 2, "user": {"login": "renovate[bot]", "type": "Bot"}, "state": "APPROVED", "commit_id": head,
         "author_association": "MEMBER", "submitted_at": "2026-11-29T10:01:00Z", "body": ""},
        {"id": 3, "user": {"login": "Codertocat", "type": "User"}, "state": "APPROVED", "commit_id": head,
         "author_association": "OWNER", "submitted_at": "2026-11-29T10:02:00Z", "body": ""},
    ]
    s.permissions = {"drive-by": "read"}
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    it = item(run, "promotion.approved")
    assert it["status"] == "fail"
    (f,) = it["findings"]
    assert "has 0 counted approval(s)" in f["message"]
    assert "drive-by has no write access to the repository" in f["message"]
    assert "a bot's approval does not count" in f["message"]
    assert "an approval by the author Codertocat does not count" in f["message"]
    asked = [r.path for r in standin.requests if "/collaborators/" in r.path]
    assert asked == ["/repos/Codertocat/Hello-World/collaborators/drive-by/permission"]
    # the same user granted write access (the permission API says so) counts
    s.permissions = {"drive-by": "maintain"}
    run = run_gate(ws, standin, pr_event(webhook_examples, s, action="synchronize"))
    assert item(run, "promotion.approved")["status"] == "pass"


def test_a_review_whose_commit_is_gone_is_stale(repo, standin_factory, webhook_examples):
    ws = repo[0]
    s = _scenario(repo)
    s.reviews[0]["commit_id"] = None
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    it = item(run, "promotion.approved")
    assert it["status"] == "fail"
    assert "octocat's approval names no commit" in messages(it)


def test_pull_request_target_is_refused(repo, standin_factory, webhook_examples):
    ws = repo[0]
    s = _scenario(repo)
    standin = standin_factory(s)
    ev = pr_event(webhook_examples, s)
    run = run_gate(ws, standin, ev, event_name="pull_request_target")
    assert run.code == 2
    assert "refuses pull_request_target" in run.stderr and "checks out the base branch" in run.stderr
    assert standin.requests == [] and standin.gate_runs() == []


def _dep(did: int, env: str, sha: str, at: str, statuses: list[tuple[int, str, str]]) -> dict[str, Any]:
    return {"id": did, "sha": sha, "ref": "main", "task": "deploy", "environment": env, "created_at": at,
            "updated_at": at, "url": f"https://api.github.com/repos/o/r/deployments/{did}",
            "statuses": [{"id": i, "state": st, "created_at": t, "environment": env} for i, st, t in statuses]}


def test_deployments_are_read_by_sha_and_statuses_in_any_order(repo, standin_factory, webhook_examples):
    ws, _, head = repo
    s = _scenario(repo)
    # 150 newer deployments of other commits to staging: the head's is found by the sha filter
    others = [_dep(1000 + i, "payments-staging", f"{i:040x}", "2026-11-29T09:00:00Z", []) for i in range(150)]
    mine = _dep(900, "payments-staging", head, "2026-11-28T08:00:00Z",
                # listed oldest first: the newest status is found by its time, not its place
                [(1, "in_progress", "2026-11-28T08:00:00Z"), (2, "success", "2026-11-28T08:05:00Z")])
    s.deployments = {"payments-staging": [*others, mine],
                     "payments-dev": [_dep(800, "payments-dev", head, "2026-11-28T07:00:00Z",
                                           [(3, "queued", "2026-11-28T07:00:00Z"), (4, "success", "2026-11-28T07:02:00Z"),
                                            (5, "in_progress", "2026-11-28T07:01:00Z")])]}
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    soak = item(run, "deployment.staging-soak", "payments")
    assert f"deployment #900 of {head[:7]}" in messages(soak), messages(soak)
    # its newest status (success) was found by time: it is judged live; 150 newer deployments of other
    # commits, beyond the 10 whose status is read, may have replaced it: it does not pass as soaking
    assert soak["status"] == "pending"
    assert "was replaced by deployment #" in messages(soak) and "(its status not read)" in messages(soak)
    dev = item(run, "deployment.dev-healthz", "payments")
    assert "succeeded" in messages(dev), messages(dev)
    shas = [dict(r.query).get("sha") for r in standin.requests if r.path.endswith("/deployments")]
    assert head in shas
