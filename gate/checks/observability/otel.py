"""A file in `src/` constructs `new NodeSDK({...})` whose options (an object literal or a module constant) have a trace exporter (`traceExporter` or `spanProcessors`), a metric reader (`metricReader` or `metricReaders`) and a log processor (`logRecordProcessor` or `logRecordProcessors`).

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

GROUPS = (
    ("traces", ("traceExporter", "spanProcessors", "spanProcessor")),
    ("metrics", ("metricReader", "metricReaders")),
    ("logs", ("logRecordProcessor", "logRecordProcessors")),
)
EXAMPLE = "new NodeSDK({ resource, traceExporter, metricReader, logRecordProcessors })"


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
        missing = [f"{what} ({' or '.join(keys[:2])})" for what, keys in GROUPS if not any(k in opts[1] for k in keys)]
        if missing:
            out.append(Finding(f"new NodeSDK(...) does not export {', '.join(missing)}: add them to its options",
                               path, line, line))
        else:
            return judge(m, [], f"new NodeSDK in {path}:{line} exports traces, metrics and logs")
    return judge(m, out, "")
