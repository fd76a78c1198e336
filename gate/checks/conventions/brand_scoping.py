"""Every SQL statement in code — a `sql` tagged template, or the string given to `db.query`/`db.one`/`db.many`/`db.none` (a literal, a template or a module constant) — is parsed as PostgreSQL with pglast, interpolations read as `$1, $2 ...`. SELECT (every sub-select, and each arm of a `UNION`/`INTERSECT`/`EXCEPT`) must constrain the `brand_id` of each table it reads, UPDATE/DELETE that of its table and of the tables of `UPDATE ... FROM` / `DELETE ... USING`, in WHERE or a JOIN condition; `MERGE` in its `ON`; INSERT (and a `MERGE`'s `INSERT`) must name `brand_id` among its columns; `TRUNCATE` (every brand's rows) fails. CTE names are not tables.

"Constrain" means pin to a value: an `AND`-ed term of the condition (not under `OR` or `NOT`, not inside a sub-select) `brand_id = <value>`, `brand_id IN (<values>)`, `brand_id = ANY(<value>)` or `brand_id IN (SELECT ...)`, where the value names no column (a parameter, a constant, a cast of one); or `a.brand_id = b.brand_id` with `b` pinned (or a table of the outer query, for a correlated sub-select). An outer join's `ON` pins only its nullable side. `brand_id IS NOT NULL`, `brand_id = brand_id` or a join of two tables' `brand_id`s neither of which is pinned constrain nothing. An unqualified `brand_id` is read as each table's.

The platform's `db` and `sql` are found by where they come from (config `helper_modules.db_object` / `sql_tag`, default `@platform/db`), as the platform helpers are: under another name (`import { db as pool, sql as q } from "@platform/db"`), through a namespace import (`database.db.many(...)`, ``database.sql`...` ``), a `const d = db` or a barrel of the service. A `db` or `sql` written by that name counts too unless the service builds it itself (a local function or class, an object literal, what a local function returns: `const db = makeFake()`); a parameter, `c.var.db` or another package's client (`new Pool()`) named `db` still counts: the gate cannot prove it is not the database.

The SQL given to `db.query/one/many/none` is followed through `const` bindings (any scope, imports of the service's files, members of constant objects); one the gate cannot read before it runs (a concatenation, a parameter, a `let`, a call's result) is a finding at its line: its scoping cannot be judged. Tables named in the targets of an unexpired `data.brand-id` waiver are exempt. An embedded statement that does not parse is a finding.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

## Evidence

repo: embedded SQL; each finding is at the statement's first keyword in the TypeScript file and names the table (`target`).

## How to fix

Add `AND brand_id = ${c.var.brandId}` to the WHERE clause, or `brand_id` to the INSERT's columns.

## How to waive

```yaml
targets: [<table>]   # optional: only findings on these tables
```

Tables named in an unexpired `data.brand-id` waiver's `targets` are exempt from this item too.
"""

from gate import countersign
from gate.checks._code import code_model, judge, nothing, plural
from gate.checks.conventions._brand_sql import brand_problems
from gate.context import Ctx
from gate.model import Finding, Result


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    if not m.statements and not m.sql_errors:
        return nothing(m, "no SQL statements in code")
    exempt = countersign.waived_targets(ctx, "data.brand-id")
    out: list[Finding] = list(m.sql_errors)
    for st in m.statements:
        for p in brand_problems(st.statement.kind, st.statement.fields, exempt):
            out.append(Finding(p.message, st.path, st.line, st.line, target=p.table))
    note = f" ({', '.join(sorted(exempt))} exempt by data.brand-id waiver)" if exempt else ""
    return judge(m, out, f"{plural(len(m.statements), 'SQL statement')} in code, each scoped by brand_id{note}")
