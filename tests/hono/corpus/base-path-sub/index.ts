import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const sub = new Hono().basePath("/inner");
sub.get("/x", requireScope("svc:read"), ok);
const app = new Hono();
app.route("/outer", sub);
export default app;
