"""Each entry of service.yaml `domain_primitives` has `docs/concepts/<primitive>.md`. The page must be a readable file of the repository: a folder of that name is no page, and a symlink that leaves the repository is reported, never read. No primitive → `skip`.

## Evidence

repo.

## How to fix

Add the concept page; the finding is at the primitive's line in service.yaml.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, skipped, verdict


def check(ctx: Ctx) -> Result:
    prims = ctx.spec_list("domain_primitives")
    if not prims:
        return skipped("service.yaml lists no domain_primitives: no concept page to require")
    findings: list[Finding] = []
    for i, p in enumerate(prims):
        page = ctx.docs("concepts", f"{p}.md")
        if not isinstance(p, str) or ctx.ws.text(page) is None:
            findings.append(ctx.spec_finding(f"domain primitive {p!r} has no concept page: add {page}",
                                             "domain_primitives", i))
    return verdict(findings, f"concept page for each of {len(prims)} domain primitive(s)")
