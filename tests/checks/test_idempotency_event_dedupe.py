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


def test_aliased_subscribe_is_judged_and_an_unreadable_event_fails(tmp_path: Path) -> None:
    code = """
    import { subscribe as on } from "@platform/events";
    import { dedupe as dd } from "@platform/idempotency";
    const PLACED = "order.placed";
    export function register(ev: string) {
      on("order.placed", async (event) => event.id);
      on(PLACED, dd("payments.order-placed", async (event) => event.id));
      on(ev, dd("payments.any", async (event) => event.id));
    }
    """
    r = run(tmp_path, "idempotency.event-dedupe", events=code)
    assert r.status == Status.FAIL
    assert [(f.path, f.line) for f in r.findings] == [(EVENTS, 5), (EVENTS, 7)]
    assert r.findings[0].message.startswith('subscribe("order.placed") handler is not deduplicated')
    assert r.findings[1].message.startswith("subscribe(ev, ...): the event name is not a string the gate can read")


def test_aliased_platform_dedupe_passes(tmp_path: Path) -> None:
    code = """
    import { subscribe } from "@platform/events";
    import { dedupe as once } from "@platform/idempotency";
    export function register() {
      subscribe("order.placed", once("payments.order-placed", async (event) => event.id));
    }
    """
    r = run(tmp_path, "idempotency.event-dedupe", events=code)
    assert r.status == Status.PASS, r.findings


def test_a_property_of_a_constant_object_is_read(tmp_path: Path) -> None:
    consts = 'export const EVENTS = { placed: "order.placed", other: "x" } as const;\n'
    local = """
    import { subscribe } from "@platform/events";
    import { dedupe } from "@platform/idempotency";
    const EVENTS = { placed: "order.placed" } satisfies Record<string, string>;
    export function register() {
      subscribe(EVENTS.placed, dedupe("payments.order-placed", async (event) => event.id));
      subscribe(EVENTS["placed"], dedupe("payments.order-placed-2", async (event) => event.id));
    }
    """
    imported = """
    import { subscribe } from "@platform/events";
    import { dedupe } from "@platform/idempotency";
    import { EVENTS } from "./event-names";
    export function register() {
      subscribe(EVENTS.placed, dedupe("payments.order-placed", async (event) => event.id));
    }
    """
    for name, code in (("local", local), ("imported", imported)):
        r = run(tmp_path / name, "idempotency.event-dedupe", events=code,
                extra={"services/payments/src/event-names.ts": consts})
        assert r.status == Status.PASS, (name, r.findings)


def test_a_property_the_gate_cannot_follow_stays_a_finding(tmp_path: Path) -> None:
    code = """
    import { subscribe } from "@platform/events";
    import { dedupe } from "@platform/idempotency";
    let MUTABLE = { placed: "order.placed" };
    const BASE = { placed: "order.placed" };
    export function register(overrides: Record<string, string>) {
      subscribe(MUTABLE.placed, dedupe("payments.a", async (event) => event.id));
      const EVENTS = { ...BASE, ...overrides };
      subscribe(EVENTS.placed, dedupe("payments.b", async (event) => event.id));
      const LATER = { ...overrides, ...BASE };
      subscribe(LATER.placed, dedupe("payments.c", async (event) => event.id));
    }
    """
    r = run(tmp_path, "idempotency.event-dedupe", events=code)
    assert r.status == Status.FAIL
    got = [(f.path, f.line, f.message) for f in r.findings]
    tail = ("the event name is not a string the gate can read, so it cannot be checked against "
            "contracts.events.subscribes: write the event name as a string literal or a module constant")
    assert got == [(EVENTS, 6, f"subscribe(MUTABLE.placed, ...): {tail}"),
                   (EVENTS, 8, f"subscribe(EVENTS.placed, ...): {tail}")]
