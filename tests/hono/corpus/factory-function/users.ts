import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");
export function createUsersRouter() {
  const r = new Hono();
  r.get("/", requireScope("users:read"), ok);
  r.post("/", requireScope("users:write"), ok);
  return r;
}
