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


_LOGGED = """  logger.info({
    request_id: c.var.requestId,
    route: c.req.routePath,
    status: c.res.status,
    duration_ms: Date.now() - started,
    client_id: c.var.clientId,
    brand_id: c.var.brandId,
  });
"""


def test_a_spread_constant_object_provides_its_keys(tmp_path: Path) -> None:
    fields = ('const fields = { request_id: "r", route: "/", status: 200, duration_ms: 1, '
              'client_id: "c", brand_id: "b" } as const;\n')
    assert _LOGGED in INDEX_TS
    # a module constant, a function's constant, and a constant imported from another file
    local = INDEX_TS.replace("export const publicPaths", fields + "export const publicPaths").replace(
        _LOGGED, '  logger.info({ ...fields, msg: "request" });\n')
    inner = INDEX_TS.replace(_LOGGED, "  " + fields + '  logger.info({ ...fields, msg: "request" });\n')
    imported = ('import { fields } from "./log-fields";\n' + INDEX_TS.lstrip("\n")).replace(
        _LOGGED, '  logger.info({ ...fields, msg: "request" });\n')
    for name, src in (("local", local), ("inner", inner), ("imported", imported)):
        r = run(tmp_path / name, "observability.log-fields", index=src,
                extra={"services/payments/src/log-fields.ts": "export " + fields})
        assert r.status == Status.PASS, (name, r.findings)


def test_a_spread_the_gate_cannot_follow_provides_no_key(tmp_path: Path) -> None:
    src = INDEX_TS.replace(_LOGGED, '  let fields = { request_id: 1, route: 2, status: 3, duration_ms: 4 };\n'
                                    '  logger.info({ ...fields, ...c.var.logFields, client_id: 5, brand_id: 6 });\n')
    r = run(tmp_path, "observability.log-fields", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert (f.path, f.line) == (INDEX, line_of(src, "logger.info({ ...fields"))
    assert f.message == ("the request log lacks request_id, route, status, duration_ms (...fields, ...c.var.logFields "
                         "are not constant objects the gate can follow, so their keys do not count): add them to the "
                         "object logger.info(...) logs")


def test_phi_in_a_spread_constant_fails(tmp_path: Path) -> None:
    fields = ('const fields = { request_id: "r", route: "/", status: 200, duration_ms: 1, '
              'client_id: "c", brand_id: "b", email: "x" };\n')
    src = INDEX_TS.replace("export const publicPaths", fields + "export const publicPaths").replace(
        _LOGGED, '  logger.info({ ...fields });\n')
    r = run(tmp_path, "observability.log-fields", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert (f.path, f.line, f.message) == (INDEX, line_of(src, "logger.info({ ...fields"),
                                           "the request log mentions PHI field email: remove it")
