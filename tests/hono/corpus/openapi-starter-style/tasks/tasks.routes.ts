import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "@platform/auth";

const tags = ["Tasks"];

export const list = createRoute({
  path: "/tasks",
  method: "get",
  tags,
  responses: { 200: { description: "the tasks" } },
});

export const create = createRoute({
  path: "/tasks",
  method: "post",
  middleware: requireScope("tasks:write"),
  tags,
  responses: { 200: { description: "the task" } },
});

export const getOne = createRoute({
  path: "/tasks/{id}",
  method: "get",
  request: { params: z.object({ id: z.string() }) },
  tags,
  responses: { 200: { description: "a task" } },
});

export type ListRoute = typeof list;
