"""artifacts.runbook: RUNBOOK.md exists with: alarms, dashboards, remediation, escalation, recent incidents.

Per the conventions: non-empty sections "Alarms", "Dashboards", "Remediation", "Escalation",
"Recent incidents" (a section saying "None" is fine; empty is not, and a section counts by what it
renders to: HTML comments, hidden elements, link definitions, zero-width characters say nothing) and
"Rollback", and an
Escalation section listing at least two levels (two list items). A missing section is reported
at the document's title heading, an empty one at its own heading.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, failed, verdict
from gate.sources.mdsections import escalation_levels, section, shows

SECTIONS: tuple[tuple[str, str], ...] = (
    ("Alarms", "the alarms that page for this service and what each means"),
    ("Dashboards", "links to the service's dashboards"),
    ("Remediation", "what to do for each alarm"),
    ("Escalation", "who to escalate to, level by level (a list of at least two)"),
    ("Recent incidents", "recent incidents with links, or \"None\""),
    ("Rollback", "how to roll the service back"),
)


def check(ctx: Ctx) -> Result:
    path = ctx.path("RUNBOOK.md")
    doc = ctx.ws.markdown(path)
    if doc is None:
        names = ", ".join(n for n, _ in SECTIONS)
        return failed(Finding(f"RUNBOOK.md is missing: add it at the service root with sections {names}", path))
    findings: list[Finding] = []
    for name, what in SECTIONS:
        s = section(doc, name)
        if s is None:
            line = doc.title_line
            findings.append(Finding(f"RUNBOOK.md has no '{name}' section: add a '## {name}' heading with {what}",
                                    path, line, line))
        elif not shows(s):
            line = s.heading.line
            findings.append(Finding(f"RUNBOOK.md section '{s.heading.text}' is empty: write {what}", path, line, line))
        elif name == "Escalation" and escalation_levels(s) < 2:
            line = s.heading.line
            findings.append(Finding(f"RUNBOOK.md section '{s.heading.text}' lists {escalation_levels(s)} escalation "
                                    "level(s): list at least two (one list item per level)", path, line, line))
    findings.sort(key=lambda f: f.line or 0)
    return verdict(findings, "RUNBOOK.md has non-empty Alarms, Dashboards, Remediation, Escalation (2+ levels), "
                             "Recent incidents and Rollback sections")
