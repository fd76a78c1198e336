"""The infra items on the example platform repository (examples/platform): payments and
identity pass; orders fails each item at the line examples/platform/EXPECTED.md gives."""

from __future__ import annotations

import pytest

from gate.model import ItemResult, Status
from tests.helpers import EXAMPLE, item

pytestmark = pytest.mark.skipif(not (EXAMPLE / "services" / "orders" / "infra.ts").exists(),
                                reason="example platform not present")

ITEMS = (
    "deployment.infra",
    "deployment.dns",
    "deployment.secrets",
    "deployment.sst-registered",
    "observability.alarms",
    "observability.paging",
    "observability.sentry",
)


def line_of(rel: str, needle: str) -> int:
    lines = (EXAMPLE / rel).read_text("utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if needle in line)


def result(service: str, item_id: str) -> ItemResult:
    return item(EXAMPLE, service, item_id)


@pytest.mark.parametrize("service", ["payments", "identity"])
@pytest.mark.parametrize("item_id", ITEMS)
def test_ready_services_pass(service: str, item_id: str) -> None:
    r = result(service, item_id)
    assert r.status == Status.PASS, r.findings


ORDERS = "services/orders/infra.ts"


def findings(item_id: str) -> list[tuple[str, str | None, int | None]]:
    r = result("orders", item_id)
    assert r.status == Status.FAIL
    return [(f.message, f.path, f.line) for f in r.findings]


def test_orders_infra_scaling_misses_staging_and_health_is_on_another_path() -> None:
    (scaling, health) = findings("deployment.infra")
    assert scaling[0].startswith("scaling has no value for staging")
    # EXPECTED.md row 31: the scaling map's line, where the staging key goes
    assert scaling[1:] == (ORDERS, line_of(ORDERS, "const scaling = {"))
    assert health == ("health check 3000/http is on /health (must be /healthz)", ORDERS, line_of(ORDERS, 'path: "/health"'))


def test_orders_secret_read_but_not_linked() -> None:
    ((msg, path, line),) = findings("deployment.secrets")
    assert msg.startswith("secret OrdersTwilioToken is read in src/notify.ts:")
    assert "but not linked to the service" in msg
    assert (path, line) == (ORDERS, line_of(ORDERS, "link: ["))


def test_orders_import_is_commented_out_in_sst_config() -> None:
    ((msg, path, line),) = findings("deployment.sst-registered")
    assert "is commented out" in msg
    assert (path, line) == ("sst.config.ts", line_of("sst.config.ts", '// const { orders } = await import('))


def test_orders_latency_alarm_above_threshold() -> None:
    assert findings("observability.alarms") == [
        ("latencyP99Ms is 2000 (must be ≤ 1000)", ORDERS, line_of(ORDERS, "latencyP99Ms:"))]


def test_orders_warn_routed_to_pagerduty() -> None:
    assert findings("observability.paging") == [
        ('warn is routed to "pagerduty" (must be "slack")', ORDERS, line_of(ORDERS, "warn:"))]
