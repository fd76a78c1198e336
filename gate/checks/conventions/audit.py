"""Every mutation route (POST, PUT, PATCH, DELETE) has a handler that calls `audit(...)`. A handler given by name is followed to its function (same file or a relative import), and so are the functions of the service it calls by name, two levels deep. No mutation route → `skip`.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

`audit` counts only when it comes from `@platform/audit` (config `helper_modules.audit`), followed through the service's imports, barrels, re-exports and aliases: a call of `audit` that leads elsewhere — a look-alike package, a local function or constant of the same name, a `let`/`var` binding, a parameter that shadows the import — is not credited, and the item fails at that call saying it does not come from the platform module (see [where a platform helper comes from](../code-analysis.md#where-a-platform-helper-comes-from)).

## Evidence

repo: the route table and the calls inside each handler.

## How to fix

Call `await audit(c, "<event>", { ... })` in the handler.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code import MUTATIONS, at, code_model, helper, judge_routes, no_routes, plural
from gate.checks._code_rules import reachable_calls
from gate.context import Ctx
from gate.model import Finding, Result


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    muts = [r for r in m.routes if r.method in MUTATIONS]
    if not muts:
        return no_routes(m, "no mutation routes (POST, PUT, PATCH, DELETE) in src/")
    name = helper(ctx, "audit")
    out: list[Finding] = []
    for r in muts:
        calls = reachable_calls(m, r.handler_file, r.handler) if r.handler is not None else []
        if not any(c.name == name and not m.is_foreign(c.node) for c in calls):
            out.append(at(r, f'{r.key}: its handler does not call {name}(...): add await {name}(c, "<event>", {{ ... }})'))
    out.extend(m.impostor_findings("audit"))
    return judge_routes(m, out, f"{plural(len(muts), 'mutation route')}, each handler calling {name}(...)")
