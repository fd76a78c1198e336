import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const app = new Hono();
app.all("/any", requireScope("svc:read"), ok);
app.on("PURGE", "/cache", requireScope("svc:admin"), ok);
app.on(["GET", "POST"], ["/a", "/b"], requireScope("svc:read"), ok);
export default app;
