"""Either of:

- `RUNBOOK.md` at the service root has a non-empty "Rollback" section (a heading of any level containing "Rollback", case-insensitive; the section's text up to the next heading of the same or a higher level; text counts by what it renders to (`gate/sources/markdown/parse.py` `visible_text`): HTML comments, hidden elements (`hidden`, `aria-hidden`, `display: none`, `<template>`), link reference definitions and characters that show nothing (zero-width, BOM, soft hyphen) do not make it non-empty, nor do the titles of its sub-sections: `## Rollback` holding only `### Steps` is empty);
- `service.yaml` has a valid `promotion.rollback` attestation under `readiness.attestations` (the rollback was tested): it names a person other than the PR's author (`by`), a date (`at`) not after the gate's clock and at most `attestations.max_age_days` (default 30) old.

Otherwise `fail`: at the RUNBOOK's title heading when the section is missing, at the section's heading when it is empty, and — when an attestation exists but does not count — a second finding at the attestation's line saying why (too old, by the author, undated).

## Evidence

repo or attest: `RUNBOOK.md` and `service.yaml`.

## How to fix

Add a `## Rollback` section to RUNBOOK.md with the steps to roll back (for a service with migrations, say what happens to them: `data.rollback-doc` checks that), or record a tested rollback:

```yaml
readiness:
  attestations:
    - item: promotion.rollback
      by: dave
      at: 2026-11-20
      evidence: https://loop.slack.com/archives/C123/p456
```
"""

from __future__ import annotations

from gate import countersign
from gate.context import Ctx
from gate.model import Finding, Result, failed, passed, pending
from gate.sources.markdown.sections import section, shows

ITEM = "promotion.rollback"


def check(ctx: Ctx) -> Result:
    path = ctx.path("RUNBOOK.md")
    doc = ctx.ws.markdown(path)
    s = section(doc, "Rollback") if doc is not None else None
    if s is not None and shows(s):
        return passed(f"RUNBOOK.md section '{s.heading.text}' (line {s.heading.line}) documents the rollback")
    a = countersign.attestation(ctx, ITEM)
    due = f"the rollback attestation ages past {ctx.config.max_age_days} days or comes due"
    if a.ok:
        return passed(f"rollback tested: {a.message}").until(
            a.changes_at, f"rollback tested: {a.message}: it ages past {ctx.config.max_age_days} days")
    how = ("or record a tested rollback in service.yaml readiness.attestations: "
           f"`- {{item: {ITEM}, by: <login>, at: YYYY-MM-DD, evidence: <link>}}`")
    if doc is None:
        main = Finding(f"RUNBOOK.md is missing: add it with a '## Rollback' section saying how to roll back, {how}",
                       path)
    elif s is None:
        main = Finding(f"RUNBOOK.md has no 'Rollback' section: add '## Rollback' with the steps to roll back, {how}",
                       path, doc.title_line, doc.title_line)
    else:
        main = Finding(f"RUNBOOK.md section '{s.heading.text}' is empty: write the steps to roll back, {how}",
                       path, s.heading.line, s.heading.line)
    findings = [main]
    if a.line is not None:
        findings.append(Finding(a.message, ctx.service.manifest_path, a.line, a.line))
    if a.pending:  # pr mode: the attestation is new or changed, and waits for its author's approval
        return pending(a.message, *findings[::-1]).until(a.changes_at, due)
    return failed(*findings).until(a.changes_at, due)
