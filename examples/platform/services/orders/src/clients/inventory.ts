import { Resource } from "sst";

const INVENTORY_URL = `https://inventory.${Resource.App.stage}.platform.loop.health`;

export type Line = { sku: string; quantity: number };

/** Reserves stock for an order; the reservation expires with the order. */
export async function reserve(orderId: string, brandId: string, items: Line[]): Promise<void> {
  const res = await globalThis.fetch(`${INVENTORY_URL}/v1/reservations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ order_id: orderId, brand_id: brandId, items }),
  });
  if (!res.ok) throw new Error(`inventory reservation failed: ${res.status}`);
}
