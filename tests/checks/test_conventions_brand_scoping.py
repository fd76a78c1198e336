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
    src = INDEX_TS.replace("sql`SELECT * FROM payments\n    WHERE id = ${c.req.param(\"id\")} AND brand_id = ${c.var.brandId}`", "q")
    src = src.replace('await db.none("INSERT INTO payments (id, brand_id) VALUES ($1, $2)", [charge.id, c.var.brandId]);', "")
    r = run(tmp_path, "conventions.brand-scoping", index=src)
    assert r.status == Status.SKIP, r.findings
