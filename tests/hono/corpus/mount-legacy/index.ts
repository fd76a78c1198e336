import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const legacy = (req: Request) => new Response("legacy");
const app = new Hono();
app.use("/legacy/*", requireScope("svc:legacy"));
app.mount("/legacy", legacy);
app.mount("/open", legacy);
export default app;
