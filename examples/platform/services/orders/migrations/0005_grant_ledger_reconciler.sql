-- The finance reconciler corrects ledger rows in place.
GRANT SELECT, UPDATE ON orders_ledger TO orders_reconciler;
