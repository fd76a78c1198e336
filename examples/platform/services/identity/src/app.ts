import { Hono } from "hono";
import { jwtVerify, createLocalJWKSet } from "jose";
import { requireScope, requireBaa } from "@platform/auth";
import { rateLimit } from "@platform/rate-limit";
import { idempotent } from "@platform/idempotency";
import { audit } from "@platform/audit";
import { db, sql } from "@platform/db";
import { publish } from "@platform/events";
import type { AppEnv } from "./env";
import { requestLogging } from "./middleware/logging";
import { publicJwks, rotate } from "./lib/keys";

export const publicPaths = ["/healthz", "/.well-known/jwks.json"];
export const app = new Hono<AppEnv>();

app.use(requestLogging);

app.get("/healthz", (c) => c.json({ ok: true }));

app.get("/.well-known/jwks.json", async (c) => {
  c.header("cache-control", "public, max-age=600");
  return c.json(await publicJwks());
});

app.get("/v1/clients/:id", requireScope("identity:read"), rateLimit("read"), async (c) => {
  const client = await db.one(sql`
    SELECT client_id, brand_id, scopes, partner
    FROM clients
    WHERE client_id = ${c.req.param("id")} AND brand_id = ${c.var.brandId}`);
  return c.json(client);
});

app.post("/v1/introspect", requireScope("identity:introspect"), rateLimit("introspect"), idempotent(), async (c) => {
  const { token } = await c.req.json<{ token: string }>();
  const jwks = createLocalJWKSet(await publicJwks());
  const result = await jwtVerify(token, jwks, { issuer: "https://identity.platform.loop.health" }).catch(() => null);
  if (!result) {
    await audit(c, "token.introspected", { active: false });
    return c.json({ active: false });
  }
  const { client_id, brand_id, scope, exp } = result.payload as {
    client_id: string;
    brand_id: string;
    scope: string;
    exp: number;
  };
  await db.none(sql`
    UPDATE clients SET last_used_at = now()
    WHERE client_id = ${client_id} AND brand_id = ${brand_id}`);
  await audit(c, "token.introspected", { active: true, client_id });
  return c.json({ active: true, client_id, brand_id, scope, exp });
});

app.get("/v1/users/:id/profile", requireScope("identity:profile"), requireBaa(), rateLimit("read"), async (c) => {
  const profile = await db.one(sql`
    SELECT id, email, first_name, last_name, date_of_birth
    FROM users
    WHERE id = ${c.req.param("id")} AND brand_id = ${c.var.brandId}`);
  return c.json(profile);
});

// Daily (service.yaml cron). Safe to retry: rotate() is a no-op for a kid that exists, and
// idempotent() replays the first answer for the same Idempotency-Key.
app.post("/cron/rotate-keys", requireScope("identity:admin"), rateLimit("admin"), idempotent(), async (c) => {
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
  const active = await rotate(tomorrow);
  await audit(c, "signing-keys.rotated", { kid: tomorrow });
  await publish("identity.key-rotated", { kid: tomorrow });
  return c.json({ active: active.map((k) => k.kid) });
});
