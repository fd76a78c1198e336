"""Every mutation route (POST, PUT, PATCH, DELETE) has a handler that calls `audit(...)`. A handler given by name is followed to its function (same file or a relative import), and so are the functions of the service it calls by name, two levels deep. No mutation route → `skip`.

An `audit(...)` inside a function nested in the handler counts when that function runs: it is given to a call (a callback: `db.tx(async () => ...)`), called at once, bound to a name the enclosing function calls, or a method of an object literal bound to a `const` that the enclosing function calls by name (`const o = { run: () => audit(...) }; o.run()`, `run() { ... }` methods and nested objects, `o.a.run()`, too). One that nothing calls (`const record = () => audit(...)` and no `record()`, a method of an object never called by its name, of a `let` object, or called any other way — `this.run()`, `o[k]()`, passed around) is not credited: the route fails saying so.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

`audit` counts only when it comes from `@platform/audit` (config `helper_modules.audit`), followed through the service's imports, barrels, re-exports and aliases: a call of `audit` that leads elsewhere — a look-alike package, a local function or constant of the same name, a `let`/`var` binding, a parameter that shadows the import — is not credited, and the item fails at that call saying it does not come from the platform module (see [where a platform helper comes from](../code-analysis.md#where-a-platform-helper-comes-from)).

## Evidence

repo: the route table and the calls inside each handler.

## How to fix

Call `await audit(c, "<event>", { ... })` in the handler.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from itertools import pairwise

from tree_sitter import Node

from gate.checks._code import MUTATIONS, at, code_model, helper, judge_routes, no_routes, plural
from gate.checks._code_rules import reachable_calls
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.ts import files as cf
from gate.sources.ts import parse as ts
from gate.sources.ts.code import CodeModel
from gate.sources.ts.files import FUNCTION_TYPES, Call


def _uncalled(m: CodeModel, call: Call) -> Node | None:
    """The function around ``call`` that nothing runs, if any: a nested function (not the
    outermost, the handler or the function a handler calls) that is neither given to a call
    (a callback), nor called at once, nor bound to a name called in the function around it."""
    fns: list[Node] = []
    cur = call.node.parent
    while cur is not None:
        if cur.type in FUNCTION_TYPES:
            fns.append(cur)
        cur = cur.parent
    f = m.info(call.path).f
    for fn, outer in pairwise(fns):
        up = fn.parent
        while up is not None and up.type in ("parenthesized_expression", "as_expression", "await_expression"):
            up = up.parent
        if up is None or up.type in ("arguments", "call_expression"):
            continue  # a callback, or called at once
        nm = up.child_by_field_name("name") if up.type == "variable_declarator" else (
            fn.child_by_field_name("name") if fn.type == "function_declaration" else None)
        names = {f.text(nm)} if nm is not None and nm.type == "identifier" else set()
        method = _method_name(f, fn, up)
        if method is not None:
            names.add(method)
        if names and any(c.callee in names for c in m.calls_within(call.path, outer) if not _contains(fn, c.node)):
            continue
        return fn
    return None


def _method_name(f: ts.TsFile, fn: Node, up: Node) -> str | None:
    """``o.run`` (``o.a.run`` when nested) for a function that is a method or a property of an
    object literal bound by ``const o = { run: () => ... }`` (``as const``, ``satisfies`` and
    parentheses allowed); None for anything else (a ``let`` can be reassigned)."""
    keys: list[str] = []
    if fn.type == "method_definition":
        n = fn.child_by_field_name("name")
        key = f.text(n) if n is not None and n.type == "property_identifier" else None
        obj = fn.parent
    elif up.type == "pair":
        k = up.child_by_field_name("key")
        key = ts.property_key(f, k) if k is not None else None
        obj = up.parent
    else:
        return None
    while key is not None and obj is not None and obj.type == "object":
        keys.append(key)
        holder = obj.parent
        while holder is not None and holder.type in _WRAPPERS:
            holder = holder.parent
        if holder is None:
            return None
        if holder.type == "variable_declarator":
            nm = holder.child_by_field_name("name")
            if nm is None or nm.type != "identifier" or not cf.is_const(holder) or holder.child_by_field_name("value") is None:
                return None
            return ".".join([f.text(nm), *reversed(keys)])
        if holder.type != "pair":
            return None
        k = holder.child_by_field_name("key")
        key = ts.property_key(f, k) if k is not None else None
        obj = holder.parent
    return None


_WRAPPERS = ("parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression")


def _contains(outer: Node, node: Node) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    muts = [r for r in m.routes if r.method in MUTATIONS]
    if not muts:
        return no_routes(m, "no mutation routes (POST, PUT, PATCH, DELETE) in src/")
    name = helper(ctx, "audit")
    out: list[Finding] = []
    for r in muts:
        calls = reachable_calls(m, r.handler_file, r.handler) if r.handler is not None else []
        audits = [c for c in calls if c.name == name and not m.is_foreign(c.node)]
        if not audits:
            out.append(at(r, f'{r.key}: its handler does not call {name}(...): add await {name}(c, "<event>", {{ ... }})'))
        elif all(_uncalled(m, c) is not None for c in audits):
            fn = _uncalled(m, audits[0])
            assert fn is not None
            out.append(at(r, f"{r.key}: its handler calls {name}(...) only inside a function it never calls "
                             f"({audits[0].path}:{ts.line_of(fn)}): call {name}(...) in the handler itself"))
    out.extend(m.impostor_findings("audit"))
    return judge_routes(m, out, f"{plural(len(muts), 'mutation route')}, each handler calling {name}(...)")
