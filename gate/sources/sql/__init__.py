"""SQL: pglast (``parse``), the migrations replay, the lock model, nested SQL, the live database."""
