"""data.brand-id: every CREATE TABLE ends with brand_id NOT NULL (migrations and embedded SQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.model import Status
from gate.sources.sql.migrations import create_table_def, replay, table_defs
from gate.sources.sql.parse import parse
from gate.workspace import Workspace
from tests.checks.data_fixture import repo
from tests.helpers import item

ID = "data.brand-id"


def test_pass_every_table_has_brand_id_not_null(tmp_path: Path) -> None:
    sql = (
        "CREATE TABLE a (id int, brand_id uuid NOT NULL);\n"
        "CREATE TABLE b (brand_id uuid PRIMARY KEY);\n"
        "CREATE TABLE c (id int, brand_id uuid, PRIMARY KEY (brand_id, id));\n"
    )
    res = item(repo(tmp_path, {"0001_init.sql": sql}), "pay", ID)
    assert res.status == Status.PASS
    assert res.reason == "3 table(s), each with brand_id NOT NULL"


@pytest.mark.parametrize(
    ("later", "status"),
    [
        ("ALTER TABLE t ADD COLUMN brand_id uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';", Status.PASS),
        ("ALTER TABLE t ALTER COLUMN brand_id SET NOT NULL;", Status.PASS),
        ("ALTER TABLE t ADD COLUMN brand_id uuid;", Status.FAIL),
    ],
)
def test_later_migration_may_add_it(tmp_path: Path, later: str, status: Status) -> None:
    first = "-- first\n\nCREATE TABLE t (id int);\n" if "ADD COLUMN" in later else "CREATE TABLE t (id int, brand_id uuid);\n"
    res = item(repo(tmp_path, {"0001_a.sql": first, "0002_b.sql": later + "\n"}), "pay", ID)
    assert res.status == status
    if status == Status.FAIL:
        f = res.findings[0]
        assert f.line == 3 and f.path.endswith("0001_a.sql")
        assert "table t has no brand_id NOT NULL column: add `brand_id uuid NOT NULL`" in f.message
        assert f.target == "t"


def test_fail_at_create_table_line_after_comments(tmp_path: Path) -> None:
    sql = "CREATE TABLE ok (brand_id uuid NOT NULL);\n/* lookup\n table */\n-- x\nCREATE TABLE currencies (\n  code text\n);\n"
    res = item(repo(tmp_path, {"0001_init.sql": sql}), "pay", ID)
    assert res.status == Status.FAIL
    assert [(f.line, f.end_line, f.target) for f in res.findings] == [(5, 7, "currencies")]


def test_dropping_brand_id_later_points_at_the_drop(tmp_path: Path) -> None:
    res = item(repo(tmp_path, {
        "0001_a.sql": "CREATE TABLE t (id int, brand_id uuid NOT NULL);\n",
        "0002_b.sql": "SELECT 1;\nALTER TABLE t ALTER COLUMN brand_id DROP NOT NULL;\n",
    }), "pay", ID)
    assert res.status == Status.FAIL
    f = res.findings[0]
    assert (f.path.endswith("0002_b.sql"), f.line) == (True, 2)
    assert "loses its brand_id NOT NULL column here" in f.message


def test_renamed_and_dropped_tables(tmp_path: Path) -> None:
    res = item(repo(tmp_path, {
        "0001_a.sql": "CREATE TABLE old (id int);\nCREATE TABLE gone (id int);\n",
        "0002_b.sql": "-- migrate: contract\nALTER TABLE old RENAME TO fresh;\nDROP TABLE gone;\n",
    }), "pay", ID)
    assert [(f.line, f.target) for f in res.findings] == [(1, "fresh")]


def test_waiver_with_target_covers_that_table_only(tmp_path: Path) -> None:
    yaml = """\
name: pay
readiness:
  waivers:
    - item: data.brand-id
      reason: Global lookup table of ISO currencies.
      approved_by: carol
      expires: 2027-01-31
      targets: [currencies]
