import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");
export const groups = new Hono();
groups.delete("/:id", requireScope("groups:write"), ok);
