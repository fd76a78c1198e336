from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import INDEX, INDEX_TS, line_of, run


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "conventions.audit")
    assert r.status == Status.PASS, r.findings


def test_mutation_without_audit_fails_at_route(tmp_path: Path) -> None:
    src = INDEX_TS.replace('  await audit(c, "payments.reconciled", {});\n', "")
    r = run(tmp_path, "conventions.audit", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.line == line_of(src, 'app.post("/cron/reconcile"')
    assert "does not call audit(...)" in f.message


def test_handler_named_function_is_followed(tmp_path: Path) -> None:
    src = INDEX_TS.replace(
        'app.post("/cron/reconcile", requireScope("payments:write"), rateLimit("write"), idempotent(), async (c) => {\n'
        '  await audit(c, "payments.reconciled", {});\n  return c.json({ ok: true });\n});',
        'async function reconcile(c) {\n  await audit(c, "payments.reconciled", {});\n}\n'
        'app.post("/cron/reconcile", requireScope("payments:write"), rateLimit("write"), idempotent(), reconcile);')
    assert "function reconcile" in src
    r = run(tmp_path, "conventions.audit", index=src)
    assert r.status == Status.PASS, r.findings


def test_no_mutation_is_skip(tmp_path: Path) -> None:
    r = run(tmp_path, "conventions.audit", index='import { Hono } from "hono";\nexport const app = new Hono();\napp.get("/a", (c) => c.json({}));\n')
    assert r.status == Status.SKIP


def test_audit_in_a_called_service_function_counts(tmp_path: Path) -> None:
    svc = 'import { audit } from "@platform/audit";\nexport async function reconcileAll(c) {\n  await audit(c, "x", {});\n}\n'
    src = INDEX_TS.replace('  await audit(c, "payments.reconciled", {});\n', "  await reconcileAll(c);\n")
    src = 'import { reconcileAll } from "./service";\n' + src.lstrip("\n")
    r = run(tmp_path, "conventions.audit", index=src, extra={"services/payments/src/service.ts": svc})
    assert r.status == Status.PASS, r.findings


def test_audit_only_in_a_function_the_handler_never_calls_fails(tmp_path: Path) -> None:
    src = INDEX_TS.replace('  await audit(c, "payments.reconciled", {});\n',
                           '  const record = async () => {\n    await audit(c, "payments.reconciled", {});\n  };\n')
    r = run(tmp_path, "conventions.audit", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.line == line_of(src, 'app.post("/cron/reconcile"')
    assert f.message == ("POST /cron/reconcile: its handler calls audit(...) only inside a function it never calls "
                         f"(services/payments/src/index.ts:{line_of(src, 'const record')}): call audit(...) in the handler itself")


def test_audit_in_a_callback_a_called_closure_or_an_iife_passes(tmp_path: Path) -> None:
    for body in ('  const record = async () => {\n    await audit(c, "payments.reconciled", {});\n  };\n  await record();\n',
                 '  await db.tx(async () => {\n    await audit(c, "payments.reconciled", {});\n  });\n',
                 '  await (async () => audit(c, "payments.reconciled", {}))();\n'):
        src = INDEX_TS.replace('  await audit(c, "payments.reconciled", {});\n', body)
        r = run(tmp_path / str(hash(body)), "conventions.audit", index=src)
        assert r.status == Status.PASS, (body, r.findings)


def test_audit_in_a_method_of_an_object_called_by_name_passes(tmp_path: Path) -> None:
    for body in ('  const o = { run: async () => { await audit(c, "payments.reconciled", {}); } };\n  await o.run();\n',
                 '  const o = { async run() { await audit(c, "payments.reconciled", {}); } } as const;\n  await o.run();\n',
                 '  const o = { steps: { run: () => audit(c, "payments.reconciled", {}) } };\n  await o.steps.run();\n',
                 '  const o = { run: () => audit(c, "payments.reconciled", {}) };\n  await o["run"]();\n'):
        src = INDEX_TS.replace('  await audit(c, "payments.reconciled", {});\n', body)
        r = run(tmp_path / str(abs(hash(body))), "conventions.audit", index=src)
        assert r.status == Status.PASS, (body, r.findings)


def test_audit_in_a_method_not_called_by_name_fails(tmp_path: Path) -> None:
    for body, fn in (('  const o = { run: () => audit(c, "payments.reconciled", {}), other: () => 1 };\n  o.other();\n',
                      "run: () =>"),
                     ('  let o = { run: () => audit(c, "payments.reconciled", {}) };\n  o.run();\n', "run: () =>"),
                     ('  const o = { run() { return audit(c, "payments.reconciled", {}); } };\n  const k = "run";\n'
                      "  o[k]();\n", "run() {")):
        src = INDEX_TS.replace('  await audit(c, "payments.reconciled", {});\n', body)
        r = run(tmp_path / str(abs(hash(body))), "conventions.audit", index=src)
        assert r.status == Status.FAIL, body
        (f,) = r.findings
        assert (f.path, f.line) == (INDEX, line_of(src, 'app.post("/cron/reconcile"'))
        fn_line = line_of(src, fn)
        assert f.message == ("POST /cron/reconcile: its handler calls audit(...) only inside a function it never calls "
                             f"({INDEX}:{fn_line}): call audit(...) in the handler itself"), body
