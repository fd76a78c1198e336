import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const BASE = "/v1";
const RES = `${BASE}/items`;
const app = new Hono();
app.get(`${BASE}/health`, ok);
app.get(RES, requireScope("svc:read"), ok);
app.get(RES + "/:id", requireScope("svc:read"), ok);
export default app;
