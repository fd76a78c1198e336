import { beforeEach, describe, expect, it } from "vitest";
import { seed, reset } from "@platform/db/testing";
import { published } from "@platform/events/testing";
import { app } from "../../src/app";

const headers = (scopes: string, key = crypto.randomUUID()) => ({
  "content-type": "application/json",
  "x-test-brand": "loop",
  "x-test-scopes": scopes,
  "Idempotency-Key": key,
});

describe("payments", () => {
  beforeEach(async () => {
    await reset();
    await seed("payments", [
      { id: "123", brand_id: "loop", customer_id: "cus_1", amount_cents: 4900, currency: "USD", method: "card", status: "authorised", stripe_charge_id: "ch_1" },
      { id: "456", brand_id: "loop-rx", customer_id: "cus_2", amount_cents: 1200, currency: "USD", method: "card", status: "captured", stripe_charge_id: "ch_2" },
    ]);
  });

  it("answers the health check without a token", async () => {
    const res = await app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("lists only the caller's brand", async () => {
    const res = await app.request("/payments", { headers: headers("payments:read") });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.data.map((p: { id: string }) => p.id)).toEqual(["123"]);
  });

  it("gets a payment of the caller's brand", async () => {
    const res = await app.request("/payments/123", { headers: headers("payments:read") });
    expect(res.status).toBe(200);
  });

  it("does not leak another brand's payment", async () => {
    const res = await app.request("/payments/456", { headers: headers("payments:read") });
    expect(res.status).toBe(404);
  });

  it("creates a card payment once per idempotency key", async () => {
    const body = JSON.stringify({ customer_id: "cus_1", amount_cents: 4900, method: "card" });
    const first = await app.request("/payments", { method: "POST", headers: headers("payments:write", "key-create-1"), body });
    const again = await app.request("/payments", { method: "POST", headers: headers("payments:write", "key-create-1"), body });
    expect(first.status).toBe(201);
    expect(await again.json()).toEqual(await first.json());
  });

  it("rejects a create without payments:write", async () => {
    const res = await app.request("/payments", { method: "POST", headers: headers("payments:read"), body: "{}" });
    expect(res.status).toBe(403);
  });

  it("captures an authorised payment and publishes payment.captured", async () => {
    const res = await app.request("/payments/123/capture", { method: "POST", headers: headers("payments:write"), body: "{}" });
    expect(res.status).toBe(200);
    expect(published("payment.captured")).toHaveLength(1);
  });
});
