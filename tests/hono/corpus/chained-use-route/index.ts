import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const users = new Hono().get("/", ok);
export default new Hono()
  .use("/users/*", requireScope("users:read"))
  .route("/users", users)
  .get("/open", ok);
