"""Issue 21 — verdicts that cannot be forged, GitHub side: each attack played through
``prodgate pr`` or ``prodgate promote`` against the stand-in. Every one ends blocked, with a
finding or message that says why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.github.conftest import Scenario, event_payload, platform_repo, pr_event, run_gate
from tests.github.test_action_pr import _files, _green
from tests.github.test_evidence_meaning import _cr, item, messages

NOW = "2026-11-29T12:00:00Z"
PROMOTE = ["promote", "--service", "payments", "--now", NOW]


def _promote(ws: Path, standin: Any, examples: Any, sha: str, argv: list[str] | None = None) -> Any:
    return run_gate(ws, standin, event_payload(examples, "workflow_dispatch"), event_name="workflow_dispatch",
                    argv=argv or PROMOTE, extra_env={"GITHUB_SHA": sha})


def _merged_scenario(base: str, head: str) -> Scenario:
    """PR #5, merged into main as ``head`` (the promoted commit), approved and green."""
    s = Scenario(number=5, head_sha=head, base_sha=base, commit_pulls={head: [5]})
    _green(s)
    s.files = _files(["services/payments/src/index.ts"])
    return s


# -- pr ---------------------------------------------------------------------------------------
def test_conformance_is_proven_only_by_the_configured_app(tmp_path, standin_factory, webhook_examples):
    ws = tmp_path / "workspace"
    base, head = platform_repo(ws, {"payments": "stable"})
    s = Scenario(head_sha=head, base_sha=base)
    _green(s)
    s.files = _files(["services/payments/src/index.ts"])
    # a look-alike: another app names its check "conformance", and a commit status of that name
    s.check_runs = [_cr(12, "conformance", head, "success", app="my-own-app")]
    s.statuses = [{"context": "conformance-suite", "state": "success", "target_url": "https://x.example/1"}]
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s),
                   argv=["pr", "--now", NOW, "--only", "conventions.conformance"])
    it = item(run, "conventions.conformance", "payments")
    assert it["status"] == "fail"
    (f,) = it["findings"]
    assert "no conformance check of the app github-actions (ci.conformance_app)" in f["message"]
    assert "check run 'conformance' of app my-own-app" in f["message"] and "status 'conformance-suite'" in f["message"]
    assert run.code == 1
    (cr,) = standin.gate_runs()
    assert cr["conclusion"] == "failure"


def test_unverifiable_freeze_override_keeps_blocking(tmp_path, standin_factory, webhook_examples):
    ws = tmp_path / "workspace"
    config = ("freeze:\n  windows:\n    - {name: Year-end, start: '2026-11-28T00:00', end: '2026-12-02T00:00'}\n"
              "  override:\n    label: freeze-exception\n    approvers: [acme/release]\n")
    base, head = platform_repo(ws, {"payments": "stable"}, base_files={".github/prod-readiness.yml": config})
    s = Scenario(head_sha=head, base_sha=base, labels=["freeze-exception"], teams={"acme/release": None})
    _green(s)  # octocat approved; the team's members cannot be read without an org token
    s.files = _files(["services/payments/src/index.ts"])
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s),
                   argv=["pr", "--now", NOW, "--only", "promotion.freeze"])
    it = item(run, "promotion.freeze")
    assert it["status"] == "fail"
    (f,) = it["findings"]
    assert "octocat's membership of acme/release could not be verified" in f["message"]
    assert "org-token" in f["message"] and "read:org" in f["message"]
    assert f["path"] == ".github/prod-readiness.yml" and f["line"] == 3
    assert run.code == 1
    (cr,) = standin.gate_runs()
    assert cr["conclusion"] == "failure"


# -- promote ----------------------------------------------------------------------------------
def _blocked_change_items(run: Any) -> None:
    assert run.code == 1, run.stderr
    failed = run.outputs["failed-items"].split(",")
    for ident in ("promotion.approved", "promotion.freeze"):
        assert ident in failed
        assert item(run, ident)["status"] in ("fail", "unverified")


def test_promote_an_open_pull_request_does_not_count(tmp_path, standin_factory, webhook_examples):
    ws = tmp_path / "workspace"
    base, head = platform_repo(ws, {"payments": "stable"})
    s = _merged_scenario(base, head)
    s.pulls = {5: {"state": "open", "merged_at": None, "merge_commit_sha": None}}
    standin = standin_factory(s)
    run = _promote(ws, standin, webhook_examples, head)
    _blocked_change_items(run)
    note = next(n for n in run.report["notes"] if "No pull request merged into the default branch" in n)
    assert "#5 is open, not merged" in note
    assert not any(r.path.endswith("/pulls/5/reviews") for r in standin.requests)


def test_promote_a_pull_request_merged_into_another_branch_does_not_count(tmp_path, standin_factory,
                                                                          webhook_examples):
    ws = tmp_path / "workspace"
    base, head = platform_repo(ws, {"payments": "stable"})
    s = _merged_scenario(base, head)
    s.pulls = {5: {"base": {"ref": "feature/x"}}}
    standin = standin_factory(s)
    run = _promote(ws, standin, webhook_examples, head)
    _blocked_change_items(run)
    note = next(n for n in run.report["notes"] if "No pull request merged into the default branch main" in n)
    assert "#5 was merged into feature/x, not the default branch main" in note


