"""Every `partner: true` scope of service.yaml is named (as a whole word, outside HTML comments) in some `docs/connect/*.md` (subfolders included). No partner scope → `skip`.

## Evidence

repo.

## How to fix

Document the scope in the Connect docs; the finding is at the scope's `name` line in service.yaml.
"""

from __future__ import annotations

import re

from gate.context import Ctx
from gate.model import Finding, Result, skipped, verdict
from gate.sources.markdown.parse import without_comments


def check(ctx: Ctx) -> Result:
    scopes = ctx.spec_list("scopes")
    partner = [(i, s["name"]) for i, s in enumerate(scopes)
               if isinstance(s, dict) and s.get("partner") is True and isinstance(s.get("name"), str)]
    if not partner:
        return skipped("no partner-facing scope (partner: true) in service.yaml: no Connect doc to require")
    root = ctx.docs("connect")
    # a scope named only inside an HTML comment is not documented: the rendered page does not show it
    texts = [without_comments(t) for t in (ctx.ws.text(p) for p in ctx.ws.files(root, (".md",))) if t is not None]
    findings: list[Finding] = []
    for i, name in partner:
        pat = re.compile(r"(?<![\w:.-])" + re.escape(name) + r"(?![\w:-])")
        if not any(pat.search(t) for t in texts):
            findings.append(ctx.spec_finding(f"partner-facing scope {name} is not named in any {root}/*.md: "
                                             "document it in the Connect docs", "scopes", i, "name"))
    return verdict(findings, f"{len(partner)} partner-facing scope(s), each named in {root}/*.md")
