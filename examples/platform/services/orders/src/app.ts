import { Hono } from "hono";
import { requireScope } from "@platform/auth";
import { rateLimit } from "@platform/rate-limit";
import { idempotent } from "@platform/idempotency";
import { audit } from "@platform/audit";
import { db, sql } from "@platform/db";
import { publish } from "@platform/events";
import { logger } from "@platform/logger";
import type { AppEnv } from "./env";
import { requestLogging } from "./middleware/logging";
import { payments } from "./clients/payments";
import { receiptUrl } from "./clients/documents";
import { reserve, type Line } from "./clients/inventory";
import { createLabel } from "./shipping";
import { sendShippedSms } from "./notify";

export const publicPaths = ["/healthz"];
export const app = new Hono<AppEnv>();

app.use(requestLogging);

app.get("/healthz", (c) => c.json({ ok: true }));

app.get("/orders", requireScope("orders:read"), async (c) => {
  const rows = await db.many(sql`
    SELECT id, status, total_cents, currency
    FROM orders
    WHERE brand_id = ${c.var.brandId}
    ORDER BY created_at DESC
    LIMIT 50`);
  return c.json({ data: rows });
});

app.get("/orders/:id", requireScope("orders:read"), rateLimit("read"), async (c) => {
  const row = await db.one(sql`SELECT id, status, total_cents, currency, tracking_number FROM orders WHERE id = ${c.req.param("id")}`);
  return c.json(row);
});

app.post("/orders", requireScope("orders:write"), rateLimit("write"), idempotent(), async (c) => {
  const body = await c.req.json<{
    customer_id: string;
    items: Line[];
    contact_phone?: string;
    patient?: { dateOfBirth: string };
  }>();
  const total = body.items.reduce((sum, line) => sum + line.quantity * 4900, 0);
  const order = await db.one<{ id: string }>(sql`
    INSERT INTO orders (brand_id, customer_id, total_cents, contact_phone)
    VALUES (${c.var.brandId}, ${body.customer_id}, ${total}, ${body.contact_phone ?? null})
    RETURNING id`);
  await reserve(order.id, c.var.brandId, body.items);
  if (body.patient) {
    logger.info({ order_id: order.id, age_check: body.patient.dateOfBirth }, "age-restricted order placed");
  }
  await audit(c, "order.placed", { id: order.id });
  await publish("order.placed", { brand_id: c.var.brandId, order_id: order.id, customer_id: body.customer_id, total_cents: total, currency: "USD" });
  return c.json({ id: order.id, status: "placed", total_cents: total, currency: "USD" }, 201);
});

app.post("/orders/:id/cancel", requireScope("orders:write"), rateLimit("write"), async (c) => {
  const id = c.req.param("id");
  const row = await db.one(sql`
    UPDATE orders SET status = 'cancelled'
    WHERE id = ${id} AND brand_id = ${c.var.brandId} AND status IN ('placed', 'paid')
    RETURNING id, status, total_cents, currency`);
  await publish("order.cancelled", { brand_id: c.var.brandId, order_id: id });
  return c.json(row);
});

app.post("/orders/:id/ship", requireScope("orders:write"), rateLimit("write"), idempotent(), async (c) => {
  const id = c.req.param("id");
  const { carrier } = await c.req.json<{ carrier: string }>();
  // TODO: split partial shipments once the warehouse API supports it
  const label = await createLabel(id, carrier);
  const row = await db.one<{ contact_phone: string | null }>(sql`
    UPDATE orders SET status = 'shipped', tracking_number = ${label.tracking_number}
    WHERE id = ${id} AND brand_id = ${c.var.brandId}
    RETURNING id, status, total_cents, currency, tracking_number, contact_phone`);
  if (row.contact_phone) {
    await sendShippedSms(row.contact_phone, label.tracking_number);
  }
  await audit(c, "order.shipped", { id, carrier });
  return c.json(row);
});

app.get("/orders/:id/receipt", rateLimit("read"), async (c) => {
  const order = await db.one<{ id: string; payment_id: string }>(sql`
    SELECT id, payment_id FROM orders WHERE id = ${c.req.param("id")} AND brand_id = ${c.var.brandId} AND status <> 'placed'`);
  const payment = await payments.getPayment(order.payment_id);
  if (payment.status !== "captured") {
    return c.json({ error: "order is not paid yet" }, 409);
  }
  return c.json({ url: await receiptUrl(order.id, c.var.brandId) });
});

app.get("/orders/:id/tracking", requireScope("orders:read"), rateLimit("read"), async (c) => {
  const row = await db.one<{ tracking_number: string | null }>(sql`
    SELECT tracking_number FROM orders WHERE id = ${c.req.param("id")} AND brand_id = ${c.var.brandId}`);
  return c.json({ tracking_number: row.tracking_number, url: row.tracking_number ? `https://loop.health/track/${row.tracking_number}` : null });
});

app.get("/orders/:id/history", requireScope("orders:read"), rateLimit("read"), async (c) => {
  const rows = await db.many(sql`
    SELECT entry_type, amount_cents, recorded_at
    FROM orders_ledger
    WHERE order_id = ${c.req.param("id")} AND brand_id = ${c.var.brandId}
    ORDER BY recorded_at`);
  return c.json({ data: rows });
});

app.post("/cron/expire-unpaid", requireScope("orders:admin"), rateLimit("admin"), async (c) => {
  let expired = 0;
  for (const brandId of ["loop", "loop-rx"]) {
    const rows = await db.many(sql`
      UPDATE orders SET status = 'expired'
      WHERE brand_id = ${brandId} AND status = 'placed' AND created_at < now() - interval '24 hours'
      RETURNING id`);
    for (const row of rows as { id: string }[]) {
      await publish("order.cancelled", { brand_id: brandId, order_id: row.id, reason: "expired" });
    }
    expired += rows.length;
  }
  await audit(c, "orders.expired", { expired });
  return c.json({ expired });
});
