import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const a = new Hono().get("/x", requireScope("a:read"), ok);
const b = new Hono().post("/y", requireScope("b:write"), ok);
const app = new Hono();
const mounts: [string, Hono][] = [["/a", a], ["/b", b]];
mounts.forEach(([prefix, router]) => {
  app.route(prefix, router);
});
export default app;
