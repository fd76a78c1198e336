import { Hono } from "hono";
import { requireScope, rateLimit } from "@platform/auth";
const ok = (c: any) => c.text("ok");

const app = new Hono();
app.use("/orgs/:org/*", requireScope("orgs:member"));
app.get("/orgs/:org/repos", ok);
app.get("/orgs/:id/teams/:team", ok);
app.get("/orgs", ok);
export default app;
