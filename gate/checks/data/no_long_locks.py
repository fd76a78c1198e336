"""data.no-long-locks: No long-running locks.

From the replay of the migrations (gate.sources.migrations): every operation the conventions
list, on a table not created in the same migration, and ``CONCURRENTLY`` inside ``BEGIN``.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, skipped, verdict
from gate.sources.migrations import pg_version, replay


def check(ctx: Ctx) -> Result:
    rp = replay(ctx.ws, ctx.service.dir, pg_version(ctx.config))
    if not rp.migrations:
        return skipped("no migrations")
    findings: list[Finding] = list(rp.errors)
    findings += [i.where.finding(i.message, i.table, i.rule) for i in rp.locks]
    n = sum(len(m.sql.statements) for m in rp.migrations)
    return verdict(findings, f"{len(rp.migrations)} migration(s), {n} statement(s): no long-running lock")
