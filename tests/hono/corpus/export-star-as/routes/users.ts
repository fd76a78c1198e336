import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");
export const router = new Hono();
router.get("/", requireScope("users:read"), ok);
