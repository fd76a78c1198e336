CREATE TABLE orders (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_id       text NOT NULL,
  customer_id    text NOT NULL,
  status         text NOT NULL DEFAULT 'placed',
  total_cents    bigint NOT NULL,
  currency       char(3) NOT NULL DEFAULT 'USD',
  payment_id     uuid,
  contact_phone  text,
  tracking_number text,
  legacy_sku     text,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders_ledger (
  id          bigserial PRIMARY KEY,
  brand_id    text NOT NULL,
  order_id    uuid NOT NULL,
  entry_type  text NOT NULL,
  amount_cents bigint NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE ON orders TO orders_app;
GRANT SELECT, INSERT ON orders_ledger TO orders_app;
