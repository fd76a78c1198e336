import { beforeEach, describe, expect, it } from "vitest";
import { reset, seed } from "@platform/db/testing";
import { published } from "@platform/events/testing";
import { app } from "../../src/app";

const headers = (scopes: string) => ({
  "content-type": "application/json",
  "x-test-brand": "loop",
  "x-test-scopes": scopes,
  "Idempotency-Key": crypto.randomUUID(),
});

describe("orders", () => {
  beforeEach(async () => {
    await reset();
    await seed("orders", [
      { id: "123", brand_id: "loop", customer_id: "cus_1", status: "paid", total_cents: 4900, payment_id: "p-1", contact_phone: "+15555550123" },
    ]);
  });

  it("answers the health check", async () => {
    expect((await app.request("/healthz")).status).toBe(200);
  });

  it("lists orders", async () => {
    const res = await app.request("/orders", { headers: headers("orders:read") });
    expect(res.status).toBe(200);
  });

  it("gets an order", async () => {
    const res = await app.request("/orders/123", { headers: headers("orders:read") });
    expect(res.status).toBe(200);
  });

  it("places an order and publishes order.placed", async () => {
    const res = await app.request("/orders", {
      method: "POST",
      headers: headers("orders:write"),
      body: JSON.stringify({ customer_id: "cus_1", items: [{ sku: "LR-GLP1-STARTER", quantity: 1 }] }),
    });
    expect(res.status).toBe(201);
    expect(published("order.placed")).toHaveLength(1);
  });

  it("cancels an order", async () => {
    const res = await app.request("/orders/123/cancel", { method: "POST", headers: headers("orders:write"), body: "{}" });
    expect(res.status).toBe(200);
  });

  it("ships an order", async () => {
    const res = await app.request("/orders/123/ship", {
      method: "POST",
      headers: headers("orders:write"),
      body: JSON.stringify({ carrier: "usps" }),
    });
    expect(res.status).toBe(200);
  });

  it("returns the receipt link", async () => {
    const res = await app.request("/orders/123/receipt", { headers: headers("orders:read") });
    expect(res.status).toBe(200);
  });

  it("returns the tracking link", async () => {
    const res = await app.request("/orders/123/tracking", { headers: headers("orders:read") });
    expect(res.status).toBe(200);
  });

  it("expires unpaid orders", async () => {
    const res = await app.request("/cron/expire-unpaid", { method: "POST", headers: headers("orders:admin") });
    expect(res.status).toBe(200);
  });
});
