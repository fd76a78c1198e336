import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
import { orders } from "./orders.js";
export const app = new Hono();
app.route("/orders", orders);
export default app;
