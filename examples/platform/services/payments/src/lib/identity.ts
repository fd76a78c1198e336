import { Resource } from "sst";
import { http } from "@platform/http";
import { logger } from "@platform/logger";

const IDENTITY_URL = `https://identity.${Resource.App.stage}.platform.loop.health`;
const CACHE_TTL_MS = 5 * 60 * 1000;

export type Client = { client_id: string; brand_id: string; scopes: string[]; partner: boolean };

const cache = new Map<string, { client: Client; at: number }>();

/**
 * Looks up an API client in identity. When identity is unavailable, serves the cached answer
 * for up to 5 minutes (the fallback declared in service.yaml), then fails closed.
 */
export async function lookupClient(clientId: string): Promise<Client> {
  const cached = cache.get(clientId);
  try {
    const res = await http.get(`${IDENTITY_URL}/v1/clients/${encodeURIComponent(clientId)}`, {
      timeoutMs: 2_000,
    });
    const client = (await res.json()) as Client;
    cache.set(clientId, { client, at: Date.now() });
    return client;
  } catch (err) {
    if (cached && Date.now() - cached.at < CACHE_TTL_MS) {
      logger.warn({ client_id: clientId, err }, "identity unavailable: serving cached client");
      return cached.client;
    }
    throw err;
  }
}
