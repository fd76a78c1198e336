-- The ledger and the audit trail are append-only: the application role may read and insert,
-- never change or remove a row.
CREATE TABLE payments_ledger (
  id           bigserial PRIMARY KEY,
  brand_id     text NOT NULL,
  payment_id   uuid NOT NULL,
  entry_type   text NOT NULL CHECK (entry_type IN ('capture', 'refund', 'void', 'adjustment')),
  amount_cents bigint NOT NULL,
  currency     char(3) NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX payments_ledger_brand_id_payment_id_idx ON payments_ledger (brand_id, payment_id);

CREATE TABLE payment_audit (
  id         bigserial PRIMARY KEY,
  brand_id   text NOT NULL,
  actor      text NOT NULL,
  action     text NOT NULL,
  subject_id text NOT NULL,
  details    jsonb NOT NULL DEFAULT '{}'::jsonb,
  at         timestamptz NOT NULL DEFAULT now()
);

REVOKE ALL ON payments_ledger, payment_audit FROM PUBLIC;
GRANT SELECT, INSERT ON payments_ledger TO payments_app;
GRANT SELECT, INSERT ON payment_audit TO payments_app;
GRANT SELECT ON payments_ledger, payment_audit TO payments_readonly;
GRANT USAGE ON SEQUENCE payments_ledger_id_seq, payment_audit_id_seq TO payments_app;
