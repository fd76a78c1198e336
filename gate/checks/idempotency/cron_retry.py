"""Every `cron` entry's `route` (`"POST /cron/reconcile"`) exists in the route table and has `idempotent()`. No cron entry → `skip`.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

`idempotent` counts only when it comes from `@platform/idempotency` (config `helper_modules.idempotent`), followed through the service's imports, barrels, re-exports and aliases: a call of `idempotent` that leads elsewhere — a look-alike package, a local function or constant of the same name, a `let`/`var` binding, a parameter that shadows the import — is not credited, and the item fails at that call saying it does not come from the platform module (see [where a platform helper comes from](../code-analysis.md#where-a-platform-helper-comes-from)).

## Evidence

repo: service.yaml `cron` and the route table.

## How to fix

Add `idempotent()` to the route, or fix the cron entry's route.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code import at, code_model, helper, judge_routes, plural
from gate.context import Ctx
from gate.model import Finding, Result, skipped
from gate.sources.ts.routes.paths import same_template


def check(ctx: Ctx) -> Result:
    cron = ctx.spec_list("cron")
    if not cron:
        return skipped("no cron entries in service.yaml")
    m = code_model(ctx)
    idem = helper(ctx, "idempotent")
    out: list[Finding] = []
    for i, entry in enumerate(cron):
        spec = entry.get("route") if isinstance(entry, dict) else None
        method, _, path = (spec or "").strip().partition(" ")
        path = path.strip()
        if not method or not path.startswith("/"):
            out.append(ctx.spec_finding('cron entry has no route "<METHOD> <path>": add route: "POST /cron/<job>"', "cron", i, "route"))
            continue
        routes = [r for r in m.routes if r.method == method.upper() and same_template(r.path, path)]
        if not routes:
            out.append(ctx.spec_finding(f"cron route {method.upper()} {path} does not exist in src/: add the route "
                                        "or fix the cron entry", "cron", i, "route"))
            continue
        for r in routes:
            if not r.uses(idem):
                out.append(at(r, f"{r.key} is called by cron and is not safe to retry: add {idem}() to the route"))
    out.extend(m.impostor_findings("idempotent"))
    return judge_routes(m, out, f"{plural(len(cron), 'cron route')}, each existing with {idem}()")
