"""conventions.audit: every mutation route's handler calls ``audit(...)`` (directly, or in a
function of the service it calls by name, two levels deep)."""

from gate.checks._code import MUTATIONS, at, code_model, helper, judge_routes, no_routes, plural
from gate.checks._code_rules import reachable_calls
from gate.context import Ctx
from gate.model import Finding, Result


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    muts = [r for r in m.routes if r.method in MUTATIONS]
    if not muts:
        return no_routes(m, "no mutation routes (POST, PUT, PATCH, DELETE) in src/")
    name = helper(ctx, "audit")
    out: list[Finding] = []
    for r in muts:
        calls = reachable_calls(m, r.handler_file, r.handler) if r.handler is not None else []
        if not any(c.name == name and not m.is_foreign(c.node) for c in calls):
            out.append(at(r, f'{r.key}: its handler does not call {name}(...): add await {name}(c, "<event>", {{ ... }})'))
    out.extend(m.impostor_findings("audit"))
    return judge_routes(m, out, f"{plural(len(muts), 'mutation route')}, each handler calling {name}(...)")
