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


def test_a_folder_named_like_the_page_is_no_page(tmp_path: Path) -> None:
    evaluate(tmp_path, ID)
    page = tmp_path / "docs" / "concepts" / "payment-intent.md"
    page.unlink()
    page.mkdir()
    r = evaluate(tmp_path, ID, concept=None)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == "domain primitive 'payment-intent' has no concept page: add docs/concepts/payment-intent.md"
    assert f.line == line_of(SERVICE_YAML, "domain_primitives")


def test_a_page_linking_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("# Payment intent\n")
    repo = tmp_path / "repo"
    evaluate(repo, ID)
    page = repo / "docs" / "concepts" / "payment-intent.md"
    page.unlink()
    page.symlink_to(outside)
    r = evaluate(repo, ID, concept=None)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith("docs/concepts/payment-intent.md is a symlink that leaves the repository")
