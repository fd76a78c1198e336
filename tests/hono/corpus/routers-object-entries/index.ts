import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const a = new Hono();
a.get("/", requireScope("a:read"), ok);
const b = new Hono();
b.get("/", ok);
const routers = { "/a": a, "/b": b };
const app = new Hono();
for (const [prefix, router] of Object.entries(routers)) {
  app.route(prefix, router);
}
export default app;
