import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const app = new Hono();
app.use("/files/*", requireScope("files:read"));
app.get("/files/*", ok);
app.use("/wild/*/card", requireScope("cards:read"));
app.get("/wild/*/card", ok);
app.get("/wild/*", ok);
export default app;
