import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const app = new Hono();
app
  .get("/a", requireScope("svc:read"), ok)
  .post(requireScope("svc:write"), ok)
  .put("/b", ok)
  .delete(requireScope("svc:admin"), ok);
export default app;
