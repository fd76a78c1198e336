"""docs.concepts: Concept pages exist for any new domain primitive this service introduces
(``docs/concepts/<primitive>.md`` for each ``domain_primitives`` entry of service.yaml)."""

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
        if not isinstance(p, str) or not ctx.ws.exists(page):
            findings.append(ctx.spec_finding(f"domain primitive {p!r} has no concept page: add {page}",
                                             "domain_primitives", i))
    return verdict(findings, f"concept page for each of {len(prims)} domain primitive(s)")
