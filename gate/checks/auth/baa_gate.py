"""Every route whose `requireScope` scope is marked `phi: true` in service.yaml `scopes` also has `requireBaa()` (own argument or matching `use`). No `phi: true` scope, or no route using one → `skip`.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

`requireBaa` counts only when it comes from `@platform/auth` (config `helper_modules.require_baa`), followed through the service's imports, barrels, re-exports and aliases: a call of `requireBaa` that leads elsewhere — a look-alike package, a local function or constant of the same name, a `let`/`var` binding, a parameter that shadows the import — is not credited, and the item fails at that call saying it does not come from the platform module (see [where a platform helper comes from](../code-analysis.md#where-a-platform-helper-comes-from)).

## Evidence

repo: service.yaml scopes and the route table.

## How to fix

Add `requireBaa()` to the route the finding points at.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code import at, code_model, helper, judge_routes, no_routes, nothing, plural
from gate.checks._code_rules import declared_scopes
from gate.context import Ctx
from gate.model import Finding, Result


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    phi = {name for name, s in declared_scopes(ctx).items() if s.get("phi") is True}
    if not phi:
        return nothing(m, "no scope is marked phi: true")
    rs, baa = helper(ctx, "require_scope"), helper(ctx, "require_baa")
    out: list[Finding] = []
    judged = 0
    for r in m.routes:
        hit = sorted(set(r.string_args(rs)) & phi)
        if not hit:
            continue
        judged += 1
        if not r.uses(baa):
            out.append(at(r, f'{r.key} requires PHI scope "{hit[0]}": add {baa}() to the route'))
    out.extend(m.impostor_findings("require_baa"))
    if not judged and not m.errors and not out:
        return no_routes(m, f"no route requires a phi: true scope ({', '.join(sorted(phi))})")
    return judge_routes(m, out, f"{plural(judged, 'route')} with a PHI scope, each with {baa}()")
