"""data.no-long-locks: every operation the conventions list, failing and passing forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.model import Status
from tests.checks.data_fixture import BASE, repo
from tests.helpers import item

ID = "data.no-long-locks"
T = "SET lock_timeout = '5s';\n"  # line 1 of the migration under test
NO_T = ("TRUNCATE", "DROP TRIGGER", "DROP VIEW", "DROP POLICY", "CREATE TRIGGER", "CREATE TABLE refunds")  # cases without T

FAILING = [
    # (statement(s) after SET lock_timeout, message substring, line)
    ("CREATE INDEX payments_note ON payments (note);", "use CREATE INDEX CONCURRENTLY outside a transaction", 2),
    ("CREATE UNIQUE INDEX payments_u ON payments (id, brand_id);", "use CREATE UNIQUE INDEX CONCURRENTLY", 2),
    ("DROP INDEX payments_amount;", "use DROP INDEX CONCURRENTLY outside a transaction", 2),
    ("REINDEX INDEX payments_amount;", "use REINDEX (CONCURRENTLY)", 2),
    ("REINDEX TABLE payments;", "REINDEX TABLE payments without CONCURRENTLY", 2),
    ("ALTER TABLE payments ADD CONSTRAINT payments_amount_pos CHECK (amount > 0);",
     "add it NOT VALID, then VALIDATE CONSTRAINT payments_amount_pos", 2),
    ("CREATE TABLE brands (id uuid PRIMARY KEY, brand_id uuid NOT NULL);\n"
     "ALTER TABLE payments ADD CONSTRAINT payments_brand_fk FOREIGN KEY (brand_id) REFERENCES brands (id);",
     "FOREIGN KEY on payments validates every row", 3),
    ("ALTER TABLE payments ADD COLUMN status text NOT NULL;", "NOT NULL without a DEFAULT fails on a table with rows", 2),
    ("ALTER TABLE payments ADD COLUMN ref uuid DEFAULT gen_random_uuid();", "volatile DEFAULT gen_random_uuid()", 2),
    ("ALTER TABLE payments ADD COLUMN seq bigserial;", "serial type", 2),
    ("ALTER TABLE payments ADD COLUMN at timestamptz DEFAULT clock_timestamp();", "volatile DEFAULT clock_timestamp()", 2),
    ("ALTER TABLE payments ALTER COLUMN amount TYPE bigint;", "TYPE rewrites the table", 2),
    ("ALTER TABLE payments ALTER COLUMN amount SET NOT NULL;",
     "first ADD CONSTRAINT amount_not_null CHECK (amount IS NOT NULL) NOT VALID", 2),
    ("ALTER TABLE payments\n  ADD CONSTRAINT amount_nn CHECK (amount IS NOT NULL) NOT VALID;\n"
     "ALTER TABLE payments ALTER COLUMN amount SET NOT NULL;", "SET NOT NULL on payments.amount", 4),
    ("ALTER TABLE payments ADD CONSTRAINT payments_ref UNIQUE (note);", "CREATE UNIQUE INDEX CONCURRENTLY first", 2),
    ("ALTER TABLE payments ADD PRIMARY KEY (id);", "PRIMARY KEY on payments builds its index", 2),
    ("ALTER TABLE payments ADD COLUMN code text UNIQUE;", "with PRIMARY KEY/UNIQUE builds an index", 2),
    ("ALTER TABLE payments ADD COLUMN qty int DEFAULT 0 CHECK (qty >= 0);", "with a REFERENCES/CHECK constraint", 2),
    ("ALTER TABLE payments ADD COLUMN account_id bigint DEFAULT 1 REFERENCES payments (id);",
     "validates every row under lock", 2),
    ("ALTER TABLE payments ADD COLUMN g int GENERATED ALWAYS AS (amount * 2) STORED;", "a stored generated column", 2),
    ("ALTER TABLE payments ADD COLUMN n int GENERATED ALWAYS AS IDENTITY;", "an identity column", 2),
    ("ALTER TABLE payments ADD CONSTRAINT amount_nn NOT NULL amount;", "SET NOT NULL on payments.amount", 2),
    ("VACUUM FULL payments;", "VACUUM FULL payments rewrites", 2),
    ("CLUSTER payments USING payments_amount;", "CLUSTER payments rewrites", 2),
    ("BEGIN;\nLOCK TABLE payments IN ACCESS EXCLUSIVE MODE;\nCOMMIT;", "LOCK TABLE payments holds its lock", 3),
    ("REFRESH MATERIALIZED VIEW payment_totals;", "use REFRESH MATERIALIZED VIEW CONCURRENTLY", 2),
    ("BEGIN;\nCREATE INDEX CONCURRENTLY payments_note ON payments (note);\nCOMMIT;",
     "CONCURRENTLY inside a transaction block (BEGIN) is rejected", 3),
    ("BEGIN;\nDROP INDEX CONCURRENTLY payments_amount;\nCOMMIT;", "DROP INDEX CONCURRENTLY inside a transaction", 3),
    # issue 16: VALIDATE in the transaction that added the constraint (runner-wrapped file, or BEGIN)
    ("ALTER TABLE payments ADD CONSTRAINT payments_amount_pos CHECK (amount > 0) NOT VALID;\n"
     "ALTER TABLE payments VALIDATE CONSTRAINT payments_amount_pos;",
     "scans every row of payments in the same transaction as line 2, whose ACCESS EXCLUSIVE lock", 3),
    ("BEGIN;\nALTER TABLE payments ADD CONSTRAINT payments_self FOREIGN KEY (id) REFERENCES payments (id) NOT VALID;\n"
     "\nALTER TABLE payments VALIDATE CONSTRAINT payments_self;\nCOMMIT;",
     "in the same transaction as line 3, whose SHARE ROW EXCLUSIVE lock it holds until COMMIT", 5),
    ("ALTER TABLE payments ADD COLUMN memo text;\nALTER TABLE payments VALIDATE CONSTRAINT old_check;",
     "VALIDATE CONSTRAINT old_check scans every row of payments in the same transaction as line 2", 3),
    # CREATE TABLE with a foreign key locks the referenced (existing) table
    ("CREATE TABLE refunds (id bigint, brand_id uuid NOT NULL, payment_id bigint REFERENCES payments (id));",
     "waits for a lock on payments", 1),
    ("CREATE TABLE refunds (id bigint, brand_id uuid NOT NULL,\n  CONSTRAINT r_fk FOREIGN KEY (id) REFERENCES payments);",
     "waits for a lock on payments", 1),
    # ACCESS EXCLUSIVE statements without lock_timeout
    ("TRUNCATE payments;", "TRUNCATE payments waits for a lock on payments", 1),
    ("DROP TRIGGER payments_audit ON payments;", "waits for a lock on payments", 1),
    ("DROP VIEW payment_view;", "waits for a lock on payment_view", 1),
    ("DROP POLICY p ON payments;", "waits for a lock on payments", 1),
    ("CREATE TRIGGER tr AFTER INSERT ON payments FOR EACH ROW EXECUTE FUNCTION f();", "waits for a lock on payments", 1),
    # domains: every column of the domain is scanned under SHARE
    ("ALTER DOMAIN money_amount ADD CONSTRAINT pos CHECK (VALUE > 0);",
     "ALTER DOMAIN money_amount ADD CONSTRAINT scans every table with a column of this domain", 2),
    ("ALTER DOMAIN money_amount SET NOT NULL;", "ALTER DOMAIN money_amount SET NOT NULL scans every table", 2),
    # unknown (user-defined) functions are volatile
    ("ALTER TABLE payments ADD COLUMN ref uuid DEFAULT uuid();", "volatile DEFAULT uuid()", 2),
    ("ALTER TABLE payments ADD COLUMN ref text DEFAULT app.lower('x');", "volatile DEFAULT app.lower()", 2),
    ("CREATE FUNCTION lower(x int) RETURNS int LANGUAGE sql AS 'select 1';\n"
     "ALTER TABLE payments ADD COLUMN k int DEFAULT lower(1);", "volatile DEFAULT lower()", 3),
    # boolean options given a value
    ("REINDEX (CONCURRENTLY false) TABLE payments;", "REINDEX TABLE payments without CONCURRENTLY", 2),
    ("REINDEX (CONCURRENTLY off) INDEX payments_amount;", "without CONCURRENTLY blocks writes", 2),
    ("REINDEX (CONCURRENTLY 0) TABLE payments;", "without CONCURRENTLY", 2),
    ("REINDEX (CONCURRENTLY 'false') TABLE payments;", "without CONCURRENTLY", 2),
    ("VACUUM (FULL true) payments;", "VACUUM FULL payments rewrites", 2),
    ("VACUUM (FULL on, VERBOSE) payments;", "VACUUM FULL payments rewrites", 2),
    # rewrites under ACCESS EXCLUSIVE
    ("ALTER TABLE payments SET LOGGED;", "rewrites every row of payments under an ACCESS EXCLUSIVE lock", 2),
    ("ALTER TABLE payments SET UNLOGGED;", "rewrites every row of payments under an ACCESS EXCLUSIVE lock", 2),
    ("ALTER TABLE payments SET ACCESS METHOD heap2;", "rewrites every row of payments", 2),
    ("ALTER TABLE ALL IN TABLESPACE pg_default SET TABLESPACE fast;", "TABLESPACE fast rewrites every row of", 2),
    ("ALTER INDEX ALL IN TABLESPACE pg_default SET TABLESPACE fast;", "TABLESPACE fast rewrites every row of", 2),
    # a fix PostgreSQL refuses is not suggested
    ("REINDEX SYSTEM postgres;", "PostgreSQL refuses to reindex them CONCURRENTLY", 2),
    ("ALTER TABLE payments ADD CONSTRAINT ex EXCLUDE USING gist (amount WITH =);",
     "PostgreSQL has no online form (no EXCLUDE ... USING INDEX)", 2),
]


@pytest.mark.parametrize(("sql", "message", "line"), FAILING, ids=[c[1][:40] for c in FAILING])
def test_each_operation_fails_at_its_line(tmp_path: Path, sql: str, message: str, line: int) -> None:
    head = "" if sql.startswith(NO_T) else T
    root = repo(tmp_path, {"0001_init.sql": BASE, "0002_change.sql": head + sql + "\n"})
    res = item(root, "pay", ID)
    assert res.status == Status.FAIL
    hits = [f for f in res.findings if message in f.message]
    assert hits, [f.message for f in res.findings]
    assert hits[0].line == line
    assert hits[0].path == "services/pay/migrations/0002_change.sql"


PASSING = [
    "CREATE INDEX CONCURRENTLY payments_note ON payments (note);",
    "DROP INDEX CONCURRENTLY payments_amount;",
    "REINDEX (CONCURRENTLY) INDEX payments_amount;",
    # NOT VALID committed before VALIDATE (the file runs its own transactions)
    "BEGIN;\nALTER TABLE payments ADD CONSTRAINT payments_amount_pos CHECK (amount > 0) NOT VALID;\nCOMMIT;\n"
    "ALTER TABLE payments VALIDATE CONSTRAINT payments_amount_pos;",
    "ALTER TABLE payments ADD COLUMN status text NOT NULL DEFAULT 'new';",
    "ALTER TABLE payments ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();",
    "ALTER TABLE payments ADD COLUMN memo text;",
    "BEGIN;\nALTER TABLE payments ADD CONSTRAINT amount_nn CHECK (amount IS NOT NULL) NOT VALID;\nCOMMIT;\n"
    "ALTER TABLE payments VALIDATE CONSTRAINT amount_nn;\n"
    "ALTER TABLE payments ALTER COLUMN amount SET NOT NULL;",
    "CREATE UNIQUE INDEX CONCURRENTLY payments_note_u ON payments (note);\n"
    "ALTER TABLE payments ADD CONSTRAINT payments_note_u UNIQUE USING INDEX payments_note_u;",
    "REFRESH MATERIALIZED VIEW CONCURRENTLY payment_totals;",
    "BEGIN;\nALTER TABLE payments ADD CONSTRAINT amount_nn NOT NULL amount NOT VALID;\nCOMMIT;\n"
    "ALTER TABLE payments VALIDATE CONSTRAINT amount_nn;",
    "ALTER TABLE payments ADD COLUMN at timestamptz DEFAULT CURRENT_TIMESTAMP;",
    "ALTER TABLE payments ADD COLUMN meta jsonb NOT NULL DEFAULT '{}'::jsonb;",
    "VACUUM payments;",
    # a new column without a DEFAULT is NULL everywhere: its REFERENCES checks nothing (PostgreSQL
    # skips the scan); the lock on both tables is covered by lock_timeout
    "ALTER TABLE payments ADD COLUMN parent_id bigint REFERENCES payments (id);",
    # boolean options given a false value are the plain command
    "VACUUM (FULL false) payments;",
    "VACUUM (FULL off) payments;",
    "VACUUM (FULL 0) payments;",
    "VACUUM (FULL 'false', VERBOSE) payments;",
    # a constant default needs no rewrite (PostgreSQL 11+); varchar widened to text keeps every value
    "ALTER TABLE payments ADD COLUMN kind text DEFAULT lower('X');",
    "CREATE TABLE brands (id uuid PRIMARY KEY, brand_id uuid NOT NULL);\n"
    "CREATE TABLE refunds (id bigint, brand_id uuid NOT NULL REFERENCES brands (id));",
    # a table created in the same migration may be changed freely
    "CREATE TABLE refunds (id bigint, brand_id uuid NOT NULL, amount int);\n"
    "CREATE INDEX refunds_amount ON refunds (amount);\n"
    "ALTER TABLE refunds ALTER COLUMN amount SET NOT NULL;\n"
    "ALTER TABLE refunds ADD PRIMARY KEY (id);\n"
    "ALTER TABLE refunds ADD COLUMN ref uuid DEFAULT gen_random_uuid();",
]


@pytest.mark.parametrize("sql", PASSING, ids=[p.split("\n")[0][:40] for p in PASSING])
def test_safe_forms_pass(tmp_path: Path, sql: str) -> None:
    root = repo(tmp_path, {"0001_init.sql": BASE, "0002_change.sql": T + sql + "\n"})
    res = item(root, "pay", ID)
    assert res.status == Status.PASS, [f.message for f in res.findings]
    assert "no long-running lock" in res.reason


def test_domain_constraint_scans_the_tables_using_the_domain(tmp_path: Path) -> None:
    """A domain of the migrations: the tables with a column of it are scanned under SHARE."""
    init = BASE + "CREATE DOMAIN pos_int AS int;\nCREATE TABLE r (id pos_int, brand_id uuid NOT NULL);\n"
    sql = T + "ALTER DOMAIN pos_int ADD CONSTRAINT pos CHECK (VALUE > 0) NOT VALID;\n" \
              "ALTER DOMAIN pos_int\n  ADD CONSTRAINT pos2 CHECK (VALUE < 10);\n"
    res = item(repo(tmp_path, {"0001_init.sql": init, "0002_change.sql": sql}), "pay", ID)
    assert res.status == Status.FAIL
    assert [f.line for f in res.findings] == [3]
    assert res.findings[0].message.startswith(
        "ALTER DOMAIN pos_int ADD CONSTRAINT pos2 CHECK (VALUE < 10) scans every row of r under a SHARE lock")
    assert res.findings[0].target == "r"


def test_lock_timeout_required_before_lock_taking_statements(tmp_path: Path) -> None:
    sql = "-- header\nCREATE INDEX CONCURRENTLY payments_note ON payments (note);\nSET lock_timeout = '2s';\n" \
          "CREATE INDEX CONCURRENTLY payments_memo ON payments (amount, note);\n"
    res = item(repo(tmp_path, {"0001_init.sql": BASE, "0002_change.sql": sql}), "pay", ID)
    assert res.status == Status.FAIL
    assert [(f.line, "add SET lock_timeout" in f.message) for f in res.findings] == [(2, True)]


def test_lock_timeout_reset_or_zero_does_not_count(tmp_path: Path) -> None:
    sql = "SET lock_timeout = '2s';\nRESET lock_timeout;\nALTER TABLE payments ADD COLUMN memo text;\n" \
          "SET lock_timeout = 0;\nALTER TABLE payments ADD COLUMN memo2 text;\n" \
          "SET lock_timeout TO 3000;\nRESET ALL;\nALTER TABLE payments ADD COLUMN memo3 text;\n" \
          "SET lock_timeout TO DEFAULT;\nALTER TABLE payments ADD COLUMN memo4 text;\n" \
          "SET SESSION lock_timeout = '1min';\nALTER TABLE payments ADD COLUMN memo5 text;\n"
    res = item(repo(tmp_path, {"0001_init.sql": BASE, "0002_change.sql": sql}), "pay", ID)
    assert [f.line for f in res.findings] == [3, 5, 8, 10]


def test_set_local_lock_timeout_inside_transaction(tmp_path: Path) -> None:
    sql = "BEGIN;\nSET LOCAL lock_timeout = '2s';\nALTER TABLE payments ADD COLUMN memo text;\nCOMMIT;\n" \
          "ALTER TABLE payments ADD COLUMN memo2 text;\n"
    res = item(repo(tmp_path, {"0001_init.sql": BASE, "0002_change.sql": sql}), "pay", ID)
    assert [f.line for f in res.findings] == [5]  # SET LOCAL ended with COMMIT


def test_concurrently_in_transaction_fails_even_on_a_new_table(tmp_path: Path) -> None:
    sql = "BEGIN;\nCREATE TABLE t (id int, brand_id uuid NOT NULL);\n-- comment\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nCOMMIT;\n"
    res = item(repo(tmp_path, {"0001_init.sql": sql}), "pay", ID)
    assert res.status == Status.FAIL
    assert [f.line for f in res.findings] == [4]
    assert "rejected by PostgreSQL" in res.findings[0].message


def test_parse_error_reported_and_rest_still_checked(tmp_path: Path) -> None:
    sql = T + "ALTER TABLE payments ADD COLUMN x int;\nALTR TABLE payments ADD COLUMN y int;\n" \
              "CREATE INDEX payments_x ON payments (x);\n"
    res = item(repo(tmp_path, {"0001_init.sql": BASE, "0002_change.sql": sql}), "pay", ID)
    assert res.status == Status.FAIL
    assert [(f.line, f.message.split(":")[0]) for f in res.findings] == [
        (3, "SQL syntax error"), (4, "CREATE INDEX on existing table payments without CONCURRENTLY blocks writes while the index builds"),
    ]
    assert 'at or near "ALTR"' in res.findings[0].message


def test_no_migrations_is_skip(tmp_path: Path) -> None:
    res = item(repo(tmp_path, {}), "pay", ID)
    assert res.status == Status.SKIP
    assert res.reason == "no migrations"


def test_misnamed_files_are_checked_down_migrations_are_not(tmp_path: Path) -> None:
    root = repo(tmp_path, {"0001_init.sql": BASE, "0002_x.down.sql": "DROP INDEX payments_amount;\n",
                           "fix.sql": "CREATE INDEX x ON payments (note);\n"},
                extra={"services/pay/migrations/old/0003_y.sql": "VACUUM FULL payments;\n"})
    res = item(root, "pay", ID)
    assert [(f.path.rpartition("/")[2], f.line) for f in res.findings if "CONCURRENTLY" in f.message] == [("fix.sql", 1)]
    assert not any("VACUUM" in f.message or "DROP INDEX" in f.message for f in res.findings)


def test_findings_name_their_rule_in_json_and_sarif(tmp_path: Path) -> None:
    """Each finding carries its stable rule id: ``rule`` in the JSON report (schema-valid), a
    hierarchical SARIF ``ruleId`` under the item's."""
    import json

    import jsonschema

    from gate.cli import main
    from gate.schemas import __file__ as schemas_init

    sql = "CREATE INDEX payments_note ON payments (note);\nALTER TABLE payments DROP COLUMN note;\n"
    root = repo(tmp_path / "r", {"0001_init.sql": BASE, "0002_change.sql": sql})
    out = tmp_path / "out"
    main(["check", str(root), "--only", "data.no-long-locks,data.expand-contract", "--format", "json,sarif",
          "--out-dir", str(out)])
    doc = json.loads((out / "report.json").read_text())
    schema = json.loads((Path(schemas_init).parent / "report.schema.json").read_text())
    jsonschema.validate(doc, schema)
    found = {(i["id"], f["line"], f.get("rule")) for s in doc["services"] for i in s["items"] for f in i["findings"]}
    assert found >= {("data.no-long-locks", 1, "index-not-concurrent"), ("data.no-long-locks", 1, "lock-timeout"),
                     ("data.expand-contract", 2, "drop-column")}, found
    sarif = json.loads((out / "report.sarif").read_text())
    ids = {(r["ruleId"], r["locations"][0]["physicalLocation"].get("region", {}).get("startLine"))
           for r in sarif["runs"][0]["results"]}
    assert ("data.no-long-locks/index-not-concurrent", 1) in ids
    assert ("data.expand-contract/drop-column", 2) in ids
    # the rule id's item is the rule descriptor ruleIndex points at
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    for r in sarif["runs"][0]["results"]:
        assert r["ruleId"].split("/")[0] == rules[r["ruleIndex"]]["id"]


