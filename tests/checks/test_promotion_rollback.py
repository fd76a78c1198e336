"""promotion.rollback: a non-empty RUNBOOK "Rollback" section, or a valid rollback attestation."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.promotion_fixture import RUNBOOK, SERVICE_YAML, line_of, repo, service

ID = "promotion.rollback"

ATTESTED = SERVICE_YAML + """\
    - item: promotion.rollback
      by: dave
      at: 2026-11-25
      evidence: https://loop.slack.com/archives/C1/p2
"""

NO_ROLLBACK = RUNBOOK.split("## Rollback")[0]
EMPTY_ROLLBACK = NO_ROLLBACK + "## Rollback\n\n## Escalation\n\n- alice\n"


def test_runbook_section_passes(tmp_path: Path) -> None:
    r = service(repo(tmp_path), ID)
    assert r.status == Status.PASS and "RUNBOOK.md section 'Rollback' (line 7)" in r.reason


def test_missing_section_fails_at_the_title(tmp_path: Path) -> None:
    r = service(repo(tmp_path, {"services/payments/RUNBOOK.md": NO_ROLLBACK}), ID)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "RUNBOOK.md has no 'Rollback' section" in f.message and "promotion.rollback" in f.message
    assert f.path == "services/payments/RUNBOOK.md" and f.line == 1


def test_empty_section_fails_at_its_heading(tmp_path: Path) -> None:
    r = service(repo(tmp_path, {"services/payments/RUNBOOK.md": EMPTY_ROLLBACK}), ID)
    assert r.status == Status.FAIL
    assert "section 'Rollback' is empty" in r.findings[0].message
    assert r.findings[0].line == line_of(EMPTY_ROLLBACK, "## Rollback")


def test_a_section_of_empty_sub_headings_is_empty(tmp_path: Path) -> None:
    """Headings are not content: "## Rollback" holding only "### Steps" says nothing."""
    text = NO_ROLLBACK + "## Rollback\n\n### Steps\n\n### Verify\n\n## Escalation\n\n- alice\n"
    r = service(repo(tmp_path, {"services/payments/RUNBOOK.md": text}), ID)
    assert r.status == Status.FAIL
    assert "section 'Rollback' is empty" in r.findings[0].message
    assert r.findings[0].line == line_of(text, "## Rollback")
    filled = text.replace("### Steps\n", "### Steps\n\n1. Redeploy the previous image.\n")
    r = service(repo(tmp_path / "b", {"services/payments/RUNBOOK.md": filled}), ID)
    assert r.status == Status.PASS, r.findings


def test_missing_runbook_fails(tmp_path: Path) -> None:
    root = repo(tmp_path)
    (root / "services/payments/RUNBOOK.md").unlink()
    r = service(root, ID)
    assert r.status == Status.FAIL and "RUNBOOK.md is missing" in r.findings[0].message


def test_tested_rollback_attestation_passes(tmp_path: Path) -> None:
    root = repo(tmp_path, {"services/payments/RUNBOOK.md": NO_ROLLBACK, "services/payments/service.yaml": ATTESTED})
    r = service(root, ID)
    assert r.status == Status.PASS and r.reason.startswith("rollback tested: attested by dave on 2026-11-25")


def test_stale_attestation_is_reported_at_its_line(tmp_path: Path) -> None:
    stale = ATTESTED.replace("at: 2026-11-25", "at: 2026-09-01")
    root = repo(tmp_path, {"services/payments/RUNBOOK.md": NO_ROLLBACK, "services/payments/service.yaml": stale})
    r = service(root, ID)
    assert r.status == Status.FAIL
    assert len(r.findings) == 2
    assert "days old" in r.findings[1].message
    assert r.findings[1].path == "services/payments/service.yaml"
    assert r.findings[1].line == line_of(stale, "- item: promotion.rollback")
