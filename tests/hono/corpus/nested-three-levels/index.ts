import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
import { v1 } from "./v1";
const app = new Hono();
app.route("/v1", v1);
export default app;
