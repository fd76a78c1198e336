"""`docs/sdk/<name>.md` exists and names every `operationId` of the service's OpenAPI document (as a whole word, outside HTML comments). A missing OpenAPI document fails (nothing to check the page against). A service without an SDK package fails.

## Evidence

repo.

## How to fix

Regenerate the SDK reference page and commit it; a missing operationId is reported at the page's title heading.
"""

from __future__ import annotations

import re

from gate.context import Ctx
from gate.model import Finding, Result, failed, verdict
from gate.sources.markdown.parse import without_comments
from gate.sources.openapi import document as openapi
from gate.sources.ts import sdkpkg

_IDENT = re.compile(r"[\w$]+")


def check(ctx: Ctx) -> Result:
    if sdkpkg.manifest(ctx.ws, ctx.config, ctx.service.name) is None:
        return failed(sdkpkg.missing_finding(ctx.config, ctx.service.name))
    page = ctx.docs("sdk", f"{ctx.service.name}.md")
    doc = ctx.ws.markdown(page)
    if doc is None:
        return failed(Finding(f"{page} is missing: generate the SDK reference page and commit it", page))
    spec = openapi.spec_path(ctx.ws, ctx.service.dir, ctx.manifest)
    if not ctx.ws.exists(spec):
        return failed(Finding(f"{spec} is missing: the SDK reference page cannot be checked against the "
                              "service's operations (add the OpenAPI document)", spec))
    ops = openapi.operations(ctx.ws, spec)
    ids = [op for op in ops if op.operation_id]
    findings: list[Finding] = []
    # the page's identifiers, once: an id made of [\w$] is named exactly when it is one of them
    # (a search per operation was O(operations x page): 3,000 of them on a 500 KB page took 14 s)
    text = without_comments(doc.text)  # a name only inside an HTML comment does not show
    words = set(_IDENT.findall(text))
    for op in ids:
        assert op.operation_id is not None
        if _IDENT.fullmatch(op.operation_id):
            named = op.operation_id in words
        else:
            named = re.search(r"(?<![\w$])" + re.escape(op.operation_id) + r"(?![\w$])", text) is not None
        if not named:
            line = doc.title_line
            findings.append(Finding(f"{page} does not name operationId {op.operation_id} ({op.label}): regenerate "
                                    "the SDK reference page and commit it", page, line, line))
    return verdict(findings, f"{page} names all {len(ids)} operationId(s)")
