import "./telemetry";
import { serve } from "@hono/node-server";
import { logger } from "@platform/logger";
import { app } from "./app";

const port = Number(process.env.PORT ?? 3000);

serve({ fetch: app.fetch, port }, (info) => {
  logger.info({ port: info.port }, "labs listening");
});
