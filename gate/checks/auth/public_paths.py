"""auth.public-paths: Public paths explicitly allow-listed in publicPaths (healthz, well-known only).

The exported ``publicPaths`` array holds only ``/healthz`` and paths under ``/.well-known/``;
every route without ``requireScope`` is in it.
"""

from gate.checks._code import at, code_model, helper, judge_routes, no_routes, plural
from gate.checks._code_rules import suggest_scope
from gate.context import Ctx
from gate.model import Finding, Result


def allowed(path: str) -> bool:
    return path == "/healthz" or path.startswith("/.well-known/")


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
    for r in m.routes:
        if r.uses(rs) or r.path in public:
            continue
        out.append(at(r, f'{r.key} has no {rs}(...) and is not in publicPaths: add {rs}("{suggest_scope(ctx, r)}")'
                         + (" (or, for a health or well-known path, list it in publicPaths)" if allowed(r.path) else "")))
    out.extend(m.impostor_findings("require_scope"))
    if pp is None:
        return judge_routes(m, out, f"no publicPaths export: all {plural(len(m.routes), 'route')} enforce a scope")
    return judge_routes(m, out, f"publicPaths holds {plural(len(public), 'allowed path')}; every other route enforces a scope")
