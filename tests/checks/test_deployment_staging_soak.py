"""deployment.staging-soak: a successful staging deployment of this commit, soak_hours old."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gate.github.evidence import Deployment
from gate.model import ItemResult, Status
from tests.checks.promotion_fixture import HEAD, OLD, deploy, evidence, pr, repo, service
from tests.helpers import NOW

ID = "deployment.staging-soak"
ENV = "payments-staging"


def judge(root: Path, deps: tuple[Deployment, ...], mode: str = "pr", config_text: str | None = None) -> ItemResult:
    p = pr()
    return service(root, ID, p=p, gh=evidence(p, deployments={ENV: deps}), mode=mode, config_text=config_text)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return repo(tmp_path)


def test_soak_elapsed_passes(root: Path) -> None:
    r = judge(root, (deploy(ENV, HEAD, "success", NOW - dt.timedelta(hours=30), ident=3),))
    assert r.status == Status.PASS
    assert "deployment #3 of a1a1a1a to payments-staging live since 2026-11-28 06:00 UTC, soaked 30h" in r.reason
    assert "no live alarm provider" in r.reason


def test_soak_not_yet_is_pending_with_what_remains(root: Path) -> None:
    r = judge(root, (deploy(ENV, HEAD, "success", NOW - dt.timedelta(hours=5, minutes=12)),))
    assert r.status == Status.PENDING
    assert "has soaked 5h 12m of 24h" in r.reason and "18h 48m remain" in r.reason


def test_soak_hours_configurable(root: Path) -> None:
    d = (deploy(ENV, HEAD, "success", NOW - dt.timedelta(hours=5)),)
    assert judge(root, d, config_text="deployments: {soak_hours: 4}\n").status == Status.PASS


def test_commit_not_deployed_pending_on_pr_fail_in_promote(root: Path) -> None:
    d = (deploy(ENV, OLD, "success", NOW - dt.timedelta(days=3)),)
    r = judge(root, d)
    assert r.status == Status.PENDING and "commit a1a1a1a has not been deployed to payments-staging" in r.reason
    r = judge(root, d, mode="promote")
    assert r.status == Status.FAIL and "(latest there: b2b2b2b)" in r.findings[0].message


def test_failed_staging_deployment_fails(root: Path) -> None:
    r = judge(root, (deploy(ENV, HEAD, "error", NOW - dt.timedelta(days=2)),))
    assert r.status == Status.FAIL and "ended in error" in r.findings[0].message


def test_superseded_deployment_no_longer_soaks(root: Path) -> None:
    d = (deploy(ENV, OLD, "success", ident=9), deploy(ENV, HEAD, "inactive", NOW - dt.timedelta(days=2), ident=8))
    assert judge(root, d).status == Status.PENDING
    r = judge(root, d, mode="promote")
    assert r.status == Status.FAIL and "a newer deployment replaced it" in r.findings[0].message


def test_no_github_evidence_is_unverified(root: Path) -> None:
    assert service(root, ID, mode="check").status == Status.UNVERIFIED


def test_replaced_by_another_commit_still_marked_success_no_longer_soaks(root: Path) -> None:
    # the newer deployment's success status had auto_inactive: false, so GitHub left the older one
    # `success`: it passed as soaked 48h though another commit has run in staging for 40h
    d = (deploy(ENV, OLD, "success", NOW - dt.timedelta(hours=40), ident=9),
         deploy(ENV, HEAD, "success", NOW - dt.timedelta(hours=48), ident=8))
    r = judge(root, d)
    assert r.status == Status.PENDING
    assert r.reason == ("deployment #8 of a1a1a1a to payments-staging was replaced by deployment #9 of b2b2b2b created "
                        "at 2026-11-27 19:55 UTC (succeeded): this commit no longer soaks in staging")
    r = judge(root, d, mode="promote")
    assert r.status == Status.FAIL
    assert [(f.message, f.line) for f in r.findings] == [(
        "deployment #8 of a1a1a1a to payments-staging was replaced by deployment #9 of b2b2b2b created at "
        "2026-11-27 19:55 UTC (succeeded): this commit no longer soaks in staging; promote the commit running in "
        "staging instead", None)]


def test_replacement_that_went_live_or_unread_counts_one_in_flight_or_failed_does_not(root: Path) -> None:
    mine = deploy(ENV, HEAD, "success", NOW - dt.timedelta(hours=48), ident=8)
    failed = deploy(ENV, OLD, "failure", NOW - dt.timedelta(hours=40), ident=9)
    flight = deploy(ENV, OLD, "in_progress", NOW - dt.timedelta(hours=1), ident=10)
    gone = deploy(ENV, OLD, "inactive", NOW - dt.timedelta(hours=3), ident=13)
    # GitHub keeps the older deployment live until a newer one succeeds
    assert judge(root, (flight, gone, failed, mine)).status == Status.PASS
    unread = Deployment(11, ENV, OLD, NOW - dt.timedelta(hours=2), None, None, "", status_read=False)
    r = judge(root, (flight, unread, failed, mine), mode="promote")
    assert r.status == Status.FAIL
    assert r.findings[0].message.startswith("deployment #8 of a1a1a1a to payments-staging was replaced by deployment "
                                            "#11 of b2b2b2b created at 2026-11-29 10:00 UTC (its status not read)")
    # a redeploy of the same commit is not a replacement: the soak counts from the newest one
    again = deploy(ENV, HEAD, "success", NOW - dt.timedelta(hours=30), ident=12)
    r = judge(root, (again, failed, mine))
    assert r.status == Status.PASS and "deployment #12 of a1a1a1a" in r.reason
