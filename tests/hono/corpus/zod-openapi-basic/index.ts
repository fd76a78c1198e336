import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";

import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
const getUser = createRoute({
  method: "get",
  path: "/users/{id}",
  middleware: [requireScope("users:read")] as const,
  request: { params: z.object({ id: z.string() }) },
  responses: { 200: { description: "a user" } },
});
const listUsers = createRoute({ method: "get", path: "/users", responses: { 200: { description: "users" } } });
const app = new OpenAPIHono();
app.openapi(getUser, (c) => c.json({ id: c.req.param("id") }));
app.openapi(listUsers, (c) => c.json([]));
export default app;
