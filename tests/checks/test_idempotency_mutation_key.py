from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import INDEX_TS, OPENAPI, line_of, run


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "idempotency.mutation-key")
    assert r.status == Status.PASS, r.findings


def test_route_without_idempotent_fails_at_route(tmp_path: Path) -> None:
    src = INDEX_TS.replace('rateLimit("write"), idempotent(), async (c: Context)', 'rateLimit("write"), async (c: Context)')
    r = run(tmp_path, "idempotency.mutation-key", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.line == line_of(src, 'app.post("/payments"')
    assert "add idempotent() to the route" in f.message


def test_operation_without_header_fails_at_operation_line(tmp_path: Path) -> None:
    spec = OPENAPI.replace('      parameters: [{$ref: "#/components/parameters/IdempotencyKey"}]\n', "")
    r = run(tmp_path, "idempotency.mutation-key", openapi=spec)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.path == "services/payments/openapi.yaml" and f.line == line_of(spec, "    post:")
    assert "does not declare the Idempotency-Key header" in f.message
