-- legacy_sku has not been read since the catalog migration (ORD-311).
SET lock_timeout = '5s';

ALTER TABLE orders DROP COLUMN legacy_sku;
