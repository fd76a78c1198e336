"""Every Hono route in `src/` that is not listed in `publicPaths` has `requireScope("<scope>")` — as its own argument, or through a `use` whose pattern matches the route's full path (on its router or on a router it is mounted under) — and the scope is declared in `service.yaml` `scopes`. The same rule is reported as `conventions.scope-enforcement`.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

`requireScope` counts only when it comes from `@platform/auth` (config `helper_modules.require_scope`), followed through the service's imports, barrels, re-exports and aliases: a call of `requireScope` that leads elsewhere — a look-alike package, a local function or constant of the same name, a `let`/`var` binding, a parameter that shadows the import — is not credited, and the item fails at that call saying it does not come from the platform module (see [where a platform helper comes from](../code-analysis.md#where-a-platform-helper-comes-from)).

## Evidence

repo: the route table of the service's TypeScript (tree-sitter), see [the code analysis](../code-analysis.md).

## How to fix

Add `requireScope("<service>:read")` (GET) or `requireScope("<service>:write")` to the route — the finding names the route and points at its call — or protect a whole prefix with `app.use("/admin/*", requireScope("<service>:admin"))`. Declare every scope used under `scopes:` in service.yaml.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code_rules import scope_findings
from gate.context import Ctx
from gate.model import Result


def check(ctx: Ctx) -> Result:
    return scope_findings(ctx)
