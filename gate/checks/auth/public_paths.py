"""The exported `publicPaths` array holds only `/healthz` and paths under `/.well-known/`, and every route without `requireScope` is listed in it.

A route is listed when an entry equals its path or, for an entry with `*`, matches it with Hono's pattern semantics (`/.well-known/*` lists `/.well-known/jwks.json`), as `auth.require-scope` reads it. A path "under `/.well-known/`" stays there: an entry with a `.` or `..` segment (percent-encoded or not), an empty segment or a backslash is not one.

What the gate cannot read as a fixed list of string literals fails closed, at its line: an entry that is neither a string literal nor the name of a module-level `const` holding one (a template with `${...}`, a call, a spread `...extra`), a value that is not an array literal (`Object.freeze([...])`, `as const` and `satisfies` are read through), a `let`/`var` binding, and a call that changes the array (`publicPaths.push(...)`, `unshift`, `splice`, `fill`, `copyWithin`).

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

`requireScope` counts only when it comes from `@platform/auth` (config `helper_modules.require_scope`), followed through the service's imports, barrels, re-exports and aliases: a call of `requireScope` that leads elsewhere — a look-alike package, a local function or constant of the same name, a `let`/`var` binding, a parameter that shadows the import — is not credited, and the item fails at that call saying it does not come from the platform module (see [where a platform helper comes from](../code-analysis.md#where-a-platform-helper-comes-from)).

## Evidence

repo: `export const publicPaths = [...]` in `src/` and the route table.

## How to fix

Remove other paths from `publicPaths` and protect their routes with `requireScope(...)`; list `/healthz` there. A real exception (an OAuth token endpoint) is what a waiver is for.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from urllib.parse import unquote

from gate.checks._code import at, code_model, helper, is_public, judge_routes, no_routes, plural
from gate.checks._code_rules import suggest_scope
from gate.context import Ctx
from gate.model import Finding, Result


def allowed(path: str) -> bool:
    """``/healthz``, or a path under ``/.well-known/`` that stays there (no ``.``/``..`` segment,
    percent-encoded or not, no empty segment, no backslash)."""
    if path == "/healthz":
        return True
    if not path.startswith("/.well-known/") or "\\" in path:
        return False
    segs = unquote(path).split("/")[2:]
    return bool(segs) and all(s not in (".", "..") for s in segs) and "" not in segs[:-1]


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    pp = m.public_paths
    if not m.routes and pp is None:
        return no_routes(m, "no routes and no publicPaths in src/")
    rs = helper(ctx, "require_scope")
    out: list[Finding] = []
    public = {v for v, _ in pp.entries} if pp else set()
    if pp is not None:
        for value, line in pp.entries:
            if not allowed(value):
                out.append(Finding(f'publicPaths lists "{value}": only /healthz and /.well-known/ paths may be public; '
                                   f'remove it and protect the route with {rs}(...) (or waive the item for a real exception)',
                                   pp.path, line, line))
        for what, line in pp.opaque:
            out.append(Finding(f"{what}: the gate cannot prove that publicPaths holds only /healthz and "
                               "/.well-known/ paths; write it as `export const publicPaths = [\"/healthz\", ...]` "
                               "with string literals", pp.path, line, line))
    for r in m.routes:
        if r.uses(rs) or is_public(m, r):
            continue
        out.append(at(r, f'{r.key} has no {rs}(...) and is not in publicPaths: add {rs}("{suggest_scope(ctx, r)}")'
                         + (" (or, for a health or well-known path, list it in publicPaths)" if allowed(r.path) else "")))
    out.extend(m.impostor_findings("require_scope"))
    if pp is None:
        return judge_routes(m, out, f"no publicPaths export: all {plural(len(m.routes), 'route')} enforce a scope")
    return judge_routes(m, out, f"publicPaths holds {plural(len(public), 'allowed path')}; every other route enforces a scope")
