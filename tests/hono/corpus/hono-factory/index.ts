import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");
import { factory } from "./factory";
const app = factory.createApp();
app.use("/admin/*", requireScope("svc:admin"));
app.get("/admin/users", ok);
app.get("/public", ok);
export default app;
