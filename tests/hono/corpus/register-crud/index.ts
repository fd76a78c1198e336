import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

function registerCrud(app: Hono, base: string, scope: string) {
  app.get(base, requireScope(scope + ":read"), ok);
  app.post(base, requireScope(`${scope}:write`), ok);
  app.delete(`${base}/:id`, requireScope(scope + ":write"), ok);
}
const app = new Hono();
registerCrud(app, "/cats", "cats");
registerCrud(app, "/dogs", "dogs");
export default app;
