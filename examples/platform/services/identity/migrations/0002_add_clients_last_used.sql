-- Expand only; runs outside a transaction block because of CONCURRENTLY.
SET lock_timeout = '5s';

ALTER TABLE clients ADD COLUMN last_used_at timestamptz;

CREATE INDEX CONCURRENTLY clients_last_used_at_idx ON clients (brand_id, last_used_at);
