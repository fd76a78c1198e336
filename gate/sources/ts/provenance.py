"""Where a platform helper comes from.

A helper (``requireScope``, ``audit``, ``retry``...) is credited only when the binding a call
names leads to the platform module the configuration assigns it (``helper_modules``), followed
through the service's own files with the service's import resolver
(:mod:`gate.sources.ts.imports`: relative specifiers and tsconfig path aliases): barrels,
``export { x as y } from``, ``export *``, namespace imports and import aliases. A local function
of the same name, a look-alike package, a ``let``/``var`` binding (it can be reassigned) or a
parameter does not lead there.

:func:`judge_helpers` applies this to the calls and the route table of a service's code
analysis; :class:`gate.sources.ts.code.CodeModel` keeps what it finds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from tree_sitter import Node

from gate.model import Finding
from gate.sources.ts import parse as ts
from gate.sources.ts.files import FUNCTION_TYPES, Call, FileInfo, follow, resolve
from gate.sources.ts.imports import ModuleFile
from gate.sources.ts.routes.table import Middleware, Route

if TYPE_CHECKING:
    from gate.config import Config

#: how many bindings are followed before giving up (a bound on hostile chains and cycles)
MAX_HOPS = 16


@dataclass(frozen=True)
class Origin:
    """``module``: the package the binding is imported from (None: not from a package, ``why``
    says what it is instead); ``name``: the name it has there (``*`` for a namespace)."""

    module: str | None
    name: str
    why: str


def origin(infos: dict[str, FileInfo], module_file: ModuleFile,
           path: str, callee: Node) -> Origin:
    """The origin of a callee (``requireScope``, ``auth.requireScope``, ``lib.auth.rs``) written
    in ``path``."""
    info = infos[path]
    parts: list[str] = []
    node = callee
    while node.type == "member_expression":
        prop = node.child_by_field_name("property")
        obj = node.child_by_field_name("object")
        if prop is None or obj is None:
            return Origin(None, info.f.text(callee), "a computed value")
        parts.append(info.f.text(prop))
        node = obj
    if node.type != "identifier":
        return Origin(None, info.f.text(callee), "a computed value")
    o = _binding(infos, module_file, path, info.f.text(node), node, MAX_HOPS)
    for p in reversed(parts):
        if o.module is None or o.name != "*":
            return Origin(None, info.f.text(callee), o.why if o.module is None else f"a member of {o.module}'s {o.name}")
        o = Origin(o.module, p, o.why)
    return o


#: origins already found (:func:`call_origin`): by file, where the callee's root is declared (the
#: declaration visible at the call: -1 for a global) and the callee's text
OriginMemo = dict[tuple[str, int, str], Origin]


def call_origin(infos: dict[str, FileInfo], module_file: ModuleFile, call: Call, memo: OriginMemo) -> Origin | None:
    """:func:`origin` of ``call``'s callee (None when it has none), found once per file,
    declaration of its root identifier and callee text, on which alone it depends: the many
    ``app.get(...)`` of a file are one question."""
    fn = call.node.child_by_field_name("function")
    if fn is None:
        return None
    return expr_origin(infos, module_file, call.path, fn, memo)


def expr_origin(infos: dict[str, FileInfo], module_file: ModuleFile, path: str, node: Node, memo: OriginMemo) -> Origin:
    """:func:`origin` of the expression ``node`` written in ``path`` (an identifier or a member
    chain), memoised in ``memo`` as :func:`call_origin` does."""
    info = infos[path]
    base = node
    while base.type == "member_expression":
        obj = base.child_by_field_name("object")
        if obj is None:
            break
        base = obj
    d = resolve(info, info.f.text(base), node) if base.type == "identifier" else None
    key = (path, d.node.start_byte if d is not None else -1, info.f.text(node))
    o = memo.get(key)
    if o is None:
        o = memo[key] = origin(infos, module_file, path, node)
    return o


def platform_object(infos: dict[str, FileInfo], module_file: ModuleFile, path: str, node: Node,
                    name: str, modules: tuple[str, ...], memo: OriginMemo) -> bool:
    """Is the expression ``node`` (written in ``path``) the platform object ``name`` of one of
    ``modules`` — the ``db`` or the ``sql`` tag of ``@platform/db``?

    By binding: an expression that leads to ``name`` of one of the modules under any name
    (``import { db as pool }``, ``database.db`` of ``import * as database``, ``const d = db``,
    a barrel of the service). By name, failing closed: an identifier written ``name`` counts
    unless it is a local look-alike, built by the service itself — a local function or class, or
    a constant (of this file or exported by another file of the service) whose value is an
    object or other literal, or what a local function or class returns (``const db =
    makeFake()``). A client of another package (``const db = new Pool(url)``) and what the gate
    cannot trace (a parameter, a global, ``const db = c.var.db``) keep counting: SQL given to
    them reaches a database, and is judged."""
    o = expr_origin(infos, module_file, path, node, memo)
    if o.module is not None and o.module in modules and o.name == name:
        return True
    if node.type != "identifier" or infos[path].f.text(node) != name:
        return False
    return o.module is not None or not _look_alike(infos, module_file, path, node, memo, MAX_HOPS)


def _look_alike(infos: dict[str, FileInfo], module_file: ModuleFile, path: str, ident: Node,
                memo: OriginMemo, hops: int) -> bool:
    """Is the identifier ``ident`` bound to something the service builds itself (see
    :func:`platform_object`)? False when the gate cannot tell."""
    info = infos[path]
    d = resolve(info, info.f.text(ident), ident)
    if d is None or d.kind == "param" or hops <= 0:
        return False
    if d.kind in ("function", "class"):
        return True
    if d.kind == "import":
        vpath, exported = follow(infos, module_file, path, ident)
        if exported == ident:
            return False
        return _built_locally(infos, module_file, vpath, exported, memo, hops - 1)
    value = d.node.child_by_field_name("value") if d.kind == "var" else None
    nm = d.node.child_by_field_name("name") if d.kind == "var" else None
    if value is None or nm is None or nm.type != "identifier":
        return False
    return _built_locally(infos, module_file, path, value, memo, hops - 1)


_LITERALS = frozenset({"object", "array", "string", "template_string", "number", "true", "false", "null",
                       "undefined", "regex", "class", "class_declaration", *FUNCTION_TYPES})


def _built_locally(infos: dict[str, FileInfo], module_file: ModuleFile, path: str, value: Node,
                   memo: OriginMemo, hops: int) -> bool:
    """Is ``value`` (an initializer in ``path``) built by the service itself: a literal, a
    function or class, or what a local function or class returns?"""
    while value.type in ("parenthesized_expression", "as_expression", "satisfies_expression",
                         "non_null_expression", "await_expression") and value.named_children:
        value = value.named_children[0]
    if value.type in _LITERALS:
        return True
    if value.type in ("call_expression", "new_expression"):
        fn = value.child_by_field_name("function" if value.type == "call_expression" else "constructor")
        if fn is None or fn.type not in ("identifier", "member_expression"):
            return False
        if expr_origin(infos, module_file, path, fn, memo).module is not None or fn.type != "identifier":
            return False
        d = resolve(infos[path], infos[path].f.text(fn), fn)
        if d is not None and d.kind in ("function", "class"):
            return True
        if d is not None and d.kind in ("var", "import"):
            v = follow(infos, module_file, path, fn)[1]
            return v != fn and (v.type in FUNCTION_TYPES or v.type in ("class_declaration", "class"))
        return False
    if value.type == "identifier" and expr_origin(infos, module_file, path, value, memo).module is None:
        return _look_alike(infos, module_file, path, value, memo, hops)
    return False


def _binding(infos: dict[str, FileInfo], module_file: ModuleFile,
             path: str, name: str, at: Node, hops: int) -> Origin:
    info = infos[path]
    if hops <= 0:
        return Origin(None, name, f"a chain of bindings longer than {MAX_HOPS}")
    d = resolve(info, name, at)
    if d is None:
        return Origin(None, name, f"{name} is neither imported nor declared in {path}")
    line = ts.line_of(d.node)
    if d.kind == "import":
        imp = info.imports.get(name)
        if imp is None:
            return Origin(None, name, f"an import the gate cannot read ({path}:{line})")
        target = module_file(path, imp.module)
        if target is None:
            if imp.module.startswith("."):
                return Origin(None, name, f'imported from "{imp.module}", which names no source file of the service')
            return Origin(imp.module, imp.name, f'imported from "{imp.module}" ({path}:{line})')
        if target not in infos:
            return Origin(None, name, f'imported from "{imp.module}", a file the gate did not analyse')
        if imp.name == "*":
            return Origin(None, name, f'a namespace of the service\'s own file {target}')
        return _exported(infos, module_file, target, imp.name, hops - 1)
    if d.kind == "var":
        decl = d.node
        kind = decl.parent.children[0].type if decl.parent is not None and decl.parent.children else ""
        value = decl.child_by_field_name("value")
        nm = decl.child_by_field_name("name")
        if kind != "const":
            return Origin(None, name, f"a variable declared with {kind or 'var'} at {path}:{line}, which can be reassigned")
        if value is None or nm is None or nm.type != "identifier":
            return Origin(None, name, f"a local constant declared at {path}:{line}")
        while value.type in ("parenthesized_expression", "as_expression", "satisfies_expression",
                             "non_null_expression") and value.named_children:
            value = value.named_children[0]
        if value.type in ("identifier", "member_expression"):
            o = origin(infos, module_file, path, value)
            return o if o.module is not None else Origin(None, name, f"a local constant declared at {path}:{line}")
        return Origin(None, name, f"a local constant declared at {path}:{line}")
    what = {"function": "a local function", "class": "a local class", "param": "a parameter"}.get(d.kind, "a local binding")
    return Origin(None, name, f"{what} declared at {path}:{line}")


def _exported(infos: dict[str, FileInfo], module_file: ModuleFile,
              path: str, exported: str, hops: int) -> Origin:
    """The origin of the name ``exported`` of the service's file ``path``: re-exports first
    (``export { a as b } from "m"``, ``export * as ns from "m"``, ``export * from "m"``), then
    the local binding it exports."""
    info = infos[path]
    f = info.f
    stars: list[str] = []
    for st in f.root.named_children:
        if st.type != "export_statement":
            continue
        src = st.child_by_field_name("source")
        spec = ts.string_value(f, src) if src is not None else None
        if spec is None:
            continue
        clause = next((c for c in st.named_children if c.type == "export_clause"), None)
        ns = next((c for c in st.named_children if c.type == "namespace_export"), None)
        if clause is not None:
            for sp in clause.named_children:
                names = ts.specifier(f, sp) if sp.type == "export_specifier" else None
                if names is not None and names[0] == exported:
                    return _from_module(infos, module_file, path, spec, names[1], ts.line_of(st), hops)
        elif ns is not None:
            ids = [x for x in ns.named_children if x.type in ("identifier", "string")]
            if ids and (ts.string_value(f, ids[0]) or f.text(ids[0])) == exported:
                return _from_module(infos, module_file, path, spec, "*", ts.line_of(st), hops)
        else:
            stars.append(spec)
    local = info.exports.get(exported)
    if local is not None and local in info.decls:
        return _binding(infos, module_file, path, local, f.root, hops - 1)
    for spec in stars:  # export * from "m": the first that has the name
        o = _from_module(infos, module_file, path, spec, exported, 0, hops)
        if o.module is not None:
            return o
    return Origin(None, exported, f'{path} exports no "{exported}" the gate can follow')


def _from_module(infos: dict[str, FileInfo], module_file: ModuleFile,
                 path: str, spec: str, name: str, line: int, hops: int) -> Origin:
    target = module_file(path, spec)
    if target is None:
        if spec.startswith("."):
            return Origin(None, name, f're-exported from "{spec}", which names no source file of the service')
        return Origin(spec, name, f're-exported from "{spec}" ({path}:{line})')
    if target not in infos:
        return Origin(None, name, f're-exported from "{spec}", a file the gate did not analyse')
    if name == "*":
        return Origin(None, name, f"a namespace of the service's own file {target}")
    return _exported(infos, module_file, target, name, hops - 1)


#: the helpers judged by where they come from: configuration key in ``helpers`` → default module
#: (``helper_modules``), as the platform conventions import them
JUDGED = ("require_scope", "require_baa", "rate_limit", "idempotent", "audit", "breaker", "retry", "dedupe")


@dataclass
class Provenance:
    """What :func:`judge_helpers` found: per helper key (``require_scope``, ``audit``...), the
    places that call a helper of that name which does not come from its platform module
    (``impostors``); the call nodes (ids) of those look-alikes (``foreign``: never credited as
    the helper); and the routes with only the real helpers in their middleware."""

    routes: list[Route]
    impostors: dict[str, list[Finding]] = field(default_factory=dict)
    foreign: set[int] = field(default_factory=set)


def judge_helpers(infos: dict[str, FileInfo], calls: list[Call], routes: list[Route], config: Config,
                  module_file: ModuleFile) -> Provenance:
    """Mark every call of a judged helper's name whose callee does not lead to the helper's
    platform module (:attr:`Provenance.foreign`, with a finding per place in
    :attr:`Provenance.impostors`), and keep in each route's middleware only the helpers that do
    (an alias of the real one, ``import { requireScope as rs }``, is credited under the helper's
    name)."""
    modules = config.helper_modules
    wanted: dict[str, tuple[str, tuple[str, ...]]] = {}  # helper name -> (key, its modules)
    for key in JUDGED:
        name, module = config.helper(key), modules.get(key)
        mods = (module,) if isinstance(module, str) else tuple(str(x) for x in module or ())
        if isinstance(name, str) and mods:
            wanted.setdefault(name, (key, mods))
    out = Provenance(routes)
    if not wanted:
        return out
    seen: set[tuple[str, str, int]] = set()

    def impostor(key: str, name: str, mods: tuple[str, ...], path: str, line: int, why: str) -> None:
        if (key, path, line) in seen:
            return
        seen.add((key, path, line))
        module = mods[0]
        out.impostors.setdefault(key, []).append(Finding(
            f'{name}(...) here does not come from the platform module "{module}" ({why}), so it is not credited as '
            f'the platform\'s {name}: import {{ {name} }} from "{module}" and call that', path, line, line))

    for c in calls:
        if c.callee is None or c.tagged or c.name not in wanted:
            continue
        key, mods = wanted[c.name]
        fn = c.node.child_by_field_name("function")
        if fn is None:
            continue
        o = origin(infos, module_file, c.path, fn)
        if o.module not in mods or o.name != c.name:
            out.foreign.add(c.node.id)
            # a method of some object (queue.retry()) is not credited, and said only when it
            # is a member of a package
            if "." not in c.callee or o.module is not None:
                impostor(key, c.name, mods, c.path, c.line, _why(o))
    by_module = {(module, name): name for name, (_, mods) in wanted.items() for module in mods}
    kept_routes = []
    for r in routes:
        kept: list[Middleware] = []
        for mw in r.middleware:
            mo = origin(infos, module_file, mw.callee[0], mw.callee[1]) if mw.callee is not None else None
            real = by_module.get((mo.module, mo.name)) if mo is not None and mo.module is not None else None
            if real is not None:
                kept.append(mw if mw.name == real else replace(mw, name=real))
            elif mw.name in wanted:
                key, mods = wanted[mw.name]
                impostor(key, mw.name, mods, mw.path, mw.line,
                         _why(mo) if mo is not None else "a value the gate cannot trace to an import")
            else:
                kept.append(mw)
        kept_routes.append(r if all(a is b for a, b in zip(kept, r.middleware, strict=False)) and len(kept) == len(r.middleware)
                           else replace(r, middleware=tuple(kept)))
    out.routes = kept_routes
    return out


def _why(o: Origin) -> str:
    if o.module is None:
        return f"it is {o.why}"
    return f'it is "{o.name}" {o.why}'
