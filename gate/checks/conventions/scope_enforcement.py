"""Same rule as `auth.require-scope`, reported in the conventions section: every non-public route enforces a declared scope with `requireScope(...)`.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

`requireScope` counts only when it comes from `@platform/auth` (config `helper_modules.require_scope`), followed through the service's imports, barrels, re-exports and aliases: a call of `requireScope` that leads elsewhere — a look-alike package, a local function or constant of the same name, a `let`/`var` binding, a parameter that shadows the import — is not credited, and the item fails at that call saying it does not come from the platform module (see [where a platform helper comes from](../code-analysis.md#where-a-platform-helper-comes-from)).

## Evidence

repo: the route table.

## How to fix

As for `auth.require-scope`.

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
