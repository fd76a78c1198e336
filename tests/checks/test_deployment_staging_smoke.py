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
