"""sdk.generated: .openapi-sha256 equals the sha256 of the current openapi.yaml."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.core_fixture import evaluate, sha

ID = "sdk.generated"


def test_matching_sha_passes(tmp_path: Path) -> None:
    assert evaluate(tmp_path, ID).status == Status.PASS


def test_drift_fails_at_sha_file(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, sdk_sha=sha("old spec") + "  openapi.yaml\n")
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "generated from another openapi.yaml" in f.message and "pnpm sdk:gen" in f.message
    assert f.path == "packages/sdk-payments/.openapi-sha256" and f.line == 1


def test_garbage_sha_file(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, sdk_sha="todo\n")
    assert r.status == Status.FAIL and "does not hold a sha256" in r.findings[0].message


def test_missing_sha_file(tmp_path: Path) -> None:
    write_only = evaluate(tmp_path, ID)
    assert write_only.status == Status.PASS
    (tmp_path / "packages/sdk-payments/.openapi-sha256").unlink()
    from tests.helpers import item

    r = item(tmp_path, "payments", ID)
    assert r.status == Status.FAIL and ".openapi-sha256 is missing" in r.findings[0].message


def test_no_sdk_package_fails(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, sdk_package=None, sdk_sha="x")
    assert r.status == Status.FAIL and "has no SDK package" in r.findings[0].message
