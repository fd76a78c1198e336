-- The expire-unpaid cron scans by status.
CREATE INDEX orders_status_idx ON orders (status);
