import { beforeEach, describe, expect, it } from "vitest";
import { seed, reset } from "@platform/db/testing";
import { app } from "../../src/app";

const headers = (scopes: string) => ({
  "content-type": "application/json",
  "x-test-brand": "loop",
  "x-test-scopes": scopes,
  "Idempotency-Key": crypto.randomUUID(),
});

describe("operations", () => {
  beforeEach(async () => {
    await reset();
    await seed("payments", [
      { id: "123", brand_id: "loop", customer_id: "cus_1", amount_cents: 4900, currency: "USD", method: "card", status: "authorised", stripe_charge_id: "ch_1" },
    ]);
  });

  it("voids an authorised payment with payments:admin", async () => {
    const res = await app.request("/admin/payments/123/void", {
      method: "POST",
      headers: headers("payments:admin"),
      body: JSON.stringify({ reason: "Duplicate order placed by support" }),
    });
    expect(res.status).toBe(200);
  });

  it("refuses the admin routes without payments:admin", async () => {
    const res = await app.request("/admin/payments/123/void", { method: "POST", headers: headers("payments:write"), body: "{}" });
    expect(res.status).toBe(403);
  });

  it("reconciles, and a retried run is a no-op", async () => {
    const cron = { ...headers("payments:admin"), "Idempotency-Key": "cron-2026-11-20T10" };
    const first = await app.request("/cron/reconcile", { method: "POST", headers: cron });
    const retried = await app.request("/cron/reconcile", { method: "POST", headers: cron });
    expect(first.status).toBe(200);
    expect(await retried.json()).toEqual(await first.json());
  });
});
