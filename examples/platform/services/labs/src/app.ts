import { Hono } from "hono";
import { requireScope } from "@platform/auth";
import { rateLimit } from "@platform/rate-limit";
import { idempotent } from "@platform/idempotency";
import { audit } from "@platform/audit";
import { db, sql } from "@platform/db";
import type { AppEnv } from "./env";
import { requestLogging } from "./middleware/logging";

export const publicPaths = ["/healthz"];
export const app = new Hono<AppEnv>();

app.use(requestLogging);

app.get("/healthz", (c) => c.json({ ok: true }));

app.get("/labs/flags", requireScope("labs:read"), rateLimit("read"), async (c) => {
  const flags = await db.many(sql`SELECT key, enabled, rollout_percent FROM feature_flags ORDER BY key`);
  return c.json({ data: flags });
});

app.get("/labs/experiments/:id", requireScope("labs:read"), rateLimit("read"), async (c) => {
  const experiment = await db.one(sql`
    SELECT id, flag_key, variants, active
    FROM experiments
    WHERE id = ${c.req.param("id")} AND brand_id = ${c.var.brandId}`);
  return c.json(experiment);
});

app.post("/labs/experiments/:id/assignments", requireScope("labs:write"), rateLimit("write"), idempotent(), async (c) => {
  const experimentId = c.req.param("id");
  const { subject_id } = await c.req.json<{ subject_id: string }>();
  const experiment = await db.one<{ variants: string[] }>(sql`
    SELECT variants FROM experiments
    WHERE id = ${experimentId} AND brand_id = ${c.var.brandId} AND active`);
  const bucket = [...subject_id].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7);
  const variant = experiment.variants[bucket % experiment.variants.length];
  await db.none(sql`
    INSERT INTO experiment_assignments (brand_id, experiment_id, subject_id, variant)
    VALUES (${c.var.brandId}, ${experimentId}, ${subject_id}, ${variant})
    ON CONFLICT (brand_id, experiment_id, subject_id) DO NOTHING`);
  const row = await db.one(sql`
    SELECT experiment_id, subject_id, variant
    FROM experiment_assignments
    WHERE brand_id = ${c.var.brandId} AND experiment_id = ${experimentId} AND subject_id = ${subject_id}`);
  await audit(c, "experiment.assigned", { experiment_id: experimentId, variant });
  return c.json(row, 201);
});
