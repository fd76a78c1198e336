import { Hono } from "hono";
import { requireScope } from "@platform/auth";
const ok = (c: any) => c.text("ok");
const app = new Hono();
app.use("/api/*/admin", requireScope("svc:admin"));
app.get("/api/v1/admin", ok);
app.get("/api/v1/x/admin", ok);
app.get("/api/:ver/admin", ok);
export default app;
