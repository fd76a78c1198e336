"""The migrations replay never crashes, whatever order the statements come in."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gate.engine import evaluate_service
from tests.checks.data_fixture import repo
from tests.helpers import make_run

POOL = [
    "CREATE TABLE t (id int, brand_id uuid NOT NULL)", "CREATE TABLE IF NOT EXISTS t (x int)",
    "CREATE TEMP TABLE tmp (x int)", "CREATE TABLE p PARTITION OF t FOR VALUES IN (1)",
    "CREATE TABLE c AS SELECT 1 AS x", "CREATE MATERIALIZED VIEW mv AS SELECT 1",
    "ALTER TABLE t ADD COLUMN y int NOT NULL", "ALTER TABLE t DROP COLUMN IF EXISTS y",
    "ALTER TABLE t ALTER COLUMN brand_id DROP NOT NULL", "ALTER TABLE t ALTER COLUMN y SET NOT NULL",
    "ALTER TABLE t ALTER COLUMN y DROP DEFAULT", "ALTER TABLE t ALTER COLUMN y TYPE bigint",
    "ALTER TABLE t ADD CONSTRAINT k CHECK (y IS NOT NULL) NOT VALID", "ALTER TABLE t VALIDATE CONSTRAINT k",
    "ALTER TABLE t DROP CONSTRAINT k", "ALTER TABLE t ADD PRIMARY KEY (id)", "ALTER TABLE t RENAME TO u",
    "ALTER TABLE u RENAME TO t", "ALTER TABLE t RENAME COLUMN y TO z", "ALTER TABLE s.t ADD COLUMN q int",
    "CREATE INDEX i ON t (id)", "CREATE INDEX CONCURRENTLY j ON t (id)", "DROP INDEX i", "DROP INDEX CONCURRENTLY j",
    "ALTER INDEX i RENAME TO i2", "REINDEX INDEX i", "REINDEX (CONCURRENTLY) TABLE t", "REINDEX SCHEMA public",
    "DROP TABLE t", "DROP TABLE IF EXISTS t, u CASCADE", "VACUUM FULL", "VACUUM (FULL, ANALYZE) t", "CLUSTER",
    "LOCK TABLE t", "REFRESH MATERIALIZED VIEW mv", "REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
    "BEGIN", "COMMIT", "ROLLBACK", "SET lock_timeout = '1s'", "SET LOCAL lock_timeout = 5", "RESET ALL",
    "GRANT ALL ON t TO PUBLIC", "REVOKE ALL ON t FROM PUBLIC", "GRANT UPDATE (id) ON t TO a",
    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO a", "REVOKE GRANT OPTION FOR ALL ON t FROM a",
    "ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO a", "ALTER DEFAULT PRIVILEGES REVOKE ALL ON TABLES FROM a",
    "GRANT r TO a", "GRANT USAGE ON SCHEMA public TO a", "INSERT INTO t (id) VALUES (1)", "UPDATE t SET id = 2",
    "SELEC 1", "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", "COMMENT ON TABLE t IS 'x'",
]
ITEMS = frozenset({"data.brand-id", "data.no-long-locks", "data.expand-contract", "data.rollback-doc", "data.grants"})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(POOL), max_size=10), min_size=1, max_size=3), st.booleans())
def test_replay_never_crashes(files: list[list[str]], contract: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        migs = {f"{n + 1:04d}_m.sql": ("-- migrate: contract\n" if contract and n else "") + ";\n".join(stmts) + ";\n"
                for n, stmts in enumerate(files)}
        root = repo(Path(tmp), migs, runbook="# R\n\n## Rollback\n\nNo migration rollback.\n")
        run = make_run(root)
        svc = next(s for s in run.all_services if s.name == "pay")
        rep = evaluate_service(run, svc, ITEMS)
        for it in rep.items:
            if it.id in ITEMS:
                assert it.reason != "internal error", (it.id, [f.message for f in it.findings])
