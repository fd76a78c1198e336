"""artifacts.openapi: openapi.yaml has every route with description AND example.

The document must be a valid OpenAPI 3.0/3.1 description (openapi-spec-validator's verdict),
every operation (webhooks' too) needs a ``description`` that shows something once rendered and
an example (see
:func:`gate.sources.openapi.missing_examples`), and every route in code must be in the spec and
vice versa (:func:`gate.sources.routes_parity.route_parity_findings`, the TypeScript layer's part).
Findings about an operation point at its method key in openapi.yaml.
"""

from __future__ import annotations

from gate.checks.artifacts._routes_parity import route_parity_findings
from gate.context import Ctx
from gate.model import Finding, Result, failed, verdict
from gate.sources import openapi


def check(ctx: Ctx) -> Result:
    path = openapi.spec_path(ctx.ws, ctx.service.dir, ctx.manifest)
    doc = openapi.document(ctx.ws, path)
    if doc is None:
        return failed(Finding(f"{path} is missing: describe every route of the service in an OpenAPI 3.1 "
                              "document (or point contracts.openapi in service.yaml at it)", path))
    findings: list[Finding] = list(openapi.validity(ctx.ws, path))
    ops = openapi.operations(ctx.ws, path)
    for op in [*ops, *openapi.webhook_operations(ctx.ws, path)]:
        if op.unresolved_ref is not None:
            continue  # its $ref is the finding (validity): nothing else is known of it
        desc = op.node.get("description")
        if not isinstance(desc, str) or not desc.strip():
            findings.append(Finding(f"{op.label} has no description: add `description:` saying what the "
                                    "operation does", path, op.line, op.line))
        elif not openapi.described(op):
            findings.append(Finding(f"{op.label} has no description: its `description` renders to nothing "
                                    "visible (an HTML comment, a hidden element, a link definition or zero-width "
                                    "characters): write what the operation does", path, op.line, op.line))
        for what in openapi.missing_examples(op):
            findings.append(Finding(f"{op.label}: {what}: add `example:` (or `examples:`) to the media type "
                                    "or its schema", path, op.line, op.line))
    findings.extend(route_parity_findings(ctx, ops))
    return verdict(findings, f"valid OpenAPI {doc.data.get('openapi')}; {len(ops)} operation(s), each with a "
                             "description and examples")
