"""The request-logging middleware — a `use` whose function (inline, or a named/imported middleware such as `createMiddleware(...)`) calls a logger after `await next()` — logs an object literal with keys `request_id`, `route`, `status`, `duration_ms`, `client_id`, `brand_id`, and no PHI field. No routes → `skip`.

A spread in the logged object (`logger.info({ ...fields, msg })`) provides the keys of `fields` when it is a constant object the gate can follow — a `const` object literal (of the module or the function), or one imported from the service's own files, `as const`/`satisfies` included; its entries are also searched for PHI fields. A spread of anything else (a parameter, a `let`, a call's result) provides no key: the finding names it.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

## Evidence

repo: `use` calls of the routers and the logger calls in their middleware.

## How to fix

`app.use(async (c, next) => { const t0 = Date.now(); await next(); logger.info({ request_id, route, status, duration_ms, client_id, brand_id }); })`.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code import code_model, judge_routes, no_routes, normal_name, opaque_spreads
from gate.checks.observability._logs import LOG_FIELDS, request_logs
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.ts import files as cf
from gate.sources.ts import parse as ts


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    if not m.routes:
        return no_routes(m, "no routes in src/: no requests to log")
    fields = ", ".join(LOG_FIELDS)
    logs = request_logs(m)
    if not logs:
        roots = m.roots or sorted(m.routers)
        key = next((k for k in roots if k.endswith("#app")), roots[0])
        path = key.split("#", 1)[0]
        line = ts.line_of(m.routers[key])
        return judge_routes(m, [Finding("no request-logging middleware: add app.use(async (c, next) => { const t0 = Date.now(); "
                                        f"await next(); logger.info({{ {fields} }}); }})", path, line, line)], "")
    phi = {normal_name(str(p)) for p in ctx.config.phi_fields}
    best: list[Finding] | None = None
    for rl in logs:
        for c in rl.calls:
            objs = [m.value(rl.path, a) for a in c.args]
            objs = [(p, n) for p, n in objs if n.type == "object"]
            problems: list[Finding] = []
            if not objs:
                problems.append(Finding(f"{c.callee}(...) after await next() logs no object literal: log {{ {fields} }}",
                                        c.path, c.line, c.line))
            else:
                opath, onode = objs[0]
                entries = m.members(opath, onode)
                keys = {e.key for e in entries if e.key is not None}
                missing = [k for k in LOG_FIELDS if k not in keys]
                if missing:
                    opaque, n = opaque_spreads(m, entries)
                    one = n == 1
                    hint = (f" ({opaque} {'is not a constant object' if one else 'are not constant objects'} "
                            f"the gate can follow, so {'its' if one else 'their'} keys do not count)") if n else ""
                    problems.append(Finding(f"the request log lacks {', '.join(missing)}{hint}: add "
                                            f"{'it' if len(missing) == 1 else 'them'} to the object {c.callee}(...) logs",
                                            c.path, c.line, c.line))
                # the names the log mentions: its own entries and those of the constants it spreads
                bad = sorted({n for e in entries for n, _ in cf.names_in(m.info(e.path).f, e.node)
                              if normal_name(n) in phi})
                if bad:
                    problems.append(Finding(f"the request log mentions PHI field {', '.join(bad)}: remove it",
                                            c.path, c.line, c.line))
            if not problems:
                return judge_routes(m, [], f"request log at {c.path}:{c.line} has {fields}")
            if best is None or len(problems) < len(best):
                best = problems
    return judge_routes(m, best or [], "")
