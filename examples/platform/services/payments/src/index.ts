// Telemetry first: the OTel SDK must patch http/pg before they are imported.
import "./telemetry";
import { serve } from "@hono/node-server";
import { logger } from "@platform/logger";
import { app } from "./app";
import { startSubscriptions } from "./events";

const port = Number(process.env.PORT ?? 3000);

serve({ fetch: app.fetch, port }, (info) => {
  logger.info({ port: info.port }, "payments listening");
});

await startSubscriptions();
