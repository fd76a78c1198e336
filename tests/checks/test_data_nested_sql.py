"""Issue 21, SQL that hides: statements inside ``DO $$ ... $$``, ``EXECUTE '...'``, function
bodies (PL/pgSQL and SQL), ``SELECT ... INTO``, grants through a view, ``OWNER TO``: each data item
judges them like top-level SQL, at their own line; an EXECUTE of a string built at run time fails
closed. Each test plays the attack a pull request would try."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.model import Status
from tests.checks.data_fixture import BASE, repo
from tests.helpers import item

T = "SET lock_timeout = '5s';\n"
LEDGER = "CREATE TABLE ledger (id bigint PRIMARY KEY, brand_id uuid NOT NULL, amount int);\n" \
         "CREATE TABLE audit_log (id bigint, brand_id uuid NOT NULL, entry text);\n"

ATTACKS = [
    # (item, the second migration, message part, line, rule)
    ("data.brand-id", "DO $$\nBEGIN\n  CREATE TABLE sneaky (id int);\nEND\n$$;", "table sneaky has no brand_id", 3, None),
    ("data.brand-id", "DO $$\nBEGIN\n  EXECUTE 'CREATE TABLE sneaky (id int)';\nEND $$;", "table sneaky has no brand_id", 3,
     None),
    ("data.brand-id", "DO $$ BEGIN\n  EXECUTE 'DO $x$ BEGIN CREATE TABLE deep (id int); END $x$';\nEND $$;",
     "table deep has no brand_id", 2, None),
    ("data.brand-id", "SELECT * INTO payments_copy FROM payments;", "table payments_copy has no brand_id", 1, None),
    ("data.brand-id", "CREATE FUNCTION mk() RETURNS void LANGUAGE sql AS $f$\nCREATE TABLE f_made (id int);\n$f$;",
     "table f_made has no brand_id", 2, None),
    ("data.expand-contract", "DO $$\nBEGIN\n  ALTER TABLE payments DROP COLUMN note;\nEND $$;",
     "DROP COLUMN payments.note is a contract operation", 3, "drop-column"),
    ("data.expand-contract", "DO LANGUAGE plpgsql $$ BEGIN\n  EXECUTE 'ALTER TABLE payments ' || 'DROP COLUMN note';\nEND $$;",
     "DROP COLUMN payments.note is a contract operation", 2, "drop-column"),
    ("data.expand-contract", "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $f$\nBEGIN\n"
     "  ALTER TABLE payments RENAME COLUMN note TO memo;\nEND $f$;", "RENAME COLUMN payments.note TO memo", 3,
     "rename-column"),
    ("data.expand-contract", "CREATE PROCEDURE p() LANGUAGE sql AS 'DROP TABLE payments';",
     "DROP TABLE payments is a contract operation", 1, "drop-table"),
    ("data.grants", "DO $$ BEGIN\n  EXECUTE 'GRANT UPDATE, DELETE ON ledger TO app';\nEND $$;",
     "role app holds UPDATE, DELETE on ledger", 2, None),
    ("data.grants", "CREATE FUNCTION g() RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $f$\nBEGIN\n"
     "  GRANT DELETE ON ledger TO PUBLIC;\nEND $f$;", "PUBLIC (every role) holds DELETE on ledger", 3, None),
    ("data.grants", "CREATE VIEW audit_view AS SELECT * FROM audit_log;\nGRANT UPDATE ON audit_view TO app;",
     "role app holds UPDATE on audit_log", 2, None),
    ("data.grants", "ALTER TABLE ledger OWNER TO app;", "role app holds UPDATE, DELETE, TRUNCATE on ledger", 1, None),
    ("data.no-long-locks", T + "DO $$\nBEGIN\n  CREATE INDEX payments_note ON payments (note);\nEND $$;",
     "CREATE INDEX on existing table payments without CONCURRENTLY", 4, "index-not-concurrent"),
    ("data.no-long-locks", "DO $$ BEGIN EXECUTE 'TRUNCATE payments'; END $$;", "waits for a lock on payments", 1,
     "lock-timeout"),
]


@pytest.mark.parametrize(("item_id", "sql", "message", "line", "rule"), ATTACKS,
                         ids=[f"{a[0]}:{a[2][:30]}" for a in ATTACKS])
def test_sql_hidden_in_sql_is_judged(tmp_path: Path, item_id: str, sql: str, message: str, line: int,
                                     rule: str | None) -> None:
    root = repo(tmp_path, {"0001_init.sql": BASE + LEDGER, "0002_change.sql": sql + "\n"})
    res = item(root, "pay", item_id)
    assert res.status == Status.FAIL, (res.status, res.reason)
    hits = [f for f in res.findings if message in f.message and f.path.endswith("0002_change.sql")]
    assert hits, [f.message for f in res.findings]
    assert hits[0].line == line
    if rule is not None:
        assert hits[0].rule == rule


DYNAMIC = [
    "DO $$ DECLARE t text := 'payments'; BEGIN\n  EXECUTE format('DROP TABLE %I', t);\nEND $$;",
    "DO $$ DECLARE t text := 'ledger'; BEGIN\n  EXECUTE 'GRANT UPDATE ON ' || t || ' TO app';\nEND $$;",
    "CREATE FUNCTION h(t text) RETURNS SETOF record LANGUAGE plpgsql AS $f$\nBEGIN\n"
    "  RETURN QUERY EXECUTE 'SELECT * FROM ' || t;\nEND $f$;",
]


@pytest.mark.parametrize("sql", DYNAMIC)
@pytest.mark.parametrize("item_id", ["data.brand-id", "data.expand-contract", "data.grants", "data.no-long-locks"])
def test_sql_built_at_run_time_fails_closed(tmp_path: Path, item_id: str, sql: str) -> None:
    root = repo(tmp_path, {"0001_init.sql": BASE + LEDGER, "0002_change.sql": T + sql + "\n"})
    res = item(root, "pay", item_id)
    assert res.status == Status.FAIL
    hits = [f for f in res.findings if f.rule == "dynamic-sql"]
    assert [f.line for f in hits] == [sql[: sql.index("EXECUTE")].count("\n") + 2]
    assert "runs SQL the gate cannot read before it runs" in hits[0].message


def test_safe_bodies_pass(tmp_path: Path) -> None:
    """Bodies that only read, or write rows, raise nothing; constant EXECUTEs of safe SQL neither."""
    sql = T + ("CREATE FUNCTION total() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT sum(amount) FROM payments';\n"
               "DO $$ BEGIN\n  EXECUTE 'INSERT INTO payments (id, brand_id) VALUES (1, gen_random_uuid())';\n"
               "  PERFORM total();\nEND $$;\n")
    root = repo(tmp_path, {"0001_init.sql": BASE + LEDGER, "0002_change.sql": sql})
    for item_id in ("data.brand-id", "data.expand-contract", "data.grants", "data.no-long-locks"):
        res = item(root, "pay", item_id)
        assert res.status == Status.PASS, (item_id, [f.message for f in res.findings])


def test_statements_past_the_bound_fail_closed(tmp_path: Path) -> None:
    """A body holding more statements than the gate follows: what lies past the bound was not
    read (here a DROP COLUMN), so the migration fails closed instead of passing unread."""
    from gate.sources.sql.nested import MAX_STATEMENTS

    body = "SELECT 1;\n" * MAX_STATEMENTS + "ALTER TABLE payments DROP COLUMN note;\n"
    sql = T + f"CREATE FUNCTION big() RETURNS void LANGUAGE sql AS $f$\n{body}$f$;\n"
    root = repo(tmp_path, {"0001_init.sql": BASE + LEDGER, "0002_change.sql": sql})
    res = item(root, "pay", "data.expand-contract")
    assert res.status == Status.FAIL, (res.status, res.reason)
    hits = [f for f in res.findings if f.rule == "dynamic-sql"]
    assert hits and hits[0].line == 2 and f"more than {MAX_STATEMENTS} statements" in hits[0].message
