import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const a = new Hono().get("/x", requireScope("a:read"), ok);
const b = new Hono().get("/y", ok);
const app = new Hono();
for (const [prefix, router] of [["/a", a], ["/b", b]] as const) app.route(prefix, router);
export default app;
