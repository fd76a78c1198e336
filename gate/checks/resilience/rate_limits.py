"""resilience.rate-limits: Rate limits configured per route class.

Every non-public route has ``rateLimit("<class>")`` and the class is a key of service.yaml
``rate_limits``.
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
