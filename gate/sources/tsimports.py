"""Which modules a TypeScript file imports, and whether it calls what it imported.

Small on purpose: value imports (default, namespace, named; ``import type`` ignored), bindings
made from them (``const c = new Client(...)``, ``const c = createClient(...)``, ``await``
allowed), and calls whose callee starts at such a binding (``sdk.x()``, ``c.payments.get()``,
``createPayment()``). Shadowing is not tracked. Used by ``sdk.consumer``; reusable wherever
"imports X and calls it" is the question.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from gate.sources.typescript import TsFile, line_of, string_value
from gate.workspace import Workspace


@dataclass(frozen=True)
class ModuleUse:
    """``file`` imports ``module`` (at ``import_line``) and, when ``call_line`` is set, calls a
    member of what it imported there (``callee`` is the call's callee text)."""

    module: str
    file: str
    import_line: int
    call_line: int | None = None
    callee: str | None = None


def _import_bindings(f: TsFile) -> tuple[dict[str, str], dict[str, int]]:
    """Local name → module for value imports; module → line of its first import."""
    names: dict[str, str] = {}
    lines: dict[str, int] = {}
    for stmt in f.root.named_children:
        if stmt.type != "import_statement":
            continue
        src = stmt.child_by_field_name("source")
        module = string_value(f, src) if src is not None else None
        if module is None:
            continue
        if any(c.type == "type" for c in stmt.children):  # import type { X } from ...
            continue
        lines.setdefault(module, line_of(stmt))
        for clause in (c for c in stmt.named_children if c.type == "import_clause"):
            for part in clause.named_children:
                if part.type == "identifier":
                    names[f.text(part)] = module
                elif part.type == "namespace_import":
                    ident = next((c for c in part.named_children if c.type == "identifier"), None)
                    if ident is not None:
                        names[f.text(ident)] = module
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier" or any(c.type == "type" for c in spec.children):
                            continue
                        alias = spec.child_by_field_name("alias") or spec.child_by_field_name("name")
                        if alias is not None:
                            names[f.text(alias)] = module
    return names, lines


def _root_ident(f: TsFile, node: Node | None) -> str | None:
    while node is not None:
        t = node.type
        if t == "identifier":
            return f.text(node)
        if t == "member_expression":
            node = node.child_by_field_name("object")
        elif t == "call_expression":
            node = node.child_by_field_name("function")
        elif t == "new_expression":
            node = node.child_by_field_name("constructor")
        elif t in ("await_expression", "parenthesized_expression", "non_null_expression", "as_expression"):
            node = node.named_children[0] if node.named_children else None
        else:
            return None
    return None


def _walk(node: Node) -> list[Node]:
    out: list[Node] = []
    stack = [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(n.named_children))
    return out


def uses(f: TsFile) -> list[ModuleUse]:
    """Every module ``f`` imports by value, with the first call of what it imported (if any)."""
    names, lines = _import_bindings(f)
    if not names and not lines:
        return []
    nodes = _walk(f.root)
    # bindings derived from imported values: const c = new Client(...) / createClient(...)
    for _ in range(3):
        grew = False
        for n in nodes:
            if n.type != "variable_declarator":
                continue
            name = n.child_by_field_name("name")
            value = n.child_by_field_name("value")
            if name is None or value is None or name.type != "identifier" or f.text(name) in names:
                continue
            inner = value
            while inner.type in ("await_expression", "parenthesized_expression") and inner.named_children:
                inner = inner.named_children[0]
            if inner.type in ("new_expression", "call_expression"):
                root = _root_ident(f, inner)
                if root is not None and root in names:
                    names[f.text(name)] = names[root]
                    grew = True
        if not grew:
            break
    first_call: dict[str, tuple[int, str]] = {}
    for n in nodes:
        if n.type != "call_expression":
            continue
        root = _root_ident(f, n.child_by_field_name("function"))
        if root is not None and root in names:
            module = names[root]
            if module not in first_call:
                fn = n.child_by_field_name("function")
                first_call[module] = (line_of(n), f.text(fn) if fn is not None else root)
    out = []
    for module, line in lines.items():
        call = first_call.get(module)
        out.append(ModuleUse(module, f.path, line, call[0] if call else None, call[1] if call else None))
    return out


def file_uses(ws: Workspace, path: str) -> list[ModuleUse]:
    """:func:`uses` of the TypeScript file at ``path`` (computed once per run; empty when the file
    is absent or has no import)."""

    def make() -> list[ModuleUse]:
        text = ws.text(path)
        if text is None or "import" not in text:
            return []
        f = ws.typescript(path)
        return uses(f) if f is not None else []

    return ws.derive("ts.imports", path, make)
