"""deployment.staging-smoke: the checks named by ci.staging_smoke concluded success."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.github.evidence import CheckRun, CommitStatus
from gate.model import ItemResult, Status
from tests.checks.promotion_fixture import evidence, pr, repo, run_, service, status_

ID = "deployment.staging-smoke"


def judge(root: Path, runs: list[CheckRun], statuses: list[CommitStatus] | None = None, mode: str = "pr",
          config_text: str | None = None) -> ItemResult:
    p = pr()
    gh = evidence(p, check_runs=tuple(runs), statuses=tuple(statuses or []))
    return service(root, ID, p=p, gh=gh, mode=mode, config_text=config_text)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return repo(tmp_path)


def test_smoke_succeeded(root: Path) -> None:
    r = judge(root, [run_("build"), run_("smoke (staging)")])
    assert r.status == Status.PASS and "smoke (staging) concluded success on a1a1a1a" in r.reason


def test_smoke_failed(root: Path) -> None:
    r = judge(root, [run_("smoke-staging", "failure")])
    assert r.status == Status.FAIL and "check run 'smoke-staging' concluded failure" in r.findings[0].message


def test_smoke_skipped_proves_nothing(root: Path) -> None:
    assert judge(root, [run_("smoke-staging", "skipped")]).status == Status.FAIL


def test_smoke_running_is_pending(root: Path) -> None:
    r = judge(root, [run_("smoke-staging", None, "in_progress")])
    assert r.status == Status.PENDING and "waiting for smoke-staging" in r.reason


def test_smoke_not_run_pending_on_a_pr_failing_in_promote(root: Path) -> None:
    r = judge(root, [run_("build")])
    assert r.status == Status.PENDING and "no staging smoke check has run on a1a1a1a yet" in r.reason
    r = judge(root, [run_("build")], mode="promote")
    assert r.status == Status.FAIL and "ci.staging_smoke: smoke*staging*" in r.findings[0].message


def test_smoke_names_are_configurable_and_statuses_count(root: Path) -> None:
    cfg = 'ci: {staging_smoke: ["e2e/staging"]}\n'
    assert judge(root, [], [status_("e2e/staging")], config_text=cfg).status == Status.PASS


def test_promote_reads_the_merged_commit_checks_when_gathered(root: Path) -> None:
    merged = "c3" * 20
    p = pr()
    gh = evidence(p, sha=merged, check_runs=(run_("build"),), commit_check_runs=(run_("smoke-staging"),),
                  commit_statuses=())
    r = service(root, ID, p=p, gh=gh, mode="promote")
    assert r.status == Status.PASS and "smoke-staging concluded success on c3c3c3c" in r.reason
    gh = evidence(p, sha=merged, check_runs=(run_("smoke-staging"),), commit_check_runs=(run_("build"),),
                  commit_statuses=())
    r = service(root, ID, p=p, gh=gh, mode="promote")
    assert r.status == Status.FAIL and "no staging smoke check ran on c3c3c3c" in r.findings[0].message


MERGED = "c3" * 20
UNREAD_HOW = ("the staging smoke check must have succeeded on the commit that is promoted, not on the head a1a1a1a of "
              "pull request #42, and a run on another commit proves nothing about it; re-run the promotion (the "
              "workflow needs `permissions: checks: read, statuses: read`)")


@pytest.mark.parametrize(("read", "errors", "why"), [
    ({}, {"commit_check_runs": "GitHub answered 502", "commit_statuses": "GitHub answered 502"},
     "commit_check_runs: GitHub answered 502; commit_statuses: GitHub answered 502"),
    ({"commit_statuses": ()}, {"commit_check_runs": "GitHub answered 403: Resource not accessible by integration"},
     "commit_check_runs: GitHub answered 403: Resource not accessible by integration"),
    ({"commit_check_runs": (run_("build"),)}, {"commit_statuses": "timed out"}, "commit_statuses: timed out"),
    ({}, {}, "not read in this run"),
])
def test_promote_never_takes_the_pr_heads_smoke_run_for_the_merged_commits(
        root: Path, read: dict[str, object], errors: dict[str, str], why: str) -> None:
    """The merged commit's checks unread: a successful smoke run on the PR's head proves nothing about
    the commit that is promoted (it used to pass on it)."""
    p = pr()
    gh = evidence(p, sha=MERGED, check_runs=(run_("smoke-staging"),), statuses=(status_("smoke/staging"),),
                  errors=errors, **read)
    r = service(root, ID, p=p, gh=gh, mode="promote")
    assert r.status == Status.UNVERIFIED
    assert r.reason == "the check runs and statuses of the promoted commit c3c3c3c could not be read"
    assert [f.message for f in r.findings] == [
        f"the check runs and statuses of the promoted commit c3c3c3c could not be read ({why}): {UNREAD_HOW}"]
    assert r.findings[0].path is None and r.findings[0].line is None


def test_pull_request_mode_is_unchanged_by_the_promote_rule(root: Path) -> None:
    """On a PR the item is judged on the head (promotion-time: reported, never blocking)."""
    p = pr()
    gh = evidence(p, sha=MERGED, check_runs=(run_("smoke-staging"),))
    r = service(root, ID, p=p, gh=gh, mode="pr")
    assert r.status == Status.PASS and "smoke-staging concluded success on a1a1a1a" in r.reason


def test_promote_of_the_pr_head_itself_reads_its_checks(root: Path) -> None:
    """The promoted commit is the PR's head: its checks are the head's, nothing separate to read."""
    p = pr()
    gh = evidence(p, check_runs=(run_("smoke-staging"),))
    r = service(root, ID, p=p, gh=gh, mode="promote")
    assert r.status == Status.PASS and "smoke-staging concluded success on a1a1a1a" in r.reason
    r = service(root, ID, p=None, gh=evidence(None, sha=MERGED, check_runs=(run_("smoke-staging"),)), mode="promote")
    assert r.status == Status.PASS and "smoke-staging concluded success on c3c3c3c" in r.reason