@pytest.mark.parametrize(("sql", "version", "message"), [
    ("ALTER TABLE payments ADD COLUMN status text NOT NULL DEFAULT 'new';", 10,
     "with a volatile DEFAULT (any DEFAULT before PostgreSQL 11, here 10) rewrites the whole table"),
    ("ALTER TABLE payments ADD COLUMN status text NOT NULL DEFAULT 'new';", 18, None),
    ("ALTER TABLE payments ADD COLUMN g int GENERATED ALWAYS AS (amount * 2) VIRTUAL;", 17,
     "a stored generated column"),
    ("ALTER TABLE payments ADD COLUMN g int GENERATED ALWAYS AS (amount * 2) VIRTUAL;", 18, None),
    ("ALTER TABLE payments ADD COLUMN g int GENERATED ALWAYS AS (amount * 2);", 18, None),
    ("ALTER TABLE payments ADD COLUMN g int GENERATED ALWAYS AS (amount * 2) STORED;", 18, "a stored generated column"),
])
def test_rules_follow_postgres_version(tmp_path: Path, sql: str, version: int, message: str | None) -> None:
    """``postgres.version``: the rules judge the statement as that PostgreSQL runs it."""
    root = repo(tmp_path, {"0001_init.sql": BASE, "0002_change.sql": T + sql + "\n"})
    res = item(root, "pay", ID, config_text=f"postgres:\n  version: {version}\n")
    if message is None:
        assert res.status == Status.PASS, [f.message for f in res.findings]
    else:
        assert res.status == Status.FAIL
        assert [f.line for f in res.findings] == [2]
        assert message in res.findings[0].message, res.findings[0].message


