"""Every `retry(fn, options)` has options (an object literal or a module constant) with `backoff: "exponential"` and `jitter: true`; every vendor call inside a breaker is also inside a `retry`. Neither → `skip`.

A call of the platform's `retry` or `breaker` under another name (`import { retry as withRetry }`, `import { breaker as cb }`, `resilience.retry(...)`) is judged like `retry(...)` / `breaker(...)`: its options are checked, and a vendor call inside it counts as retried / guarded. A spread in the options after `backoff` and `jitter` (`{ backoff: "exponential", jitter: true, ...overrides }`) may override them: it is a finding at the spread, since the gate cannot prove what the call gets (a spread before them is fine).

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

`retry` counts only when it comes from `@platform/resilience` (config `helper_modules.retry`), followed through the service's imports, barrels, re-exports and aliases: a call of `retry` that leads elsewhere — a look-alike package, a local function or constant of the same name, a `let`/`var` binding, a parameter that shadows the import — is not credited, and the item fails at that call saying it does not come from the platform module (see [where a platform helper comes from](../code-analysis.md#where-a-platform-helper-comes-from)).

## Evidence

repo: calls in `src/`; the finding points at the options object.

## How to fix

Set `{ backoff: "exponential", jitter: true }`; wrap guarded vendor calls in `retry`.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code import at_call, code_model, helper, judge, nothing, plural
from gate.checks._code_rules import helper_calls, helper_ids, vendor_calls, wrapped
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.ts import files as cf
from gate.sources.ts import parse as ts


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    rt, br = helper(ctx, "retry"), helper(ctx, "breaker")
    retries = helper_calls(ctx, m, "retry")
    breakers, retried = helper_ids(ctx, "breaker"), helper_ids(ctx, "retry")
    guarded = [v for v in vendor_calls(ctx) if wrapped(m, v.call, breakers) is not None]
    foreign = m.impostor_findings("retry")
    if not retries and not guarded and not foreign:
        return nothing(m, f"no {rt}(...) calls and no vendor calls inside a breaker")
    want = '{ backoff: "exponential", jitter: true }'
    out: list[Finding] = []
    for c in retries:
        if len(c.args) < 2:
            out.append(at_call(c, f"{c.callee}(...) has no options: pass {want}"))
            continue
        opath, onode = m.value(c.path, c.args[1])
        f = m.info(opath).f
        if onode.type != "object":
            line = ts.line_of(c.args[1])
            out.append(Finding(f"{c.callee}(...) options are not an object literal the gate can read: write {want}",
                               c.path, line, line))
            continue
        keys = cf.object_keys(f, onode)
        missing = []
        bk = keys.get("backoff")
        if bk is None or ts.literal(f, cf.value_of_pair(bk)) != "exponential":
            missing.append('backoff: "exponential"')
        jt = keys.get("jitter")
        if jt is None or ts.literal(f, cf.value_of_pair(jt)) is not True:
            missing.append("jitter: true")
        last = max((p.end_byte for p in (bk, jt) if p is not None), default=-1)
        spread = next((s for s in onode.named_children if s.type == "spread_element" and s.start_byte > last), None)
        if not missing and spread is not None:
            line = ts.line_of(spread)
            out.append(Finding(f"{c.callee}(...) options spread {f.text(spread)[3:]} after backoff and jitter, which may "
                               "override them: the gate cannot prove the options the call gets; put the spread first "
                               f"or write {want} after it", opath, line, line))
            continue
        if missing:
            line = ts.line_of(onode)
            out.append(Finding(f"{c.callee}(...) options lack {' and '.join(missing)}: set {'it' if len(missing) == 1 else 'them'}", opath, line, line))
    for v in guarded:
        if wrapped(m, v.call, retried, 0) is None:
            out.append(at_call(v.call, f"{v.call.callee}(...) is inside {br}(...) but not retried: wrap it in "
                                       f"{rt}(() => ..., {want})"))
    out.extend(foreign)
    return judge(m, out, f"{plural(len(retries), 'retry call')} with exponential backoff and jitter; "
                         f"{plural(len(guarded), 'guarded vendor call')} retried")
