from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import INDEX, INDEX_TS, line_of, run


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "observability.log-fields")
    assert r.status == Status.PASS, r.findings


def test_missing_fields_fail_at_logging_call(tmp_path: Path) -> None:
    src = INDEX_TS.replace("    client_id: c.var.clientId,\n", "").replace("    duration_ms: Date.now() - started,\n", "")
    r = run(tmp_path, "observability.log-fields", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.path == INDEX and f.line == line_of(src, "logger.info({")
    assert "lacks duration_ms, client_id" in f.message


def test_phi_in_request_log_fails(tmp_path: Path) -> None:
    src = INDEX_TS.replace("    brand_id: c.var.brandId,\n", "    brand_id: c.var.brandId,\n    email: c.var.user.email,\n")
    r = run(tmp_path, "observability.log-fields", index=src)
    assert r.status == Status.FAIL
    assert "mentions PHI field email" in r.findings[0].message


def test_middleware_in_another_file(tmp_path: Path) -> None:
    mw = """
    import { createMiddleware } from "hono/factory";
    import { logger } from "@platform/log";
    export const requestLog = createMiddleware(async (c, next) => {
      const t = Date.now();
      await next();
      logger.info({ request_id: 1, route: 2, status: 3, duration_ms: 4, client_id: 5, brand_id: 6 });
    });
    """
    start = INDEX_TS.index("app.use(async (c, next)")
    end = INDEX_TS.index('app.use("/admin/*"')
    src = 'import { requestLog } from "./mw";\n' + INDEX_TS[:start].lstrip("\n") + "app.use(requestLog);\n" + INDEX_TS[end:]
    r = run(tmp_path, "observability.log-fields", index=src, extra={"services/payments/src/mw.ts": mw})
    assert r.status == Status.PASS, r.findings


def test_no_middleware_fails_at_app(tmp_path: Path) -> None:
    start = INDEX_TS.index("app.use(async (c, next)")
    end = INDEX_TS.index('app.use("/admin/*"')
    src = INDEX_TS[:start] + INDEX_TS[end:]
    r = run(tmp_path, "observability.log-fields", index=src)
    assert r.status == Status.FAIL
    assert "no request-logging middleware" in r.findings[0].message
