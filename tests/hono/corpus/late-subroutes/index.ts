import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const sub = new Hono();
sub.get("/early", requireScope("svc:read"), ok);
const app = new Hono();
app.route("/sub", sub);
sub.get("/late", ok);
export default app;
