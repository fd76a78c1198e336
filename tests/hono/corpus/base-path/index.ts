import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const app = new Hono().basePath("/api");
app.use("/admin/*", requireScope("svc:admin"));
app.get("/admin/stats", ok);
app.get("/health", ok);
app.get("/", requireScope("svc:read"), ok);
export default app;
