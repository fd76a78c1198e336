"""docs.concepts: a concept page per domain primitive; none → skip."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.core_fixture import SERVICE_YAML, evaluate, line_of

ID = "docs.concepts"


def test_concept_page_present_passes(tmp_path: Path) -> None:
    assert evaluate(tmp_path, ID).status == Status.PASS


def test_missing_concept_page_at_primitive_line(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("domain_primitives: [payment-intent]", "domain_primitives:\n  - payment-intent\n  - refund")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "'refund' has no concept page: add docs/concepts/refund.md" in f.message
    assert f.line == line_of(text, "- refund")


def test_no_primitive_is_skipped(tmp_path: Path) -> None:
    text = SERVICE_YAML.replace("domain_primitives: [payment-intent]\n", "")
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.SKIP and "no domain_primitives" in r.reason
