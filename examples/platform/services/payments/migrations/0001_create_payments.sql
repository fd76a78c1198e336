-- Payments: one row per payment intent, scoped to a brand.
CREATE TABLE payments (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_id        text NOT NULL,
  order_id        uuid,
  customer_id     text NOT NULL,
  amount_cents    bigint NOT NULL CHECK (amount_cents > 0),
  currency        char(3) NOT NULL DEFAULT 'USD',
  method          text NOT NULL CHECK (method IN ('card', 'ach')),
  status          text NOT NULL DEFAULT 'pending',
  stripe_charge_id text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX payments_brand_id_created_at_idx ON payments (brand_id, created_at DESC);
CREATE UNIQUE INDEX payments_brand_id_order_id_key ON payments (brand_id, order_id);

GRANT SELECT, INSERT, UPDATE ON payments TO payments_app;
