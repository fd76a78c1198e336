"""The code items on the example platform repository (examples/platform, see its EXPECTED.md):
payments and identity pass them, orders fails them at the lines EXPECTED.md gives."""

from __future__ import annotations

from functools import cache

import pytest

from gate.engine import evaluate_service
from gate.model import ItemResult, ServiceReport, Status
from tests.helpers import EXAMPLE, make_run

CODE_ITEMS = (
    "auth.require-scope", "auth.public-paths", "auth.baa-gate", "auth.m2m-client",
    "conventions.scope-enforcement", "conventions.audit", "conventions.brand-scoping",
    "conventions.no-raw-fetch", "conventions.no-phi-logging", "conventions.no-todo",
    "conventions.route-tests", "idempotency.mutation-key", "idempotency.event-dedupe",
    "idempotency.cron-retry", "resilience.rate-limits", "resilience.circuit-breakers",
    "resilience.retries", "resilience.degradation", "observability.otel",
    "observability.service-name", "observability.log-fields",
)

pytestmark = pytest.mark.skipif(not (EXAMPLE / "services").is_dir(), reason="examples/platform is not there")


@cache
def report(service: str) -> ServiceReport:
    run = make_run(EXAMPLE)
    svc = next(s for s in run.all_services if s.name == service)
    return evaluate_service(run, svc, frozenset(CODE_ITEMS))


def result(service: str, item_id: str) -> ItemResult:
    return report(service).item(item_id)


# items that apply to payments and pass; the rest are skip with a reason (nothing to judge)
PAYMENTS_SKIP = {"auth.baa-gate"}


@pytest.mark.parametrize("item_id", CODE_ITEMS)
def test_payments(item_id: str) -> None:
    r = result("payments", item_id)
    want = Status.SKIP if item_id in PAYMENTS_SKIP else Status.PASS
    assert r.status == want, (r.reason, r.findings)
    assert r.reason


def test_payments_evidence() -> None:
    assert "9 routes" in result("payments", "conventions.route-tests").reason
    assert "5 vendor calls" in result("payments", "resilience.circuit-breakers").reason
    assert "19 SQL statements" in result("payments", "conventions.brand-scoping").reason


IDENTITY_SKIP = {"idempotency.event-dedupe", "resilience.circuit-breakers", "resilience.retries", "resilience.degradation"}


@pytest.mark.parametrize("item_id", CODE_ITEMS)
def test_identity(item_id: str) -> None:
    r = result("identity", item_id)
    want = Status.SKIP if item_id in IDENTITY_SKIP else Status.PASS
    assert r.status == want, (r.reason, r.findings)


APP = "services/orders/src/app.ts"
ORDERS_FAIL: dict[str, list[tuple[str, int, str]]] = {
    # EXPECTED.md rows 10, 11, 12, 13-14, 15, 16, 17, 8/11/19, 18, 19, 20-26
    "auth.require-scope": [(APP, 86, 'GET /orders/:id/receipt enforces no scope: add requireScope("orders:read")')],
    "conventions.scope-enforcement": [(APP, 86, 'add requireScope("orders:read")')],
    "auth.public-paths": [(APP, 86, "GET /orders/:id/receipt has no requireScope(...) and is not in publicPaths")],
    "conventions.audit": [(APP, 60, "POST /orders/:id/cancel: its handler does not call audit(...)")],
    "conventions.brand-scoping": [(APP, 35, "SELECT from orders does not constrain brand_id")],
    "conventions.no-raw-fetch": [("services/orders/src/clients/documents.ts", 7, "fetch(...) calls the global fetch"),
                                 ("services/orders/src/clients/inventory.ts", 9, "globalThis.fetch(...) calls the global fetch")],
    "conventions.no-phi-logging": [(APP, 53, "logs PHI field dateOfBirth")],
    "conventions.no-todo": [(APP, 73, "comment in service code")],
    "conventions.route-tests": [(APP, 102, "GET /orders/:id/history has no integration test")],
    "idempotency.mutation-key": [(APP, 60, "POST /orders/:id/cancel does not accept an idempotency key: add idempotent()"),
                                 ("services/orders/openapi.yaml", 142, "POST /orders/{id}/ship in services/orders/openapi.yaml does not declare the Idempotency-Key header"),
                                 (APP, 111, "POST /cron/expire-unpaid does not accept an idempotency key")],
    "idempotency.event-dedupe": [("services/orders/src/events.ts", 7, 'subscribe("payment.captured") handler is not deduplicated')],
    "idempotency.cron-retry": [(APP, 111, "POST /cron/expire-unpaid is called by cron and is not safe to retry: add idempotent()")],
    "resilience.rate-limits": [(APP, 24, 'GET /orders has no rate limit: add rateLimit("read")')],
    "resilience.circuit-breakers": [("services/orders/src/notify.ts", 8, 'client.messages.create(...) calls twilio outside a circuit breaker: wrap it in breaker("twilio"')],
    "resilience.retries": [("services/orders/src/shipping.ts", 10, "retry(...) options lack jitter: true")],
    "resilience.degradation": [("services/orders/service.yaml", 17, "consumes payments: no fallback")],
    "observability.otel": [("services/orders/src/telemetry.ts", 10, "does not export metrics (metricReader or metricReaders)")],
    "observability.service-name": [("services/orders/src/telemetry.ts", 12, 'service.name is "order", not "orders"')],
    "observability.log-fields": [("services/orders/src/middleware/logging.ts", 7, "the request log lacks duration_ms")],
}
ORDERS_SKIP = {"auth.m2m-client", "auth.baa-gate"}


def test_orders_items_all_accounted_for() -> None:
    assert set(ORDERS_FAIL) | ORDERS_SKIP == set(CODE_ITEMS)


@pytest.mark.parametrize("item_id", CODE_ITEMS)
def test_orders(item_id: str) -> None:
    r = result("orders", item_id)
    if item_id in ORDERS_SKIP:
        assert r.status == Status.SKIP, (r.reason, r.findings)
        return
    assert r.status == Status.FAIL, r.reason
    want = ORDERS_FAIL[item_id]
    got = [(f.path, f.line, f.message) for f in r.findings]
    assert len(got) == len(want), got
    for (wpath, wline, wmsg), (path, line, msg) in zip(want, got, strict=True):
        assert (path, line) == (wpath, wline), got
        assert wmsg in msg


def test_route_parity_on_orders() -> None:
    """EXPECTED.md row 9: the code side of artifacts.openapi."""
    from gate.checks.artifacts._routes_parity import route_parity_findings
    from gate.context import Ctx
    from gate.sources.openapi import document as oa
    run = make_run(EXAMPLE)
    svc = next(s for s in run.all_services if s.name == "orders")
    ctx = Ctx(run, svc)
    ops = oa.operations(ctx.ws, oa.spec_path(ctx.ws, svc.dir, ctx.manifest))
    got = [(f.path, f.line) for f in route_parity_findings(ctx, ops)]
    assert got == [(APP, 96)]


LABS_SKIP = {"auth.m2m-client", "auth.baa-gate", "idempotency.event-dedupe", "idempotency.cron-retry",
             "resilience.circuit-breakers", "resilience.retries"}


@pytest.mark.parametrize("item_id", CODE_ITEMS)
def test_labs(item_id: str) -> None:
    r = result("labs", item_id)
    want = Status.SKIP if item_id in LABS_SKIP else Status.PASS
    assert r.status == want, (r.reason, r.findings)


def test_labs_waived_table_exempt_from_brand_scoping() -> None:
    assert "feature_flags exempt by data.brand-id waiver" in result("labs", "conventions.brand-scoping").reason
