"""oncall.notified: an attestation in service.yaml, else manual."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gate.github.evidence import PullRequestEvidence
from gate.model import Status
from tests.checks.core_fixture import SERVICE_YAML, evaluate, line_of
from tests.helpers import item

ID = "oncall.notified"


def test_valid_attestation_passes_with_who_and_when(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS
    assert r.reason.startswith("attested by dave on 2026-11-20")


def test_no_attestation_is_manual_at_readiness(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("    - item: oncall.notified\n", "    - item: promotion.rollback\n")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.MANUAL
    (f,) = r.findings
    assert "no attestation of oncall.notified" in f.message and "readiness.attestations" in f.message
    assert f.line == line_of(text, "  attestations:")


def test_no_readiness_at_all_is_manual_at_top(tmp_path: Path) -> None:
    text = SERVICE_YAML.split("readiness:")[0]
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.MANUAL and r.findings[0].line == 1


def test_stale_attestation_is_manual_at_its_line(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS
    later = item(tmp_path, "payments", ID, now=dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
    assert later.status == Status.MANUAL
    assert "days old" in later.findings[0].message
    assert later.findings[0].line == line_of(SERVICE_YAML, "- item: oncall.notified")


def test_attestation_by_pr_author_does_not_count(tmp_path: Path) -> None:
    evaluate(tmp_path, ID)
    pr = PullRequestEvidence(number=1, author="dave", head_sha="a" * 40, base_sha="b" * 40)
    r = item(tmp_path, "payments", ID, pr=pr)
    assert r.status == Status.MANUAL and "author" in r.findings[0].message
