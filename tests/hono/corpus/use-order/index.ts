import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const app = new Hono();
app.get("/before", ok);
app.use("*", requireScope("svc:read"));
app.get("/after", ok);
export default app;
