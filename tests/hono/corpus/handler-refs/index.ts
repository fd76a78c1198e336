import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
import { listThings, getThing } from "./handlers";
const app = new Hono();
app.get("/things", requireScope("things:read"), listThings);
app.get("/things/:id", getThing);
export default app;
