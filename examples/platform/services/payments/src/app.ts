import { Hono } from "hono";
import { requireScope } from "@platform/auth";
import { rateLimit } from "@platform/rate-limit";
import { idempotent } from "@platform/idempotency";
import { audit } from "@platform/audit";
import { breaker, retry } from "@platform/resilience";
import { db, sql } from "@platform/db";
import { publish } from "@platform/events";
import type { AppEnv } from "./env";
import { requestLogging } from "./middleware/logging";
import { stripe } from "./lib/stripe";
import { lookupClient } from "./lib/identity";
import { createAchDebit } from "./stubs/ach";
import { refunds } from "./routes/refunds";

export const publicPaths = ["/healthz", "/.well-known/jwks.json"];
export const app = new Hono<AppEnv>();

app.use(requestLogging);
app.use("/admin/*", requireScope("payments:admin"));

app.get("/healthz", (c) => c.json({ ok: true }));

app.get("/payments", requireScope("payments:read"), rateLimit("read"), async (c) => {
  const status = c.req.query("status") ?? null;
  const limit = Math.min(Number(c.req.query("limit") ?? 50), 100);
  const rows = await db.many(sql`
    SELECT id, order_id, amount_cents, currency, method, status, created_at
    FROM payments
    WHERE brand_id = ${c.var.brandId} AND (${status}::text IS NULL OR status = ${status})
    ORDER BY created_at DESC
    LIMIT ${limit}`);
  return c.json({ data: rows });
});

app.get("/payments/:id", requireScope("payments:read"), rateLimit("read"), async (c) => {
  const row = await db.one(sql`
    SELECT id, order_id, amount_cents, currency, method, status, created_at
    FROM payments
    WHERE id = ${c.req.param("id")} AND brand_id = ${c.var.brandId}`);
  return c.json(row);
});

app.post("/payments", requireScope("payments:write"), rateLimit("write"), idempotent(), async (c) => {
  const body = await c.req.json<{
    order_id?: string;
    customer_id: string;
    amount_cents: number;
    currency?: string;
    method: "card" | "ach";
  }>();
  const client = await lookupClient(c.var.clientId);
  const currency = body.currency ?? "USD";
  const payment = await db.one<{ id: string }>(sql`
    INSERT INTO payments (brand_id, order_id, customer_id, amount_cents, currency, method, status)
    VALUES (${c.var.brandId}, ${body.order_id ?? null}, ${body.customer_id}, ${body.amount_cents}, ${currency}, ${body.method}, 'pending')
    RETURNING id`);
  if (body.method === "ach") {
    await createAchDebit(payment.id, body.amount_cents);
  } else {
    const charge = await breaker("stripe", () =>
      retry(
        () =>
          stripe.charges.create(
            { amount: body.amount_cents, currency, customer: body.customer_id, capture: false },
            { idempotencyKey: `payment:${payment.id}` },
          ),
        { retries: 3, backoff: "exponential", jitter: true },
      ),
    );
    await db.none(sql`
      UPDATE payments SET status = 'authorised', stripe_charge_id = ${charge.id}, updated_at = now()
      WHERE id = ${payment.id} AND brand_id = ${c.var.brandId}`);
  }
  await audit(c, "payment.created", { id: payment.id, client_id: client.client_id });
  const created = await db.one(sql`
    SELECT id, order_id, amount_cents, currency, method, status, created_at
    FROM payments
    WHERE id = ${payment.id} AND brand_id = ${c.var.brandId}`);
  return c.json(created, 201);
});

