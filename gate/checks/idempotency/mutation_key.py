"""idempotency.mutation-key: Mutation endpoints accept Idempotency-Key.

Every mutation route has ``idempotent()`` and its operation in openapi.yaml declares the
``Idempotency-Key`` header parameter (path-item or operation level, ``$ref``s resolved).
"""

from gate.checks._code import MUTATIONS, at, code_model, helper, judge_routes, no_routes, plural
from gate.checks.idempotency._operations import operation_for, operation_index, spec_operations
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources import openapi as oa


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    muts = [r for r in m.routes if r.method in MUTATIONS]
    if not muts:
        return no_routes(m, "no mutation routes (POST, PUT, PATCH, DELETE) in src/")
    idem = helper(ctx, "idempotent")
    spec, ops = spec_operations(ctx)
    index = operation_index(ops)
    out: list[Finding] = []
    for r in muts:
        if not r.uses(idem):
            out.append(at(r, f"{r.key} does not accept an idempotency key: add {idem}() to the route"))
        op = operation_for(index, r)
        if op is None:
            out.append(at(r, f"{r.key} has no operation in {spec}: add it, with an Idempotency-Key header parameter"))
        elif "idempotency-key" not in oa.header_params(op):
            out.append(Finding(f"{op.method.upper()} {op.path} in {spec} does not declare the Idempotency-Key header: "
                               "add a parameter {name: Idempotency-Key, in: header, required: true}",
                               spec, op.line, op.line))
    out.extend(m.impostor_findings("idempotent"))
    return judge_routes(m, out, f"{plural(len(muts), 'mutation route')} with {idem}() and an Idempotency-Key header in the spec")
