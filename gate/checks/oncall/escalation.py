"""RUNBOOK.md has an "Escalation" section listing at least two levels (two top-level list items that show text). Text counts by what it renders to (`gate/sources/markdown/parse.py` `visible_text`): HTML comments, hidden elements (`hidden`, `aria-hidden`, `display: none`, `<template>`), link reference definitions and characters that show nothing (zero-width, BOM, soft hyphen) do not make it non-empty. A heading that does not show on the rendered page (inside a hidden element opened before it, such as `<div hidden>` … `</div>` around the section) is not a section: the finding is at that heading.

## Evidence

repo: RUNBOOK.md.

## How to fix

Add `## Escalation` with one list item per level (who, how to reach them). Reported at the section's heading, or at the runbook's title when the section is missing.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, failed, passed
from gate.sources.markdown.sections import escalation_levels, hidden_message, hidden_section, section


def check(ctx: Ctx) -> Result:
    path = ctx.path("RUNBOOK.md")
    doc = ctx.ws.markdown(path)
    if doc is None:
        return failed(Finding("RUNBOOK.md is missing: add it with an '## Escalation' section listing at least "
                              "two escalation levels", path))
    s = section(doc, "Escalation")
    if s is None:
        h = hidden_section(doc, "Escalation")
        if h is not None:
            line = h.heading.line
            return failed(Finding(f"RUNBOOK.md has no 'Escalation' section that shows: {hidden_message(h)}",
                                  path, line, line))
        line = doc.title_line
        return failed(Finding("RUNBOOK.md has no 'Escalation' section: add '## Escalation' listing at least two "
                              "levels (one list item each: who, how to reach them)", path, line, line))
    n = escalation_levels(s)
    if n < 2:
        line = s.heading.line
        return failed(Finding(f"RUNBOOK.md section '{s.heading.text}' lists {n} escalation level(s): list at least "
                              "two (one list item per level)", path, line, line))
    return passed(f"RUNBOOK.md '{s.heading.text}' lists {n} escalation levels")
