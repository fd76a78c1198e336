"""data.brand-id: Every table has brand_id NOT NULL.

Every ``CREATE TABLE`` the gate parses for the service: the migrations (judged on the state after
the last one, so a later ``ADD COLUMN brand_id ... NOT NULL`` or ``SET NOT NULL`` counts) and SQL
embedded in the service's code (judged on its own statement). Temporary tables are not judged.
Each finding's ``target`` is the table name, which a waiver's ``targets`` may name.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, skipped, verdict
from gate.sources.migrations import TableDef, create_table_def, pg_version, replay, table_defs


def embedded_table_defs(ctx: Ctx) -> list[TableDef]:
    """``CREATE TABLE`` statements in SQL embedded in the service's code (gate.sources.code)."""
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
