from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import INDEX_TS, SERVICE_YAML, line_of, run


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "idempotency.cron-retry")
    assert r.status == Status.PASS, r.findings


def test_cron_route_without_idempotent_fails_at_route(tmp_path: Path) -> None:
    src = INDEX_TS.replace('app.post("/cron/reconcile", requireScope("payments:write"), rateLimit("write"), idempotent(),',
                           'app.post("/cron/reconcile", requireScope("payments:write"), rateLimit("write"),')
    r = run(tmp_path, "idempotency.cron-retry", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.line == line_of(src, 'app.post("/cron/reconcile"')
    assert "add idempotent()" in f.message


def test_missing_cron_route_fails_at_yaml(tmp_path: Path) -> None:
    yml = SERVICE_YAML.replace("POST /cron/reconcile", "POST /cron/settle")
    r = run(tmp_path, "idempotency.cron-retry", service_yaml=yml)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.path.endswith("service.yaml") and f.line == line_of(yml, "route: POST /cron/settle")


def test_no_cron_is_skip(tmp_path: Path) -> None:
    yml = SERVICE_YAML.split("cron:")[0]
    assert run(tmp_path, "idempotency.cron-retry", service_yaml=yml).status == Status.SKIP
