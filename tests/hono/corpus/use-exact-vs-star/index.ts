import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const app = new Hono();
app.use("/admin", requireScope("svc:exact"));
app.use("/admin/*", requireScope("svc:admin"));
app.get("/admin", ok);
app.get("/admin/users", ok);
app.get("/administrator", ok);
export default app;
