import { Hono } from "hono";
import { requireScope } from "@platform/auth";
const ok = (c: any) => c.text("ok");
const app = new Hono();
app.use("/v2*", requireScope("svc:v2"));
app.get("/v2beta", ok);
app.get("/v2/:id", ok);
app.get("/v", ok);
export default app;
