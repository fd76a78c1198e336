-- Refunds: partial or full, each tied to a captured payment.
CREATE TABLE refunds (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  brand_id      text NOT NULL,
  payment_id    uuid NOT NULL,
  amount_cents  bigint NOT NULL CHECK (amount_cents > 0),
  reason        text NOT NULL,
  stripe_refund_id text,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX refunds_brand_id_payment_id_idx ON refunds (brand_id, payment_id);

GRANT SELECT, INSERT ON refunds TO payments_app;
