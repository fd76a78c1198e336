"""Platform helpers recognised by where they come from (issue 21): ``requireScope``, ``audit``,
``retry``, ``breaker``, ``idempotent``, ``rateLimit``, ``dedupe`` are credited only when the
binding leads to the platform module of ``helper_modules`` (through barrels, re-exports,
namespace imports and aliases). A look-alike package, a local function of the same name or a
reassigned / shadowed binding fails the item at the call, saying the helper does not come from
the platform module."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import INDEX, INDEX_TS, SVC, line_of, run

REAL = 'import { requireScope, requireBaa } from "@platform/auth";'
ROUTE = 'app.get("/payments/:id", requireScope("payments:read")'


def _scope_fail(tmp_path: Path, src: str, **extra: str) -> None:
    r = run(tmp_path, "auth.require-scope", extra=extra or None, index=src)
    assert r.status == Status.FAIL, r.findings
    line = line_of(src, ROUTE)
    hits = [f for f in r.findings if "does not come from the platform module" in f.message and f.line == line]
    assert hits, r.findings
    f = hits[0]
    assert f.path == INDEX
    assert f.message.startswith('requireScope(...) here does not come from the platform module "@platform/auth"')
    assert 'import { requireScope } from "@platform/auth"' in f.message


def test_look_alike_package_is_not_credited(tmp_path: Path) -> None:
    src = INDEX_TS.replace(REAL, 'import { requireBaa } from "@platform/auth";\n'
                                 'import { requireScope } from "@evil/platform-auth";')
    _scope_fail(tmp_path, src)
    r = run(tmp_path / "b", "auth.require-scope", index=src)
    assert any('"@evil/platform-auth"' in f.message for f in r.findings)


def test_local_function_of_the_same_name_is_not_credited(tmp_path: Path) -> None:
    src = INDEX_TS.replace(REAL, 'import { requireBaa } from "@platform/auth";\n'
                                 "function requireScope(_s: string) { return async (_c: unknown, next: () => Promise<void>) => next(); }")
    _scope_fail(tmp_path, src)
    r = run(tmp_path / "b", "auth.require-scope", index=src)
    assert any("a local function declared at" in f.message for f in r.findings)


def test_const_look_alike_is_not_credited(tmp_path: Path) -> None:
    src = INDEX_TS.replace(REAL, 'import { requireBaa } from "@platform/auth";\n'
                                 "const requireScope = (_s: string) => async (_c: unknown, next: () => Promise<void>) => next();")
    _scope_fail(tmp_path, src)


def test_reassigned_binding_is_not_credited(tmp_path: Path) -> None:
    src = INDEX_TS.replace(REAL, 'import { requireScope as real, requireBaa } from "@platform/auth";\n'
                                 "let requireScope = real;\n"
                                 "requireScope = (_s: string) => async (_c: unknown, next: () => Promise<void>) => next();")
    _scope_fail(tmp_path, src)
    r = run(tmp_path / "b", "auth.require-scope", index=src)
    assert any("which can be reassigned" in f.message for f in r.findings)


def test_shadowing_parameter_is_not_credited(tmp_path: Path) -> None:
    # the real import exists, but inside the function the name is a parameter
    src = INDEX_TS.replace('app.get("/payments/:id", requireScope("payments:read"), rateLimit("read"), async (c) => {',
                           'const register = (requireScope: (s: string) => never) => app.get("/payments/:id", requireScope("payments:read"), rateLimit("read"), async (c) => {')
    src = src.replace("  return c.json(row);\n});", "  return c.json(row);\n});\nregister((_s) => { throw new Error(); });", 1)
    r = run(tmp_path, "auth.require-scope", index=src)
    assert r.status == Status.FAIL, r.findings
    line = line_of(src, "const register")
    f = next(f for f in r.findings if "does not come from the platform module" in f.message)
    assert (f.path, f.line) == (INDEX, line)
    assert "a parameter declared at" in f.message


def test_alias_through_a_barrel_to_the_platform_module_is_credited(tmp_path: Path) -> None:
    barrel = f"{SVC}/src/lib/index.ts"
    inner = f"{SVC}/src/lib/auth.ts"
    src = INDEX_TS.replace(REAL, 'import { requireBaa } from "@platform/auth";\n'
                                 'import { guard as requireScope } from "./lib";')
    extra = {barrel: 'export * from "./auth";\n',
             inner: 'export { requireScope as guard } from "@platform/auth";\n'}
    r = run(tmp_path, "auth.require-scope", extra=extra, index=src)
    assert r.status == Status.PASS, r.findings
    # a namespace import of the platform module, and an alias of it, are credited too
    ns = INDEX_TS.replace(REAL, 'import * as auth from "@platform/auth";\nimport { requireBaa } from "@platform/auth";\n'
                                'const requireScope = auth.requireScope;')
    r = run(tmp_path / "ns", "auth.require-scope", index=ns)
    assert r.status == Status.PASS, r.findings


def test_barrel_to_a_look_alike_is_not_credited(tmp_path: Path) -> None:
    barrel = f"{SVC}/src/lib/index.ts"
    src = INDEX_TS.replace(REAL, 'import { requireBaa } from "@platform/auth";\n'
                                 'import { requireScope } from "./lib";')
    _scope_fail(tmp_path, src, **{barrel: 'export { requireScope } from "@evil/platform-auth";\n'})


def test_local_audit_is_not_credited(tmp_path: Path) -> None:
    src = INDEX_TS.replace('import { audit } from "@platform/audit";',
                           "async function audit(..._a: unknown[]) { return; }")
    r = run(tmp_path, "conventions.audit", index=src)
    assert r.status == Status.FAIL, r.findings
    line = line_of(src, 'await audit(c, "payment.created"')
    f = next(f for f in r.findings if f.line == line and "does not come from" in f.message)
    assert f.path == INDEX
    assert f.message.startswith('audit(...) here does not come from the platform module "@platform/audit"')
    assert any("does not call audit(...)" in x.message for x in r.findings)


def test_look_alike_breaker_and_retry_are_not_credited(tmp_path: Path) -> None:
    src = INDEX_TS.replace('import { breaker, retry } from "@platform/resilience";',
                           'import { breaker, retry } from "@evil/resilience";')
    line = line_of(src, 'breaker("stripe"')
    r = run(tmp_path, "resilience.circuit-breakers", index=src)
    assert r.status == Status.FAIL, r.findings
    assert any("outside a circuit breaker" in f.message for f in r.findings)
    f = next(f for f in r.findings if "does not come from" in f.message)
    assert (f.path, f.line) == (INDEX, line)
    assert f.message.startswith('breaker(...) here does not come from the platform module "@platform/resilience"')
    r = run(tmp_path / "b", "resilience.retries", index=src)
    assert r.status == Status.FAIL, r.findings
    f = next(f for f in r.findings if "does not come from" in f.message)
    assert (f.path, f.line) == (INDEX, line_of(src, "retry(() => stripe"))
    assert f.message.startswith('retry(...) here does not come from the platform module "@platform/resilience"')


def test_local_idempotent_and_rate_limit_are_not_credited(tmp_path: Path) -> None:
    src = INDEX_TS.replace('import { idempotent } from "@platform/idempotency";',
                           "const idempotent = () => async (_c: unknown, next: () => Promise<void>) => next();")
    r = run(tmp_path, "idempotency.mutation-key", index=src)
    assert r.status == Status.FAIL, r.findings
    line = line_of(src, 'app.post("/payments"')
    f = next(f for f in r.findings if "does not come from" in f.message and f.line == line)
    assert f.message.startswith('idempotent(...) here does not come from the platform module "@platform/idempotency"')
    src = INDEX_TS.replace('import { rateLimit } from "@platform/rate-limit";', 'import { rateLimit } from "rate-limit"')
    r = run(tmp_path / "b", "resilience.rate-limits", index=src)
    assert r.status == Status.FAIL, r.findings
    f = next(f for f in r.findings if "does not come from" in f.message)
    assert (f.path, f.line) == (INDEX, line_of(src, ROUTE))
    assert f.message.startswith('rateLimit(...) here does not come from the platform module "@platform/rate-limit"')


def test_configured_module_is_the_reference(tmp_path: Path) -> None:
    src = INDEX_TS.replace(REAL, 'import { requireScope, requireBaa } from "@acme/auth";')
    cfg = {".github/prod-readiness.yml": "helper_modules:\n  require_scope: \"@acme/auth\"\n  require_baa: \"@acme/auth\"\n"}
    r = run(tmp_path, "auth.require-scope", extra=cfg, index=src)
    assert r.status == Status.PASS, r.findings


def test_namespace_of_a_look_alike_is_not_credited_and_a_method_of_the_same_name_is_not_audit(tmp_path: Path) -> None:
    src = INDEX_TS.replace('import { audit } from "@platform/audit";', 'import * as log from "@evil/audit";')
    src = src.replace('await audit(c, "payment.created"', 'await log.audit(c, "payment.created"')
    src = src.replace('await audit(c, "payments.reconciled"', 'await c.var.audit(c, "payments.reconciled"')
    r = run(tmp_path, "conventions.audit", index=src)
    assert r.status == Status.FAIL, r.findings
    line = line_of(src, "await log.audit(")
    f = next(f for f in r.findings if "does not come from" in f.message)
    assert (f.path, f.line) == (INDEX, line)
    assert '"audit" imported from "@evil/audit"' in f.message
    # the method call is not credited, and not reported as a look-alike either
    assert [x.line for x in r.findings if "does not come from" in x.message] == [line]
    assert any(x.message.startswith("POST /cron/reconcile: its handler does not call audit") for x in r.findings)


def test_an_import_alias_of_the_platform_helper_is_credited_under_its_name(tmp_path: Path) -> None:
    src = INDEX_TS.replace(REAL, 'import { requireScope as rs, requireBaa } from "@platform/auth";')
    src = src.replace("requireScope(", "rs(")
    r = run(tmp_path, "auth.require-scope", index=src)
    assert r.status == Status.PASS, r.findings
