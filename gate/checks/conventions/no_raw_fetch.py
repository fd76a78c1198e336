"""No call of the global `fetch`: `fetch(...)` where `fetch` is not declared, imported or a parameter in scope, and `globalThis.fetch(...)` / `window.fetch(...)` / `self.fetch(...)` / `global.fetch(...)` (also `globalThis["fetch"](...)`, `(fetch as any)(...)`, `fetch!(...)`). Strings, comments and type positions (`typeof fetch`) are not code; tests and `src/stubs/` are not judged.

The global fetch cannot be called through an alias either: any other reference to it — `const f = fetch`, `fetch.call(...)`, `{ fetch }`, `[fetch]`, passing `fetch` or `globalThis.fetch` on — is a finding at that reference, and so is a use of `globalThis` / `window` / `self` / `global` other than reading a property by name (`const { fetch: f } = globalThis`, `const g = globalThis`, `globalThis[key]`), since the gate cannot then prove the global fetch is not called through it.

A TypeScript file of the service that does not parse is a finding of this item (at tree-sitter's error position); the rest of the service is still judged.

## Evidence

repo: calls in `src/`.

## How to fix

Use `http` from `@platform/http` instead.

## How to waive

```yaml
targets: [services/<name>/src/<file>.ts:<line>]   # optional: only these findings
```
"""

from tree_sitter import Node

from gate.checks._code import code_model, judge, nothing, plural
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.ts import files as cf
from gate.sources.ts import parse as ts

GLOBALS = ("globalThis", "window", "self", "global")
_QUERY = f"""
((identifier) @id (#match? @id "^(fetch|{'|'.join(GLOBALS)})$"))
((shorthand_property_identifier) @id (#eq? @id "fetch"))
"""
#: every name the query matches contains one of these (``globalThis`` contains ``global``)
_WORDS = (b"fetch", b"window", b"self", b"global")
#: wrappers that leave the value they hold unchanged: ``(fetch)``, ``fetch!``, ``fetch as any``
_TRANSPARENT = frozenset({"parenthesized_expression", "non_null_expression", "as_expression",
                          "satisfies_expression", "type_assertion"})


def _outer(node: Node) -> Node:
    while node.parent is not None and node.parent.type in _TRANSPARENT:
        node = node.parent
    return node


def _type_only(node: Node) -> bool:
    """``typeof fetch`` (a type query, or the typeof operator): names the value without calling it."""
    cur: Node | None = node.parent
    while cur is not None and cur.type in ("member_expression", "subscript_expression", *_TRANSPARENT):
        cur = cur.parent
    if cur is None:
        return False
    if cur.type == "type_query":
        return True
    return cur.type == "unary_expression" and cur.child(0) is not None and cur.child(0).type == "typeof"


def _member_name(f: ts.TsFile, parent: Node, obj: Node) -> str | None:
    """The property a member access ``obj.x`` / ``obj["x"]`` reads (None: not such an access of ``obj``,
    or a computed key)."""
    if parent.type == "member_expression" and parent.child_by_field_name("object") == obj:
        prop = parent.child_by_field_name("property")
        return f.text(prop) if prop is not None and prop.type == "property_identifier" else None
    if parent.type == "subscript_expression" and parent.child_by_field_name("object") == obj:
        idx = parent.child_by_field_name("index")
        return ts.string_value(f, idx) if idx is not None else None
    return None


def _raw(info: cf.FileInfo, node: Node) -> Finding | None:
    f = info.f
    name = f.text(node)
    if not cf.is_global(info, name, node) or _type_only(node):
        return None
    ref = _outer(node)
    shown = "fetch"
    if name != "fetch":
        # the global object, maybe through its own names (globalThis.window.self...): what is read of it
        path = name
        while True:
            parent = ref.parent
            prop = _member_name(f, parent, ref) if parent is not None else None
            if prop is None or prop not in GLOBALS:
                break
            assert parent is not None
            ref = _outer(parent)
            path = f"{path}.{prop}"
        if prop is not None and prop != "fetch":
            return None  # globalThis.crypto, window.location: not fetch
        line = ts.line_of(node)
        if prop is None:
            return Finding(f"{path} is used other than by reading a named property (aliased, destructured, passed on or "
                           "indexed by a computed key): the gate cannot prove the global fetch is not called through it; "
                           f"read the property you need by name ({path}.crypto), and use http from @platform/http for "
                           "outbound HTTP", f.path, line, line)
        assert parent is not None
        ref = _outer(parent)
        shown = f"{path}.fetch"
    up = ref.parent
    line = ts.line_of(node)
    if up is not None and up.type == "call_expression" and up.child_by_field_name("function") == ref:
        return Finding(f"{shown}(...) calls the global fetch: use http from @platform/http instead", f.path, line, line)
    return Finding(f"{shown} is referenced without being called here (aliased, passed on or wrapped): the global "
                   "fetch must not be called at all, directly or through an alias; use http from @platform/http instead",
                   f.path, line, line)


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    if not m.has_code:
        return nothing(m, "no TypeScript code in src/")
    out: list[Finding] = []
    for path in sorted(m.infos):
        info = m.info(path)
        if not any(w in info.f.source for w in _WORDS):
            continue  # none of the names the query matches is in the text
        for node in cf.captures(info.f, _QUERY).get("id", []):
            finding = _raw(info, node)
            if finding is not None:
                out.append(finding)
    return judge(m, out, f"no call of the global fetch in {plural(len(m.files), 'file')}")
