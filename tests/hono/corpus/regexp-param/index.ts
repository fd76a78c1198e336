import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const app = new Hono();
app.use("/posts/:id{[0-9]+}/*", requireScope("posts:read"));
app.get("/posts/:id{[0-9]+}/comments", ok);
app.get("/posts/:slug/meta", ok);
app.get("/files/:name{.+\\.png}", requireScope("files:read"), ok);
export default app;
