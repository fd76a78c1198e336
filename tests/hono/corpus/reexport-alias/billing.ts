import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");
const router = new Hono();
router.get("/plans", requireScope("billing:read"), ok);
export { router };
