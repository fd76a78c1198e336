"""A file in `src/` constructs `new NodeSDK({...})` whose options (an object literal or a module constant) have a trace exporter (`traceExporter` or `spanProcessors`), a metric reader (`metricReader` or `metricReaders`) and a log processor (`logRecordProcessor` or `logRecordProcessors`). An option set to nothing (`undefined`, `null`, `false`, `[]`) does not count.

An option's value is followed before it is judged: a shorthand property (`{ traceExporter }`) or a name is followed to its `const` value (of the module or the function, or imported from the service's own files), a member to the property of a constant object (`exporters.trace`), through `as`, `satisfies` and `await`. It counts when it ends in something that builds an object — `new X(...)`, a call (a factory), an object literal, an array with at least one element that counts; a conditional (`a ? b : c`) or a default (`a ?? b`, `a || b`) counts only when every value it can take counts. A name the gate cannot follow counts only when it is imported from a package (`import { traceExporter } from "@platform/otel"`: plausibly a configured instance the package exports); a parameter, a `let`/`var`, a global or anything else it cannot see does not count, and neither do literals, functions and classes themselves (not instances), nor a getter. The options' spreads are followed the same way (a spread of a constant object provides its keys; a key set before a spread the gate cannot follow may be overridden by it, so it does not count).

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

from dataclasses import dataclass

from tree_sitter import Node

from gate.checks._code import code_model, judge, opaque_spreads
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


def configured(m: cm.CodeModel, entry: cf.Member) -> bool:
    """Does an option configure something? See the module's docstring for the rule."""
    if entry.node.type == "method_definition":
        return False  # a method, not an exporter
    return _configures(m, entry.path, cf.value_of_pair(entry.node), cf.MAX_CONST_HOPS)


def _configures(m: cm.CodeModel, path: str, node: Node, hops: int) -> bool:
    node = cf.unwrap_value(node)
    t = node.type
    if hops <= 0:
        return False
    if t in ("identifier", "shorthand_property_identifier", "member_expression", "subscript_expression"):
        if m.text(path, node) == "undefined":
            return False
        k = m.constant(path, node)
        if k is None:
            return _from_package(m, path, node)
        if k[1].id == node.id and k[0] == path:
            return False
        return _configures(m, k[0], k[1], hops - 1)
    if t in ("new_expression", "call_expression", "object"):
        return True
    if t == "await_expression" and node.named_children:
        return _configures(m, path, node.named_children[0], hops - 1)
    if t == "array":
        return any(_configures(m, path, c, hops - 1) for c in node.named_children if c.type != "comment")
    if t == "ternary_expression":
        branches = [node.child_by_field_name("consequence"), node.child_by_field_name("alternative")]
        return all(b is not None and _configures(m, path, b, hops - 1) for b in branches)
    if t == "binary_expression":
        op = node.child_by_field_name("operator")
        sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
        return (op is not None and op.type in ("||", "??")
                and all(x is not None and _configures(m, path, x, hops - 1) for x in sides))
    return False  # undefined, null, false, a number, a string, void 0, a function or class itself...


def _from_package(m: cm.CodeModel, path: str, node: Node) -> bool:
    """Is the name at the root of ``node`` (``exporter``, ``otel.exporters.trace``) imported
    from a package (not from a file of the service)?"""
    while node.type in ("member_expression", "subscript_expression"):
        obj = node.child_by_field_name("object")
        if obj is None:
            return False
        node = cf.unwrap_value(obj)
    if node.type not in ("identifier", "shorthand_property_identifier"):
        return False
    info = m.info(path)
    d = cf.resolve(info, info.f.text(node), node)
    imp = info.imports.get(info.f.text(node)) if d is not None and d.kind == "import" else None
    return imp is not None and not imp.module.startswith(".") and m.module_file(path, imp.module) is None


@dataclass(frozen=True)
class Options:
    """The options object of a ``new NodeSDK(...)``: its file, node and entries in JavaScript's
    order (spreads of constant objects followed, :meth:`gate.sources.ts.code.CodeModel.members`)."""

    path: str
    node: Node
    entries: list[cf.Member]

    def get(self, key: str) -> cf.Member | None:
        """The entry that sets ``key`` last; None when none does, or when a spread the gate
        cannot follow comes after it (it may override it)."""
        found: cf.Member | None = None
        for e in self.entries:
            if e.key == key:
                found = e
            elif e.key is None:
                found = None
        return found


def sdk_options(m: cm.CodeModel, path: str, node: Node) -> Options | None:
    """The object-literal options of a ``new NodeSDK(...)`` (an object literal or a constant)."""
    args = node.child_by_field_name("arguments")
    real = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
    if not real:
        return None
    opath, onode = m.value(path, real[0])
    onode = cf.unwrap_value(onode)
    if onode.type != "object":
        return None
    return Options(opath, onode, m.members(opath, onode))


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
                   if not any((e := opts.get(k)) is not None and configured(m, e) for k in keys)]
        if missing:
            opaque, n = opaque_spreads(m, opts.entries)
            hint = (f" ({opaque}: {'a spread' if n == 1 else 'spreads'} the gate cannot follow, which may override the "
                    "options before it; set them after it)") if n else ""
            out.append(Finding(f"new NodeSDK(...) does not export {', '.join(missing)}: add them to its options{hint}",
                               path, line, line))
        else:
            return judge(m, [], f"new NodeSDK in {path}:{line} exports traces, metrics and logs")
    return judge(m, out, "")
