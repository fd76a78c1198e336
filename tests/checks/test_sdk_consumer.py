"""sdk.consumer: another service, package or app imports the SDK and calls it."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from gate.sources.ts.imports import uses
from gate.sources.ts.parse import parse
from tests.checks.core_fixture import evaluate, line_of
from tests.helpers import item, write_tree

ID = "sdk.consumer"


def test_app_calling_the_sdk_passes(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS and "apps/canary/src/payments.ts:6" in r.reason


def test_another_service_calling_a_namespace_import_passes(tmp_path: Path) -> None:
    src = 'import * as payments from "@platform/sdk-payments";\n\nexport const f = () => payments.getPayment("1");\n'
    evaluate(tmp_path, ID, consumer=None)
    write_tree(tmp_path, {"services/identity/src/pay.ts": src})
    r = item(tmp_path, "payments", ID)
    assert r.status == Status.PASS and "services/identity/src/pay.ts:3" in r.reason


def test_import_without_call_fails_at_import(tmp_path: Path) -> None:
    src = 'import { PaymentsClient } from "@platform/sdk-payments";\n\nexport type T = typeof PaymentsClient;\n'
    r = evaluate(tmp_path, ID, consumer=src)
    assert r.status == Status.FAIL
    assert "imports @platform/sdk-payments but never calls it" in r.findings[0].message
    assert r.findings[0].path == "apps/canary/src/payments.ts" and r.findings[0].line == 1


def test_no_consumer_fails_at_package_name(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, consumer=None)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "no other service, package or app imports and calls @platform/sdk-payments" in f.message
    assert f.path == "packages/sdk-payments/package.json" and f.line == 2


def test_own_service_and_own_package_do_not_count(tmp_path: Path) -> None:
    src = 'import { getPayment } from "@platform/sdk-payments";\ngetPayment("1");\n'
    evaluate(tmp_path, ID, consumer=None)
    write_tree(tmp_path, {"services/payments/src/self.ts": src, "packages/sdk-payments/src/x.ts": src})
    assert item(tmp_path, "payments", ID).status == Status.FAIL


def test_type_only_import_is_not_a_use() -> None:
    src = b'import type { A } from "@platform/sdk-payments";\nimport { type B } from "@platform/sdk-orders";\nB();\n'
    found = {u.module: u for u in uses(parse("a.ts", src))}
    assert "@platform/sdk-payments" not in found
    assert found["@platform/sdk-orders"].call_line is None


def test_uses_follow_client_construction() -> None:
    src = ('import createClient from "@platform/sdk-payments";\n'
           "const c = await createClient({});\n"
           "async function go() {\n  await c.refunds.create({});\n}\n")
    (u,) = uses(parse("a.ts", src.encode()))
    assert u.call_line == 2 and u.callee == "createClient"
    assert line_of(src, "refunds") == 4


def test_no_sdk_package_fails(tmp_path: Path) -> None:
    assert evaluate(tmp_path, ID, sdk_package=None).status == Status.FAIL
