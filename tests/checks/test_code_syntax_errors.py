"""A TypeScript file that does not parse fails every item that reads code, at tree-sitter's
error position; items that read only service.yaml are unaffected."""

from pathlib import Path

import pytest

from gate.model import Status
from tests.checks.code_fixture import run

BROKEN = "services/payments/src/broken.ts"
CODE = """
export function ok() {
  return 1;
}
export const bad = { a: 1, b: };
"""

READ_CODE = (
    "auth.require-scope", "auth.public-paths", "auth.baa-gate", "conventions.scope-enforcement",
    "conventions.audit", "conventions.brand-scoping", "conventions.no-raw-fetch",
    "conventions.no-phi-logging", "conventions.no-todo", "conventions.route-tests",
    "idempotency.mutation-key", "idempotency.event-dedupe", "idempotency.cron-retry",
    "resilience.rate-limits", "resilience.circuit-breakers", "resilience.retries",
    "observability.otel", "observability.service-name", "observability.log-fields",
)


@pytest.mark.parametrize("item_id", READ_CODE)
def test_syntax_error_fails_code_items(tmp_path: Path, item_id: str) -> None:
    r = run(tmp_path, item_id, extra={BROKEN: CODE})
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.path == BROKEN and f.line == 4
    assert "syntax error" in f.message


@pytest.mark.parametrize("item_id", ["auth.m2m-client", "resilience.degradation"])
def test_yaml_only_items_unaffected(tmp_path: Path, item_id: str) -> None:
    assert run(tmp_path, item_id, extra={BROKEN: CODE}).status == Status.PASS
