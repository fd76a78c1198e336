import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const guard = new Hono();
guard.use("*", requireScope("api:read"));
const api = new Hono();
api.get("/items", ok);
api.post("/items", rateLimit("write"), ok);
const app = new Hono();
app.route("/api", guard);
app.route("/api", api);
export default app;
