"""promotion.ci-green: every check run and status on the head commit, the gate's own excepted."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.github.evidence import CheckRun, CommitStatus
from gate.model import ItemResult, Status
from tests.checks.promotion_fixture import change, evidence, pr, repo, run_, status_

ID = "promotion.ci-green"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return repo(tmp_path)


def judge(root: Path, runs: list[CheckRun], statuses: list[CommitStatus] = [],  # noqa: B006
          config_text: str | None = None) -> ItemResult:
    p = pr()
    return change(root, ID, p=p, gh=evidence(p, check_runs=tuple(runs), statuses=tuple(statuses)),
                  config_text=config_text)


def test_all_green_passes(root: Path) -> None:
    r = judge(root, [run_("build"), run_("lint", "neutral"), run_("docs", "skipped")], [status_("ci/circleci")])
    assert r.status == Status.PASS
    assert "3 check run(s) and 1 status(es) on a1a1a1a concluded successfully" in r.reason


def test_failing_checks_one_finding_each_with_link(root: Path) -> None:
    runs = [run_("build"), run_("tests", "failure"), run_("e2e", "timed_out"), run_("deploy-preview", "cancelled"),
            run_("needs-approval", "action_required")]
    r = judge(root, runs, [status_("ci/legacy", "error")])
    assert r.status == Status.FAIL
    msgs = [f.message for f in r.findings]
    assert len(msgs) == 5
    assert any("check run 'tests' concluded failure: https://github.com/o/r/runs/" in m for m in msgs)
    assert any("'e2e' concluded timed_out" in m for m in msgs)
    assert any("'deploy-preview' concluded cancelled" in m for m in msgs)
    assert any("'needs-approval' concluded action_required" in m for m in msgs)
    assert any("status 'ci/legacy' is error: https://ci.example/ci/legacy" in m for m in msgs)


def test_pending_checks_make_it_pending(root: Path) -> None:
    r = judge(root, [run_("build"), run_("tests", None, "in_progress"), run_("e2e", None, "queued")],
              [status_("ci/legacy", "pending")])
    assert r.status == Status.PENDING
    assert "waiting for 3 check(s) on a1a1a1a: tests (is in progress), e2e (is queued)" in r.reason


def test_failure_wins_over_pending(root: Path) -> None:
    r = judge(root, [run_("tests", "failure"), run_("e2e", None, "queued")])
    assert r.status == Status.FAIL and len(r.findings) == 1


def test_required_check_missing_fails(root: Path) -> None:
    cfg = "ci: {required: [\"build\", \"typecheck*\"]}\n"
    r = judge(root, [run_("build")], config_text=cfg)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "required check typecheck* never ran on a1a1a1a" in f.message


def test_required_check_present_passes(root: Path) -> None:
    cfg = "ci: {required: [\"build\", \"typecheck*\"]}\n"
    assert judge(root, [run_("build"), run_("typecheck (node 20)")], config_text=cfg).status == Status.PASS


def test_gate_own_check_is_excluded(root: Path) -> None:
    r = judge(root, [run_("build"), run_("prod-readiness", None, "in_progress")])
    assert r.status == Status.PASS and "prod-readiness excluded" in r.reason
    r = judge(root, [run_("build"), run_("prod-readiness", "failure")])
    assert r.status == Status.PASS


def test_gate_own_check_name_from_config_and_required_cannot_be_met_by_it(root: Path) -> None:
    cfg = "check_name: readiness-gate\nci: {required: [\"readiness-*\"]}\n"
    r = judge(root, [run_("readiness-gate", "failure"), run_("prod-readiness", "failure")], config_text=cfg)
    assert r.status == Status.FAIL
    msgs = [f.message for f in r.findings]
    assert any("'prod-readiness' concluded failure" in m for m in msgs)
    assert any("required check readiness-* never ran" in m for m in msgs)


def test_nothing_ran_passes_with_notice(root: Path) -> None:
    r = judge(root, [run_("prod-readiness", None, "in_progress")])
    assert r.status == Status.PASS
    assert "set ci.required" in r.findings[0].message


def test_no_pull_request_is_unverified(root: Path) -> None:
    r = change(root, ID, mode="check")
    assert r.status == Status.UNVERIFIED and "no pull request to judge" in r.reason


def test_check_runs_not_fetched_fail_closed(root: Path) -> None:
    p = pr()
    r = change(root, ID, p=p, gh=evidence(p, check_runs=(run_("build"),), errors={"statuses": "GitHub answered 504"}))
    assert r.status == Status.FAIL and "statuses: GitHub answered 504" in r.findings[0].message


MERGED = "c3" * 20


def test_promote_fails_closed_when_the_promoted_commits_checks_were_not_read(root: Path) -> None:
    """The promoted (merge) commit is not the PR's head: its own checks must be read, the head's
    green CI does not stand in for them."""
    p = pr()
    head_green = {"check_runs": (run_("build"),), "statuses": (status_("ci/lint"),)}
    r = change(root, ID, p=p, gh=evidence(p, sha=MERGED, **head_green), mode="promote")
    assert r.status == Status.FAIL and r.reason == "evidence could not be fetched"
    assert [f.message for f in r.findings] == [
        "the check runs and statuses of the promoted commit c3c3c3c were not read (not read in this run): the item "
        "fails closed; re-run the gate"]
    r = change(root, ID, p=p, gh=evidence(p, sha=MERGED, errors={"commit_statuses": "GitHub answered 502"},
                                          commit_check_runs=(), **head_green), mode="promote")
    assert r.status == Status.FAIL
    assert r.findings[0].message == ("GitHub did not answer for the check runs and statuses of the promoted commit "
                                     "c3c3c3c (commit_statuses: GitHub answered 502): the item fails closed; re-run "
                                     "the gate")
    r = change(root, ID, p=p, gh=evidence(p, sha=MERGED, commit_check_runs=(run_("deploy-staging"),),
                                          commit_statuses=(), **head_green), mode="promote")
    assert r.status == Status.PASS
    # a pull request's run is unchanged: the head is what it judges
    assert change(root, ID, p=p, gh=evidence(p, sha=MERGED, **head_green), mode="pr").status == Status.PASS
