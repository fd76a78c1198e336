"""idempotency.cron-retry: Cron-callable endpoints are safe to retry.

Every route named in service.yaml ``cron`` (``route: "POST /cron/reconcile"``) exists in code
and has ``idempotent()``.
"""

from gate.checks._code import at, code_model, helper, judge_routes, plural
from gate.context import Ctx
from gate.model import Finding, Result, skipped
from gate.sources.routes.paths import same_template


def check(ctx: Ctx) -> Result:
    cron = ctx.spec_list("cron")
    if not cron:
        return skipped("no cron entries in service.yaml")
    m = code_model(ctx)
    idem = helper(ctx, "idempotent")
    out: list[Finding] = []
    for i, entry in enumerate(cron):
        spec = entry.get("route") if isinstance(entry, dict) else None
        method, _, path = (spec or "").strip().partition(" ")
        path = path.strip()
        if not method or not path.startswith("/"):
            out.append(ctx.spec_finding('cron entry has no route "<METHOD> <path>": add route: "POST /cron/<job>"', "cron", i, "route"))
            continue
        routes = [r for r in m.routes if r.method == method.upper() and same_template(r.path, path)]
        if not routes:
            out.append(ctx.spec_finding(f"cron route {method.upper()} {path} does not exist in src/: add the route "
                                        "or fix the cron entry", "cron", i, "route"))
            continue
        for r in routes:
            if not r.uses(idem):
                out.append(at(r, f"{r.key} is called by cron and is not safe to retry: add {idem}() to the route"))
    out.extend(m.impostor_findings("idempotent"))
    return judge_routes(m, out, f"{plural(len(cron), 'cron route')}, each existing with {idem}()")
