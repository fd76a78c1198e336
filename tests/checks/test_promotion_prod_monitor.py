"""promotion.prod-monitor: pending before the promotion, pass once prod ran monitor_minutes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gate.github.evidence import Deployment
from gate.model import ItemResult, Status
from tests.checks.promotion_fixture import HEAD, OLD, deploy, evidence, pr, repo, service
from tests.helpers import NOW

ID = "promotion.prod-monitor"
ENV = "payments-prod"


def judge(root: Path, deps: dict[str, tuple[Deployment, ...]], config_text: str | None = None) -> ItemResult:
    p = pr()
    return service(root, ID, p=p, gh=evidence(p, deployments=deps), mode="promote", config_text=config_text)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return repo(tmp_path)


def test_before_promotion_pending(root: Path) -> None:
    r = judge(root, {})
    assert r.status == Status.PENDING and "not promoted yet" in r.reason and "--after-deploy" in r.reason
    r = judge(root, {ENV: (deploy(ENV, OLD, "success", NOW - dt.timedelta(days=1)),)})
    assert r.status == Status.PENDING and "has not been deployed to payments-prod yet" in r.reason


def test_being_monitored_pending_with_what_remains(root: Path) -> None:
    r = judge(root, {ENV: (deploy(ENV, HEAD, "success", NOW - dt.timedelta(minutes=12)),)})
    assert r.status == Status.PENDING
    assert "monitored 12m of 30 minutes, 18m remain" in r.reason


def test_after_monitor_window_passes(root: Path) -> None:
    r = judge(root, {ENV: (deploy(ENV, HEAD, "success", NOW - dt.timedelta(minutes=45), ident=5),)})
    # promote judges the live half strictly: without an alarm provider it is unverified (docs/providers.md)
    assert r.status == Status.UNVERIFIED
    assert "deployment #5 of a1a1a1a to payments-prod succeeded at 2026-11-29 11:15 UTC and ran 45m" in r.reason
    assert "no live alarm provider" in r.reason


def test_monitor_minutes_configurable(root: Path) -> None:
    d = {ENV: (deploy(ENV, HEAD, "success", NOW - dt.timedelta(minutes=45)),)}
    assert judge(root, d, config_text="deployments: {monitor_minutes: 60}\n").status == Status.PENDING


def test_failed_prod_deployment_fails(root: Path) -> None:
    r = judge(root, {ENV: (deploy(ENV, HEAD, "failure"),)})
    assert r.status == Status.FAIL and "roll back or fix forward" in r.findings[0].message


def test_deploy_in_progress_pending(root: Path) -> None:
    assert judge(root, {ENV: (deploy(ENV, HEAD, "in_progress"),)}).status == Status.PENDING
