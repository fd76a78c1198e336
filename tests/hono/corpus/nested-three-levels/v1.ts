import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
import { users } from "./users";
export const v1 = new Hono();
v1.use("*", requireScope("v1:any"));
v1.route("/users", users);
