"""That NodeSDK's `resource` sets `service.name` — as `"service.name"`, `[ATTR_SERVICE_NAME]` or `[SemanticResourceAttributes.SERVICE_NAME]` — to a string (literal or module constant) equal to service.yaml `name`. A `NodeSDK` that does not come from `@opentelemetry/sdk-node` (a local class of that name) is a finding at its `new`.

The attributes are read as JavaScript builds the object: the last key that sets `service.name` wins (`{ "service.name": "payments", [ATTR_SERVICE_NAME]: "other" }` is "other"), and a spread after it may override it — a spread of a constant object (a `const`, or one imported from the service's own files) is followed, and overrides it only when it has the key; a spread of anything else is a finding at the spread (put it first, or set the name after it). The value is read from a string literal or a `const` (a member of a constant object too); an attributes object given by name (`resourceFromAttributes(attrs)`) is followed when it is a constant object. When several object literals in the resource set `service.name` (`a.merge(b)`), each must set it to the service's name: the gate does not model which one a merge keeps. The same order applies to the NodeSDK options: a `resource` set before a spread the gate cannot follow is not read.

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

from tree_sitter import Node

from gate.checks._code import code_model, judge, opaque_spreads
from gate.checks.observability._logs import SERVICE_NAME_KEYS
from gate.checks.observability.otel import sdk_options, sdk_problem
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.ts import files as cf
from gate.sources.ts import parse as ts
from gate.sources.ts.code import CodeModel
from gate.sources.ts.files import Member


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
            opaque, n = opaque_spreads(m, opts.entries) if opts else ("", 0)
            if n:
                out.append(Finding(f"new NodeSDK(...) options spread {opaque}, which the gate cannot follow "
                                   f"and which may set or override resource: set {want} after it", path, line, line))
            else:
                out.append(Finding(f"new NodeSDK(...) sets no resource: add {want}", path, line, line))
            continue
        rpath, rnode = m.value(res.path, cf.value_of_pair(res.node))
        settings = _settings(m, rpath, rnode)
        if not settings:
            out.append(Finding(f'the NodeSDK resource does not set service.name: add [ATTR_SERVICE_NAME]: "{name}"',
                               rpath, ts.line_of(rnode), ts.line_of(rnode)))
            continue
        problems: list[Finding] = []
        for entry, spread in settings:
            if spread is not None:
                sline = ts.line_of(spread.node)
                problems.append(Finding(
                    f"the resource attributes spread {m.text(spread.path, spread.node)[3:]} after service.name, which "
                    "may override it and which the gate cannot follow: put the spread first or set "
                    f'[ATTR_SERVICE_NAME]: "{name}" after it', spread.path, sline, sline))
                continue
            assert entry is not None
            v = m.constant(entry.path, cf.value_of_pair(entry.node)) if entry.node.type != "method_definition" else None
            value = ts.string_value(m.info(v[0]).f, v[1]) if v is not None else None
            if value != name:
                vline = ts.line_of(entry.node)
                shown = f'"{value}"' if isinstance(value, str) else "a value the gate cannot read"
                problems.append(Finding(f'service.name is {shown}, not "{name}" (service.yaml name): set it to "{name}"',
                                        entry.path, vline, vline))
        if not problems:
            entry = settings[-1][0]
            assert entry is not None
            return judge(m, [], f'service.name is "{name}" in {entry.path}:{ts.line_of(entry.node)}')
        out.extend(problems)
    return judge(m, out, "")


def _settings(m: CodeModel, path: str, node: Node) -> list[tuple[Member | None, Member | None]]:
    """Per object literal under ``node`` that sets service.name (JavaScript's order: the last
    key wins, spreads of constant objects followed): (the entry that sets it last, None), or
    (None, the spread the gate cannot follow that comes after it and may override it)."""
    out: list[tuple[Member | None, Member | None]] = []
    objects: list[tuple[str, Node]] = []
    for n in ts.walk(node):
        if n.type == "object":
            objects.append((path, n))
        elif n.type == "identifier" and n.parent is not None and n.parent.type == "arguments":
            c = m.constant(path, n)  # resourceFromAttributes(attrs), attrs a constant object
            if c is not None and cf.unwrap_value(c[1]).type == "object":
                objects.append((c[0], cf.unwrap_value(c[1])))
    for opath, obj in objects:
        last: Member | None = None
        after: Member | None = None
        for e in m.members(opath, obj):
            if e.key in SERVICE_NAME_KEYS:
                last, after = e, None
            elif e.key is None and last is not None and after is None:
                after = e
        if last is not None:
            out.append((None, after) if after is not None else (last, None))
    return out
