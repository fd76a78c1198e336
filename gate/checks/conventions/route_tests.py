"""conventions.route-tests: All routes have integration tests.

Every route (method + path) is exercised under ``test/integration/`` by
``app.request("<path>", { method: "<METHOD>" })`` (GET without a method) or
``request(app).<method>("<path>")``, where the path matches the route's template (``:id``
matches any segment; an interpolated segment matches anything).
"""

from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources import code as cm
from gate.sources.code import without_gc
from gate.sources.code_rules import at, judge, nothing, plural, test_calls


def _example(path: str) -> str:
    return "/".join("1" if s.startswith(":") else s for s in path.split("/")) or "/"


@without_gc
def check(ctx: Ctx) -> Result:
    m = cm.code_model(ctx)
    if not m.routes:
        return nothing(m, "no routes in src/")
    calls, errors = test_calls(ctx)
    out: list[Finding] = list(errors)
    for r in m.routes:
        if not any(t.method == r.method and cm.template_matches(r.path, t.path) for t in calls):
            out.append(at(r, f"{r.key} has no integration test: add one under test/integration/ calling "
                             f'app.request("{_example(r.path)}", {{ method: "{r.method}" }})'))
    return judge(m, out, f"{plural(len(m.routes), 'route')}, each exercised by an integration test")
