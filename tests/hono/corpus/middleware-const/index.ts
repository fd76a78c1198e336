import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");
import { canRead, canWrite } from "./guards";
const app = new Hono();
app.get("/docs", canRead, ok);
app.put("/docs/:id", canWrite, ok);
export default app;
