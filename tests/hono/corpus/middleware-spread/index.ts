import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const guards = [requireScope("svc:write"), rateLimit("write")];
const app = new Hono();
app.post("/a", ...guards, ok);
app.get("/b", ...[requireScope("svc:read")], ok);
export default app;
