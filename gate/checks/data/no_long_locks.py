"""data.no-long-locks: No long-running locks.

From the replay of the migrations (gate.sources.migrations): every operation the conventions
list, on a table not created in the same migration, and ``CONCURRENTLY`` inside ``BEGIN``.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, skipped, verdict
from gate.sources.migrations import Issue, replay


def check(ctx: Ctx) -> Result:
    rp = replay(ctx.ws, ctx.service.dir)
    if not rp.migrations:
        return skipped("no migrations")
    findings: list[Finding] = list(rp.errors)
    # one finding per statement: a missing lock_timeout is folded into the statement's other problem
    by_stmt: dict[tuple[str, int], list[Issue]] = {}
    for i in rp.locks:
        by_stmt.setdefault((i.where.path, i.where.stmt.offset), []).append(i)
    for issues in by_stmt.values():
        others = [i for i in issues if i.rule != "lock-timeout"]
        if not others:
            findings += [i.where.finding(i.message, i.table) for i in issues]
            continue
        note = " (no SET lock_timeout precedes it in this file)" if len(others) < len(issues) else ""
        findings += [i.where.finding(i.message + (note if n == 0 else ""), i.table) for n, i in enumerate(others)]
    n = sum(len(m.sql.statements) for m in rp.migrations)
    return verdict(findings, f"{len(rp.migrations)} migration(s), {n} statement(s): no long-running lock")
