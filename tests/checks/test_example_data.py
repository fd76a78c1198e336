"""data.* on the example platform repository (examples/platform, see its EXPECTED.md).

payments and identity follow the conventions; orders carries one defect per data item.
"""

from __future__ import annotations

import pytest

from gate.model import Status
from tests.helpers import EXAMPLE, item

DATA_ITEMS = ("data.brand-id", "data.no-long-locks", "data.expand-contract", "data.rollback-doc", "data.grants")


def _need(service: str) -> None:
    if not (EXAMPLE / "services" / service / "service.yaml").is_file():
        pytest.skip(f"examples/platform/services/{service} is not there")


@pytest.mark.parametrize("service", ["payments", "identity"])
@pytest.mark.parametrize("item_id", DATA_ITEMS)
def test_conforming_services_pass(service: str, item_id: str) -> None:
    _need(service)
    res = item(EXAMPLE, service, item_id)
    assert res.status == Status.PASS, [f.message for f in res.findings]


def test_payments_reasons() -> None:
    _need("payments")
    assert item(EXAMPLE, "payments", "data.grants").reason.startswith("2 append-only/ledger table(s)")
    assert item(EXAMPLE, "payments", "data.expand-contract").reason.endswith("expand-only")


ORDERS = [
    ("data.brand-id", "0002_create_shipments.sql", 2, "table shipments has no brand_id NOT NULL column"),
    ("data.no-long-locks", "0003_index_orders_status.sql", 2,
     "CREATE INDEX on existing table orders without CONCURRENTLY blocks writes"),
    ("data.expand-contract", "0004_drop_orders_legacy_sku.sql", 4,
     "DROP COLUMN orders.legacy_sku is a contract operation in an expand migration"),
    ("data.grants", "0005_grant_ledger_reconciler.sql", 2,
     "role orders_reconciler holds UPDATE on orders_ledger"),
]


@pytest.mark.parametrize(("item_id", "file", "line", "message"), ORDERS, ids=[o[0] for o in ORDERS])
def test_orders_fails_each_item_at_the_statement(item_id: str, file: str, line: int, message: str) -> None:
    _need("orders")
    res = item(EXAMPLE, "orders", item_id)
    assert res.status == Status.FAIL
    f = res.findings[0]
    assert (f.path, f.line) == (f"services/orders/migrations/{file}", line)
    assert message in f.message


def test_orders_rollback_section_does_not_mention_migrations() -> None:
    _need("orders")
    res = item(EXAMPLE, "orders", "data.rollback-doc")
    assert res.status == Status.FAIL
    f = res.findings[0]
    assert f.path == "services/orders/RUNBOOK.md"
    assert "does not mention migrations" in f.message
    doc = (EXAMPLE / "services/orders/RUNBOOK.md").read_text().splitlines()
    assert doc[f.line - 1].lstrip("#").strip().lower() == "rollback"


def test_orders_index_without_lock_timeout_is_two_findings_same_line() -> None:
    """EXPECTED.md row 28: the missing CONCURRENTLY and the missing lock_timeout, both at line 2."""
    _need("orders")
    res = item(EXAMPLE, "orders", "data.no-long-locks")
    assert [f.line for f in res.findings] == [2, 2]
    assert "add SET lock_timeout" in res.findings[1].message


def test_labs_brand_id_is_waived_by_target_and_the_rest_passes() -> None:
    _need("labs")
    res = item(EXAMPLE, "labs", "data.brand-id")
    assert res.status == Status.WAIVED
    assert [(f.path, f.line, f.target) for f in res.findings] == [
        ("services/labs/migrations/0001_create_feature_flags.sql", 2, "feature_flags")]
    for item_id in DATA_ITEMS[1:]:
        got = item(EXAMPLE, "labs", item_id)
        assert got.status == Status.PASS, (item_id, [f.message for f in got.findings])
