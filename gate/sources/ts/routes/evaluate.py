"""A small evaluator that runs a service's module code the way Node would, as far as routing goes.

It evaluates each module once, imports first (ES module order), top-level statements in order,
and runs the functions the code calls (app factories, ``registerRoutes(app)`` helpers,
``createRouter()``), with Hono's own registration semantics (:mod:`gate.sources.ts.routes.values`):
so a route table is built in the order Hono builds it, and a sub-router's routes added after it
was mounted are not in the app (as in Hono). Handlers are not run (they run per request).

Where a path or a router flows somewhere it cannot follow, it records a *problem* (a finding at
the line where the trail is lost); the route-dependent items fail on them. Work is bounded:
routes per router, mount depth, call depth and evaluation steps
(:data:`MAX_ROUTES`, :data:`MAX_DEPTH`, :data:`MAX_CALL_DEPTH`, :data:`MAX_STEPS`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tree_sitter import Node

from gate.model import Finding
from gate.sources.ts import parse as ts
from gate.sources.ts.imports import ModuleFile
from gate.sources.ts.routes.paths import merge_path
from gate.sources.ts.routes.values import (
    Arr,
    CallValue,
    Entry,
    External,
    Factory,
    Function,
    Handler,
    Lost,
    Obj,
    Opaque,
    RouteDef,
    Router,
    Scope,
    Store,
)

#: routes (registrations) one router may hold; past it the table is refused with a finding
MAX_ROUTES = 20_000
#: routers mounted into routers mounted into ... (``route()`` nesting)
MAX_DEPTH = 32
#: nested calls of the service's own functions the evaluator follows
MAX_CALL_DEPTH = 24
#: expressions and statements evaluated per service
MAX_STEPS = 2_000_000

ROUTE_METHODS = ("get", "post", "put", "delete", "options", "patch", "query", "all")
#: the router methods that add routes or middleware (``app.fetch.bind(app)`` is harmless)
REGISTERING = frozenset({*ROUTE_METHODS, "on", "use", "route", "basePath", "mount", "openapi"})
HONO_MODULES = ("hono", "@hono/")
FIX = ("write it so the gate can follow it (literal paths, routers bound to names and mounted with "
       ".route(), relative imports), or waive the item in service.yaml with a reason")


class Limit(Exception):
    """A bound was hit: the evaluation stops with a finding."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


class Return(Exception):
    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


_SERVING = "a method of a router that serves it"
_FUNCTIONS = frozenset({"arrow_function", "function_expression", "function", "generator_function"})
_BRACE_PARAM = re.compile(r"/\{(.+?)\}")


