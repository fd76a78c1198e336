import type { MiddlewareHandler } from "hono";
import { logger } from "@platform/logger";
import type { AppEnv } from "../env";

export const requestLogging: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  logger.info({
    request_id: c.var.requestId,
    route: c.req.routePath,
    status: c.res.status,
    client_id: c.var.clientId,
    brand_id: c.var.brandId,
  });
};