app.post("/payments/:id/capture", requireScope("payments:write"), rateLimit("write"), idempotent(), async (c) => {
  const id = c.req.param("id");
  const payment = await db.one<{ stripe_charge_id: string; amount_cents: number; currency: string }>(sql`
    SELECT stripe_charge_id, amount_cents, currency
    FROM payments
    WHERE id = ${id} AND brand_id = ${c.var.brandId} AND status = 'authorised'`);
  const { amount_cents = payment.amount_cents } = await c.req.json<{ amount_cents?: number }>().catch(() => ({}));
  await breaker("stripe", () =>
    retry(
      () =>
        stripe.charges.capture(
          payment.stripe_charge_id,
          { amount: amount_cents },
          { idempotencyKey: `capture:${id}` },
        ),
      { retries: 3, backoff: "exponential", jitter: true },
    ),
  );
  await db.none(sql`
    UPDATE payments SET status = 'captured', updated_at = now()
    WHERE id = ${id} AND brand_id = ${c.var.brandId}`);
  await db.none(sql`
    INSERT INTO payments_ledger (brand_id, payment_id, entry_type, amount_cents, currency)
    VALUES (${c.var.brandId}, ${id}, 'capture', ${amount_cents}, ${payment.currency})`);
  await audit(c, "payment.captured", { id, amount_cents });
  await publish("payment.captured", { brand_id: c.var.brandId, payment_id: id, amount_cents });
  const captured = await db.one(sql`
    SELECT id, order_id, amount_cents, currency, method, status, created_at
    FROM payments
    WHERE id = ${id} AND brand_id = ${c.var.brandId}`);
  return c.json(captured);
});

app.post("/admin/payments/:id/void", rateLimit("admin"), idempotent(), async (c) => {
  const id = c.req.param("id");
  const { reason } = await c.req.json<{ reason: string }>();
  const payment = await db.one<{ stripe_charge_id: string | null }>(sql`
    SELECT stripe_charge_id
    FROM payments
    WHERE id = ${id} AND brand_id = ${c.var.brandId} AND status IN ('pending', 'authorised')`);
  if (payment.stripe_charge_id) {
    const chargeId = payment.stripe_charge_id;
    await breaker("stripe", () =>
      retry(() => stripe.refunds.create({ charge: chargeId }, { idempotencyKey: `void:${id}` }), {
        retries: 3,
        backoff: "exponential",
        jitter: true,
      }),
    );
  }
  await db.none(sql`
    UPDATE payments SET status = 'voided', updated_at = now()
    WHERE id = ${id} AND brand_id = ${c.var.brandId}`);
  await audit(c, "payment.voided", { id, reason });
  const voided = await db.one(sql`
    SELECT id, order_id, amount_cents, currency, method, status, created_at
    FROM payments
    WHERE id = ${id} AND brand_id = ${c.var.brandId}`);
  return c.json(voided);
});

// Called hourly by the scheduler (service.yaml cron). Idempotent: a retried run with the same
// Idempotency-Key replays the first result, and settling an already settled payment is a no-op.
app.post("/cron/reconcile", requireScope("payments:admin"), rateLimit("admin"), idempotent(), async (c) => {
  let reconciled = 0;
  for (const brandId of ["loop", "loop-rx"]) {
    const stale = await db.many<{ id: string; stripe_charge_id: string }>(sql`
      SELECT id, stripe_charge_id
      FROM payments
      WHERE brand_id = ${brandId} AND status = 'pending' AND stripe_charge_id IS NOT NULL
        AND created_at < now() - interval '1 hour'`);
    for (const p of stale) {
      const charge = await breaker("stripe", () =>
        retry(() => stripe.charges.retrieve(p.stripe_charge_id), {
          retries: 3,
          backoff: "exponential",
          jitter: true,
        }),
      );
      const status = charge.captured ? "captured" : charge.status === "failed" ? "failed" : "authorised";
      await db.none(sql`
        UPDATE payments SET status = ${status}, updated_at = now()
        WHERE id = ${p.id} AND brand_id = ${brandId} AND status = 'pending'`);
      reconciled += 1;
    }
  }
  await audit(c, "payments.reconciled", { reconciled });
  return c.json({ reconciled });
});

app.route("/payments", refunds);
