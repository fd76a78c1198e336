"""sdk.reference-page: docs/sdk/<name>.md names every operationId."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.core_fixture import evaluate

ID = "sdk.reference-page"


def test_page_naming_every_operation_passes(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS and "all 2 operationId(s)" in r.reason


def test_missing_operation_id_at_title(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, sdk_page="\n# SDK\n\n## getPayment\n\ncreatePayments (typo)\n")
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "does not name operationId createPayment (POST /payments)" in f.message
    assert f.path == "docs/sdk/payments.md" and f.line == 2


def test_missing_page(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, sdk_page=None)
    assert r.status == Status.FAIL and "docs/sdk/payments.md is missing" in r.findings[0].message


def test_no_sdk_package_fails(tmp_path: Path) -> None:
    assert evaluate(tmp_path, ID, sdk_package=None).status == Status.FAIL


def test_operation_id_named_only_in_an_html_comment_is_not_named(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, sdk_page="# SDK\n\n## getPayment\n\n<!-- createPayment: to document -->\n")
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == ("docs/sdk/payments.md does not name operationId createPayment (POST /payments): regenerate "
                         "the SDK reference page and commit it")
    assert f.line == 1


def test_missing_openapi_document_fails(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, openapi=None)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == ("services/payments/openapi.yaml is missing: the SDK reference page cannot be checked "
                         "against the service's operations (add the OpenAPI document)")
    assert f.path == "services/payments/openapi.yaml"
