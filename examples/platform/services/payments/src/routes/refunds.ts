import { Hono } from "hono";
import { requireScope } from "@platform/auth";
import { rateLimit } from "@platform/rate-limit";
import { idempotent } from "@platform/idempotency";
import { audit } from "@platform/audit";
import { breaker, retry } from "@platform/resilience";
import { db, sql } from "@platform/db";
import { publish } from "@platform/events";
import type { AppEnv } from "../env";
import { stripe } from "../lib/stripe";

/** Mounted under /payments: GET and POST /payments/:id/refunds. */
export const refunds = new Hono<AppEnv>();

refunds.get("/:id/refunds", requireScope("payments:read"), rateLimit("read"), async (c) => {
  const rows = await db.many(sql`
    SELECT id, payment_id, amount_cents, reason, created_at
    FROM refunds
    WHERE payment_id = ${c.req.param("id")} AND brand_id = ${c.var.brandId}
    ORDER BY created_at`);
  return c.json({ data: rows });
});

refunds.post("/:id/refunds", requireScope("payments:write"), rateLimit("write"), idempotent(), async (c) => {
  const paymentId = c.req.param("id");
  const { amount_cents, reason } = await c.req.json<{ amount_cents: number; reason: string }>();
  const payment = await db.one<{ stripe_charge_id: string; currency: string }>(sql`
    SELECT stripe_charge_id, currency
    FROM payments
    WHERE id = ${paymentId} AND brand_id = ${c.var.brandId} AND status = 'captured'`);
  const refund = await breaker("stripe", () =>
    retry(
      () =>
        stripe.refunds.create(
          { charge: payment.stripe_charge_id, amount: amount_cents },
          { idempotencyKey: `refund:${paymentId}:${c.req.header("Idempotency-Key")}` },
        ),
      { retries: 3, backoff: "exponential", jitter: true },
    ),
  );
  const row = await db.one(sql`
    INSERT INTO refunds (brand_id, payment_id, amount_cents, reason, stripe_refund_id)
    VALUES (${c.var.brandId}, ${paymentId}, ${amount_cents}, ${reason}, ${refund.id})
    RETURNING id, payment_id, amount_cents, reason, created_at`);
  await db.none(sql`
    INSERT INTO payments_ledger (brand_id, payment_id, entry_type, amount_cents, currency)
    VALUES (${c.var.brandId}, ${paymentId}, 'refund', ${-amount_cents}, ${payment.currency})`);
  await audit(c, "payment.refunded", { id: paymentId, refund_id: refund.id, amount_cents });
  await publish("payment.refunded", { brand_id: c.var.brandId, payment_id: paymentId, amount_cents });
  return c.json(row, 201);
});
