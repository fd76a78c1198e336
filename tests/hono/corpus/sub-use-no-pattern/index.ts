import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const sub = new Hono();
sub.use(requireScope("sub:read"));
sub.get("/x", ok);
const app = new Hono();
app.get("/top", ok);
app.route("/sub", sub);
export default app;
