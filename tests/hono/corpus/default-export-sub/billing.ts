import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");
const billing = new Hono();
billing.get("/invoices", requireScope("billing:read"), ok);
export default billing;
