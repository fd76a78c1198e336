import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const sub = new Hono();
sub.get("/", requireScope("svc:read"), ok);
sub.get("/y", ok);
const app = new Hono();
app.route("/", sub);
app.route("/p", sub);
export default app;
