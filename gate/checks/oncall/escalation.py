"""oncall.escalation: Escalation path documented in RUNBOOK.md (an "Escalation" section listing
at least two levels, one list item each)."""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, failed, passed
from gate.sources.mdsections import escalation_levels, section


def check(ctx: Ctx) -> Result:
    path = ctx.path("RUNBOOK.md")
    doc = ctx.ws.markdown(path)
    if doc is None:
        return failed(Finding("RUNBOOK.md is missing: add it with an '## Escalation' section listing at least "
                              "two escalation levels", path))
    s = section(doc, "Escalation")
    if s is None:
        line = doc.title_line
        return failed(Finding("RUNBOOK.md has no 'Escalation' section: add '## Escalation' listing at least two "
                              "levels (one list item each: who, how to reach them)", path, line, line))
    n = escalation_levels(s)
    if n < 2:
        line = s.heading.line
        return failed(Finding(f"RUNBOOK.md section '{s.heading.text}' lists {n} escalation level(s): list at least "
                              "two (one list item per level)", path, line, line))
    return passed(f"RUNBOOK.md '{s.heading.text}' lists {n} escalation levels")