def test_set_not_null_fix_names_postgres_18_form_only_on_18(tmp_path: Path) -> None:
    sql = T + "ALTER TABLE payments ALTER COLUMN amount SET NOT NULL;\n"
    root = repo(tmp_path, {"0001_init.sql": BASE, "0002_change.sql": sql})
    on15 = item(root, "pay", ID, config_text="postgres:\n  version: 15\n").findings[0].message
    on18 = item(root, "pay", ID).findings[0].message
    assert "PostgreSQL 18" not in on15 and "on PostgreSQL 18: ADD CONSTRAINT ... NOT NULL" in on18


def test_postgres_version_out_of_range_is_a_config_error() -> None:
    from gate import config as cfg

    with pytest.raises(cfg.ConfigError, match="version"):
        cfg.parse("postgres:\n  version: 9\n", cfg.DEFAULT_PATH)


PARTS = ("CREATE TABLE p (k int NOT NULL, brand_id uuid NOT NULL) PARTITION BY LIST (k);\n"
         "CREATE TABLE r (k int NOT NULL, brand_id uuid NOT NULL) PARTITION BY RANGE (k);\n"
         "CREATE TABLE pnew (k int NOT NULL, brand_id uuid NOT NULL);\n")


@pytest.mark.parametrize(("check", "attach", "scanned"), [
    ("CHECK (k = 3)", "p ATTACH PARTITION pnew FOR VALUES IN (3)", False),
    ("CHECK (k IN (3, 4))", "p ATTACH PARTITION pnew FOR VALUES IN (4, 3)", False),
    ("CHECK (k >= 10 AND k < 20)", "r ATTACH PARTITION pnew FOR VALUES FROM (10) TO (20)", False),
    ("CHECK (k = 3)", "p ATTACH PARTITION pnew FOR VALUES IN (4)", True),
    ("CHECK (k > 0)", "p ATTACH PARTITION pnew FOR VALUES IN (3)", True),
    (None, "p ATTACH PARTITION pnew FOR VALUES IN (3)", True),
])
def test_attach_partition_scans_unless_a_check_states_the_bound(tmp_path: Path, check: str | None, attach: str,
                                                              scanned: bool) -> None:
    """ATTACH PARTITION reads every row of the table attached under ACCESS EXCLUSIVE, unless a
    validated CHECK already states its bound (added NOT VALID and validated in earlier migrations)."""
    migs = {"0001_init.sql": BASE + PARTS}
    if check is not None:
        migs["0002_check.sql"] = T + f"ALTER TABLE pnew ADD CONSTRAINT pnew_bound {check} NOT VALID;\n"
        migs["0003_validate.sql"] = T + "ALTER TABLE pnew VALIDATE CONSTRAINT pnew_bound;\n"
    migs["0004_attach.sql"] = T + f"ALTER TABLE {attach};\n"
    res = item(repo(tmp_path, migs), "pay", ID)
    if scanned:
        assert [(f.line, f.rule) for f in res.findings] == [(2, "scan-under-lock")]
        assert "scans every row of pnew under an ACCESS EXCLUSIVE lock" in res.findings[0].message
    else:
        assert res.status == Status.PASS, [f.message for f in res.findings]
