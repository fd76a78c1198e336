"""Every entry of `contracts.consumes` has a non-empty `fallback`. `consumes: []` → `skip`.

## Evidence

repo: service.yaml.

## How to fix

Write what the service does when the downstream is unavailable under `fallback:`.
"""

from gate.context import Ctx
from gate.model import Finding, Result, skipped, verdict


def check(ctx: Ctx) -> Result:
    consumes = ctx.spec_list("contracts", "consumes")
    if not consumes:
        return skipped("contracts.consumes is empty: this service calls no other service")
    out: list[Finding] = []
    for i, entry in enumerate(consumes):
        name = entry.get("service") if isinstance(entry, dict) else entry
        fb = entry.get("fallback") if isinstance(entry, dict) else None
        if not isinstance(fb, str) or not fb.strip():
            out.append(ctx.spec_finding(f"consumes {name}: no fallback: add fallback: <what this service does "
                                        f"when {name} is unavailable>", "contracts", "consumes", i, "fallback"))
    return verdict(out, f"{len(consumes)} consumed service(s), each with a fallback")
