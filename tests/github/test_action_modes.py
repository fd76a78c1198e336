"""``promote``, ``merge_group`` and ``workflow_run`` (publishing for a fork PR), end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.github.conftest import Scenario, event_payload, platform_repo, pr_event, run_gate
from tests.github.test_action_pr import _files, _green, _ops


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str, str]:
    ws = tmp_path / "workspace"
    base, head = platform_repo(ws, {"payments": "stable", "billing": "stable"})
    return ws, base, head


def _deploy(did: int, env: str, sha: str, state: str, at: str) -> dict:
    return {"id": did, "sha": sha, "ref": "main", "task": "deploy", "environment": env, "created_at": at,
            "updated_at": at, "url": f"https://api.github.com/repos/o/r/deployments/{did}",
            "statuses": [{"id": did * 10, "state": state, "created_at": at, "environment": env}]}


def test_promote_judges_the_service_strictly(repo, standin_factory, webhook_examples):
    ws, base, head = repo
    s = Scenario(number=5, head_sha=head, base_sha=base, commit_pulls={head: [5]})
    _green(s)
    s.files = _files(["services/payments/src/index.ts"])
    s.deployments = {
        "payments-dev": [_deploy(31, "payments-dev", head, "success", "2026-11-28T09:00:00Z")],
        "payments-staging": [_deploy(32, "payments-staging", head, "success", "2026-11-28T10:00:00Z")],
    }
    standin = standin_factory(s)
    ev = event_payload(webhook_examples, "workflow_dispatch")
    run = run_gate(ws, standin, ev, event_name="workflow_dispatch",
                   argv=["promote", "--service", "payments", "--now", "2026-11-29T12:00:00Z"],
                   extra_env={"GITHUB_SHA": head})
    assert run.code == 1, run.stderr  # strict: unverified items block a promotion
    assert "blocks promotion: payments:" in run.stderr
    assert "is NOT ready for prod" in run.stdout
    assert run.outputs["ready"] == "false" and run.outputs["services"] == '["payments"]'
    assert run.report["mode"] == "promote"
    assert any("pull request #5" in n for n in run.report["notes"])
    assert sorted(_ops(standin)) == sorted([
        "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls",
        "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
        "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
        "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
        "GET /repos/{owner}/{repo}/commits/{ref}/status",
        "GET /repos/{owner}/{repo}/actions/runs/{run_id}",
        "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
        # each stage: the environment's deployments, and those of the commit (sha filter)
        *["GET /repos/{owner}/{repo}/deployments"] * 6,
        *["GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses"] * 2,
    ])
    assert not standin.sent("POST") and not standin.sent("PATCH")
    unverified = [i["id"] for sv in run.report["services"] for i in sv["items"] if i["status"] == "unverified"]
    assert set(unverified) <= set(run.outputs["failed-items"].split(","))


def test_promote_from_the_action_inputs(repo, standin_factory, webhook_examples):
    ws, base, head = repo
    s = Scenario(head_sha=head, base_sha=base)
    standin = standin_factory(s)
    run = run_gate(ws, standin, event_payload(webhook_examples, "workflow_dispatch"), event_name="workflow_dispatch",
                   argv=[], inputs={"mode": "promote", "service": "nope"}, extra_env={"GITHUB_SHA": head})
    assert run.code == 2
    assert "--service nope: no such service (services: billing, payments)" in run.stderr


def test_merge_group(repo, standin_factory, webhook_examples):
    ws, base, head = repo
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["services/billing/src/a.ts"])
    standin = standin_factory(s)
    ev = event_payload(webhook_examples, "merge_group", "checks_requested")
    ev["merge_group"].update(head_sha=head, base_sha=base, head_ref=f"refs/heads/gh-readonly-queue/main/pr-2-{head}")
    run = run_gate(ws, standin, ev, event_name="merge_group")
    assert run.code in (0, 1), run.stderr
    (cr,) = standin.gate_runs()
    assert cr["head_sha"] == head
    assert run.outputs["services"] == '["billing"]'


def test_workflow_run_publishes_for_a_fork_pr(repo, standin_factory, webhook_examples):
    ws, base, head = repo
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["services/payments/src/index.ts"])
    standin = standin_factory(s)
    ev = event_payload(webhook_examples, "workflow_run", "completed")
    ev["workflow_run"].update(head_sha=head, pull_requests=[], event="pull_request")
    run = run_gate(ws, standin, ev, event_name="workflow_run", inputs={"pull-request": "2"})
    assert run.code in (0, 1), run.stderr
    (cr,) = standin.gate_runs()
    assert cr["head_sha"] == head
    marker = json.loads((ws / "prodgate-report" / "pull-request.json").read_text())
    assert marker == {"pull_request": 2, "head_sha": head}


def test_workflow_run_refuses_a_pr_that_moved_on(repo, standin_factory, webhook_examples):
    ws, base, head = repo
    s = Scenario(head_sha=head, base_sha=base)
    standin = standin_factory(s)
    ev = event_payload(webhook_examples, "workflow_run", "completed")
    ev["workflow_run"].update(head_sha="1" * 40, pull_requests=[])
    run = run_gate(ws, standin, ev, event_name="workflow_run", inputs={"pull-request": "2"})
    assert run.code == 2
    assert "is now at" in run.stderr
    assert standin.gate_runs() == []


def test_pr_mode_without_a_pull_request_is_a_usage_error(repo, standin_factory, webhook_examples):
    ws, base, head = repo
    standin = standin_factory(Scenario(head_sha=head, base_sha=base))
    run = run_gate(ws, standin, event_payload(webhook_examples, "push"), event_name="push")
    assert run.code == 2 and "pr mode needs a pull request" in run.stderr
    assert standin.requests == []


def test_touched_through_docs_events_and_changesets(tmp_path, standin_factory, webhook_examples):
    ws = tmp_path / "workspace"
    base, head = platform_repo(
        ws, {"payments": "stable", "billing": "beta", "ledger": "stable"},
        base_files={"services/ledger/service.yaml": "name: ledger\nstatus: stable\ncontracts:\n  events:\n"
                                                     "    publishes: [ledger.posted]\n"},
        head_files={"docs/events/ledger.posted.md": "# ledger.posted\n",
                    ".changeset/brave-fox.md": '---\n"@platform/sdk-billing": minor\n---\n\nPartners can refund.\n'},
    )
    s = Scenario(head_sha=head, base_sha=base)
    s.files = _files(["docs/events/ledger.posted.md", ".changeset/brave-fox.md"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code in (0, 1), run.stderr
    assert run.outputs["services"] == '["billing", "ledger"]'


def test_check_mode_inside_the_action(repo, standin_factory, webhook_examples):
    ws, base, head = repo
    standin = standin_factory(Scenario(head_sha=head, base_sha=base))
    run = run_gate(ws, standin, event_payload(webhook_examples, "push"), event_name="push", argv=[],
                   inputs={"mode": "check", "sarif-file": "prodgate.sarif"})
    assert run.code in (0, 1), run.stderr
    assert standin.requests == []  # offline
    assert run.outputs["services"] == '["billing", "payments"]'
    assert run.report["mode"] == "check"
    assert json.loads((ws / "prodgate.sarif").read_text())["version"] == "2.1.0"
    assert run.summary.startswith("## prodgate")


def test_report_dir_symlink_in_the_repository_is_refused(repo, standin_factory, webhook_examples, tmp_path):
    ws, base, head = repo
    target = tmp_path / "elsewhere"
    target.mkdir()
    (ws / "prodgate-report").symlink_to(target)
    standin = standin_factory(Scenario(head_sha=head, base_sha=base))
    run = run_gate(ws, standin, event_payload(webhook_examples, "push"), event_name="push", argv=[],
                   inputs={"mode": "check"})
    assert run.code == 2 and "symlink" in run.stderr
    assert list(target.iterdir()) == []


def test_promote_reads_the_merged_commits_checks(repo, standin_factory, webhook_examples):
    """The promoted (merge) commit is not the PR's head: post-merge checks are read there too."""
    ws, base, head = repo
    pr_head = "a" * 40
    s = Scenario(number=5, head_sha=pr_head, base_sha=base, commit_pulls={head: [5]})
    s.check_runs = [{"id": 1, "name": "test", "head_sha": pr_head, "status": "completed", "conclusion": "success"},
                    {"id": 2, "name": "smoke staging", "head_sha": head, "status": "completed",
                     "conclusion": "success"}]
    standin = standin_factory(s)
    run = run_gate(ws, standin, event_payload(webhook_examples, "workflow_dispatch"), event_name="workflow_dispatch",
                   argv=["promote", "--service", "payments", "--now", "2026-11-29T12:00:00Z"],
                   extra_env={"GITHUB_SHA": head})
    assert run.code == 1, run.stderr
    refs = [r.path.split("/commits/")[1] for r in standin.requests if "/commits/" in r.path and "/pulls" not in r.path]
    assert sorted(refs) == sorted([f"{pr_head}/check-runs", f"{pr_head}/status", f"{head}/check-runs",
                                   f"{head}/status"])
    smoke = next(i for i in run.report["services"][0]["items"] if i["id"] == "deployment.staging-smoke")
    assert smoke["status"] == "pass", smoke


