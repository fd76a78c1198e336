import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const app = new Hono();
app.on(["PUT", "DELETE"], "/items/:id", requireScope("items:write"), ok);
app.on("GET", ["/items", "/items/:id"], requireScope("items:read"), ok);
export default app;
