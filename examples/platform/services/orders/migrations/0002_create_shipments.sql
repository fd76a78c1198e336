-- Shipments written by the warehouse sync job.
CREATE TABLE shipments (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id        uuid NOT NULL,
  carrier         text NOT NULL,
  tracking_number text NOT NULL,
  shipped_at      timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT ON shipments TO orders_app;
