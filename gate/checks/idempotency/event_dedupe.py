"""Every `subscribe("<event>", handler)` wraps its handler as `dedupe("<handler-scope>", handler)` with a non-empty string literal scope (a handler given by name is followed), and every subscribed event is in `contracts.events.subscribes`. No subscription → `skip`.

A subscription is a call of `subscribe` with a string literal event, and any call of a package's `subscribe` whatever its arguments: an alias (`import { subscribe as on } from "@platform/events"`) is judged like the name. The event is read from a string literal, a `const` (of the module or the function, or imported from the service's own files), or a property of a constant object (`EVENTS.placed` with `const EVENTS = { placed: "order.placed" } as const`, `satisfies` too; the last key of that name wins, and a spread after it that the gate cannot follow leaves it unread); an event name the gate cannot read (a parameter, a `let`, a computed value, a property of anything else) is a finding, since it cannot be checked against `contracts.events.subscribes`. An alias of the platform's `dedupe` (`import { dedupe as once }`) is credited.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

`dedupe` counts only when it comes from `@platform/events` or `@platform/idempotency` (config `helper_modules.dedupe`), followed through the service's imports, barrels, re-exports and aliases: a call of `dedupe` that leads elsewhere — a look-alike package, a local function or constant of the same name, a `let`/`var` binding, a parameter that shadows the import — is not credited, and the item fails at that call saying it does not come from the platform module (see [where a platform helper comes from](../code-analysis.md#where-a-platform-helper-comes-from)).

## Evidence

repo: subscribe calls in `src/`, service.yaml.

## How to fix

Write `subscribe("order.placed", dedupe("payments.order-placed", handler))`; declare the event in service.yaml.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from tree_sitter import Node

from gate.checks._code import at_call, code_model, helper, judge, nothing, plural
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.ts import files as cf
from gate.sources.ts import parse as ts
from gate.sources.ts.code import CodeModel
from gate.sources.ts.provenance import origin


def _is_dedupe(ctx: Ctx, m: CodeModel, path: str, fn: Node, dedupe: str) -> bool:
    """``dedupe`` by name, or an alias of the platform's (``import { dedupe as dd }``)."""
    if cf.dotted(m.info(path).f, fn) == dedupe:
        return True
    o = origin(m.infos, m.module_file, path, fn)
    return o.module in ctx.config.helper_modules.get("dedupe", ()) and o.name == dedupe


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    if not m.subscribes:
        return nothing(m, "no subscribe(...) calls in src/")
    dedupe = helper(ctx, "dedupe")
    declared = {e for e in ctx.spec_list("contracts", "events", "subscribes") if isinstance(e, str)}
    out: list[Finding] = []
    for c in m.subscribes:
        f = m.info(c.path).f
        ev = m.constant(c.path, c.args[0])
        name = ts.string_value(m.info(ev[0]).f, ev[1]) if ev is not None else None
        event = name if name is not None else f.text(c.args[0])
        if name is None:
            out.append(at_call(c, f"subscribe({event}, ...): the event name is not a string the gate can read, so it "
                                  "cannot be checked against contracts.events.subscribes: write the event name as a "
                                  "string literal or a module constant"))
        handler = c.args[1] if len(c.args) > 1 else None
        ok = False
        if handler is not None:
            hpath, hnode = m.value(c.path, handler)
            hf = m.info(hpath).f
            if hnode.type == "call_expression":
                fn = hnode.child_by_field_name("function")
                args = hnode.child_by_field_name("arguments")
                real = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
                if fn is not None and _is_dedupe(ctx, m, hpath, fn, dedupe) and len(real) >= 2 and not m.is_foreign(hnode):
                    scope = ts.string_value(hf, real[0])
                    if scope is None or not scope.strip():
                        out.append(at_call(c, f'subscribe("{event}"): {dedupe}(...) needs a non-empty string scope: '
                                              f'{dedupe}("<handler-scope>", handler)'))
                        ok = True
                    else:
                        ok = True
        if not ok:
            out.append(at_call(c, f'subscribe("{event}") handler is not deduplicated: wrap it as '
                                  f'subscribe("{event}", {dedupe}("<handler-scope>", handler))'))
        if name is not None and event not in declared:
            out.append(at_call(c, f'subscribe("{event}"): the event is not in contracts.events.subscribes: '
                                  "add it to service.yaml"))
    out.extend(m.impostor_findings("dedupe"))
    return judge(m, out, f"{plural(len(m.subscribes), 'subscription')}, each handler wrapped in {dedupe}(...)")
