"""Every mutation route has `idempotent()` (own argument or matching `use`), and its operation in the service's OpenAPI document (`:id` ≡ `{id}`) declares the `Idempotency-Key` header parameter (operation or path level, `$ref`s resolved). No mutation route → `skip`.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

`idempotent` counts only when it comes from `@platform/idempotency` (config `helper_modules.idempotent`), followed through the service's imports, barrels, re-exports and aliases: a call of `idempotent` that leads elsewhere — a look-alike package, a local function or constant of the same name, a `let`/`var` binding, a parameter that shadows the import — is not credited, and the item fails at that call saying it does not come from the platform module (see [where a platform helper comes from](../code-analysis.md#where-a-platform-helper-comes-from)).

## Evidence

repo: the route table and openapi.yaml.

## How to fix

Add `idempotent()` to the route and `{name: Idempotency-Key, in: header, required: true}` to the operation's parameters (a shared `$ref` is fine).

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code import MUTATIONS, at, code_model, helper, judge_routes, no_routes, plural
from gate.checks.idempotency._operations import operation_for, operation_index, spec_operations
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.openapi import document as oa


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
