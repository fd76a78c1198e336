"""A file in `src/` constructs `new NodeSDK({...})` whose options (an object literal or a module constant) have a trace exporter (`traceExporter` or `spanProcessors`), a metric reader (`metricReader` or `metricReaders`) and a log processor (`logRecordProcessor` or `logRecordProcessors`). An option set to nothing (`undefined`, `null`, `false`, `[]`) does not count.

`NodeSDK` must come from `@opentelemetry/sdk-node` (an import alias or a namespace import is followed): a local class or a look-alike package's `NodeSDK` is a finding at its `new`, here and in `observability.service-name`.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

## Evidence

repo: `new NodeSDK` in `src/`.

## How to fix

Add the missing option to the NodeSDK constructor the finding points at, or an instrumentation file that builds one.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from tree_sitter import Node

from gate.checks._code import code_model, judge
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.ts import code as cm
from gate.sources.ts import files as cf
from gate.sources.ts import parse as ts
from gate.sources.ts.provenance import origin

GROUPS = (
    ("traces", ("traceExporter", "spanProcessors", "spanProcessor")),
    ("metrics", ("metricReader", "metricReaders")),
    ("logs", ("logRecordProcessor", "logRecordProcessors")),
)
EXAMPLE = "new NodeSDK({ resource, traceExporter, metricReader, logRecordProcessors })"
SDK_MODULE = "@opentelemetry/sdk-node"
#: option values that configure nothing
_EMPTY = frozenset({"undefined", "null", "false", "[]"})


def sdk_problem(m: cm.CodeModel, path: str, node: Node) -> Finding | None:
    """A finding when this ``new NodeSDK(...)`` does not construct the SDK of
    ``@opentelemetry/sdk-node`` (a local class or a look-alike package of the same name)."""
    ctor = node.child_by_field_name("constructor")
    o = origin(m.infos, m.module_file, path, ctor) if ctor is not None else None
    if o is not None and o.module == SDK_MODULE and o.name == "NodeSDK":
        return None
    why = ("a value the gate cannot trace" if o is None else o.why if o.module is None
           else f'"{o.name}" imported from "{o.module}"')
    line = ts.line_of(node)
    return Finding(f'new NodeSDK(...) here is not the OpenTelemetry SDK ({why}): import {{ NodeSDK }} from '
                   f'"{SDK_MODULE}" and construct that', path, line, line)


def configured(m: cm.CodeModel, path: str, pair: Node) -> bool:
    """Does an option's value configure something (not ``undefined``, ``null``, ``false`` or ``[]``)?"""
    vpath, vnode = m.value(path, cf.value_of_pair(pair))
    if vnode.type in ("shorthand_property_identifier", "method_definition"):
        return True
    text = "".join(m.text(vpath, vnode).split())
    return text not in _EMPTY


def sdk_options(m: cm.CodeModel, path: str, node: Node) -> tuple[str, dict[str, Node]] | None:
    """The object-literal options of a ``new NodeSDK(...)`` (keys → pair nodes)."""
    args = node.child_by_field_name("arguments")
    real = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
    if not real:
        return None
    opath, onode = m.value(path, real[0])
    if onode.type != "object":
        return None
    return opath, dict(cf.object_keys(m.info(opath).f, onode))


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    if not m.node_sdks:
        return judge(m, [Finding(f"no file in src/ constructs the OpenTelemetry SDK: add {EXAMPLE} "
                                 "(@opentelemetry/sdk-node) to an instrumentation file", ctx.path("src"))], "")
    out: list[Finding] = []
    for path, node in m.node_sdks:
        line = ts.line_of(node)
        opts = sdk_options(m, path, node)
        if opts is None:
            out.append(Finding(f"new NodeSDK(...) options are not an object literal the gate can read: write {EXAMPLE}",
                               path, line, line))
            continue
        problem = sdk_problem(m, path, node)
        if problem is not None:
            out.append(problem)
            continue
        missing = [f"{what} ({' or '.join(keys[:2])})" for what, keys in GROUPS
                   if not any(k in opts[1] and configured(m, opts[0], opts[1][k]) for k in keys)]
        if missing:
            out.append(Finding(f"new NodeSDK(...) does not export {', '.join(missing)}: add them to its options",
                               path, line, line))
        else:
            return judge(m, [], f"new NodeSDK in {path}:{line} exports traces, metrics and logs")
    return judge(m, out, "")
