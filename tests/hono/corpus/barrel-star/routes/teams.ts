import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");
export const teams = new Hono();
teams.get("/", ok);
