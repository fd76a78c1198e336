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
