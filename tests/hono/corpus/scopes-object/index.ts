import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");
import { SCOPES } from "./scopes";
const app = new Hono();
app.get("/r", requireScope(SCOPES.read), ok);
app.post("/w", requireScope(SCOPES["write"]), ok);
export default app;
