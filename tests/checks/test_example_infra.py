"""The infra items on the example platform repository (examples/platform): payments, identity
and labs pass; orders fails each item at the line examples/platform/EXPECTED.md gives."""

from __future__ import annotations

import re

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


@pytest.mark.parametrize("service", ["payments", "identity", "labs"])
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
    # EXPECTED.md row 31: at the property; the message names the map's line, where the key goes
    assert f"add the missing stage to the map at line {line_of(ORDERS, 'const scaling = {')}" in scaling[0]
    assert scaling[1:] == (ORDERS, line_of(ORDERS, "scaling: scaling[$app.stage]"))
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


def expected_rows() -> list[tuple[str, str, int]]:
    """(item, file, line) of the orders rows of EXPECTED.md that name one of these items."""
    path = EXAMPLE / "EXPECTED.md"
    if not path.exists():
        return []
    text = path.read_text("utf-8")
    orders = text[text.index("## orders"): text.index("## labs")] if "## labs" in text else text
    rows = []
    for line in orders.splitlines():
        m = re.match(r"\|\s*\d+\s*\|([^|]+)\|([^|]+)\|\s*(\d+)\s*\|", line)
        if not m:
            continue
        ids = [i.strip() for i in re.split(r",|also", m.group(1)) if i.strip()]
        for i in ids:
            if i in ITEMS:
                rows.append((i, m.group(2).strip(), int(m.group(3))))
    return rows


def test_orders_findings_match_expected_md() -> None:
    rows = expected_rows()
    if not rows:
        pytest.skip("EXPECTED.md has no rows for these items")
    assert {r[0] for r in rows} == set(ITEMS) - {"deployment.dns", "observability.sentry"}
    for item_id, path, line in rows:
        r = result("orders", item_id)
        assert r.status == Status.FAIL, item_id
        assert any((f.path, f.line) == (path, line) for f in r.findings), (item_id, path, line, r.findings)


@pytest.mark.parametrize("item_id", ["deployment.dns", "observability.sentry"])
def test_orders_items_expected_to_pass(item_id: str) -> None:
    assert result("orders", item_id).status == Status.PASS