class Evaluator:
    def __init__(self, files: dict[str, ts.TsFile], module_file: ModuleFile,
                 ctors: frozenset[str], order: list[str]) -> None:
        self.files = files
        self.module_file = module_file
        self.ctors = ctors
        self.order = order
        self.records: dict[str, Obj] = {}
        self.evaluating: set[str] = set()
        self.stores: list[Store] = []
        self.problems: list[Finding] = []
        self._problem_keys: set[tuple[str, int, str]] = set()
        self.steps = 0
        self.call_depth = 0
        self.key_counts: dict[str, int] = {}
        self.scopes: dict[str, Scope] = {}
        self.invoked: set[int] = set()

    # -- entry ------------------------------------------------------------------------------
    def run(self) -> None:
        try:
            for path in self.order:
                self.module(path)
            self._uncalled_factories()
        except Limit as exc:
            self.problems.append(exc.finding)
        except RecursionError:
            first = self.order[0] if self.order else "src"
            self.problems.append(Finding(f"the code under {first.rsplit('/', 1)[0]} is nested too deeply for the route "
                                         "analysis; simplify it, or waive the route items", first, 1, 1))

    def _uncalled_factories(self) -> None:
        """Module-level functions that build a router but that nothing in the service calls
        (exported for an entry point outside ``src/``?) are run once, their parameters unknown:
        their routes are judged rather than ignored."""
        for path in self.order:
            scope = self.scopes.get(path)
            if scope is None:
                continue
            for v in list(scope.vars.values()):
                if not isinstance(v, Function) or v.file != path or v.node.id in self.invoked:
                    continue
                text = self.files[path].text(v.node)
                if "createApp(" in text or any(f"new {c}" in text for c in (*self.ctors, "OpenAPIHono")):
                    n = self._params(v)
                    self.invoke(path, v.node, v, [self.lost(path, v.node, "a parameter of a function nothing calls")] * n)

    def problem(self, file: str, node: Node, message: str) -> None:
        line = ts.line_of(node)
        key = (file, line, message)
        if key not in self._problem_keys:
            self._problem_keys.add(key)
            self.problems.append(Finding(message, file, line, line))

    def lost(self, file: str, node: Node, why: str) -> Lost:
        return Lost(why, file, ts.line_of(node))

    def step(self, file: str, node: Node) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            line = ts.line_of(node)
            raise Limit(Finding(f"the route analysis stopped after {MAX_STEPS:,} steps (at {file}:{line}): the code that "
                                "builds the routers is too large or loops; the route items cannot be judged", file, line, line))

    # -- modules ----------------------------------------------------------------------------
    def module(self, path: str) -> Obj:
        rec = self.records.get(path)
        if rec is not None:
            return rec
        rec = self.records[path] = Obj({}, origin=f"module {path}")
        self.evaluating.add(path)
        f = self.files[path]
        scope = self.scopes[path] = Scope()
        body = [c for c in f.root.named_children if c.type != "comment"]
        # imports are evaluated first, in order (ES modules); then function declarations hoist
        for st in body:
            if st.type == "import_statement":
                self._import(path, st, scope)
            elif st.type == "export_statement" and st.child_by_field_name("source") is not None:
                self._reexport(path, st, rec)
        self._hoist(path, body, scope)
        for st in body:
            if st.type == "import_statement":
                continue
            try:
                self.exec_stmt(path, st, scope, rec)
            except Return:
                break
        self.evaluating.discard(path)
        return rec

    def _target(self, path: str, spec: str, node: Node) -> tuple[str | None, Lost | None]:
        if not spec.startswith("."):
            alias = self.module_file(path, spec)  # a tsconfig.json path alias, else a package
            if alias is None or alias not in self.files:
                return None, None
            if alias in self.evaluating:
                return alias, self.lost(path, node, f'"{spec}" is imported in a cycle (its exports are not yet defined here)')
            return alias, None
        target = self.module_file(path, spec)
        if target is None or target not in self.files:
            return None, self.lost(path, node, f'the import "{spec}" names no source file of the service')
        if target in self.evaluating:
            return target, self.lost(path, node, f'"{spec}" is imported in a cycle (its exports are not yet defined here)')
        return target, None

    def _source(self, path: str, st: Node) -> tuple[str, Obj | None, Lost | None] | None:
        """The module an import or re-export names: its specifier, its exports when it is a
        source file of the service (None for a package) and, when it cannot be followed, why."""
        src = st.child_by_field_name("source")
        spec = ts.string_value(self.files[path], src) if src is not None else None
        if spec is None:
            return None
        target, lost = self._target(path, spec, st)
        return spec, self.module(target) if target is not None and lost is None else None, lost

    def _imported(self, path: str, st: Node, spec: str, rec: Obj | None, lost: Lost | None, name: str) -> Any:
        """The value the export ``name`` (``*``: the module itself) of ``spec`` has here."""
        if lost is not None:
            return lost
        if rec is None:
            return External(spec, name)
        if name == "*":
            return rec
        if name in rec.items:
            return rec.items[name]
        return self.lost(path, st, f'"{spec}" exports no "{name}"')

    def _import(self, path: str, st: Node, scope: Scope) -> None:
        source = self._source(path, st)
        if source is None:
            return
        spec, rec, lost = source
        for n in ts.import_names(self.files[path], st):
            scope.vars[n.binding] = self._imported(path, st, spec, rec, lost, n.name)

    def _reexport(self, path: str, st: Node, rec: Obj) -> None:
        f = self.files[path]
        source = self._source(path, st)
        if source is None:
            return
        spec, trec, lost = source

        def value(name: str) -> Any:
            return self._imported(path, st, spec, trec, lost, name)

        clause = next((c for c in st.named_children if c.type == "export_clause"), None)
        ns = next((c for c in st.named_children if c.type == "namespace_export"), None)
        if clause is not None:
            for sp in clause.named_children:
                names = ts.specifier(f, sp) if sp.type == "export_specifier" else None
                if names is not None:
                    rec.items[names[0]] = value(names[1])
        elif ns is not None:
            ids = [x for x in ns.named_children if x.type in ("identifier", "string")]
            if ids:
                rec.items[ts.string_value(f, ids[0]) or f.text(ids[0])] = value("*")
        elif trec is not None:  # export * from "./x"
            for k, v in trec.items.items():
                if k != "default":
                    rec.items.setdefault(k, v)
        elif lost is not None:
            self.problem(path, st, f"export * from \"{spec}\": {lost.why}; {FIX}")

    # -- statements -------------------------------------------------------------------------
    def _hoist(self, path: str, body: list[Node], scope: Scope) -> None:
        f = self.files[path]
        for st in body:
            d = st
            if st.type == "export_statement":
                d = st.child_by_field_name("declaration") or st
            if d.type in ("function_declaration", "generator_function_declaration"):
                name = d.child_by_field_name("name")
                if name is not None:
                    scope.vars[f.text(name)] = Function(path, d, scope, f.text(name))

    def exec_block(self, path: str, stmts: list[Node], scope: Scope) -> None:
        self._hoist(path, stmts, scope)
        for st in stmts:
            self.exec_stmt(path, st, scope, None)

    def exec_stmt(self, path: str, st: Node, scope: Scope, rec: Obj | None) -> None:
        self.step(path, st)
        f = self.files[path]
        t = st.type
        if t == "expression_statement":
            for c in st.named_children:
                self.eval(path, c, scope)
        elif t in ("lexical_declaration", "variable_declaration"):
            for d in st.named_children:
                if d.type != "variable_declarator":
                    continue
                name = d.child_by_field_name("name")
                val = d.child_by_field_name("value")
                v = self.eval(path, val, scope) if val is not None else None
                if name is not None:
                    self.bind(path, name, v, scope, d)
        elif t == "export_statement":
            decl = st.child_by_field_name("declaration")
            value = st.child_by_field_name("value")
            if decl is not None:
                self.exec_stmt(path, decl, scope, None)
                if rec is not None:
                    is_default = any(c.type == "default" for c in st.children)
                    for n in self._declared(f, decl):
                        rec.items["default" if is_default else n] = scope.lookup(n)[1]
            elif value is not None:
                v = self.eval(path, value, scope)
                if rec is not None:
                    rec.items["default"] = v
                self._served(v)
            elif st.child_by_field_name("source") is None and rec is not None:
                for c in st.named_children:
                    if c.type != "export_clause":
                        continue
                    for sp in c.named_children:
                        names = ts.specifier(f, sp) if sp.type == "export_specifier" else None
                        if names is not None:
                            found, v = scope.lookup(names[1])
                            rec.items[names[0]] = v if found else Opaque()
        elif t in ("function_declaration", "generator_function_declaration"):
            name = st.child_by_field_name("name")
            if name is not None and not scope.lookup(f.text(name))[0]:
                scope.vars[f.text(name)] = Function(path, st, scope, f.text(name))
        elif t == "class_declaration":
            name = st.child_by_field_name("name")
            if name is not None:
                scope.vars[f.text(name)] = self._class(path, st, scope)
        elif t == "statement_block":
            self.exec_block(path, [c for c in st.named_children if c.type != "comment"], Scope(scope))
        elif t == "if_statement":
            cond = st.child_by_field_name("condition")
            cv = self.eval(path, cond, scope) if cond is not None else Opaque()
            cons = st.child_by_field_name("consequence")
            alt = st.child_by_field_name("alternative")
            if not (cv is False or cv is None or cv == 0 or cv == "") and cons is not None:
                self.exec_stmt(path, cons, scope, None)
            if not (cv is True or (isinstance(cv, str) and cv)) and alt is not None:
                for c in alt.named_children:
                    self.exec_stmt(path, c, scope, None)
        elif t in ("for_in_statement",):
            self._for_of(path, st, scope)
        elif t in ("for_statement", "while_statement", "do_statement"):
            inner = Scope(scope)
            init = st.child_by_field_name("initializer")
            if init is not None:
                self.exec_stmt(path, init, inner, None)
            body = st.child_by_field_name("body")
            if body is not None:
                self.exec_stmt(path, body, inner, None)
        elif t == "try_statement":
            for field_name in ("body", "finalizer"):
                b = st.child_by_field_name(field_name)
                if b is not None:
                    self.exec_stmt(path, b, scope, None)
        elif t == "finally_clause":
            for c in st.named_children:
                self.exec_stmt(path, c, scope, None)
        elif t == "return_statement":
            v = self.eval(path, st.named_children[0], scope) if st.named_children else None
            raise Return(v)
        elif t == "switch_statement":
            body = st.child_by_field_name("body")
            for case in body.named_children if body is not None else []:
                stmts = [c for c in case.named_children if c.type.endswith("statement") or c.type.endswith("declaration")]
                self.exec_block(path, stmts, Scope(scope))

    def _class(self, path: str, st: Node, scope: Scope) -> Any:
        """A class that extends a router constructor (``class Api extends Hono {}``) builds
        routers; any other class is opaque."""
        heritage = next((c for c in st.named_children if c.type == "class_heritage"), None)
        ext = next((c for c in heritage.named_children if c.type == "extends_clause"), None) if heritage else None
        value = ext.child_by_field_name("value") if ext is not None else None
        if value is None and ext is not None and ext.named_children:
            value = ext.named_children[0]
        if value is not None and self._is_ctor(path, value, self.eval(path, value, scope)):
            return External("hono", "Hono")
        return Opaque("class")

    def _declared(self, f: ts.TsFile, decl: Node) -> Iterator[str]:
        if decl.type in ("lexical_declaration", "variable_declaration"):
            for d in decl.named_children:
                name = d.child_by_field_name("name") if d.type == "variable_declarator" else None
                if name is not None:
                    for ident in _pattern_names(name):
                        yield f.text(ident)
        else:
            name = decl.child_by_field_name("name")
            if name is not None:
                yield f.text(name)

    def _for_of(self, path: str, st: Node, scope: Scope) -> None:
        left = st.child_by_field_name("left")
        right = st.child_by_field_name("right")
        body = st.child_by_field_name("body")
        if left is None or right is None or body is None:
            return
        is_of = any(c.type == "of" for c in st.children)
        rv = self.eval(path, right, scope)
        items: list[Any]
        if (is_of and isinstance(rv, Arr)) or (not is_of and isinstance(rv, Obj)):
            items = list(rv.items)
        else:
            items = [self.lost(path, right, f"a loop over {self.files[path].text(right)[:60]}, which the gate cannot list")]
        if len(items) > 1000:
            self.problem(path, st, f"a loop over {len(items)} items: the gate follows 1,000; {FIX}")
        for item in items[:1000]:
            inner = Scope(scope)
            self.bind(path, left, item, inner, st)
            self.exec_stmt(path, body, inner, None)

    def bind(self, path: str, pattern: Node, v: Any, scope: Scope, decl: Node | None) -> None:
        f = self.files[path]
        t = pattern.type
        if t == "identifier":
            name = f.text(pattern)
            if isinstance(v, Router) and decl is not None:
                self._name_store(v.store, path, name, decl, scope.parent is None)
            scope.vars[name] = v
        elif t == "object_pattern":
            for c in pattern.named_children:
                if c.type == "shorthand_property_identifier_pattern":
                    scope.vars[f.text(c)] = self._member(path, c, v, f.text(c))
                elif c.type == "pair_pattern":
                    k = c.child_by_field_name("key")
                    val = c.child_by_field_name("value")
                    key = ts.property_key(f, k) if k is not None else None
                    if val is not None:
                        self.bind(path, val, self._member(path, c, v, key) if key else Opaque(), scope, None)
                elif c.type == "object_assignment_pattern":
                    left = c.child_by_field_name("left")
                    if left is not None:
                        self.bind(path, left, self._member(path, c, v, f.text(left)), scope, None)
                else:
                    for ident in _pattern_names(c):
                        scope.vars[f.text(ident)] = Opaque()
        elif t == "array_pattern":
            for i, c in enumerate(pattern.named_children):
                item = v.items[i] if isinstance(v, Arr) and i < len(v.items) else (
                    v if isinstance(v, Lost) else Opaque())
                self.bind(path, c, item, scope, None)
        elif t in ("assignment_pattern",):
            left = pattern.child_by_field_name("left")
            right = pattern.child_by_field_name("right")
            if left is not None:
                if (v is None or isinstance(v, Opaque)) and right is not None:
                    v = self.eval(path, right, scope)
                self.bind(path, left, v, scope, None)
        elif t in ("required_parameter", "optional_parameter"):
            p = pattern.child_by_field_name("pattern")
            dv = pattern.child_by_field_name("value")
            if (v is None or isinstance(v, Opaque)) and dv is not None:
                v = self.eval(path, dv, scope)
            if p is not None:
                self.bind(path, p, v, scope, None)
        elif t == "rest_pattern":
            for ident in _pattern_names(pattern):
                scope.vars[f.text(ident)] = v
        else:
            for ident in _pattern_names(pattern):
                scope.vars[f.text(ident)] = Opaque()

    def _name_store(self, store: Store, path: str, name: str, decl: Node, top: bool) -> None:
        if store.named:
            return
        base = f"{path}#{name}" if top else f"{path}#{name}:{ts.line_of(decl)}"
        n = self.key_counts.get(base, 0)
        self.key_counts[base] = n + 1
        store.key = base if n == 0 else f"{base}~{n + 1}"
        store.node = decl
        store.named = True

    # -- expressions ------------------------------------------------------------------------
    def eval(self, path: str, node: Node | None, scope: Scope) -> Any:
        if node is None:
            return None
        self.steps += 1
        if self.steps > MAX_STEPS:
            self.step(path, node)
        t = node.type
        if t in _FUNCTIONS:  # the commonest argument (a handler): nothing to evaluate
            return Function(path, node, scope)
        f = self.files[path]
        if t in ("parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression",
                 "await_expression", "type_assertion") and node.named_children:
            return self.eval(path, node.named_children[0], scope)
        if t == "string":
            return ts.string_value(f, node)
        if t == "template_string":
            return self._template(path, node, scope)
        if t in ("number", "true", "false", "null"):
            return ts.literal(f, node)
        if t == "undefined":
            return None
        if t == "identifier":
            name = f.text(node)
            found, v = scope.lookup(name)
            if found:
                return v
            if name == "undefined":
                return None
            return Opaque(f"global {name}")
        if t in ("member_expression", "call_expression"):
            return self._spine(path, node, scope)
        if t == "subscript_expression":
            ov = self.eval(path, node.child_by_field_name("object"), scope)
            kv = self.eval(path, node.child_by_field_name("index"), scope)
            if isinstance(ov, Arr) and isinstance(kv, int) and not isinstance(kv, bool):
                return ov.items[kv] if 0 <= kv < len(ov.items) else None
            if isinstance(kv, str):
                return self._member(path, node, ov, kv)
            if isinstance(ov, Router):
                self.problem(path, node, f"a method of the router {ov.store.key.split('#', 1)[-1]} is chosen at run "
                                         f"time ({f.text(node)[:60]}); {FIX}")
                return Opaque()
            if isinstance(ov, (Arr, Obj)) and _holds_router(ov):
                return self.lost(path, node, f"a router read from {f.text(node)[:60]} with a computed key")
            return Opaque()
        if t == "new_expression":
            return self._new(path, node, scope)
        if t == "object":
            return self._object(path, node, scope)
        if t == "array":
            items: list[Any] = []
            for c in node.named_children:
                if c.type == "comment":
                    continue
                if c.type == "spread_element" and c.named_children:
                    sv = self.eval(path, c.named_children[0], scope)
                    if isinstance(sv, Arr):
                        items.extend(sv.items)
                    else:
                        items.append(sv)
                else:
                    items.append(self.eval(path, c, scope))
            return Arr(items)
        if t == "binary_expression":
            left = self.eval(path, node.child_by_field_name("left"), scope)
            right = self.eval(path, node.child_by_field_name("right"), scope)
            op = node.child_by_field_name("operator")
            if op is not None and f.text(op) == "+" and isinstance(left, (str, int, float)) \
                    and isinstance(right, (str, int, float)) and (isinstance(left, str) or isinstance(right, str)):
                return f"{_js_str(left)}{_js_str(right)}"
            if op is not None and f.text(op) in ("??", "||") and isinstance(left, str) and left:
                return left
            if isinstance(left, (str, Router)) or isinstance(right, (str, Router)):
                return self.lost(path, node, f"{f.text(node)[:60]} is computed at run time")
            return Opaque()
        if t == "ternary_expression":
            cv = self.eval(path, node.child_by_field_name("condition"), scope)
            a = node.child_by_field_name("consequence")
            b = node.child_by_field_name("alternative")
            if isinstance(cv, bool):
                return self.eval(path, a if cv else b, scope)
            av, bv = self.eval(path, a, scope), self.eval(path, b, scope)
            if av == bv and isinstance(av, str):
                return av
            if isinstance(av, (str, Router)) or isinstance(bv, (str, Router)):
                return self.lost(path, node, f"{f.text(node)[:60]} is chosen at run time")
            return Opaque()
        if t == "assignment_expression":
            left = node.child_by_field_name("left")
            v = self.eval(path, node.child_by_field_name("right"), scope)
            if left is not None and left.type == "identifier":
                if isinstance(v, Router):
                    self._name_store(v.store, path, f.text(left), node, scope.parent is None)
                scope.assign(f.text(left), v)
            elif left is not None and left.type == "member_expression":
                ov = self.eval(path, left.child_by_field_name("object"), scope)
                prop = left.child_by_field_name("property")
                if isinstance(ov, Obj) and prop is not None:
                    ov.items[f.text(prop)] = v
                elif isinstance(v, Router):
                    self._escape(path, node, v, f"stored in {f.text(left)[:60]}")
            return v
        if t == "sequence_expression":
            v = None
            for c in node.named_children:
                v = self.eval(path, c, scope)
            return v
        return Opaque(t)

    def _template(self, path: str, node: Node, scope: Scope) -> Any:
        f = self.files[path]
        parts: list[str] = []
        pos = node.start_byte + 1
        src = f.source
        for c in node.named_children:
            if c.type != "template_substitution":
                continue
            parts.append(src[pos:c.start_byte].decode("utf-8", "replace"))
            v = self.eval(path, c.named_children[0], scope) if c.named_children else None
            if not isinstance(v, (str, int, float)) or isinstance(v, bool):
                return self.lost(path, node, f"the template {f.text(node)[:60]} holds ${{...}} the gate cannot compute")
            parts.append(_js_str(v))
            pos = c.end_byte
        parts.append(src[pos:node.end_byte - 1].decode("utf-8", "replace"))
        return "".join(parts)

    def _object(self, path: str, node: Node, scope: Scope) -> Obj:
        f = self.files[path]
        out = Obj({})
        for c in node.named_children:
            if c.type == "pair":
                k = c.child_by_field_name("key")
                key = ts.property_key(f, k) if k is not None else None
                if key is None and k is not None and k.type == "computed_property_name" and k.named_children:
                    kv = self.eval(path, k.named_children[0], scope)
                    key = kv if isinstance(kv, str) else None
                if key is not None:
                    out.items[key] = self.eval(path, c.child_by_field_name("value"), scope)
            elif c.type == "shorthand_property_identifier":
                out.items[f.text(c)] = scope.lookup(f.text(c))[1]
            elif c.type == "method_definition":
                n = c.child_by_field_name("name")
                if n is not None:
                    out.items[f.text(n)] = Function(path, c, scope, f.text(n))
            elif c.type == "spread_element" and c.named_children:
                sv = self.eval(path, c.named_children[0], scope)
                if isinstance(sv, Obj):
                    out.items.update(sv.items)
        return out

    def _member(self, path: str, node: Node, ov: Any, prop: str | None) -> Any:
        if prop is None:
            return Opaque()
        if isinstance(ov, Obj):
            if prop in ov.items:
                return ov.items[prop]
            if ov.origin.startswith("module "):
                return self.lost(path, node, f"{ov.origin[7:]} exports no \"{prop}\"")
            return None
        if isinstance(ov, External):
            return External(ov.module, f"{ov.name}.{prop}")
        if isinstance(ov, Lost):
            return ov
        if isinstance(ov, Router):
            return ("method", ov, prop)
        if isinstance(ov, tuple) and ov and ov[0] == "method" and ov[2] in REGISTERING:
            self.problem(path, node, f"the router method .{ov[2]}() is used indirectly (.{prop}): {FIX}")
            return Opaque()
        if isinstance(ov, tuple) and ov and ov[0] == "method":
            return Opaque(_SERVING)  # app.fetch.bind(app), app.request.call(app, ...): serves the app
        if isinstance(ov, Factory):
            return ("factory", ov, prop)
        if isinstance(ov, Arr):
            if prop == "length":
                return len(ov.items)
            return ("array", ov, prop)
        return Opaque()

    def _is_ctor(self, path: str, node: Node, v: Any) -> bool:
        if isinstance(v, External):
            return (v.module == "hono" and v.name == "Hono") or (v.module == "@hono/zod-openapi" and v.name == "OpenAPIHono") \
                or v.name.rsplit(".", 1)[-1] in self.ctors
        return node.type == "identifier" and self.files[path].text(node) in self.ctors and isinstance(v, Opaque)

    def _new(self, path: str, node: Node, scope: Scope) -> Any:
        ctor = node.child_by_field_name("constructor")
        if ctor is None:
            return Opaque()
        cv = self.eval(path, ctor, scope)
        if self._is_ctor(path, ctor, cv):
            return self.new_router(path, node)
        name = self.files[path].text(ctor)[:40]
        for v, n in self._args(path, node, scope):
            for r in _routers_in(v):
                self._escape(path, n, r, f"given to new {name}(...), which the gate cannot follow")
        return Opaque("new")

    def new_router(self, path: str, node: Node) -> Router:
        store = Store(f"{path}#{ts.line_of(node)}", path, node)
        self.stores.append(store)
        return Router(store)

    def _args(self, path: str, node: Node, scope: Scope) -> list[tuple[Any, Node]]:
        a = node.child_by_field_name("arguments")
        out: list[tuple[Any, Node]] = []
        if a is None or a.type == "template_string":
            return out
        for c in a.named_children:
            if c.type == "comment":
                continue
            if c.type == "spread_element" and c.named_children:
                sv = self.eval(path, c.named_children[0], scope)
                if isinstance(sv, Arr):
                    out.extend((x, c) for x in sv.items)
                else:
                    out.append((self.lost(path, c, f"the spread {self.files[path].text(c)[:60]} cannot be listed"), c))
            else:
                out.append((self.eval(path, c, scope), c))
        return out

    def _spine(self, path: str, node: Node, scope: Scope) -> Any:
        """A chain of calls and member reads (``app.get(...).post(...).route(...)``, any
        length) evaluated iteratively: its base first, then each link outwards."""
        f = self.files[path]
        links: list[Node] = []
        cur = node
        while True:
            if cur.type == "call_expression":
                fn = cur.child_by_field_name("function")
                if fn is None:
                    break
                links.append(cur)
                cur = fn
            elif cur.type == "member_expression":
                obj = cur.child_by_field_name("object")
                if obj is None:
                    break
                links.append(cur)
                cur = obj
            elif cur.type in ("parenthesized_expression", "non_null_expression") and cur.named_children and links:
                cur = cur.named_children[0]
            else:
                break
        v = self.eval(path, cur, scope)
        self.steps += len(links)
        for link in reversed(links):
            if link.type == "member_expression":
                prop = link.child_by_field_name("property")
                v = self._member(path, link, v, f.text(prop) if prop is not None else None)
            else:
                v = self._call(path, link, scope, v)
        return v

    def _call(self, path: str, node: Node, scope: Scope, callee: Any) -> Any:
        f = self.files[path]
        fn = node.child_by_field_name("function")
        if fn is None:
            return Opaque()
        a = node.child_by_field_name("arguments")
        if a is not None and a.type == "template_string":
            return Opaque("tagged template")
        args = self._args(path, node, scope)
        if isinstance(callee, tuple) and len(callee) == 3:
            kind, target, prop = callee
            if kind == "method":
                return self.router_call(path, node, fn, target, prop, args)
            if kind == "factory":
                if prop == "createApp":
                    return self.new_router(path, node)
                return self._opaque_call(path, node, fn, callee, args)
            if kind == "array" and prop in ("forEach", "map", "flatMap") and args and isinstance(args[0][0], Function):
                out = []
                for i, item in enumerate(target.items[:1000]):
                    out.append(self.invoke(path, node, args[0][0], [item, i, target]))
                return Arr(out) if prop != "forEach" else None
        if isinstance(callee, Function):
            return self.invoke(path, node, callee, [v for v, _ in args])
        if isinstance(callee, External):
            name = callee.name
            if callee.module == "hono/factory" and name == "createFactory":
                return Factory(path, node)
            if callee.module == "@hono/zod-openapi" and name == "createRoute":
                return self._route_def(path, node, args)
            if callee.module == "hono/factory" and name == "createApp":
                return self.new_router(path, node)
        if isinstance(callee, Opaque) and fn.type == "member_expression":
            text = f.text(fn)
            if text in ("Object.entries", "Object.values", "Object.keys") and args and isinstance(args[0][0], Obj):
                items = args[0][0].items
                if text == "Object.entries":
                    return Arr([Arr([k, v]) for k, v in items.items()])
                return Arr(list(items.values()) if text == "Object.values" else list(items))
        return self._opaque_call(path, node, fn, callee, args)

    def _opaque_call(self, path: str, node: Node, fn: Node, callee: Any, args: list[tuple[Any, Node]]) -> Any:
        """A call the evaluator does not run: its result is a :class:`CallValue` (middleware
        such as ``requireScope("x")``); a router given to it is lost (unless it is one of
        Hono's own helpers, which serve an app), and functions given to it are run once with
        unknown arguments, so that a router registered inside them is reported."""
        f = self.files[path]
        origin = callee if isinstance(callee, External) else None
        hono_helper = (origin is not None and origin.module.startswith(HONO_MODULES)) or callee == Opaque(_SERVING)
        name = ts.dotted_name(f, fn)
        prop = fn.child_by_field_name("property") if fn.type == "member_expression" else None
        if prop is not None and f.text(prop) in (*ROUTE_METHODS, "on", "use") and len(args) >= 2 \
                and isinstance(args[-1][0], Function) and any(isinstance(v, str) and v.startswith("/") for v, _ in args[:2]):
            obj = fn.child_by_field_name("object")
            what = f.text(obj)[:60] if obj is not None else "a value"
            why = f": {callee.why}" if isinstance(callee, Lost) else ""
            self.problem(path, node, f"this looks like a route registered on {what}, which the gate cannot tell is a Hono "
                                     f"router{why}; {FIX}")
        for v, n in args:
            for r in _routers_in(v):
                if hono_helper:
                    r.store.served = True
                else:
                    self._escape(path, n, r, f"given to {name or f.text(fn)[:40]}(...), which the gate cannot follow")
            if isinstance(v, Function) and not hono_helper and self.call_depth < MAX_CALL_DEPTH:
                params = self._params(v)
                self.invoke(path, n, v, [self.lost(path, n, f"a parameter of a callback given to {name or 'a call'}(...)")] * params)
        return CallValue(name, name.rsplit(".", 1)[-1] if name else None, path, node, tuple(v for v, _ in args), origin)

    def _params(self, fn: Function) -> int:
        p = fn.node.child_by_field_name("parameters")
        if p is None:
            return 1 if fn.node.child_by_field_name("parameter") is not None else 0
        return len(p.named_children)

    def _escape(self, path: str, node: Node, r: Router, how: str) -> None:
        r.store.served = True
        self.problem(path, node, f"the router {r.store.key.split('#', 1)[-1]} is {how}: its routes and middleware "
                                 f"cannot be placed in the route table; {FIX}")

    def _route_def(self, path: str, node: Node, args: list[tuple[Any, Node]]) -> Any:
        if not args or not isinstance(args[0][0], Obj):
            return self.lost(path, node, "createRoute(...) without an object literal")
        o = args[0][0].items
        mw = o.get("middleware")
        mws: tuple[Handler, ...] = ()
        if isinstance(mw, Arr):
            mws = tuple(Handler(x, path, node) for x in mw.items)
        elif mw is not None:
            mws = (Handler(mw, path, node),)
        return RouteDef(o.get("method"), o.get("path"), mws, path, node)

    def invoke(self, path: str, node: Node, fn: Function, args: list[Any]) -> Any:
        if self.call_depth >= MAX_CALL_DEPTH:
            self.problem(path, node, f"calls nested deeper than {MAX_CALL_DEPTH} levels (recursion?): the routes they "
                                     f"register cannot be known; {FIX}")
            return self.lost(path, node, f"calls nested deeper than {MAX_CALL_DEPTH}")
        fpath = fn.file
        self.invoked.add(fn.node.id)
        scope = Scope(fn.scope)
        params = fn.node.child_by_field_name("parameters")
        single = fn.node.child_by_field_name("parameter")
        plist = [single] if single is not None else ([c for c in params.named_children if c.type != "comment"] if params else [])
        for i, p in enumerate(plist):
            if p.type == "rest_pattern" or (p.type == "required_parameter" and p.named_children and p.named_children[0].type == "rest_pattern"):
                self.bind(fpath, p, Arr(list(args[i:])), scope, None)
                break
            self.bind(fpath, p, args[i] if i < len(args) else None, scope, None)
        body = fn.node.child_by_field_name("body")
        if body is None:
            return Opaque()
        self.call_depth += 1
        try:
            if body.type != "statement_block":
                return self.eval(fpath, body, scope)
            self.exec_block(fpath, [c for c in body.named_children if c.type != "comment"], scope)
            return None
        except Return as r:
            return r.value
        finally:
            self.call_depth -= 1

    # -- Hono ---------------------------------------------------------------------------------
    def router_call(self, path: str, node: Node, fn: Node, r: Router, prop: str, args: list[tuple[Any, Node]]) -> Any:
        prop_node = fn.child_by_field_name("property")
        line = ts.line_of(prop_node) if prop_node is not None else ts.line_of(node)
        if prop in ROUTE_METHODS:
            method = prop.upper()
            rest = args
            if args and isinstance(args[0][0], str):
                r.current = args[0][0]
                rest = args[1:]
            elif args and (why := args[0][0].why if isinstance(args[0][0], Lost) else self._unread_path(path, args)):
                self.problem(path, args[0][1], f"the path of this .{prop}() is not known: {why}; {FIX}")
                return r
            self._add(r, "route", method, r.current, rest, path, node, line)
            return r
        if prop == "on":
            if len(args) < 2:
                if args and isinstance(args[0][0], Lost):
                    self.problem(path, args[0][1], f"the arguments of this .on() are not known: {args[0][0].why}; {FIX}")
                return r
            methods = _strings(args[0][0])
            paths = _strings(args[1][0])
            if methods is None or paths is None:
                bad = args[0] if methods is None else args[1]
                why = bad[0].why if isinstance(bad[0], Lost) else f"{self.files[path].text(bad[1])[:60]} is not a literal"
                self.problem(path, bad[1], f"the {'method' if methods is None else 'path'} of this .on() is not known: {why}; {FIX}")
                return r
            for p in paths:
                r.current = p
                for m in methods:
                    self._add(r, "route", m.upper(), p, args[2:], path, node, line)
            return r
        if prop == "use":
            rest = args
            if args and isinstance(args[0][0], str):
                r.current = args[0][0]
                rest = args[1:]
            elif args and (why := self._unread_path(path, args)) is not None:
                self.problem(path, args[0][1], f"the pattern of this .use() is not known: {why}; {FIX}")
                return r
            else:
                r.current = "*"
            self._add(r, "use", "ALL", r.current, rest, path, node, line)
            return r
        if prop == "route":
            if len(args) < 2:
                if args and isinstance(args[0][0], Lost):
                    self.problem(path, args[0][1], f"the arguments of this .route() are not known: {args[0][0].why}; {FIX}")
                return r
            prefix, sub = args[0][0], args[1][0]
            if not isinstance(prefix, str):
                why = prefix.why if isinstance(prefix, Lost) else f"{self.files[path].text(args[0][1])[:60]} is not a literal"
                self.problem(path, args[0][1], f"the prefix of this .route() is not known: {why}; {FIX}")
                for s in _routers_in(sub):
                    s.store.mounted = True
                return r
            if not isinstance(sub, Router):
                why = sub.why if isinstance(sub, Lost) else (
                    f'it is imported from "{sub.module}", a package the gate does not read (or a tsconfig.json '
                    'path alias that leads to no source file of the service)'
                    if isinstance(sub, External) else f"{self.files[path].text(args[1][1])[:60]} is not a router the gate can follow")
                self.problem(path, args[1][1], f"the router mounted at {prefix} is not known: {why}; {FIX}")
                return r
            self._mount(r, prefix, sub, path, node, line)
            return r
        if prop == "basePath":
            if args and isinstance(args[0][0], str):
                return Router(r.store, merge_path(r.base, args[0][0]))
            if args:
                why = args[0][0].why if isinstance(args[0][0], Lost) else "not a literal"
                self.problem(path, args[0][1], f"the base path of this .basePath() is not known: {why}; {FIX}")
            return r
        if prop == "mount":
            if args and isinstance(args[0][0], str):
                self._add(r, "route", "ALL", merge_path(args[0][0], "*"), args[1:2], path, node, line)
            elif args:
                self.problem(path, args[0][1], f"the path of this .mount() is not known; {FIX}")
            return r
        if prop == "openapi":
            if not args:
                return r
            d = args[0][0]
            if not isinstance(d, RouteDef) or not isinstance(d.method, str) or not isinstance(d.path, str):
                why = d.why if isinstance(d, Lost) else "its method and path must be literals in createRoute({...})"
                self.problem(path, args[0][1], f"the route of this .openapi() is not known: {why}; {FIX}")
                return r
            p = _BRACE_PARAM.sub(r"/:\1", d.path)
            r.current = p
            handlers = [(h.value, h.node) for h in d.middleware] + args[1:2]
            self._add(r, "route", d.method.upper(), p, handlers, path, node, line)
            return r
        if prop in ("doc", "doc31"):  # OpenAPIHono serves its document: GET <path>
            if args and isinstance(args[0][0], str):
                r.current = args[0][0]
                self._add(r, "route", "GET", args[0][0], [], path, node, line)
            elif args:
                self.problem(path, args[0][1], f"the path of this .{prop}() is not known; {FIX}")
            return r
        if prop in ("onError", "notFound", "openAPIRegistry"):
            return r
        return Opaque(f"app.{prop}")

    def _unread_path(self, path: str, args: list[tuple[Any, Node]]) -> str | None:
        """Why the first of ``args`` of ``.get()``/``.use()`` may be a path the gate cannot read, or
        None when it is a handler (a function, a middleware call, a package's middleware by name,
        or the only argument). Hono takes a non-string first argument as a handler at the current
        path, so an unread path taken that way would file the route (or middleware) under the
        wrong path."""
        v, node = args[0]
        if len(args) < 2 and not isinstance(v, Lost):
            return None
        if isinstance(v, Lost):
            return v.why if _pathlike(node) else None
        if isinstance(v, (Function, CallValue)) or (isinstance(v, External) and node.type == "identifier"):
            return None
        if isinstance(v, (Opaque, External)) or v is None:
            return f"{self.files[path].text(node)[:60]} is neither a literal path nor a handler the gate can follow"
        return None

    def _add(self, r: Router, kind: str, method: str, local: str, handlers: list[tuple[Any, Node]],
             path: str, node: Node, line: int) -> None:
        if len(r.store.entries) >= MAX_ROUTES:
            raise Limit(Finding(f"the router {r.store.key.split('#', 1)[-1]} would hold more than {MAX_ROUTES:,} routes here: "
                                "the gate refuses to build a route table that large (a router mounted many times?); "
                                "split the service, or waive the route items", path, line, line))
        full = merge_path(r.base, local)
        r.store.entries.append(Entry(kind, method, full, tuple(Handler(v, path, n) for v, n in handlers),
                                     path, node, line, r.store, full))

    def _mount(self, r: Router, prefix: str, sub: Router, path: str, node: Node, line: int) -> None:
        if sub.store is r.store:
            self.problem(path, node, f"a router is mounted into itself at {prefix}; {FIX}")
            return
        depth = sub.store.depth + 1
        if depth > MAX_DEPTH:
            raise Limit(Finding(f"routers are mounted more than {MAX_DEPTH} levels deep here: the gate refuses to build "
                                "this route table; flatten the mounts, or waive the route items", path, line, line))
        if len(r.store.entries) + len(sub.store.entries) > MAX_ROUTES:
            raise Limit(Finding(f"mounting {sub.store.key.split('#', 1)[-1]} at {prefix} would give more than "
                                f"{MAX_ROUTES:,} routes: the gate refuses to build a route table that large "
                                "(a router mounted many times?); split the service, or waive the route items",
                                path, line, line))
        sub.store.mounted = True
        r.store.depth = max(r.store.depth, depth)
        base = merge_path(r.base, prefix)
        for e in sub.store.entries:
            r.store.entries.append(Entry(e.kind, e.method, merge_path(base, e.path), e.handlers, e.file, e.node,
                                         e.line, e.router, e.local_path))

    def _served(self, v: Any) -> None:
        for r in _routers_in(v):
            r.store.served = True


def _js_str(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _strings(v: Any) -> list[str] | None:
    if isinstance(v, str):
        return [v]
    if isinstance(v, Arr) and all(isinstance(x, str) for x in v.items):
        return list(v.items)
    return None


def _pathlike(node: Node) -> bool:
    return node.type in ("string", "template_string", "binary_expression", "member_expression", "subscript_expression")


def _routers_in(v: Any, depth: int = 3) -> list[Router]:
    if isinstance(v, Router):
        return [v]
    if depth <= 0:
        return []
    if isinstance(v, Arr):
        return [r for x in v.items for r in _routers_in(x, depth - 1)]
    if isinstance(v, Obj) and not v.origin.startswith("module "):
        return [r for x in v.items.values() for r in _routers_in(x, depth - 1)]
    return []


def _holds_router(v: Any) -> bool:
    return bool(_routers_in(v))


def _pattern_names(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "shorthand_property_identifier_pattern"):
            yield n
            continue
        if n.type == "pair_pattern":
            v = n.child_by_field_name("value")
            if v is not None:
                stack.append(v)
            continue
        if n.type in ("type_annotation", "predefined_type"):
            continue
        stack.extend(reversed(n.named_children))
