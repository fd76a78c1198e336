"""Every `CREATE TABLE` the gate parses for the service has a `brand_id` column that is `NOT NULL`:

- **Migrations** (`services/<name>/migrations/NNNN_<slug>.sql`, lexical order), judged on the
  state after the last migration: a later `ALTER TABLE t ADD COLUMN brand_id ... NOT NULL` or
  `ALTER TABLE t ALTER COLUMN brand_id SET NOT NULL` counts; a later `DROP COLUMN brand_id`,
  `DROP NOT NULL` or `RENAME COLUMN brand_id` fails at that statement. `PRIMARY KEY` implies
  `NOT NULL`; a partition (`PARTITION OF`) or an inheritance child (`INHERITS (p)`) inherits its
  parent's columns with their `NOT NULL`, even where it declares the column again;
  `CREATE TABLE b (LIKE a)` copies `a`'s columns as they are at that point, `NOT NULL` always
  (whatever `INCLUDING`/`EXCLUDING` says: PostgreSQL does), and later changes to `a` do not
  reach `b`; `ALTER TABLE p ALTER brand_id SET NOT NULL` / `DROP NOT NULL` on a parent reaches
  every partition and inheritance child, except with `ONLY` (which leaves inheritance children as
  they were; a partitioned table refuses `ONLY ... SET NOT NULL` unless its partitions have it) —
  each as PostgreSQL does it (checked against a real server in the tests); `CREATE TABLE ... AS`
  makes nullable columns (it needs a later `SET NOT NULL`). Tables dropped later are not judged;
  renamed tables are judged under their final name. Temporary tables are not judged.
- **SQL embedded in code** (`sql` templates and strings given to `db.query/one/many/none`, read by
  `gate.checks._code.embedded_sql`): each `CREATE TABLE` on its own columns (a `LIKE` or
  `INHERITS` there names a table the gate does not see in that statement: it fails).

No `CREATE TABLE` anywhere → `skip`. A migration that does not parse fails the item at the
parser's position; the other statements are still judged.

SQL hidden in SQL is judged like top-level SQL, at its own line: the statements of a `DO $$ ...
$$` block and of a function or procedure body (PL/pgSQL through pglast's PL/pgSQL parser, or
`LANGUAGE sql`), and the text of an `EXECUTE` of a constant string (`'...'`, `$q$...$q$`, literals
joined with `||`), nested to 8 levels. An `EXECUTE` of a string built at run time
(`format(...)`, a variable) cannot be read before it runs: it fails the item with a finding
(`dynamic-sql`), as does a body in another procedural language.
`SELECT ... INTO t` creates table `t` (like `CREATE TABLE AS`, without the source's `NOT NULL`):
it is judged too.

## Evidence

repo: SQL parsed with pglast (the PostgreSQL 18 parser), replayed in order
(`gate/sources/sql/migrations.py`).

## How to fix

The finding points at the `CREATE TABLE` (its first keyword, after comments) or at the statement
that removed the column. Add `brand_id uuid NOT NULL`, or add it in a new migration (nullable,
backfill, `CHECK (brand_id IS NOT NULL) NOT VALID`, `VALIDATE`, `SET NOT NULL`).

A global table that holds no brand data (ISO currencies) is what a waiver with `targets` is for;
each finding's target is the table name, and tables named there are also exempt from
`conventions.brand-scoping`.

## How to waive

```yaml
targets: [currencies]         # optional: only these tables
```
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, skipped, verdict
from gate.sources.sql.migrations import TableDef, create_table_def, pg_version, replay, table_defs


def embedded_table_defs(ctx: Ctx) -> list[TableDef]:
    """``CREATE TABLE`` statements in SQL embedded in the service's code (gate.sources.ts.code)."""
    from gate.checks._code import embedded_sql

    out: list[TableDef] = []
    for es in embedded_sql(ctx):
        d = create_table_def(es.statement, es.path, es.line)
        if d is not None:
            out.append(d)
    return out


def check(ctx: Ctx) -> Result:
    rp = replay(ctx.ws, ctx.service.dir, pg_version(ctx.config))
    defs = [d for d in table_defs(rp, embedded_table_defs(ctx)) if not d.temp]
    if not defs and not rp.errors:
        return skipped("no CREATE TABLE in the migrations or in SQL embedded in code")
    findings: list[Finding] = list(rp.errors)
    for d in defs:
        if d.ok:
            continue
        if d.lost:
            msg = (f"table {d.name} loses its brand_id NOT NULL column here: every table keeps "
                   f"brand_id NOT NULL (or waive it with targets: [{d.name}])")
        else:
            where = "" if d.origin == "migration" else " (SQL embedded in code)"
            msg = (f"table {d.name}{where} has no brand_id NOT NULL column: add `brand_id uuid NOT NULL`, "
                   f"or ALTER TABLE {d.name} ALTER COLUMN brand_id SET NOT NULL in a later migration "
                   f"(or waive it with targets: [{d.name}])")
        findings.append(Finding(msg, d.path, d.line, max(d.line, d.end_line), target=d.name))
    return verdict(findings, f"{len(defs)} table(s), each with brand_id NOT NULL")