def test_promote_fails_on_a_failing_check_of_the_promoted_commit(tmp_path, standin_factory, webhook_examples):
    ws = tmp_path / "workspace"
    base, head = platform_repo(ws, {"payments": "stable"})
    merge = "b" * 40  # the merge commit on main; the PR's head is green
    s = _merged_scenario(base, head)
    s.commit_pulls = {merge: [5]}
    s.check_runs.append(_cr(70, "build", merge, "failure"))
    standin = standin_factory(s)
    run = _promote(ws, standin, webhook_examples, merge,
                   argv=[*PROMOTE, "--only", "promotion.ci-green,promotion.approved"])
    assert run.code == 1, run.stderr
    ci = item(run, "promotion.ci-green")
    assert ci["status"] == "fail"
    (f,) = ci["findings"]
    assert "check run 'build' concluded failure" in f["message"] and f"the promoted commit {merge[:7]}" in f["message"]
    assert item(run, "promotion.approved")["status"] == "pass"


def test_promote_judges_with_the_policy_of_the_pull_requests_base(tmp_path, standin_factory, webhook_examples):
    ws = tmp_path / "workspace"
    # the PR relaxes the policy in its own change: no approval needed, and its failing check
    # renamed as the gate's own (excluded) check
    base, head = platform_repo(
        ws, {"payments": "stable"},
        base_files={".github/prod-readiness.yml": "approval: {min_approvals: 1}\n"},
        head_files={".github/prod-readiness.yml": "approval: {min_approvals: 0}\ncheck_name: test\n",
                    "services/payments/src/index.ts": "export const x = 1;\n"})
    s = _merged_scenario(base, head)
    s.reviews = []
    s.check_runs = [_cr(80, "test", head, "failure")]
    standin = standin_factory(s)
    run = _promote(ws, standin, webhook_examples, head,
                   argv=[*PROMOTE, "--only", "promotion.ci-green,promotion.approved"])
    assert run.code == 1, run.stderr
    ok = item(run, "promotion.approved")
    assert ok["status"] == "fail" and "approval.min_approvals is 1" in messages(ok)
    ci = item(run, "promotion.ci-green")
    assert ci["status"] == "fail" and "check run 'test' concluded failure" in messages(ci)
    assert any("read at the base" in n and base[:12] in n for n in run.report["notes"])


def test_after_deploy_fails_when_a_newer_deployment_replaced_it_within_the_window(tmp_path, standin_factory,
                                                                                 webhook_examples):
    ws = tmp_path / "workspace"
    base, head = platform_repo(ws, {"payments": "stable"})
    s = _merged_scenario(base, head)

    def dep(did: int, sha: str, at: str, state: str) -> dict[str, Any]:
        return {"id": did, "sha": sha, "ref": "main", "task": "deploy", "environment": "payments-prod",
                "created_at": at, "updated_at": at, "url": f"https://api.github.com/repos/o/r/deployments/{did}",
                "statuses": [{"id": did * 10, "state": state, "created_at": at, "environment": "payments-prod"}]}

    # ours went live at 10:00 and still says success (production deployments are not marked
    # inactive); another commit was deployed at 10:10, inside the 30-minute window
    s.deployments = {"payments-prod": [dep(91, "c" * 40, "2026-11-29T10:10:00Z", "success"),
                                       dep(90, head, "2026-11-29T10:00:00Z", "success")]}
    standin = standin_factory(s)
    run = _promote(ws, standin, webhook_examples, head,
                   argv=[*PROMOTE, "--after-deploy", "--only", "promotion.prod-monitor"])
    assert run.code == 1, run.stderr
    it = item(run, "promotion.prod-monitor", "payments")
    assert it["status"] == "fail"
    (f,) = it["findings"]
    assert f"deployment #90 of {head[:7]} to payments-prod was replaced by deployment #91" in f["message"]
    assert "before its 30-minute monitor window ended" in f["message"]
    # a replacement after the window leaves the verdict to the monitor
    s.deployments["payments-prod"][0].update(created_at="2026-11-29T10:45:00Z")
    run = _promote(ws, standin, webhook_examples, head,
                   argv=[*PROMOTE, "--after-deploy", "--only", "promotion.prod-monitor"])
    later = item(run, "promotion.prod-monitor", "payments")
    assert later["status"] != "fail" and "replaced" not in messages(later), messages(later)


@pytest.mark.parametrize(("path", "said"), [
    (r"/commits/[0-9a-f]+/pulls$", "cannot find the pull request that brought commit"),
    (r"/pulls/5/files$", "cannot read the files of pull request #5"),
], ids=["finding-the-pr", "the-pr-files"])
def test_promote_api_error_fails_closed_saying_so(tmp_path, standin_factory, webhook_examples, path, said):
    ws = tmp_path / "workspace"
    base, head = platform_repo(ws, {"payments": "stable"})
    standin = standin_factory(_merged_scenario(base, head))
    standin.fail("GET", path, 502, times=20, message="Bad Gateway")
    run = _promote(ws, standin, webhook_examples, head)
    assert run.code == 2
    assert said in run.stderr and "HTTP 502" in run.stderr and "re-run the gate" in run.stderr
    # never a verdict that hides the fault
    assert "No pull request" not in run.stdout + run.stderr and "changeset" not in run.stdout + run.stderr
