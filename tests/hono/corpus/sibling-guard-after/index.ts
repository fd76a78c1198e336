import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const guard = new Hono();
guard.use("*", requireScope("api:read"));
const api = new Hono();
api.get("/items", ok);
const app = new Hono();
app.route("/api", api);
app.route("/api", guard);
export default app;
