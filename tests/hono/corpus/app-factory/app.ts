import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");
export function createApp() {
  const app = new Hono();
  app.use("/private/*", requireScope("svc:private"));
  app.get("/private/data", ok);
  app.get("/public", ok);
  return app;
}
