"""promotion.rollback: Rollback procedure tested OR explicitly documented in RUNBOOK.md.

Passes when RUNBOOK.md has a non-empty "Rollback" section (by what it renders to) (a heading of any level containing
"rollback", case-insensitive), or when service.yaml has a valid ``promotion.rollback``
attestation (the rollback was tested: by someone other than the PR's author, at most
``attestations.max_age_days`` old). Otherwise fails at the RUNBOOK's title (section missing)
or at the empty section's heading, with the attestation's problem beside it when there is one.
"""

from __future__ import annotations

from gate import countersign
from gate.context import Ctx
from gate.model import Finding, Result, failed, passed, pending
from gate.sources.mdsections import section, shows

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
