import { beforeEach, describe, expect, it } from "vitest";
import { reset, seed } from "@platform/db/testing";
import { app } from "../../src/app";

const headers = (scopes: string) => ({
  "content-type": "application/json",
  "x-test-brand": "loop",
  "x-test-scopes": scopes,
  "Idempotency-Key": crypto.randomUUID(),
});

describe("labs", () => {
  beforeEach(async () => {
    await reset();
    await seed("feature_flags", [{ key: "new-checkout", description: "New checkout", enabled: true, rollout_percent: 10 }]);
    await seed("experiments", [{ id: "checkout-copy", brand_id: "loop", flag_key: "new-checkout", variants: ["a", "b"] }]);
  });

  it("answers the health check", async () => {
    expect((await app.request("/healthz")).status).toBe(200);
  });

  it("lists flags", async () => {
    const res = await app.request("/labs/flags", { headers: headers("labs:read") });
    expect((await res.json()).data).toHaveLength(1);
  });

  it("gets an experiment", async () => {
    const res = await app.request("/labs/experiments/checkout-copy", { headers: headers("labs:read") });
    expect(res.status).toBe(200);
  });

  it("assigns a subject to the same variant every time", async () => {
    const body = JSON.stringify({ subject_id: "cus_1" });
    const first = await app.request("/labs/experiments/checkout-copy/assignments", { method: "POST", headers: headers("labs:write"), body });
    const second = await app.request("/labs/experiments/checkout-copy/assignments", { method: "POST", headers: headers("labs:write"), body });
    expect((await first.json()).variant).toBe((await second.json()).variant);
  });
});
