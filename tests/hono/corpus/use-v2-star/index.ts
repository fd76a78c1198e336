import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const app = new Hono();
app.use("/v2*", requireScope("svc:v2"));
app.get("/v2/things", ok);
app.get("/v2", ok);
app.get("/v1/things", ok);
export default app;
