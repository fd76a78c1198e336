import { beforeEach, describe, expect, it } from "vitest";
import { seed, reset } from "@platform/db/testing";
import { published } from "@platform/events/testing";
import { app } from "../../src/app";

const headers = (scopes: string) => ({
  "content-type": "application/json",
  "x-test-brand": "loop",
  "x-test-scopes": scopes,
  "Idempotency-Key": crypto.randomUUID(),
});

describe("refunds", () => {
  beforeEach(async () => {
    await reset();
    await seed("payments", [
      { id: "123", brand_id: "loop", customer_id: "cus_1", amount_cents: 4900, currency: "USD", method: "card", status: "captured", stripe_charge_id: "ch_1" },
    ]);
  });

  it("refunds part of a captured payment", async () => {
    const res = await app.request("/payments/123/refunds", {
      method: "POST",
      headers: headers("payments:write"),
      body: JSON.stringify({ amount_cents: 1500, reason: "requested_by_customer" }),
    });
    expect(res.status).toBe(201);
    expect(published("payment.refunded")).toHaveLength(1);
  });

  it("lists the refunds of a payment", async () => {
    const res = await app.request("/payments/123/refunds", { headers: headers("payments:read") });
    expect(res.status).toBe(200);
  });
});
