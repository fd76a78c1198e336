import { Resource } from "sst";

const DOCUMENTS_URL = `https://documents.${Resource.App.stage}.platform.loop.health`;

/** Renders (or re-uses) the receipt PDF of an order and returns its URL. */
export async function receiptUrl(orderId: string, brandId: string): Promise<string> {
  const res = await fetch(`${DOCUMENTS_URL}/v1/receipts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ order_id: orderId, brand_id: brandId }),
  });
  const { url } = (await res.json()) as { url: string };
  return url;
}
