"""A small platform repository whose `payments` service passes every code item; tests
override single files to make one item fail."""

from __future__ import annotations

from pathlib import Path

from gate.model import ItemResult
from tests.helpers import item, write_tree

SVC = "services/payments"
INDEX = f"{SVC}/src/index.ts"
ADMIN = f"{SVC}/src/routes/admin.ts"
EVENTS = f"{SVC}/src/events.ts"
OTEL = f"{SVC}/src/instrumentation.ts"
TESTS = f"{SVC}/test/integration/payments.test.ts"

SERVICE_YAML = """
name: payments
owner: team-payments
status: stable
scopes:
  - name: payments:read
  - name: payments:write
  - name: payments:admin
  - name: payments:records
    phi: true
rate_limits:
  read: 600/min
  write: 60/min
contracts:
  openapi: openapi.yaml
  consumes:
    - service: identity
      fallback: Serve cached tokens for up to 5 minutes.
  events:
    subscribes: [order.placed]
cron:
  - schedule: "0 * * * *"
    route: POST /cron/reconcile
"""

INDEX_TS = """
import { Hono } from "hono";
import { Resource } from "sst";
import { requireScope, requireBaa } from "@platform/auth";
import { rateLimit } from "@platform/rate-limit";
import { idempotent } from "@platform/idempotency";
import { audit } from "@platform/audit";
import { breaker, retry } from "@platform/resilience";
import { db, sql } from "@platform/db";
import { logger } from "@platform/log";
import type { Context } from "hono";
import Stripe from "stripe";
import { admin } from "./routes/admin";

const stripe = new Stripe(Resource.PaymentsStripeKey.value);
const retryOptions = { retries: 3, backoff: "exponential", jitter: true };

export const publicPaths = ["/healthz", "/.well-known/jwks.json"];
export const app = new Hono();

app.use(async (c, next) => {
  const started = Date.now();
  await next();
  logger.info({
    request_id: c.var.requestId,
    route: c.req.routePath,
    status: c.res.status,
    duration_ms: Date.now() - started,
    client_id: c.var.clientId,
    brand_id: c.var.brandId,
  });
});
app.use("/admin/*", requireScope("payments:admin"));
app.route("/admin", admin);

app.get("/healthz", (c) => c.json({ ok: true }));

app.get("/payments/:id", requireScope("payments:read"), rateLimit("read"), async (c) => {
  const row = await db.one(sql`SELECT * FROM payments
    WHERE id = ${c.req.param("id")} AND brand_id = ${c.var.brandId}`);
  return c.json(row);
});

app.post("/payments", requireScope("payments:write"), rateLimit("write"), idempotent(), async (c: Context) => {
  const charge = await breaker("stripe", () =>
    retry(() => stripe.charges.create({ amount: 100 }), retryOptions),
  );
  await db.none("INSERT INTO payments (id, brand_id) VALUES ($1, $2)", [charge.id, c.var.brandId]);
  await audit(c, "payment.created", { id: charge.id });
  return c.json({ id: charge.id }, 201);
});

app.post("/cron/reconcile", requireScope("payments:write"), rateLimit("write"), idempotent(), async (c) => {
  await audit(c, "payments.reconciled", {});
  return c.json({ ok: true });
});

app.get("/records/:id", requireScope("payments:records"), requireBaa(), rateLimit("read"), (c) => c.json({}));
"""

ADMIN_TS = """
import { Hono } from "hono";
import { rateLimit } from "@platform/rate-limit";

export const admin = new Hono();

admin.get("/stats", rateLimit("read"), (c) => c.json({ count: 1 }));
"""

EVENTS_TS = """
import { subscribe } from "@platform/events";
import { dedupe } from "@platform/idempotency";

export function register() {
  subscribe("order.placed", dedupe("payments.order-placed", async (event) => {
    return event.id;
  }));
}
"""

OTEL_TS = """
import { NodeSDK } from "@opentelemetry/sdk-node";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";

export const sdk = new NodeSDK({
  resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: "payments" }),
  traceExporter: new OTLPTraceExporter(),
  metricReader: new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() }),
  logRecordProcessors: [new BatchLogRecordProcessor(new OTLPLogExporter())],
});
"""

TESTS_TS = """
import { app } from "../../src/index";

test("routes", async () => {
  await app.request("/healthz");
  await app.request(`/payments/${id}`, { method: "GET" });
  await app.request("/payments", { method: "POST" });
  await app.request("/cron/reconcile", { method: "POST" });
  await app.request("/records/7");
  await app.request("/admin/stats");
});
"""

OPENAPI = """
openapi: 3.1.0
info: {title: payments, version: 1.0.0}
paths:
  /healthz:
    get: {description: Health, responses: {"200": {description: ok}}}
  /payments/{id}:
    get: {description: Read, responses: {"200": {description: ok}}}
  /payments:
    post:
      description: Create
      parameters: [{$ref: "#/components/parameters/IdempotencyKey"}]
      responses: {"201": {description: created}}
  /cron/reconcile:
    post:
      description: Reconcile
      parameters: [{name: Idempotency-Key, in: header, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
  /records/{id}:
    get: {description: Records, responses: {"200": {description: ok}}}
  /admin/stats:
    get: {description: Stats, responses: {"200": {description: ok}}}
components:
  parameters:
    IdempotencyKey: {name: Idempotency-Key, in: header, required: true, schema: {type: string}}
"""

BASE: dict[str, str] = {
    f"{SVC}/service.yaml": SERVICE_YAML,
    f"{SVC}/openapi.yaml": OPENAPI,
    INDEX: INDEX_TS,
    ADMIN: ADMIN_TS,
    EVENTS: EVENTS_TS,
    OTEL: OTEL_TS,
    TESTS: TESTS_TS,
    # tests and stubs are not judged
    f"{SVC}/src/stubs/vendor.ts": "// TODO: replace the stub\nexport const x = fetch('https://example.com');\n",
    f"{SVC}/src/index.test.ts": "// FIXME later\nfetch('/x');\n",
    "services/identity/service.yaml": "name: identity\nscopes: [{name: identity:read}]\n",
    "services/identity/m2m-clients.yaml": "clients:\n  - client_id: orders\n    scopes: [payments:write]\n",
    "services/orders/service.yaml": "name: orders\ncontracts:\n  consumes:\n    - service: payments\n      fallback: Queue the charge.\n",
}


def repo(tmp: Path, **files: str) -> Path:
    """The base repository with ``files`` (keyword: a short name of BASE or a path) replaced."""
    tree = dict(BASE)
    names = {"index": INDEX, "admin": ADMIN, "events": EVENTS, "otel": OTEL, "tests": TESTS,
             "service_yaml": f"{SVC}/service.yaml", "openapi": f"{SVC}/openapi.yaml"}
    for k, v in files.items():
        tree[names.get(k, k)] = v
    return write_tree(tmp, tree)


def run(tmp: Path, item_id: str, extra: dict[str, str] | None = None, **files: str) -> ItemResult:
    root = repo(tmp, **files)
    if extra:
        write_tree(root, extra)
    return item(root, "payments", item_id)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle`` in dedented, stripped ``text``."""
    import textwrap

    body = textwrap.dedent(text).lstrip("\n")
    for i, line in enumerate(body.splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)
