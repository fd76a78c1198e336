"""observability.paging: critical → "pagerduty", warn → "slack", per stage."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.infra_fixture import INFRA, evaluate, line_of
from tests.checks.test_observability_alarms import BASE, METRIC_ALARMS

ID = "observability.paging"


def test_conventions_routing_passes(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS, r.findings


def test_warn_routed_to_pagerduty(tmp_path: Path) -> None:
    text = INFRA.replace('warn: "slack",', 'warn: "pagerduty",')
    r = evaluate(tmp_path, ID, infra=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == 'warn is routed to "pagerduty" (must be "slack")'
    assert f.line == line_of(text, 'warn: "pagerduty"')


def test_critical_not_routed(tmp_path: Path) -> None:
    text = INFRA.replace('  critical: "pagerduty",\n', "")
    r = evaluate(tmp_path, ID, infra=text)
    (f,) = r.findings
    assert f.message == 'alarms(...) does not route critical: set critical: "pagerduty"'
    assert f.line == line_of(text, 'alarms("payments"')


def test_routing_per_stage(tmp_path: Path) -> None:
    text = INFRA.replace('critical: "pagerduty",', 'critical: $app.stage === "prod" ? "pagerduty" : "slack",')
    r = evaluate(tmp_path, ID, infra=text)
    (f,) = r.findings
    assert f.message == 'critical is routed to "slack" for dev and staging (must be "pagerduty")'


def test_metric_alarms_routing_cannot_be_read(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, infra=BASE + METRIC_ALARMS)
    assert r.status == Status.FAIL
    assert "routing cannot be verified statically" in r.findings[0].message


def test_no_alarms(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, infra=BASE)
    assert r.status == Status.FAIL
    assert "nothing pages" in r.findings[0].message
