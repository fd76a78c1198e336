"""auth.baa-gate: BAA gate enforced for any PHI-returning scope.

A route whose scope is marked ``phi: true`` in service.yaml also has ``requireBaa()``.
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
