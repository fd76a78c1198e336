import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const app = new Hono();
app.get("/items", requireScope("svc:read"), ok);
app.post("/items", requireScope("svc:write"), ok);
app.put("/items/:id", requireScope("svc:write"), ok);
app.patch("/items/:id", requireScope("svc:write"), ok);
app.delete("/items/:id", requireScope("svc:write"), ok);
app.options("/items", ok);
export default app;
