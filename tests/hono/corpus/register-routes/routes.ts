import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");
export function registerRoutes(app: Hono) {
  app.get("/things", requireScope("things:read"), ok);
  app.post("/things", requireScope("things:write"), ok);
}
