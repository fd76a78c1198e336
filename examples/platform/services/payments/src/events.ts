import { subscribe, dedupe } from "@platform/events";
import { db, sql } from "@platform/db";
import { logger } from "@platform/logger";

type OrderPlaced = {
  id: string;
  brand_id: string;
  order_id: string;
  customer_id: string;
  total_cents: number;
  currency: string;
};

/**
 * order.placed → a pending payment for the order. dedupe() keys on the event id plus the
 * handler scope, so a redelivered event creates nothing twice.
 */
export async function startSubscriptions() {
  await subscribe(
    "order.placed",
    dedupe("payments.order-placed", async (event: OrderPlaced) => {
      await db.none(sql`
        INSERT INTO payments (brand_id, order_id, customer_id, amount_cents, currency, method, status)
        VALUES (${event.brand_id}, ${event.order_id}, ${event.customer_id}, ${event.total_cents}, ${event.currency}, 'card', 'pending')
        ON CONFLICT (brand_id, order_id) DO NOTHING`);
      logger.info({ event_id: event.id, order_id: event.order_id, brand_id: event.brand_id }, "payment opened for order");
    }),
  );
}
