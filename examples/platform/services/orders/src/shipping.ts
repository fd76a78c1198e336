import { Resource } from "sst";
import { http } from "@platform/http";
import { breaker, retry } from "@platform/resilience";

export type Label = { tracking_number: string; label_url: string };

/** Buys a shipping label from ShipEngine. */
export async function createLabel(orderId: string, carrier: string): Promise<Label> {
  const res = await breaker("shipengine", () =>
    retry(() => http.post("https://api.shipengine.com/v1/labels", { headers: { "API-Key": Resource.OrdersShipEngineKey.value }, json: { carrier_code: carrier, external_order_id: orderId } }), { retries: 3, backoff: "exponential" }),
  );
  return (await res.json()) as Label;
}
