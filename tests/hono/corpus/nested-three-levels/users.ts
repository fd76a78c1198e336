import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");
export const users = new Hono();
users.use("/:id/*", requireScope("users:self"));
users.get("/:id/profile", ok);
users.get("/", ok);
