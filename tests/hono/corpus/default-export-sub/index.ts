import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
import billing from "./billing";
const app = new Hono();
app.route("/billing", billing);
export default app;
