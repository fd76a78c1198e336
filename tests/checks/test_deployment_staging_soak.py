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
