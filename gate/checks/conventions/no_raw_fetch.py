"""No call of the global `fetch`: `fetch(...)` where `fetch` is not declared, imported or a parameter in scope, and `globalThis.fetch(...)` / `window.fetch(...)` / `self.fetch(...)`. Strings and comments are not code; tests and `src/stubs/` are not judged.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

## Evidence

repo: calls in `src/`.

## How to fix

Use `http` from `@platform/http` instead.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code import code_model, judge, nothing, plural
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.ts import files as cf

GLOBALS = ("globalThis", "window", "self", "global")


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    if not m.has_code:
        return nothing(m, "no TypeScript code in src/")
    out: list[Finding] = []
    for c in m.calls:
        if c.tagged or c.callee is None:
            continue
        info = m.info(c.path)
        raw = False
        if c.callee == "fetch":
            raw = cf.is_global(info, "fetch", c.node)
        elif c.callee in {f"{g}.fetch" for g in GLOBALS}:
            raw = cf.is_global(info, c.callee.split(".")[0], c.node)
        if raw:
            out.append(Finding(f"{c.callee}(...) calls the global fetch: use http from @platform/http instead",
                               c.path, c.line, c.line))
    return judge(m, out, f"no call of the global fetch in {plural(len(m.files), 'file')}")
