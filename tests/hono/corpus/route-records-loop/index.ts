import { Hono } from "hono";
import { requireScope } from "@platform/auth";

const ok = (c: any) => c.text("ok");
const links = new Hono().get("/", requireScope("links:read"), ok).post("/", requireScope("links:write"), ok);
const reads = new Hono().get("/:id", ok);
const root = new Hono().get("/", ok);

const app = new Hono();
const routes = [
  { router: root, path: "/" },
  { router: reads, path: "/read" },
  { router: links, path: "/links" },
] as const;
for (const route of routes) {
  app.route(route.path, route.router);
}
export default app;
