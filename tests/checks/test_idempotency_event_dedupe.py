from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import EVENTS, SERVICE_YAML, run


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "idempotency.event-dedupe")
    assert r.status == Status.PASS, r.findings


def test_handler_without_dedupe_fails_at_subscribe(tmp_path: Path) -> None:
    code = """
    import { subscribe, dedupe } from "@platform/events";
    export function register() {
      subscribe("order.placed", async (event) => event.id);
      subscribe("order.placed", dedupe("", async (event) => event.id));
    }
    """
    r = run(tmp_path, "idempotency.event-dedupe", events=code)
    assert r.status == Status.FAIL
    assert [(f.path, f.line) for f in r.findings] == [(EVENTS, 3), (EVENTS, 4)]
    assert 'wrap it as subscribe("order.placed", dedupe("<handler-scope>", handler))' in r.findings[0].message
    assert "non-empty string scope" in r.findings[1].message


def test_undeclared_event_fails(tmp_path: Path) -> None:
    r = run(tmp_path, "idempotency.event-dedupe", service_yaml=SERVICE_YAML.replace("subscribes: [order.placed]", "subscribes: []"))
    assert r.status == Status.FAIL
    assert "not in contracts.events.subscribes" in r.findings[0].message


def test_no_subscription_is_skip(tmp_path: Path) -> None:
    r = run(tmp_path, "idempotency.event-dedupe", events="export const x = 1;\n")
    assert r.status == Status.SKIP
