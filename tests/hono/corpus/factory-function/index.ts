import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
import { createUsersRouter } from "./users";
const app = new Hono();
app.route("/users", createUsersRouter());
app.route("/people", createUsersRouter());
export default app;
