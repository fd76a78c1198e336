"""The service's OpenAPI document (`contracts.openapi`, default `openapi.yaml`) is a valid OpenAPI 3.0 or 3.1 description — the same verdict and the same errors as openapi-spec-validator: the gate runs openapi-spec-validator-rs, its Rust port (a dependency; `tests/checks/test_artifacts_openapi_rust.py` compares the two on hand-made documents, random mutations and GitHub's description, the Python package being the oracle), and openapi-spec-validator itself when the port is absent or `PRODGATE_OPENAPI_VALIDATOR=python` is set. A value the port says does not match its `pattern` is matched again with Python's `re` (the reference's) before the error stands. A JSON document is read as JSON (Python's `json`, each number as PyYAML reads the same scalar: `1e-05` is a string) when YAML would read the same data (no repeated key, no surrogate escape, no character or layout libyaml reads otherwise or refuses: `gate.sources.yaml.jsondoc`), otherwise with the YAML loader that reports what is wrong; every operation — the 3.1 `webhooks`' too — has a `description` that shows something once rendered as Markdown (judged by `gate.sources.markdown.parse.visible_text`: an HTML comment, a `hidden` or `display:none` element, a link reference definition, an image, a fence's info string or zero-width characters show nothing); and every operation has an example: each request-body media type has `example`/`examples` (or its schema has), and when some 2xx response has content, at least one such response has one in each of its media types (a DELETE answering only 204 needs none). `example: null` is no example, nor an Example object without a `value` (or `externalValue`), nor a 3.1 schema `examples` array of nulls; in 3.1 an `example` written beside a schema's `$ref` counts (3.0 ignores `$ref` siblings). Webhooks are requests the service sends: they are not part of route parity. An operation written as a `$ref` is followed within the document; one that leaves the document gets that one finding, nothing more. `$ref`s are resolved within the document; a `$ref` to another file or URL is reported, never fetched. Work is bounded: each schema is walked once; an `allOf` member whose `allOf`/`anyOf`/`oneOf`/`not`/`items` (or a schema with a `default` whose `allOf`/`anyOf`/`oneOf`/`not`), each `$ref` followed, expand to more than 10,000 schemas or loop back is a finding at its line before a validator (which walks that expansion without memory) runs, unless prodgate's own walk, which visits each schema once, proves the document valid; a document holding `pattern`s is validated in a child process where each match may take `PRODGATE_OPENAPI_SECONDS` (20) seconds of CPU time — a pattern that runs out is named at its line, the other findings kept — and the whole validation `PRODGATE_OPENAPI_CPU_SECONDS` (300).

The code↔spec parity half (every Hono route is in the spec and vice versa: the same method, the same segments, parameters in the same places whatever their names, and a trailing `/` on both or neither — Hono routes strictly by default, so `/admin/stats/` in the spec is not the route `/admin/stats`; a service built with `new Hono({ strict: false })` writes its spec paths as its routes) is contributed by the TypeScript layer through `gate.checks.artifacts._routes_parity.route_parity_findings`.

## Evidence

repo: openapi.yaml; the operations are read once per run by `gate.sources.openapi.document.operations`.

## How to fix

Validity errors are reported at the offending node's line with its document path — an error inside a component schema reads `invalid OpenAPI at components.schemas.Run.required: …` at the `required:` line, a bad `default` at the `default:` line, a duplicate operationId at the second `operationId:`; a missing description or example at the operation's method key (`post:`). Add `description:` and `example:`/`examples:` to the media type or its schema.

## How to waive

```yaml
targets: [services/<name>/openapi.yaml:42]   # optional: only findings on these paths (with an optional :line)
```
"""

from __future__ import annotations

from gate.checks.artifacts._routes_parity import route_parity_findings
from gate.context import Ctx
from gate.model import Finding, Result, failed, verdict
from gate.sources.openapi import document as openapi


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
