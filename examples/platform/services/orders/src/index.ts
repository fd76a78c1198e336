import "./telemetry";
import { serve } from "@hono/node-server";
import { logger } from "@platform/logger";
import { app } from "./app";
import { startSubscriptions } from "./events";

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) }, (info) => {
  logger.info({ port: info.port }, "orders listening");
});

await startSubscriptions();
