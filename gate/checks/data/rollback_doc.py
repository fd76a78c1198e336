"""When the service has migrations (`migrations/NNNN_<slug>.sql`), `RUNBOOK.md` has a non-empty
"Rollback" section (a heading of any level containing "rollback", case-insensitive) whose text
mentions migrations (any word starting with "migrat"). No migrations → `skip`.

## Evidence

repo: RUNBOOK.md parsed as CommonMark.

## How to fix

Say how the database side is rolled back: down migrations and how to run them, a restore
procedure, or why the migrations are expand-only and need none. A missing section is reported at
the runbook's title heading, a section that does not mention migrations at its heading.
"""

from __future__ import annotations

import re

from gate.context import Ctx
from gate.model import Finding, Result, failed, passed, skipped
from gate.sources.markdown.sections import section
from gate.sources.sql.migrations import migration_files

MENTION = re.compile(r"migrat", re.IGNORECASE)


def check(ctx: Ctx) -> Result:
    n = len(migration_files(ctx.ws, ctx.service.dir))
    if n == 0:
        return skipped("no migrations")
    path = ctx.path("RUNBOOK.md")
    doc = ctx.ws.markdown(path)
    if doc is None:
        return failed(Finding(f"RUNBOOK.md is missing: add it with a Rollback section that says how the "
                              f"{n} migration(s) are rolled back", path))
    sec = section(doc, "rollback")
    if sec is None:
        return failed(Finding("RUNBOOK.md has no 'Rollback' section: add one that says how migrations are "
                              "rolled back (down migrations, restore, or why expand-only needs none)",
                              path, doc.title_line, doc.title_line))
    line = sec.heading.line
    if not sec.text.strip():
        return failed(Finding("the Rollback section of RUNBOOK.md is empty: say how migrations are rolled back",
                              path, line, line))
    if not MENTION.search(sec.text):
        return failed(Finding("the Rollback section of RUNBOOK.md does not mention migrations: say how the "
                              "database migrations are rolled back (down migrations, restore, or why "
                              "expand-only migrations need none)", path, line, line))
    return passed(f"RUNBOOK.md 'Rollback' (line {line}) covers migrations ({n} migration(s))")
