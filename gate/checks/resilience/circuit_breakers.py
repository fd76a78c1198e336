"""Every outbound vendor call is inside the function given to `breaker("<vendor>", fn)` (directly, or through a named function of the same file passed to it). A vendor call is a call through a binding imported from a vendor package (config `vendors`, default `stripe`, `twilio`, `@sendgrid/mail`) or an object built from one (`const stripe = new Stripe(key)`) or destructured from one (`const { charges } = stripe`), or `http.<method>(url)` (also through `const client = http` or `const { post } = http`) whose URL visibly points outside `.platform.loop.health` (a URL the code does not show — a parameter — is not judged). Calls at a module's top level (set-up at import) are not vendor calls. No vendor call → `skip`.

What an awaited method call of a vendor returns is the vendor's data, not a client: after `const r = await stripe.charges.list()` or `const { data } = await stripe.refunds.list()`, `r.data.map(...)` and `data.filter(...)` are not vendor calls. A client obtained from the vendor still is one: built with `new` (`new Stripe(key)`), returned by a call of a vendor binding itself (`twilio(sid, token)`, `await createClient()`), or by a method called without `await` (`stripe.withOptions(...)`: the gate cannot tell a builder from a request there, so it fails closed).

The platform's `breaker` is credited by its binding, not its name: under an alias (`import { breaker as cb } from "@platform/resilience"`) or through a namespace import (`res.breaker(...)`), directly or with a named function given to it (`cb("stripe", charge)`).

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

`breaker` counts only when it comes from `@platform/resilience` (config `helper_modules.breaker`), followed through the service's imports, barrels, re-exports and aliases: a call of `breaker` that leads elsewhere — a look-alike package, a local function or constant of the same name, a `let`/`var` binding, a parameter that shadows the import — is not credited, and the item fails at that call saying it does not come from the platform module (see [where a platform helper comes from](../code-analysis.md#where-a-platform-helper-comes-from)).

## Evidence

repo: calls in `src/` with their enclosing calls.

## How to fix

Wrap the call: `await breaker("stripe", () => retry(() => stripe.charges.create(...), { backoff: "exponential", jitter: true }))`.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code import at_call, code_model, helper, judge, nothing, plural
from gate.checks._code_rules import helper_ids, vendor_calls, wrapped
from gate.context import Ctx
from gate.model import Finding, Result


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    calls = vendor_calls(ctx)
    if not calls:
        return nothing(m, "no outbound vendor calls in src/")
    br = helper(ctx, "breaker")
    breakers = helper_ids(ctx, "breaker")
    out: list[Finding] = []
    for v in calls:
        if wrapped(m, v.call, breakers) is None:
            out.append(at_call(v.call, f'{v.call.callee}(...) calls {v.vendor} outside a circuit breaker: wrap it in '
                                       f'{br}("{v.vendor}", () => ...)'))
    out.extend(m.impostor_findings("breaker"))
    return judge(m, out, f"{plural(len(calls), 'vendor call')}, each inside {br}(...)")
