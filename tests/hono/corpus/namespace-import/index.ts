import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
import * as routes from "./routes";
const app = new Hono();
app.route("/users", routes.users);
app.route("/groups", routes.groups);
export default app;
