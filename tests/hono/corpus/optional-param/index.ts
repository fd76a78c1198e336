import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const app = new Hono();
app.use("/posts/*", requireScope("posts:read"));
app.get("/posts/:id?", ok);
app.get("/tags/:tag?", requireScope("tags:read"), ok);
export default app;
