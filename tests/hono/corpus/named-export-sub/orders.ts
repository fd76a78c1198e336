import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");
export const orders = new Hono()
  .get("/", requireScope("orders:read"), ok)
  .post("/", requireScope("orders:write"), ok);
