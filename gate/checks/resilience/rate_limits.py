"""Every non-public route has `rateLimit("<class>")` (own argument or matching `use`) and the class is a key of service.yaml `rate_limits`.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

`rateLimit` counts only when it comes from `@platform/rate-limit` (config `helper_modules.rate_limit`), followed through the service's imports, barrels, re-exports and aliases: a call of `rateLimit` that leads elsewhere — a look-alike package, a local function or constant of the same name, a `let`/`var` binding, a parameter that shadows the import — is not credited, and the item fails at that call saying it does not come from the platform module (see [where a platform helper comes from](../code-analysis.md#where-a-platform-helper-comes-from)).

## Evidence

repo: the route table and service.yaml.

## How to fix

Add `rateLimit("read")`/`rateLimit("write")` and declare the class under `rate_limits`.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code import at, code_model, helper, is_public, judge_routes, no_routes, plural
from gate.context import Ctx
from gate.model import Finding, Result


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    routes = [r for r in m.routes if not is_public(m, r)]
    if not routes:
        return no_routes(m, "no non-public routes in src/")
    rl = helper(ctx, "rate_limit")
    classes = set(ctx.spec_dict("rate_limits"))
    out: list[Finding] = []
    for r in routes:
        mids = r.uses(rl)
        suggestion = "read" if r.method == "GET" else "write"
        if not mids:
            out.append(at(r, f'{r.key} has no rate limit: add {rl}("{suggestion}") (a class of rate_limits in service.yaml)'))
            continue
        for mw in mids:
            cls = mw.args[0] if mw.args else None
            if not isinstance(cls, str):
                out.append(at(r, f'{r.key}: {rl}(...) has no literal class: write {rl}("{suggestion}")'))
            elif cls not in classes:
                out.append(at(r, f'{r.key} uses rate-limit class "{cls}", which is not in service.yaml rate_limits: '
                                 f"add {cls}: <n>/min there"))
    out.extend(m.impostor_findings("rate_limit"))
    return judge_routes(m, out, f"{plural(len(routes), 'non-public route')}, each with {rl}(...) of a configured class")
