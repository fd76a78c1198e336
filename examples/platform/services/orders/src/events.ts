import { subscribe, dedupe } from "@platform/events";
import { db, sql } from "@platform/db";

type PaymentEvent = { id: string; brand_id: string; payment_id: string; order_id: string; amount_cents: number };

export async function startSubscriptions() {
  await subscribe("payment.captured", async (event: PaymentEvent) => {
    await db.none(sql`
      UPDATE orders SET status = 'paid', payment_id = ${event.payment_id}
      WHERE id = ${event.order_id} AND brand_id = ${event.brand_id}`);
    await db.none(sql`
      INSERT INTO orders_ledger (brand_id, order_id, entry_type, amount_cents)
      VALUES (${event.brand_id}, ${event.order_id}, 'payment', ${event.amount_cents})`);
  });

  await subscribe(
    "payment.refunded",
    dedupe("orders.payment-refunded", async (event: PaymentEvent) => {
      await db.none(sql`
        INSERT INTO orders_ledger (brand_id, order_id, entry_type, amount_cents)
        VALUES (${event.brand_id}, ${event.order_id}, 'refund', ${-event.amount_cents})`);
    }),
  );
}
