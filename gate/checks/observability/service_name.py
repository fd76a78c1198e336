"""That NodeSDK's `resource` sets `service.name` — as `"service.name"`, `[ATTR_SERVICE_NAME]` or `[SemanticResourceAttributes.SERVICE_NAME]` — to a string (literal or module constant) equal to service.yaml `name`. A `NodeSDK` that does not come from `@opentelemetry/sdk-node` (a local class of that name) is a finding at its `new`.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

## Evidence

repo: the NodeSDK options.

## How to fix

`resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: "<name>" })`.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from gate.checks._code import code_model, judge
from gate.checks.observability._logs import SERVICE_NAME_KEYS
from gate.checks.observability.otel import sdk_options, sdk_problem
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.ts import files as cf
from gate.sources.ts import parse as ts


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    name = ctx.spec_str("name") or ctx.service.name
    want = f'resource: resourceFromAttributes({{ [ATTR_SERVICE_NAME]: "{name}" }})'
    if not m.node_sdks:
        return judge(m, [Finding(f"no new NodeSDK(...) in src/: construct it with {want}", ctx.path("src"))], "")
    out: list[Finding] = []
    for path, node in m.node_sdks:
        line = ts.line_of(node)
        problem = sdk_problem(m, path, node)
        if problem is not None:
            out.append(problem)
            continue
        opts = sdk_options(m, path, node)
        res = opts.get("resource") if opts else None
        if opts is None or res is None:
            out.append(Finding(f"new NodeSDK(...) sets no resource: add {want}", path, line, line))
            continue
        rpath, rnode = m.value(res.path, cf.value_of_pair(res.node))
        f = m.info(rpath).f
        found: list[tuple[object, int]] = []
        for n in ts.walk(rnode):
            if n.type != "pair":
                continue
            k = n.child_by_field_name("key")
            if k is None:
                continue
            key = ts.property_key(f, k)
            if key is None and k.type == "computed_property_name" and k.named_children:
                key = cf.dotted(f, k.named_children[0])
            if key in SERVICE_NAME_KEYS:
                vpath, vnode = m.value(rpath, cf.value_of_pair(n))
                found.append((ts.string_value(m.info(vpath).f, vnode), ts.line_of(n)))
        if not found:
            out.append(Finding(f'the NodeSDK resource does not set service.name: add [ATTR_SERVICE_NAME]: "{name}"',
                               rpath, ts.line_of(rnode), ts.line_of(rnode)))
            continue
        for value, vline in found:
            if value == name:
                return judge(m, [], f'service.name is "{name}" in {rpath}:{vline}')
            shown = f'"{value}"' if isinstance(value, str) else "a value the gate cannot read"
            out.append(Finding(f'service.name is {shown}, not "{name}" (service.yaml name): set it to "{name}"',
                               rpath, vline, vline))
    return judge(m, out, "")
