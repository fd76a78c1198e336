"""oncall.pagerduty-schedule: repo half (id set and shaped like a PagerDuty id)."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.core_fixture import SERVICE_YAML, evaluate, line_of

ID = "oncall.pagerduty-schedule"


def test_schedule_id_passes_in_repo_terms(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS
    assert r.reason == "schedule id P1A2B3C set (not checked live: no PagerDuty provider)"


def test_missing_schedule(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("  pagerduty_schedule: P1A2B3C\n", "")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    assert "no PagerDuty schedule" in r.findings[0].message and r.findings[0].line == line_of(text, "on_call:")


def test_malformed_schedule_id_at_its_line(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("P1A2B3C", "https://loop.pagerduty.com/schedules#P1A2B3C")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    assert "is not a PagerDuty schedule id" in r.findings[0].message
    assert r.findings[0].line == line_of(text, "pagerduty_schedule:")
