import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
import { registerRoutes } from "./routes";
const app = new Hono();
registerRoutes(app);
export default app;
