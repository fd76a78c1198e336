"""`services/<name>/RUNBOOK.md` has non-empty sections "Alarms", "Dashboards", "Remediation", "Escalation", "Recent incidents" and "Rollback" (headings of any level, matched case-insensitively; a section saying "None" is fine, an empty one is not), and its Escalation section lists at least two levels (two list items that show text; also reported by `oncall.escalation`). Text counts by what it renders to (`gate/sources/markdown/parse.py` `visible_text`): HTML comments, hidden elements (`hidden`, `aria-hidden`, `display: none`, `<template>`), link reference definitions and characters that show nothing (zero-width, BOM, soft hyphen) do not make it non-empty, nor do the titles of its sub-sections (a section holding only `### Steps` is empty). A heading that does not show on the rendered page (inside a hidden element opened before it, such as `<div hidden>` … `</div>` around the section) is not a section: the finding is at that heading. That Rollback mentions migrations is `data.rollback-doc`'s business.

## Evidence

repo: RUNBOOK.md parsed as CommonMark.

## How to fix

A missing section is reported at the runbook's title heading: add it. An empty section is reported at its heading: write its content (or "None" for recent incidents).
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, failed, verdict
from gate.sources.markdown.sections import escalation_levels, hidden_message, hidden_section, section, shows

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
            h = hidden_section(doc, name)
            if h is not None:
                line = h.heading.line
                findings.append(Finding(f"RUNBOOK.md has no '{name}' section that shows: {hidden_message(h)}",
                                        path, line, line))
                continue
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
