from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import INDEX, INDEX_TS, SERVICE_YAML, line_of, run

REPO = "services/payments/src/repo.ts"


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "conventions.brand-scoping")
    assert r.status == Status.PASS, r.findings
    assert "2 SQL statements" in r.reason


def test_select_missing_brand_id_fails_at_statement_line(tmp_path: Path) -> None:
    src = INDEX_TS.replace(" AND brand_id = ${c.var.brandId}", "")
    r = run(tmp_path, "conventions.brand-scoping", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.path == INDEX and f.line == line_of(src, "sql`SELECT * FROM payments")
    assert f.target == "payments"
    assert "SELECT from payments does not constrain brand_id" in f.message


def test_statement_line_maps_inside_multiline_template(tmp_path: Path) -> None:
    code = """
    import { sql, db } from "@platform/db";
    export async function f(id: string) {
      return db.many(sql`
        -- list refunds
        SELECT * FROM refunds WHERE payment_id = ${id}`);
    }
    """
    r = run(tmp_path, "conventions.brand-scoping", extra={REPO: code})
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.path == REPO and f.line == 5


def test_insert_without_brand_id_and_update_delete(tmp_path: Path) -> None:
    code = """
    import { db } from "@platform/db";
    const DEL = "DELETE FROM sessions WHERE id = $1";
    export async function f(id: string) {
      await db.none(`INSERT INTO events (id, kind) VALUES (${id}, 'x')`);
      await db.query(`UPDATE payments SET status = 'paid' WHERE id = ${id}`);
      await db.none(DEL, [id]);
      await db.none(`UPDATE payments SET status = 'x' WHERE id = ${id} AND brand_id = ${id}`);
    }
    """
    r = run(tmp_path, "conventions.brand-scoping", extra={REPO: code})
    assert r.status == Status.FAIL
    got = sorted((f.line, f.target) for f in r.findings)
    assert got == [(2, "sessions"), (4, "events"), (5, "payments")]
    assert any("INSERT into events does not set brand_id" in f.message for f in r.findings)


def test_waived_table_is_exempt(tmp_path: Path) -> None:
    code = 'import { sql } from "@platform/db";\nexport const q = sql`SELECT code FROM currencies`;\n'
    yml = SERVICE_YAML + """readiness:
  waivers:
    - item: data.brand-id
      reason: Global lookup table of ISO currencies.
      approved_by: carol
      expires: 2027-01-31
      targets: [currencies]
"""
    r = run(tmp_path, "conventions.brand-scoping", extra={REPO: code}, service_yaml=yml)
    assert r.status == Status.PASS, r.findings


def test_sql_in_a_comment_or_plain_string_is_not_sql(tmp_path: Path) -> None:
    code = '// sql`SELECT * FROM payments`\nexport const s = "SELECT * FROM payments";\n'
    r = run(tmp_path, "conventions.brand-scoping", extra={REPO: code})
    assert r.status == Status.PASS, r.findings


def test_no_sql_is_skip(tmp_path: Path) -> None:
    src = INDEX_TS.replace("db.one(sql`SELECT * FROM payments\n    WHERE id = ${c.req.param(\"id\")} AND brand_id = ${c.var.brandId}`)", "Promise.resolve({})")
    src = src.replace('await db.none("INSERT INTO payments (id, brand_id) VALUES ($1, $2)", [charge.id, c.var.brandId]);', "")
    r = run(tmp_path, "conventions.brand-scoping", index=src)
    assert r.status == Status.SKIP, r.findings


def _one_query(tmp_path: Path, query: str) -> tuple[Status, list[tuple[int | None, str | None, str]]]:
    code = ('import { db, sql } from "@platform/db";\n'
            "export async function f(id: string, b: string, cond: string) {\n"
            f"  return db.many({query});\n"
            "}\n")
    r = run(tmp_path, "conventions.brand-scoping", extra={REPO: code})
    return r.status, sorted((f.line, f.target, f.message) for f in r.findings)


def test_brand_id_must_be_pinned_not_just_mentioned(tmp_path: Path) -> None:
    """"SELECT/UPDATE/DELETE on a table must constrain brand_id in WHERE": a brand_id under OR, a
    test for NULL, a comparison with itself, one only inside a sub-select, or a join of two
    tables' brand_ids with neither pinned constrains nothing."""
    evasions = [
        "sql`SELECT * FROM payments WHERE id = ${id} OR brand_id = ${b}`",
        "sql`SELECT * FROM payments WHERE id = ${id} AND brand_id IS NOT NULL`",
        "sql`SELECT * FROM payments WHERE id = ${id} AND brand_id = brand_id`",
        "sql`SELECT * FROM payments WHERE id IN (SELECT payment_id FROM refunds WHERE brand_id = ${b})`",
        "sql`SELECT * FROM payments p JOIN refunds r ON r.payment_id = p.id AND r.brand_id = p.brand_id`",
        "sql`SELECT * FROM payments p LEFT JOIN refunds r ON r.payment_id = p.id AND p.brand_id = ${b} "
        "WHERE r.brand_id = p.brand_id`",
    ]
    for i, q in enumerate(evasions):
        status, got = _one_query(tmp_path / str(i), q)
        assert status == Status.FAIL, q
        assert (3, "payments", "SELECT from payments does not constrain brand_id: add `"
                + ("p" if " p " in q else "payments") + ".brand_id = ${brandId}` to WHERE"
                ) in got, (q, got)
    pinned = [
        "sql`SELECT * FROM payments WHERE (id = ${id} AND brand_id = ${b}::uuid)`",
        "sql`SELECT * FROM payments WHERE brand_id = ANY(${b}) OR FALSE AND id = 1`".replace(" OR FALSE", ""),
        "sql`SELECT * FROM payments p JOIN refunds r ON r.payment_id = p.id AND r.brand_id = p.brand_id "
        "WHERE p.brand_id = ${b}`",
        "sql`SELECT * FROM payments p WHERE p.brand_id = ${b} AND EXISTS (SELECT 1 FROM refunds r "
        "WHERE r.payment_id = p.id AND r.brand_id = p.brand_id)`",
    ]
    for i, q in enumerate(pinned):
        status, got = _one_query(tmp_path / f"ok{i}", q)
        assert status == Status.PASS, (q, got)


def test_every_table_a_statement_touches_is_judged(tmp_path: Path) -> None:
    """The arms of a UNION, the tables of UPDATE ... FROM / DELETE ... USING, MERGE, TRUNCATE."""
    cases = {
        "sql`SELECT id FROM payments WHERE brand_id = ${b} UNION SELECT id FROM refunds`":
            (3, "refunds", "SELECT from refunds does not constrain brand_id"),
        "sql`UPDATE payments SET note = ${id} FROM refunds r WHERE payments.brand_id = ${b} "
        "AND r.payment_id = payments.id`":
            (3, "refunds", "UPDATE of payments FROM refunds does not constrain brand_id"),
        "sql`DELETE FROM payments USING refunds r WHERE payments.brand_id = ${b} AND r.payment_id = payments.id`":
            (3, "refunds", "DELETE from payments USING refunds does not constrain brand_id"),
        "sql`MERGE INTO payments p USING staged s ON p.id = s.id AND s.brand_id = ${b} "
        "WHEN MATCHED THEN UPDATE SET note = s.note`":
            (3, "payments", "MERGE on payments does not constrain brand_id"),
        "sql`TRUNCATE payments`": (3, "payments", "TRUNCATE payments removes the rows of every brand"),
    }
    for i, (q, (line, table, msg)) in enumerate(cases.items()):
        status, got = _one_query(tmp_path / str(i), q)
        assert status == Status.FAIL, q
        assert len(got) == 1 and got[0][:2] == (line, table) and got[0][2].startswith(msg), (q, got)
    status, got = _one_query(tmp_path / "merge-ok", "sql`MERGE INTO payments p USING staged s ON p.id = s.id "
                             "AND p.brand_id = ${b} AND s.brand_id = p.brand_id WHEN NOT MATCHED THEN "
                             "INSERT (id, brand_id) VALUES (s.id, s.brand_id)`")
    assert status == Status.PASS, got


def test_sql_the_gate_cannot_read_is_a_finding_not_a_skip(tmp_path: Path) -> None:
    """Fail closed: the string given to db.query/one/many/none is parsed; one built at run time
    (concatenation, a parameter, a let, a call) cannot be, and fails the item at its line."""
    for i, arg in enumerate(['"SELECT * FROM payments WHERE " + cond', "cond", "build(id)"]):
        status, got = _one_query(tmp_path / str(i), arg)
        assert status == Status.FAIL, arg
        (f,) = got
        assert f[0] == 3 and f[2].startswith("the SQL given to db.many(...) is not a string, a template or a "
                                             "`sql` template the gate can read before it runs"), got
    code = ('import { db, sql } from "@platform/db";\n'
            "export async function f(b: string) {\n"
            '  const q = "SELECT * FROM payments WHERE brand_id = $1";\n'
            "  const t = sql`SELECT * FROM refunds WHERE brand_id = ${b}`;\n"
            "  await db.one(t);\n"
            "  return db.many(q, [b]);\n"
            "}\n")
    r = run(tmp_path / "const", "conventions.brand-scoping", extra={REPO: code})
    assert r.status == Status.PASS, r.findings


def test_platform_db_and_sql_under_other_names_are_found_by_binding(tmp_path: Path) -> None:
    """Fail closed: the platform's db and sql tag are found by where they come from, not only by
    name — an import alias, a namespace import, a const alias, a barrel of the service — as
    helper_calls finds the other platform helpers; SQL given to them is judged."""
    msg = "SELECT from payments does not constrain brand_id: add `payments.brand_id = ${brandId}` to WHERE"
    cases = {
        "alias": ('import { db as pool, sql as q } from "@platform/db";\n'
                  "export async function f(id: string) {\n"
                  "  await pool.one(q`SELECT * FROM refunds WHERE id = ${id} AND brand_id = ${id}`);\n"
                  "  return pool.many(`SELECT * FROM payments WHERE id = ${id}`);\n"
                  "}\n", 4),
        "namespace": ('import * as database from "@platform/db";\n'
                      "export async function f(id: string) {\n"
                      "  await database.db.none(\"UPDATE refunds SET x = 1 WHERE brand_id = $1\", [id]);\n"
                      "  return database.db.many(database.sql`SELECT * FROM payments WHERE id = ${id}`);\n"
                      "}\n", 4),
        "const": ('import { db } from "@platform/db";\n'
                  "const d = db;\n"
                  "export async function f(id: string) {\n"
                  '  return d.many("SELECT * FROM payments WHERE id = $1", [id]);\n'
                  "}\n", 4),
        "tag-alias": ('import { sql as q } from "@platform/db";\n'
                      "export const all = q`SELECT * FROM payments`;\n", 2),
    }
    for name, (code, line) in cases.items():
        r = run(tmp_path / name, "conventions.brand-scoping", extra={REPO: code})
        assert r.status == Status.FAIL, (name, r.findings)
        assert [(f.path, f.line, f.message) for f in r.findings] == [(REPO, line, msg)], (name, r.findings)
    barrel = {"services/payments/src/lib/index.ts": 'export { db as database } from "@platform/db";\n',
              REPO: 'import { database } from "./lib";\n'
                    "export async function f(id: string) {\n"
                    "  return database.many(`SELECT * FROM payments WHERE id = ${id}`);\n"
                    "}\n"}
    r = run(tmp_path / "barrel", "conventions.brand-scoping", extra=barrel)
    assert r.status == Status.FAIL and [(f.line, f.message) for f in r.findings] == [(3, msg)], r.findings


def test_a_local_look_alike_db_is_not_the_platform_db(tmp_path: Path) -> None:
    """A `db` the service builds itself (from a local function, an object literal) is not the
    platform's db; one the gate cannot trace (a parameter, `c.var.db`) or a client of another
    package still is: SQL given to it is judged."""
    fake = ('import { sql } from "@platform/db";\n'
            "function makeFake() { return { many: (_q: string) => [] }; }\n"
            "const db = makeFake();\n"
            "const other = { db: { one: (_q: string) => 1 } };\n"
            "export async function f(id: string) {\n"
            "  other.db.one(`SELECT * FROM refunds WHERE id = ${id}`);\n"
            "  return db.many(`SELECT * FROM payments WHERE id = ${id}`);\n"
            "}\n")
    r = run(tmp_path / "fake", "conventions.brand-scoping", extra={REPO: fake})
    assert r.status == Status.PASS and "2 SQL statements" in r.reason, (r.findings, r.reason)  # index.ts's two
    msg = "SELECT from payments does not constrain brand_id: add `payments.brand_id = ${brandId}` to WHERE"
    for name, code, line in [
        ("param", "export async function f(db: any, id: string) {\n"
                  "  return db.many(`SELECT * FROM payments WHERE id = ${id}`);\n}\n", 2),
        ("ctx", "export async function f(c: any, id: string) {\n  const db = c.var.db;\n"
                "  return db.many(`SELECT * FROM payments WHERE id = ${id}`);\n}\n", 3),
        ("pg", 'import { Pool } from "pg";\nconst db = new Pool();\n'
               "export async function f(id: string) {\n"
               "  return db.query(`SELECT * FROM payments WHERE id = ${id}`);\n}\n", 4),
    ]:
        r = run(tmp_path / name, "conventions.brand-scoping", extra={REPO: code})
        assert r.status == Status.FAIL, (name, r.findings)
        assert [(f.line, f.message) for f in r.findings] == [(line, msg)], (name, r.findings)
