"""The migrations are the `.sql` files directly in `services/<name>/migrations/` (`NNNN_<slug>.sql`),
applied in lexical order; a misnamed `.sql` file there is still checked, down migrations
(`*.down.sql`) and subfolders are not.

Each migration statement on a table **not created in the same migration** (a new table has no
traffic to block), replayed in order (`gate/sources/sql/migrations.py`). Each finding points at the
statement's first keyword and names the fix; the rule names below are stable: each finding
carries its rule (`rule` in the JSON report, SARIF `ruleId` `data.no-long-locks/<rule>`; a
statement that does not parse: `syntax-error`), so users and tools can filter and compare.

| rule | fails | fix |
|---|---|---|
| `index-not-concurrent` | `CREATE [UNIQUE] INDEX` without `CONCURRENTLY` | `CREATE INDEX CONCURRENTLY` outside a transaction, after `SET lock_timeout` |
| `drop-index-not-concurrent` | `DROP INDEX` without `CONCURRENTLY` (an index created in the same migration is exempt) | `DROP INDEX CONCURRENTLY` |
| `reindex-not-concurrent` | `REINDEX` without `CONCURRENTLY` | `REINDEX (CONCURRENTLY) ...` |
| `constraint-not-valid` | `ADD CONSTRAINT ... FOREIGN KEY/CHECK` without `NOT VALID`; `ADD COLUMN ... REFERENCES/CHECK` | add it `NOT VALID`, then `VALIDATE CONSTRAINT` |
| `required-column` | `ADD COLUMN ... NOT NULL` without a `DEFAULT` | add it nullable or with a constant default, backfill |
| `volatile-default` | `ADD COLUMN` with a volatile `DEFAULT` (any function not known stable/immutable, e.g. `gen_random_uuid()`, `clock_timestamp()`, `random()`, user functions), a `serial` type, an identity or a stored generated column: each rewrites the table | add it without, backfill in batches |
| `column-type` | `ALTER COLUMN ... TYPE` | new column, backfill, switch, drop the old one (contract) |
| `set-not-null` | `SET NOT NULL` (or PostgreSQL 18's `ADD CONSTRAINT ... NOT NULL col` without `NOT VALID`) with no validated `CHECK (col IS NOT NULL)` earlier (same or earlier migration) | `ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT c`, then `SET NOT NULL` |
| `unique-not-using-index` | `ADD PRIMARY KEY` / `UNIQUE` / `EXCLUDE` not `USING INDEX`; `ADD COLUMN ... PRIMARY KEY/UNIQUE` | `CREATE UNIQUE INDEX CONCURRENTLY`, then `ADD CONSTRAINT ... USING INDEX` |
| `vacuum-full`, `cluster` | `VACUUM FULL`, `CLUSTER` | not in a migration (pg_repack) |
| `lock-table` | `LOCK TABLE` | remove it |
| `refresh-matview` | `REFRESH MATERIALIZED VIEW` without `CONCURRENTLY` | `REFRESH MATERIALIZED VIEW CONCURRENTLY` |
| `concurrently-in-transaction` | `CREATE INDEX` / `DROP INDEX` / `REINDEX` `CONCURRENTLY` inside `BEGIN ... COMMIT` (PostgreSQL rejects it; applies to new tables too) | run it outside the transaction block |
| `table-rewrite` | any other statement that rewrites an existing table under a lock that blocks writes (`SET LOGGED`/`UNLOGGED`, `SET ACCESS METHOD`, `SET TABLESPACE`, `SET EXPRESSION`...) | add the data to a new table, or a maintenance window |
| `scan-under-lock` | any other statement that reads every row of an existing table under a lock that blocks writes (e.g. `ALTER DOMAIN ... ADD CONSTRAINT` / `SET NOT NULL` scans each table with a column of the domain under `SHARE`) | the `NOT VALID` + `VALIDATE` form where there is one |
| `scan-in-transaction` | a scan (e.g. `VALIDATE CONSTRAINT`) of a table on which the same transaction already holds a lock that blocks writes: the scan runs under that lock. The transaction is the file's own `BEGIN ... COMMIT`, or the one the migration runner wraps the file in (a file with no transaction control of its own and no statement PostgreSQL refuses in a transaction block, e.g. `CONCURRENTLY`) | commit the `ADD ... NOT VALID` first (`COMMIT` before `VALIDATE`, or a migration of its own) |
| `domain-constraint` | `ALTER DOMAIN ... ADD CONSTRAINT` (without `NOT VALID`) / `SET NOT NULL` / `VALIDATE CONSTRAINT` on a domain these migrations did not create (which tables use it is unknown) | add the constraint `NOT VALID`, validate later |
| `lock-timeout` | a lock-taking statement on an existing table (any `ALTER TABLE`, `CREATE`/`DROP INDEX`, `REINDEX`, `DROP TABLE`, renames, `REFRESH ... CONCURRENTLY`, even in their safe forms) with no `SET lock_timeout` earlier in the file | `SET lock_timeout = '5s'` at the top of the file |

Every rule is about a lock level, a rewrite or a scan, as `gate/sources/sql/pglocks.py` models them
for each statement (the lock mode on each relation, whether the table is rewritten, whether every
row is read): `lock-timeout` is required for every lock that blocks writes (`SHARE` or stronger) on
an existing relation (`TRUNCATE`, `DROP TRIGGER`, `DROP VIEW`, `DROP POLICY`, `CREATE TRIGGER`, a
`CREATE TABLE` whose foreign key locks the referenced table in `SHARE ROW EXCLUSIVE`...), and the
specific rules above name the usual rewrites and scans. Options are read as PostgreSQL reads
them: `REINDEX (CONCURRENTLY false)` / `off` / `0` / `'false'` is a plain `REINDEX`, `VACUUM (FULL
off)` a plain `VACUUM`. A `DEFAULT` calling a function that is not a known stable/immutable built-in
of `pg_catalog` (a user-defined `uuid()`, a function of another schema, a built-in name the
migrations redefine) is volatile. A fix PostgreSQL refuses is never suggested (`REINDEX SYSTEM`
has no `CONCURRENTLY`, `EXCLUDE` has no `USING INDEX`, a partitioned table takes no `CREATE INDEX
CONCURRENTLY`).

SQL hidden in SQL is judged like top-level SQL, at its own line: the statements of a `DO $$ ...
$$` block and of a function or procedure body (PL/pgSQL through pglast's PL/pgSQL parser, or
`LANGUAGE sql`), and the text of an `EXECUTE` of a constant string (`'...'`, `$q$...$q$`, literals
joined with `||`), nested to 8 levels. An `EXECUTE` of a string built at run time
(`format(...)`, a variable) cannot be read before it runs: it fails the item with a finding
(`dynamic-sql`), as does a body in another procedural language.

`SET lock_timeout` counts until `RESET lock_timeout` / `SET lock_timeout = 0` / `DEFAULT`;
`SET LOCAL lock_timeout` counts only inside its transaction block.

No migrations → `skip`. A statement that does not parse is reported at the parser's position;
the rest of the file is still checked.

## What PostgreSQL does: the oracle

Each rule is about a lock level and a rewrite or scan, as PostgreSQL does them:

| rule | lock PostgreSQL takes (on the table unless said) | why it is long |
|---|---|---|
| `index-not-concurrent`, `reindex-not-concurrent` | `SHARE` (`REINDEX INDEX`: `SHARE` on the table, `ACCESS EXCLUSIVE` on the index) | the build reads every row |
| `drop-index-not-concurrent` | `ACCESS EXCLUSIVE` | policy: brief, but `CONCURRENTLY` takes none that blocks traffic |
| `constraint-not-valid` | `CHECK`: `ACCESS EXCLUSIVE`; `FOREIGN KEY`: `SHARE ROW EXCLUSIVE` on both tables | validation reads every row (and the referenced table) |
| `required-column` | `ACCESS EXCLUSIVE` | PostgreSQL refuses it on a table with rows |
| `volatile-default`, `column-type`, `table-rewrite` | `ACCESS EXCLUSIVE` | rewrite (a new `relfilenode`) |
| `set-not-null` | `ACCESS EXCLUSIVE` | reads every row (skipped with a validated `CHECK (col IS NOT NULL)`) |
| `unique-not-using-index` | `ACCESS EXCLUSIVE` (`ADD PRIMARY KEY`/`UNIQUE`/`EXCLUDE`) | the index build reads every row |
| `vacuum-full`, `cluster`, `refresh-matview` | `ACCESS EXCLUSIVE` | rewrite |
| `scan-under-lock` | `SHARE` or stronger (`ALTER DOMAIN ... ADD CONSTRAINT`: `SHARE` on each table of the domain) | reads every row |
| `scan-in-transaction` | the lock an earlier statement of the transaction holds | reads every row under it |
| `lock-table` | the mode named | policy: held until the transaction ends |
| `lock-timeout` | `SHARE` or stronger on an existing relation (policy: any `ALTER TABLE`, and `CREATE/DROP INDEX`, `REINDEX` even `CONCURRENTLY`) | queued behind a long transaction, it blocks every query queued behind it |

`tests/oracle/` proves it: a corpus of 400+ statements (every `ALTER TABLE` subcommand of
PostgreSQL's documentation, index and constraint forms, `REINDEX`/`VACUUM`/`CLUSTER`/`REFRESH`/
`TRUNCATE` options, triggers, rules, policies, domains, views, sequences, partitions
`ATTACH`/`DETACH [CONCURRENTLY]`, transactions around them) is applied to the PostgreSQL the tests
install, each inside a transaction on tables that hold rows; the server's own `pg_locks`,
`pg_class.relfilenode` and `pg_stat_xact_user_tables.seq_scan` say which lock each relation got,
whether it was rewritten and scanned. The gate's model (`gate/sources/sql/pglocks.py`, with the
replay's knowledge of the schema: partitions, inheritance, foreign keys, domains, views, indexes)
must say the same, and its verdicts must follow: 0 unexplained disagreements, each intended one
listed with its reason in `tests/oracle/test_oracle.py` (a function it cannot see through is
volatile; `timestamp` → `timestamptz` depends on the session time zone; `SET ACCESS METHOD` /
`SET TABLESPACE` to where the table already is; a trigger that may not exist). `ATTACH PARTITION`
reads every row of the table attached unless a validated `CHECK` states its bound (`col = v`,
`col IN (...)`, `col >= a AND col < b`, on a `NOT NULL` key): add it `NOT VALID`, `VALIDATE` it in
an earlier migration, then attach. What PostgreSQL refuses inside a transaction block (`CONCURRENTLY`, `VACUUM`,
`REINDEX SCHEMA`) runs in autocommit: the gate must know it is refused in a transaction, its
rewrite and scans are observed, its lock modes are PostgreSQL's documented ones.

## Compared with squawk

On the whole oracle corpus, [docs/locks.md](../locks.md) puts PostgreSQL's answer, squawk's and
prodgate's side by side, statement by statement (`tests/oracle/test_vs_squawk.py` keeps it up to
date): prodgate agrees with the server on whether a statement holds a blocking lock while it
rewrites or scans on 378 of 418 statements (the others are listed policies, stricter than the
lock), squawk on 330.


`tests/checks/test_data_vs_squawk.py` runs squawk (`squawk-cli`) on the shared corpus
`tests/fixtures/migrations/` and requires the same findings on every rule the two share. The
intended differences: squawk also flags tables created in the same file (the conventions exempt
them); squawk reports a missing `lock_timeout` once per file, prodgate at every statement that
needs it (compared on the first); squawk calls a `UNIQUE`/`PRIMARY KEY` constraint "missing NOT
VALID" (PostgreSQL has no NOT VALID for them: prodgate reports `unique-not-using-index`); squawk
has no rule for `VACUUM FULL`, `CLUSTER`, `LOCK TABLE`, `REFRESH MATERIALIZED VIEW`; prodgate also
flags a `CHECK` given with `ADD COLUMN` (validated against every row) and `ADD COLUMN ... serial`
(a volatile `nextval()` default rewrites the table), which squawk does not; PostgreSQL 18's
`ADD CONSTRAINT ... NOT NULL col` is flagged by both, under different names.

## Evidence

repo: migrations parsed with pglast and replayed.

## How to fix

Follow the message: each one names the safe form of the operation.

## How to waive

```yaml
targets: [services/pay/migrations/0007_backfill.sql:12]   # optional: a path[:line]
```
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, skipped, verdict
from gate.sources.sql.migrations import pg_version, replay


def check(ctx: Ctx) -> Result:
    rp = replay(ctx.ws, ctx.service.dir, pg_version(ctx.config))
    if not rp.migrations:
        return skipped("no migrations")
    findings: list[Finding] = list(rp.errors)
    findings += [i.where.finding(i.message, i.table, i.rule) for i in rp.locks]
    n = sum(len(m.sql.statements) for m in rp.migrations)
    return verdict(findings, f"{len(rp.migrations)} migration(s), {n} statement(s): no long-running lock")
