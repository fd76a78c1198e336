"""The attestation-backed oncall items (``oncall.dashboard-access``, ``oncall.notified``)."""

from __future__ import annotations

from gate import countersign
from gate.context import Ctx
from gate.model import Finding, Level, Result, manual, passed, pending


def attested(ctx: Ctx, item: str) -> Result:
    a = countersign.attestation(ctx, item)
    due = f"an attestation of {item} ages past {ctx.config.max_age_days} days or comes due"
    if a.ok:
        return passed(a.message).until(a.changes_at, f"{a.message}: it ages past {ctx.config.max_age_days} days")
    line = a.line or ctx.spec_line("readiness", "attestations")
    if a.pending:  # pr mode: new or changed in the PR, waits for the approval of the person it names
        return pending(a.message, Finding(a.message, ctx.service.manifest_path, line, line, Level.FAILURE))
    if a.line is None:
        next_step = (f"add under readiness.attestations in service.yaml: `- {{item: {item}, by: <github login>, "
                "at: YYYY-MM-DD, evidence: <link>}`")
    else:
        next_step = ("record a new attestation under readiness.attestations (by someone other than the PR author, "
                f"dated within the last {ctx.config.max_age_days} days)")
    msg = f"{a.message}; {next_step}"
    return manual(a.message, Finding(msg, ctx.service.manifest_path, line, line, Level.FAILURE)).until(a.changes_at, due)
