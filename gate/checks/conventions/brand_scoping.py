"""Every SQL statement in code — a `sql` tagged template, or the string given to `db.query`/`db.one`/`db.many`/`db.none` (a literal, a template or a module constant) — is parsed as PostgreSQL with pglast, interpolations read as `$1, $2 ...`. SELECT (and every sub-select) must reference the `brand_id` of each table it reads in WHERE or a JOIN condition; UPDATE/DELETE must reference `brand_id` in WHERE; INSERT must name `brand_id` among its columns. CTE names are not tables. Tables named in the targets of an unexpired `data.brand-id` waiver are exempt. An embedded statement that does not parse is a finding.

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
