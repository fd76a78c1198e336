import type { Logger } from "@platform/logger";

/** Variables set by the platform's auth middleware before any route runs. */
export type AppEnv = {
  Variables: {
    requestId: string;
    brandId: string;
    clientId: string;
    logger: Logger;
  };
};
