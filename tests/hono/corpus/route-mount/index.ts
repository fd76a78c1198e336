import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
import { users } from "./users";
const app = new Hono();
app.route("/users", users);
export default app;
