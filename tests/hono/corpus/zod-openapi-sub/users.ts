import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
export const users = new OpenAPIHono();
users.use("*", requireScope("users:read"));
users.openapi(createRoute({ method: "delete", path: "/{id}", responses: { 204: { description: "gone" } } }), (c) => c.body(null, 204));
