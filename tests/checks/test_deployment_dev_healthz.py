"""deployment.dev-healthz: the latest dev deployment succeeded (Deployments API)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.github.evidence import Deployment
from gate.model import ItemResult, Status
from tests.checks.promotion_fixture import OLD, deploy, evidence, pr, repo, service

ID = "deployment.dev-healthz"


def judge(root: Path, deps: tuple[Deployment, ...] | None, errors: dict[str, str] | None = None,
          config_text: str | None = None, env: str = "payments-dev") -> ItemResult:
    p = pr()
    gh = evidence(p, deployments={} if deps is None else {env: deps}, errors=errors or {})
    return service(root, ID, p=p, gh=gh, config_text=config_text)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return repo(tmp_path)


def test_latest_dev_deployment_succeeded(root: Path) -> None:
    r = judge(root, (deploy("payments-dev", OLD, "success", ident=7), deploy("payments-dev", OLD, "failure", ident=6)))
    assert r.status == Status.PASS
    assert "the latest deployment to payments-dev (#7" in r.reason and "succeeded" in r.reason
    assert "live GET /healthz not checked" in r.reason


def test_latest_dev_deployment_failed(root: Path) -> None:
    r = judge(root, (deploy("payments-dev", state="failure", ident=8), deploy("payments-dev", OLD, "success")))
    assert r.status == Status.FAIL
    assert "ended in failure: https://api.github.com/d/8" in r.findings[0].message


@pytest.mark.parametrize("state", ["in_progress", "queued", None])
def test_dev_deployment_in_flight_is_pending(root: Path, state: str | None) -> None:
    assert judge(root, (deploy("payments-dev", state=state),)).status == Status.PENDING


def test_no_dev_deployment_fails(root: Path) -> None:
    r = judge(root, ())
    assert r.status == Status.FAIL and "no deployment to the GitHub environment payments-dev" in r.findings[0].message


def test_environment_template_is_configurable(root: Path) -> None:
    cfg = 'deployments: {environment: "{stage}/{service}"}\n'
    assert judge(root, (deploy("dev/payments"),), config_text=cfg, env="dev/payments").status == Status.PASS


def test_no_github_evidence_is_unverified(root: Path) -> None:
    r = service(root, ID, mode="check")
    assert r.status == Status.UNVERIFIED and "no GitHub evidence" in r.reason


def test_deployments_not_fetched_is_unverified(root: Path) -> None:
    r = judge(root, None, errors={"deployments:payments-dev": "GitHub answered 502"})
    assert r.status == Status.UNVERIFIED and "GitHub answered 502" in r.reason
