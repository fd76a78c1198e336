import { OpenAPIHono } from "@hono/zod-openapi";
import { requireScope } from "@platform/auth";

export function createRouter() {
  return new OpenAPIHono({ strict: false });
}

export default function createApp() {
  const app = createRouter();
  app.use("/tasks/*", requireScope("tasks:read"));
  app.notFound((c) => c.json({ message: "not found" }, 404));
  app.onError((err, c) => c.json({ message: err.message }, 500));
  return app;
}
