"""oncall.notified and oncall.dashboard-access: an attestation in service.yaml, else manual.

Both items are judged by the same rule (gate/checks/oncall/_attest.py), so one parametrised
module tests both, each against its own attestation in the fixture."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gate.github.evidence import PullRequestEvidence
from gate.model import Status
from tests.checks.core_fixture import SERVICE_YAML, evaluate, line_of
from tests.helpers import item

#: item id → the date of its attestation in the fixture's service.yaml
ITEMS = {"oncall.notified": "2026-11-20", "oncall.dashboard-access": "2026-11-21"}
each = pytest.mark.parametrize("item_id", list(ITEMS))


@each
def test_valid_attestation_passes_with_who_and_when(tmp_path: Path, item_id: str) -> None:
    r = evaluate(tmp_path, item_id)
    assert r.status == Status.PASS
    assert r.reason.startswith(f"attested by dave on {ITEMS[item_id]}")


@each
def test_no_attestation_is_manual_at_readiness(tmp_path: Path, item_id: str) -> None:
    text = SERVICE_YAML.replace(f"    - item: {item_id}\n", "    - item: promotion.rollback\n")
    r = evaluate(tmp_path, item_id, service_yaml=text)
    assert r.status == Status.MANUAL
    (f,) = r.findings
    assert f"no attestation of {item_id}" in f.message and "readiness.attestations" in f.message
    assert f.line == line_of(text, "  attestations:")


@each
def test_no_readiness_at_all_is_manual_at_top(tmp_path: Path, item_id: str) -> None:
    text = SERVICE_YAML.split("readiness:")[0]
    r = evaluate(tmp_path, item_id, service_yaml=text)
    assert r.status == Status.MANUAL and r.findings[0].line == 1


@each
def test_stale_attestation_is_manual_at_its_line(tmp_path: Path, item_id: str) -> None:
    assert evaluate(tmp_path, item_id).status == Status.PASS
    later = item(tmp_path, "payments", item_id, now=dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
    assert later.status == Status.MANUAL
    assert "days old" in later.findings[0].message
    assert later.findings[0].line == line_of(SERVICE_YAML, f"- item: {item_id}")


@each
def test_attestation_by_pr_author_does_not_count(tmp_path: Path, item_id: str) -> None:
    evaluate(tmp_path, item_id)
    pr = PullRequestEvidence(number=1, author="dave", head_sha="a" * 40, base_sha="b" * 40)
    r = item(tmp_path, "payments", item_id, pr=pr)
    assert r.status == Status.MANUAL and "author" in r.findings[0].message
