"""Every route (method + full path) is exercised by a test under `test/integration/` (`*.test.ts`): `<app>.request("<path>", { method: "<METHOD>" })` (GET without a method) or `request(app).<method>("<path>")`. The path matches the route template (`:id` matches any segment, an interpolation `${id}` any segment; query strings are ignored; a trailing `/` must match too: Hono routes strictly by default, `/payments/42/` is a 404 where `/payments/:id` is served).

A call inside a test or suite the runner skips exercises nothing and does not count: `it.skip`, `test.skip`, `describe.skip` (also chained: `describe.skip.each(...)`, `it.concurrent.skip`), `it.todo`/`test.todo`, `xit`/`xtest`/`xdescribe`, and `it.skipIf(cond)`/`it.runIf(cond)` unless the condition is the literal that runs the test (a test that runs only under a condition does not prove it runs in CI); in a file holding a focused test or suite (`it.only`, `describe.only`, `fit`, `fdescribe`), a call outside all of them (the runner runs the focused ones alone). The finding then names the skipped test.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

## Evidence

repo: the route table and the calls of the integration tests.

## How to fix

Add a test calling the route; the finding gives a ready call.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code import at, code_model, judge_routes, no_routes, plural
from gate.checks.conventions._test_calls import test_calls
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.ts.routes.paths import template_matches


def _segs(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _example(path: str) -> str:
    return "/".join("1" if s.startswith(":") else s for s in path.split("/")) or "/"


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    if not m.routes:
        return no_routes(m, "no routes in src/")
    every, errors = test_calls(ctx)
    calls = [t for t in every if t.skipped is None]
    skipped = [t for t in every if t.skipped is not None]
    # tested paths by (method, number of segments) and first segment: a route looks only at
    # those that can match it
    by_first: dict[tuple[str, int, str], list[str]] = {}
    wild_first: dict[tuple[str, int], list[str]] = {}  # first segment interpolated
    by_len: dict[tuple[str, int], list[str]] = {}
    for t in calls:
        segs = _segs(t.path)
        by_len.setdefault((t.method, len(segs)), []).append(t.path)
        if segs and segs[0] != "*":
            by_first.setdefault((t.method, len(segs), segs[0]), []).append(t.path)
        else:
            wild_first.setdefault((t.method, len(segs)), []).append(t.path)
    out: list[Finding] = list(errors)
    for r in m.routes:
        segs = _segs(r.path)
        if not segs or segs[0].startswith(":"):
            cands = by_len.get((r.method, len(segs)), [])
        else:
            cands = by_first.get((r.method, len(segs), segs[0]), []) + wild_first.get((r.method, len(segs)), [])
        if not any(template_matches(r.path, p) for p in cands):
            off = next((t for t in skipped if t.method == r.method and template_matches(r.path, t.path)), None)
            why = (f" (its test at {off.file}:{off.line} is skipped by {off.skipped}, and a skipped test "
                   "exercises nothing: make it run)") if off is not None else ""
            out.append(at(r, f"{r.key} has no integration test{why}: add one under test/integration/ calling "
                             f'app.request("{_example(r.path)}", {{ method: "{r.method}" }})'))
    return judge_routes(m, out, f"{plural(len(m.routes), 'route')}, each exercised by an integration test")
