"""The attestation-backed oncall items (``oncall.dashboard-access``, ``oncall.notified``)."""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Level, Result, manual, passed


def attested(ctx: Ctx, item: str) -> Result:
    a = ctx.attestation(item)
    if a.ok:
        return passed(a.message)
    line = a.line or ctx.spec_line("readiness", "attestations")
    todo = (f"add under readiness.attestations in service.yaml: `- {{item: {item}, by: <github login>, "
            "at: YYYY-MM-DD, evidence: <link>}}`" if a.line is None else "attest again (a new entry, by someone "
            "other than the PR author, dated today)")
    msg = f"{a.message}: {todo}"
    return manual(a.message, Finding(msg, ctx.service.manifest_path, line, line, Level.FAILURE))
