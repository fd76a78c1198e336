import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const ENABLE_DEBUG = false;
const app = new Hono();
if (ENABLE_DEBUG) {
  app.get("/debug", ok);
}
app.get("/live", requireScope("svc:read"), ok);
export default app;
