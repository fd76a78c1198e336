"""conventions.brand-scoping: SQL in code constrains or sets ``brand_id``.

Every SQL statement in code (a ``sql`` tagged template, or the string given to
``db.query/one/many/none``) is parsed as PostgreSQL (interpolations become parameters):
SELECT/UPDATE/DELETE on a table constrain ``brand_id`` in WHERE, INSERT sets ``brand_id``.
Tables named in an unexpired ``data.brand-id`` waiver's targets are exempt.
"""

from gate.checks._code import code_model, judge, nothing, plural
from gate.checks.conventions._brand_sql import brand_problems
from gate.context import Ctx
from gate.model import Finding, Result


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    if not m.statements and not m.sql_errors:
        return nothing(m, "no SQL statements in code")
    exempt = ctx.waived_targets("data.brand-id")
    out: list[Finding] = list(m.sql_errors)
    for st in m.statements:
        for p in brand_problems(st.statement.kind, st.statement.fields, exempt):
            out.append(Finding(p.message, st.path, st.line, st.line, target=p.table))
    note = f" ({', '.join(sorted(exempt))} exempt by data.brand-id waiver)" if exempt else ""
    return judge(m, out, f"{plural(len(m.statements), 'SQL statement')} in code, each scoped by brand_id{note}")
