import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
import { users, teams } from "./routes/index";
const app = new Hono();
app.route("/users", users).route("/teams", teams);
export default app;