"""
    sql = "CREATE TABLE currencies (code text);\n"
    res = item(repo(tmp_path, {"0001_init.sql": sql}, service_yaml=yaml), "pay", ID)
    assert res.status == Status.WAIVED
    res = item(repo(tmp_path, {"0001_init.sql": sql + "CREATE TABLE other (x int);\n"}, service_yaml=yaml), "pay", ID)
    assert res.status == Status.FAIL
    assert [f.target for f in res.findings if f.level.value == "failure"] == ["other"]


def test_temporary_tables_and_ctas(tmp_path: Path) -> None:
    sql = "CREATE TEMP TABLE scratch (x int);\nCREATE TABLE copy AS SELECT 1 AS id;\n"
    res = item(repo(tmp_path, {"0001_init.sql": sql}), "pay", ID)
    assert [(f.line, f.target) for f in res.findings] == [(2, "copy")]


def test_partition_inherits_parent_columns(tmp_path: Path) -> None:
    sql = ("CREATE TABLE ev (id int, brand_id uuid NOT NULL) PARTITION BY LIST (id);\n"
           "CREATE TABLE ev_1 PARTITION OF ev FOR VALUES IN (1);\n")
    assert item(repo(tmp_path, {"0001_init.sql": sql}), "pay", ID).status == Status.PASS


def test_no_tables_is_skip(tmp_path: Path) -> None:
    res = item(repo(tmp_path, {"0001_init.sql": "CREATE INDEX CONCURRENTLY i ON x (y);\n"}), "pay", ID)
    assert res.status == Status.SKIP


def test_parse_error_fails_and_other_tables_still_judged(tmp_path: Path) -> None:
    sql = "CREATE TABLE a (id int);\nCREATE TABLE (;\nCREATE TABLE b (brand_id uuid NOT NULL);\n"
    res = item(repo(tmp_path, {"0001_init.sql": sql}), "pay", ID)
    assert [(f.line, f.message[:16]) for f in res.findings] == [(2, "SQL syntax error"), (1, "table a has no b")]


def test_embedded_statements_are_judged_on_their_own(tmp_path: Path) -> None:
    text = "CREATE TABLE cache (k text PRIMARY KEY);\nCREATE TABLE ok (brand_id uuid NOT NULL);\nSELECT 1;"
    sql = parse("services/pay/src/db.ts", text)
    defs = [d for st in sql.statements if (d := create_table_def(st, "services/pay/src/db.ts", st.line + 10))]
    assert [(d.name, d.ok, d.line, d.origin) for d in defs] == [("cache", False, 11, "code"), ("ok", True, 12, "code")]
    root = repo(tmp_path, {"0001_init.sql": "CREATE TABLE t (brand_id uuid NOT NULL);\n"})
    rp = replay(Workspace(root), "services/pay")
    assert [d.name for d in table_defs(rp, defs)] == ["t", "cache", "ok"]


def test_create_table_in_code_fails_the_item(tmp_path: Path) -> None:
    ts = 'import { db, sql } from "@platform/db";\n\nexport async function setup() {\n' \
         '  await db.none(sql`CREATE TABLE IF NOT EXISTS sessions (id text PRIMARY KEY)`);\n}\n'
    root = repo(tmp_path, {}, extra={"services/pay/src/setup.ts": ts})
    res = item(root, "pay", ID)
    assert res.status == Status.FAIL
    assert [(f.path, f.line, f.target) for f in res.findings] == [("services/pay/src/setup.ts", 4, "sessions")]
    assert "(SQL embedded in code)" in res.findings[0].message


# LIKE, INHERITS and ALTER TABLE on a parent: PostgreSQL's own answer, then the gate's. Each case
# is one migration; ``want`` is the tables whose brand_id ends NOT NULL after it.
NOT_NULL_CARRIED = {
    "like": ("CREATE TABLE a (id int, brand_id uuid NOT NULL);\nCREATE TABLE b (LIKE a);\n"
             "CREATE TABLE b2 (LIKE a INCLUDING ALL, extra int);\nCREATE TABLE b3 (LIKE a EXCLUDING ALL);\n",
             {"a", "b", "b2", "b3"}),
    "inherits": ("CREATE TABLE p (id int, brand_id uuid NOT NULL);\nCREATE TABLE c () INHERITS (p);\n"
                 "CREATE TABLE c2 (brand_id uuid, note text) INHERITS (p);\n", {"p", "c", "c2"}),
    "set-not-null-recurses": (
        "CREATE TABLE q (id int, brand_id uuid);\nCREATE TABLE qc () INHERITS (q);\nCREATE TABLE qg () INHERITS (qc);\n"
        "CREATE TABLE r (id int, brand_id uuid) PARTITION BY RANGE (id);\n"
        "CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (0) TO (10);\n"
        "ALTER TABLE q ALTER brand_id SET NOT NULL;\nALTER TABLE r ALTER COLUMN brand_id SET NOT NULL;\n",
        {"q", "qc", "qg", "r", "r1"}),
    "only-does-not-recurse": ("CREATE TABLE s (id int, brand_id uuid);\nCREATE TABLE sc () INHERITS (s);\n"
                              "ALTER TABLE ONLY s ALTER brand_id SET NOT NULL;\n", {"s"}),
    "drop-not-null-recurses": ("CREATE TABLE u (id int, brand_id uuid NOT NULL);\n"
                               "CREATE TABLE uc (brand_id uuid NOT NULL) INHERITS (u);\n"
                               "CREATE TABLE w (id int, brand_id uuid NOT NULL);\nCREATE TABLE wc () INHERITS (w);\n"
                               "ALTER TABLE u ALTER brand_id DROP NOT NULL;\n"
                               "ALTER TABLE ONLY w ALTER brand_id DROP NOT NULL;\n", {"wc"}),
    "like-copies-once": ("CREATE TABLE x (id int, brand_id uuid);\nCREATE TABLE xl (LIKE x);\n"
                         "ALTER TABLE x ALTER brand_id SET NOT NULL;\n", {"x"}),
}


def _gate_not_null(tmp_path: Path, sql: str) -> tuple[set[str], list[tuple[int, str | None, str]]]:
    res = item(repo(tmp_path, {"0001_init.sql": sql}), "pay", ID)
    tables = {line.split()[2] for line in sql.splitlines() if line.startswith("CREATE TABLE")}
    failed = {f.target for f in res.findings if f.target}
    return tables - failed, [(f.line, f.target, f.message) for f in res.findings]


@pytest.mark.parametrize("case", sorted(NOT_NULL_CARRIED))
def test_not_null_carried_by_like_inherits_and_alter_on_a_parent(tmp_path: Path, case: str) -> None:
    sql, want = NOT_NULL_CARRIED[case]
    ok, findings = _gate_not_null(tmp_path, sql)
    assert ok == want, findings
    lines = sql.splitlines()
    for line, target, message in findings:  # at its CREATE TABLE, or at the DROP NOT NULL that lost it
        if "DROP NOT NULL" in lines[line - 1]:
            assert message.startswith(f"table {target} loses its brand_id NOT NULL column here"), message
        else:
            assert lines[line - 1].startswith(f"CREATE TABLE {target} "), (line, target)
            assert message.startswith(f"table {target} has no brand_id NOT NULL column: add `brand_id uuid NOT NULL`")
    if case == "drop-not-null-recurses":  # the child loses it at the parent's DROP NOT NULL
        assert [(line, target) for line, target, _ in findings] == [(5, "u"), (5, "uc"), (6, "w")]


def test_like_of_a_table_with_brand_id_not_null_passes_with_its_message(tmp_path: Path) -> None:
    sql = ("CREATE TABLE a (id int, brand_id uuid NOT NULL);\nCREATE TABLE b (LIKE a INCLUDING ALL);\n"
           "CREATE TABLE n (id int);\nCREATE TABLE d (LIKE n);\n")
    res = item(repo(tmp_path, {"0001_init.sql": sql}), "pay", ID)
    assert res.status == Status.FAIL
    assert [(f.line, f.target) for f in res.findings] == [(3, "n"), (4, "d")]
    assert res.findings[1].message.startswith("table d has no brand_id NOT NULL column: add `brand_id uuid NOT NULL`")


def test_not_null_carried_agrees_with_postgresql(tmp_path: Path) -> None:
    """The cases above, run on a real PostgreSQL: attnotnull of each table's brand_id."""
    import psycopg

    from tests import pg

    srv = pg.start()
    try:
        for i, (case, (sql, want)) in enumerate(sorted(NOT_NULL_CARRIED.items())):
            with psycopg.connect(srv.url(), autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE c{i}")
            with psycopg.connect(srv.url(dbname=f"c{i}"), autocommit=True) as conn:
                conn.execute(sql)  # type: ignore[arg-type]  # the corpus is literal
                rows = conn.execute("SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                                    "WHERE a.attname = 'brand_id' AND a.attnotnull AND c.relkind IN ('r', 'p') "
                                    "AND c.relnamespace = 'public'::regnamespace").fetchall()
            assert {r[0] for r in rows} == want, case
            assert _gate_not_null(tmp_path / case, sql)[0] == want, case
    finally:
        srv.stop()
