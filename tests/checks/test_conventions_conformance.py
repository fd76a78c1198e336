"""conventions.conformance: the ci.conformance checks concluded success on the head commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.github.evidence import CheckRun
from gate.model import ItemResult, Status
from tests.checks.promotion_fixture import evidence, pr, repo, run_, service

ID = "conventions.conformance"


def judge(root: Path, runs: list[CheckRun], errors: dict[str, str] | None = None,
          config_text: str | None = None) -> ItemResult:
    p = pr()
    return service(root, ID, p=p, gh=evidence(p, check_runs=tuple(runs), errors=errors or {}), config_text=config_text)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return repo(tmp_path)


def test_conformance_succeeded(root: Path) -> None:
    r = judge(root, [run_("build"), run_("conformance (audit)"), run_("conformance (scopes)")])
    assert r.status == Status.PASS
    assert "conformance (audit), conformance (scopes) concluded success on a1a1a1a" in r.reason


def test_conformance_failed_one_finding_per_check_with_link(root: Path) -> None:
    r = judge(root, [run_("conformance (audit)", "failure"), run_("conformance (scopes)", "cancelled")])
    assert r.status == Status.FAIL and len(r.findings) == 2
    assert "check run 'conformance (audit)' concluded failure: https://github.com/o/r/runs/" in r.findings[0].message


def test_conformance_never_ran_fails(root: Path) -> None:
    r = judge(root, [run_("build")])
    assert r.status == Status.FAIL
    assert "no conformance check ran on a1a1a1a (ci.conformance: conformance*)" in r.findings[0].message


def test_conformance_running_is_pending(root: Path) -> None:
    assert judge(root, [run_("conformance", None, "queued")]).status == Status.PENDING


def test_conformance_names_configurable(root: Path) -> None:
    cfg = 'ci: {conformance: ["conventions / *"]}\n'
    assert judge(root, [run_("conventions / audit")], config_text=cfg).status == Status.PASS


def test_no_github_evidence_is_unverified(root: Path) -> None:
    assert service(root, ID, mode="check").status == Status.UNVERIFIED


def test_check_runs_not_fetched_fail_closed(root: Path) -> None:
    r = judge(root, [], errors={"check_runs": "GitHub answered 502"})
    assert r.status == Status.FAIL and "re-run the gate" in r.findings[0].message