def test_promote_blocks_when_the_merged_commits_checks_cannot_be_read(repo, standin_factory, webhook_examples):
    """GitHub refuses the merged commit's check runs: the smoke run on the PR's head does not stand
    in for them (it used to pass): staging-smoke is unverified with a finding, promote blocks on it."""
    ws, base, head = repo
    pr_head = "a" * 40
    s = Scenario(number=5, head_sha=pr_head, base_sha=base, commit_pulls={head: [5]})
    s.check_runs = [{"id": 1, "name": "test", "head_sha": pr_head, "status": "completed", "conclusion": "success"},
                    {"id": 2, "name": "smoke staging", "head_sha": pr_head, "status": "completed",
                     "conclusion": "success"}]
    standin = standin_factory(s)
    standin.fail("GET", f"/commits/{head}/check-runs", 403, times=10, message="Resource not accessible by integration")
    run = run_gate(ws, standin, event_payload(webhook_examples, "workflow_dispatch"), event_name="workflow_dispatch",
                   argv=["promote", "--service", "payments", "--now", "2026-11-29T12:00:00Z"],
                   extra_env={"GITHUB_SHA": head})
    assert run.code == 1, run.stderr
    smoke = next(i for i in run.report["services"][0]["items"] if i["id"] == "deployment.staging-smoke")
    assert smoke["status"] == "unverified", smoke
    msg = smoke["findings"][0]["message"]
    assert msg.startswith(f"the check runs and statuses of the promoted commit {head[:7]} could not be read "
                          "(commit_check_runs: "), msg
    assert "Resource not accessible by integration" in msg
    assert msg.endswith(f"the staging smoke check must have succeeded on the commit that is promoted, not on the head "
                        f"{pr_head[:7]} of pull request #5, and a run on another commit proves nothing about it; "
                        "re-run the promotion (the workflow needs `permissions: checks: read, statuses: read`)"), msg
    assert (f"prodgate: blocks promotion: payments: deployment.staging-smoke is unverified: the check runs and "
            f"statuses of the promoted commit {head[:7]} could not be read") in run.stderr
