import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const app = new Hono();
app.get("/doc", requireScope("doc:read"), ok);
app.put("/doc", requireScope("doc:write"), ok);
app.delete("/doc", ok);
export default app;
