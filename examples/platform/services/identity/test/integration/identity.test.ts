import { beforeEach, describe, expect, it } from "vitest";
import { reset, seed } from "@platform/db/testing";
import { published } from "@platform/events/testing";
import { signTestToken } from "@platform/auth/testing";
import { app } from "../../src/app";

const headers = (scopes: string, extra: Record<string, string> = {}) => ({
  "content-type": "application/json",
  "x-test-brand": "loop",
  "x-test-scopes": scopes,
  "Idempotency-Key": crypto.randomUUID(),
  ...extra,
});

describe("identity", () => {
  beforeEach(async () => {
    await reset();
    await seed("clients", [{ client_id: "partner-acme", brand_id: "loop", secret_hash: "x", scopes: ["payments:read"], partner: true }]);
    await seed("users", [{ id: "123", brand_id: "loop", email: "sam@example.com", date_of_birth: "1988-04-12" }]);
    await app.request("/cron/rotate-keys", { method: "POST", headers: headers("identity:admin") });
  });

  it("serves health and JWKS without a token", async () => {
    expect((await app.request("/healthz")).status).toBe(200);
    const jwks = await app.request("/.well-known/jwks.json");
    expect((await jwks.json()).keys).toHaveLength(1);
  });

  it("returns a client of the caller's brand", async () => {
    const res = await app.request("/v1/clients/partner-acme", { headers: headers("identity:read") });
    expect(await res.json()).toMatchObject({ client_id: "partner-acme", partner: true });
  });

  it("introspects a token it signed", async () => {
    const token = await signTestToken({ client_id: "partner-acme", brand_id: "loop", scope: "payments:read" });
    const res = await app.request("/v1/introspect", {
      method: "POST",
      headers: headers("identity:introspect"),
      body: JSON.stringify({ token }),
    });
    expect(await res.json()).toMatchObject({ active: true, client_id: "partner-acme" });
  });

  it("returns a profile only to a client with a BAA", async () => {
    const denied = await app.request("/v1/users/123/profile", { headers: headers("identity:profile") });
    expect(denied.status).toBe(403);
    const allowed = await app.request("/v1/users/123/profile", { headers: headers("identity:profile", { "x-test-baa": "signed" }) });
    expect(allowed.status).toBe(200);
  });

  it("rotates keys idempotently and announces the rotation", async () => {
    const res = await app.request("/cron/rotate-keys", { method: "POST", headers: headers("identity:admin") });
    expect(res.status).toBe(200);
    expect(published("identity.key-rotated").length).toBeGreaterThan(0);
  });
});
