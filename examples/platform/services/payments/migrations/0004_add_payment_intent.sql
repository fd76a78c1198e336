-- Expand: payments learn their Stripe payment intent. Runs outside a transaction block
-- (CREATE INDEX CONCURRENTLY); every statement below waits at most 5 seconds for its lock.
SET lock_timeout = '5s';

ALTER TABLE payments ADD COLUMN payment_intent_id text;

CREATE INDEX CONCURRENTLY payments_payment_intent_id_idx ON payments (payment_intent_id);

ALTER TABLE refunds
  ADD CONSTRAINT refunds_payment_id_fkey FOREIGN KEY (payment_id) REFERENCES payments (id) NOT VALID;

ALTER TABLE refunds VALIDATE CONSTRAINT refunds_payment_id_fkey;
