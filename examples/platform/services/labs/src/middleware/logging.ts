import type { MiddlewareHandler } from "hono";
import { logger } from "@platform/logger";
import type { AppEnv } from "../env";

/**
 * One structured line per request. Only identifiers: never log bodies, headers or anything
 * that could carry PHI.
 */
export const requestLogging: MiddlewareHandler<AppEnv> = async (c, next) => {
  const start = Date.now();
  await next();
  logger.info({
    request_id: c.var.requestId,
    route: c.req.routePath,
    status: c.res.status,
    duration_ms: Date.now() - start,
    client_id: c.var.clientId,
    brand_id: c.var.brandId,
  });
};
