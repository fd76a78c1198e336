"""Code↔spec route parity for ``artifacts.openapi`` ("every route in code is in the spec and
vice versa").

The service's route table (Hono routes read with tree-sitter, :mod:`gate.sources.ts.code`) is
compared with the operations of its OpenAPI document: a route is matched by an operation of
the same method whose path template has the same segments, parameters in the same places
(``/payments/:id`` ≡ ``/payments/{id}``, whatever the parameter names).
"""

from __future__ import annotations

from gate.checks._code import code_model
from gate.context import Ctx
from gate.model import Finding
from gate.sources.openapi.document import Operation
from gate.sources.ts.routes.paths import normal_template


def route_parity_findings(ctx: Ctx, ops: list[Operation]) -> list[Finding]:
    """Findings for routes in code missing from ``ops`` (at the route call's first line) and
    operations with no route in code (at the operation's line in the document). A source file
    with a syntax error, or a router or path the route analysis could not follow, is reported too:
    the route table may be incomplete."""
    m = code_model(ctx)
    out: list[Finding] = [*m.errors, *m.route_problems]
    spec = {(op.method.upper(), normal_template(op.path)) for op in ops}
    code = {(r.method, normal_template(r.path)) for r in m.routes}
    spec_file = ops[0].file if ops else "openapi.yaml"
    for r in m.routes:
        if (r.method, normal_template(r.path)) not in spec:
            openapi_path = "/".join("{" + s[1:] + "}" if s.startswith(":") else s for s in r.path.split("/"))
            out.append(Finding(f"{r.key} is not in {spec_file}: add the operation {r.method.lower()} under "
                               f"paths.{openapi_path}", r.file, r.line, r.line))
    for op in ops:
        if op.method.upper() not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            continue
        if (op.method.upper(), normal_template(op.path)) not in code:
            out.append(Finding(f"{op.method.upper()} {op.path} is in the spec but no route in src/ serves it: "
                               "add the route or remove the operation", op.file, op.line, op.line))
    return out
