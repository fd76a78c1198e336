"""What each TypeScript file of a service holds, for the code analysis (:mod:`gate.sources.ts.code`).

:func:`collect` reads one parsed file with one tree-sitter query (:func:`captures`) into a
:class:`FileInfo`: its value imports (read by :func:`gate.sources.ts.parse.import_names`;
``import type`` and ``type`` specifiers ignored), its declarations with the scope where each is
visible (:func:`resolve` finds the one a name means at a node), its module-level values and
exports, and every call with the call that encloses it (:class:`Call`). :func:`follow` and
:func:`exported` follow an identifier or an import to the module-level value of the file it
comes from, through the service's import resolver (:mod:`gate.sources.ts.imports`).

Which files are the service's code is :func:`source_files` (``src/``, without tests, stubs and
declaration files; :func:`is_test_path` says what a test is).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import tree_sitter_typescript as _tst
from tree_sitter import Language, Node, Query, QueryCursor

from gate.sources.ts import parse as ts
from gate.sources.ts.imports import ModuleFile
from gate.workspace import Workspace

FUNCTION_TYPES = frozenset(
    {"arrow_function", "function_expression", "function_declaration", "method_definition",
     "generator_function", "generator_function_declaration", "function"}
)
SCOPE_TYPES = frozenset(
    {"statement_block", "program", "for_statement", "for_in_statement", "class_body", "switch_body", "catch_clause"}
)
CODE_SUFFIXES = (".ts", ".tsx", ".mts", ".cts")
#: JavaScript is parsed like TypeScript (``.jsx`` with the TSX grammar)
JS_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx")
TSX_SUFFIXES = (".tsx", ".jsx")

_QUERY = """
(call_expression) @call
(new_expression) @new
(comment) @comment
(import_statement) @import
(export_statement) @export
(variable_declarator) @decl
(function_declaration) @fn
(class_declaration) @class
(formal_parameters) @params
(arrow_function parameter: (identifier) @param)
(catch_clause parameter: (identifier) @param)
(member_expression object: (identifier) property: (property_identifier)) @member
(arrow_function) @func
(function_expression) @func
(function_declaration) @func
(method_definition) @func
(generator_function) @func
(generator_function_declaration) @func
"""


_LANGUAGES: dict[bool, Language] = {}
_QUERIES: dict[tuple[bool, str], Query] = {}


def captures(f: ts.TsFile, query: str) -> dict[str, list[Node]]:
    """Run a tree-sitter query (S-expression patterns, compiled once per grammar) over a parsed
    file: capture name -> the captured nodes, in document order. The query runs in C, which is
    what keeps the analysis linear and fast on large services."""
    tsx = f.path.endswith(TSX_SUFFIXES)
    q = _QUERIES.get((tsx, query))
    if q is None:
        lang = _LANGUAGES.get(tsx)
        if lang is None:
            lang = _LANGUAGES[tsx] = Language(_tst.language_tsx() if tsx else _tst.language_typescript())
        q = _QUERIES[(tsx, query)] = Query(lang, query)
    caps = QueryCursor(q).captures(f.root)
    return {k: sorted(v, key=lambda n: n.start_byte) for k, v in caps.items()}


# -- data -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Import:
    """A value binding brought in by an import statement."""

    binding: str
    module: str
    kind: str  # "default" | "named" | "namespace"
    name: str  # the exported name ("default" for default imports, "*" for namespaces)
    path: str
    line: int


@dataclass(frozen=True)
class Decl:
    """A declaration of a name and the byte range of the scope where it is visible."""

    name: str
    kind: str  # "import" | "var" | "function" | "class" | "param"
    node: Node  # the declarator / declaration / parameter node
    scope: tuple[int, int]
    top: bool  # declared at module level


@dataclass(frozen=True)
class Enclosing:
    """A call that encloses another one; ``arg`` is the index of the argument holding it (-1:
    not inside an argument, e.g. in the callee)."""

    callee: str | None
    node: Node
    arg: int

    @property
    def name(self) -> str | None:
        return _last(self.callee)


@dataclass(frozen=True, eq=False)
class Call:
    path: str
    node: Node
    callee: str | None  # dotted text of the callee ("stripe.charges.create"), None when computed
    args: tuple[Node, ...]
    tagged: bool  # a tagged template (sql`...`): args is the template string
    up: Call | None  # the innermost call that encloses this one
    up_arg: int  # index of ``up``'s argument that holds this call (-1: not in an argument)
    top_level: bool  # runs at import (not inside any function)

    @property
    def name(self) -> str | None:
        """The last component of the callee (``create`` for ``stripe.charges.create``)."""
        return _last(self.callee)

    @property
    def root(self) -> str | None:
        return self.callee.split(".", 1)[0] if self.callee else None

    @property
    def line(self) -> int:
        return ts.line_of(self.node)

    @property
    def end_line(self) -> int:
        return ts.end_line_of(self.node)

    def enclosing(self) -> Iterator[Enclosing]:
        """The calls that enclose this one, innermost first, each with the index of its
        argument that holds this call."""
        c: Call = self
        while c.up is not None:
            yield Enclosing(c.up.callee, c.up.node, c.up_arg)
            c = c.up

    @property
    def chain(self) -> tuple[Enclosing, ...]:
        return tuple(self.enclosing())

    def inside(self, helper: str, first_fn_arg: int = 1) -> Enclosing | None:
        """The innermost enclosing call of ``helper`` whose arguments from ``first_fn_arg`` on
        (where its function goes: 1 for ``breaker(name, fn)``, 0 for ``retry(fn, opts)``) hold
        this call."""
        for e in self.enclosing():
            if e.name == helper and e.arg >= first_fn_arg:
                return e
        return None


@dataclass
class FileInfo:
    f: ts.TsFile
    imports: dict[str, Import] = field(default_factory=dict)
    decls: dict[str, list[Decl]] = field(default_factory=dict)
    top_values: dict[str, Node] = field(default_factory=dict)  # const x = <value>, function x
    exports: dict[str, str] = field(default_factory=dict)  # exported name -> local name
    calls: list[Call] = field(default_factory=list)  # in source order (start byte)
    call_starts: list[int] = field(default_factory=list)
    news: list[Node] = field(default_factory=list)
    members: list[tuple[str, str, Node]] = field(default_factory=list)  # (object, property, node)
    comments: list[Node] = field(default_factory=list)


# -- small helpers ----------------------------------------------------------------------------
def _last(dotted: str | None) -> str | None:
    return dotted.rsplit(".", 1)[-1] if dotted else None


def dotted(f: ts.TsFile, node: Node) -> str | None:
    """``a.b.c`` for a member chain of identifiers (``this``, ``globalThis`` included); also
    ``a["b"]``; optional chaining ``a?.b`` reads as ``a.b``; None otherwise. Iterative: any
    chain length."""
    parts: list[str] = []
    cur: Node | None = node
    while cur is not None:
        t = cur.type
        if t in ("identifier", "this", "property_identifier", "shorthand_property_identifier"):
            parts.append(f.text(cur))
            break
        if t == "member_expression":
            prop = cur.child_by_field_name("property")
            if prop is None:
                return None
            parts.append(f.text(prop))
            cur = cur.child_by_field_name("object")
        elif t == "subscript_expression":
            idx = cur.child_by_field_name("index")
            key = ts.string_value(f, idx) if idx is not None else None
            if key is None:
                return None
            parts.append(key)
            cur = cur.child_by_field_name("object")
        elif t in ("parenthesized_expression", "non_null_expression") and cur.named_children:
            cur = cur.named_children[0]
        else:
            return None
    else:
        return None
    return ".".join(reversed(parts))


def call_args(node: Node) -> tuple[tuple[Node, ...], bool]:
    """The arguments of a call (comments left out), and whether it is a tagged template (then
    the one argument is the template string)."""
    a = node.child_by_field_name("arguments")
    if a is None:
        return (), False
    if a.type == "template_string":
        return (a,), True
    return tuple(c for c in a.named_children if c.type != "comment"), False


def _scope_of(node: Node) -> Node:
    cur = node.parent
    while cur is not None and cur.type not in SCOPE_TYPES and cur.type not in FUNCTION_TYPES:
        cur = cur.parent
    return cur if cur is not None else node


def _is_top(scope: Node) -> bool:
    return scope.type == "program"


def pattern_names(node: Node, f: ts.TsFile) -> Iterator[Node]:
    """Identifiers bound by a binding pattern (``{ a, b: c }`` binds ``a`` and ``c``)."""
    return _pattern_names(node, f)


def _pattern_names(node: Node, f: ts.TsFile) -> Iterator[Node]:
    """Identifiers bound by a binding pattern."""
    t = node.type
    if t in ("identifier", "shorthand_property_identifier_pattern"):
        yield node
    elif t in ("object_pattern", "array_pattern"):
        for c in node.named_children:
            yield from _pattern_names(c, f)
    elif t == "pair_pattern":
        v = node.child_by_field_name("value")
        if v is not None:
            yield from _pattern_names(v, f)
    elif t in ("assignment_pattern", "object_assignment_pattern"):
        left: Node | None = node.child_by_field_name("left")
        if left is None and node.named_children:
            left = node.named_children[0]
        if left is not None:
            yield from _pattern_names(left, f)
    elif t == "rest_pattern" and node.named_children:
        yield from _pattern_names(node.named_children[0], f)
    elif t in ("required_parameter", "optional_parameter"):
        p = node.child_by_field_name("pattern")
        if p is not None:
            yield from _pattern_names(p, f)


def is_test_path(rel: str) -> bool:
    """Tests, as the conventions say: ``*.test.ts``/``*.spec.ts`` and anything in a ``test``,
    ``tests`` or ``__tests__`` folder."""
    parts = rel.split("/")
    name = parts[-1]
    stem = name.rsplit(".", 1)[0]
    if stem.endswith((".test", ".spec")):
        return True
    return any(p in ("test", "tests", "__tests__") for p in parts[:-1])


def is_stub_or_test(service_dir: str, rel: str) -> bool:
    """A file the conventions exempt from conventions.no-todo: tests, ``src/stubs/``,
    declaration files (other items judge them too once production code imports them)."""
    inner = rel[len(service_dir) + 1:] if rel.startswith(service_dir + "/") else rel
    in_src = inner[4:] if inner.startswith("src/") else None
    return (in_src is not None and in_src.startswith("stubs/")) or rel.endswith(".d.ts") or is_test_path(inner)


def source_files(ws: Workspace, service_dir: str) -> list[str]:
    """The service's code files the rules judge: ``src/**`` TypeScript, without tests, stubs
    and declaration files."""
    src = f"{service_dir}/src"
    out = []
    for rel in ws.files(src, (*CODE_SUFFIXES, *JS_SUFFIXES)):
        inner = rel[len(src) + 1 :]
        if inner.startswith("stubs/") or rel.endswith(".d.ts") or is_test_path(inner):
            continue
        out.append(rel)
    return out


# -- per-file collection ----------------------------------------------------------------------
def collect(f: ts.TsFile) -> FileInfo:
    """One parsed file's imports, declarations, module-level values, exports, calls, ``new``
    expressions, member reads and comments."""
    info = FileInfo(f)
    caps = captures(f, _QUERY)
    # imports
    for node in caps.get("import", []):
        _imports(f, node, info)
    # declarations
    for node in caps.get("decl", []):
        name = node.child_by_field_name("name")
        if name is None:
            continue
        scope = _scope_of(node)
        for ident in _pattern_names(name, f):
            _add_decl(info, Decl(f.text(ident), "var", node, (scope.start_byte, scope.end_byte), _is_top(scope)))
        value = node.child_by_field_name("value")
        if value is not None and name.type == "identifier" and _is_top(scope):
            info.top_values[f.text(name)] = value
    for kind, key in (("function", "fn"), ("class", "class")):
        for node in caps.get(key, []):
            name = node.child_by_field_name("name")
            if name is None:
                continue
            scope = _scope_of(node)
            _add_decl(info, Decl(f.text(name), kind, node, (scope.start_byte, scope.end_byte), _is_top(scope)))
            if _is_top(scope):
                info.top_values[f.text(name)] = node
    for node in caps.get("params", []):
        fn = node.parent
        if fn is None:
            continue
        for p in node.named_children:
            for ident in _pattern_names(p, f):
                _add_decl(info, Decl(f.text(ident), "param", p, (fn.start_byte, fn.end_byte), False))
    for node in caps.get("param", []):
        fn = node.parent
        if fn is not None:
            _add_decl(info, Decl(f.text(node), "param", node, (fn.start_byte, fn.end_byte), False))
    # exports
    for node in caps.get("export", []):
        _exports(f, node, info)
    # calls
    info.calls = _calls(f, caps.get("call", []), caps.get("func", []))
    info.news = list(caps.get("new", []))
    info.comments = list(caps.get("comment", []))
    for m in caps.get("member", []):
        mo = m.child_by_field_name("object")
        mp = m.child_by_field_name("property")
        if mo is not None and mp is not None:
            info.members.append((f.text(mo), f.text(mp), m))
    return info


def _add_decl(info: FileInfo, d: Decl) -> None:
    info.decls.setdefault(d.name, []).append(d)


def _imports(f: ts.TsFile, node: Node, info: FileInfo) -> None:
    src = node.child_by_field_name("source")
    if src is None:
        return
    module = ts.string_value(f, src) or ""
    line = ts.line_of(node)
    prog = f.root
    scope = (prog.start_byte, prog.end_byte)
    for n in ts.import_names(f, node):
        if n.type_only:  # import type { X } from "m", import { type X } from "m"
            continue
        info.imports[n.binding] = Import(n.binding, module, n.kind, n.name, f.path, line)
        _add_decl(info, Decl(n.binding, "import", n.node, scope, True))


def _exports(f: ts.TsFile, node: Node, info: FileInfo) -> None:
    decl = node.child_by_field_name("declaration")
    if decl is not None:
        if decl.type in ("lexical_declaration", "variable_declaration"):
            for d in decl.named_children:
                name = d.child_by_field_name("name") if d.type == "variable_declarator" else None
                if name is not None and name.type == "identifier":
                    info.exports[f.text(name)] = f.text(name)
        else:
            name = decl.child_by_field_name("name")
            if name is not None:
                info.exports[f.text(name)] = f.text(name)
        return
    value = node.child_by_field_name("value")
    if value is not None:
        if value.type == "identifier":
            info.exports["default"] = f.text(value)
        else:
            info.exports["default"] = "default"
            info.top_values["default"] = value
        return
    for c in node.named_children:
        if c.type == "export_clause":
            for spec in c.named_children:
                names = ts.specifier(f, spec) if spec.type == "export_specifier" else None
                if names is not None:
                    info.exports[names[0]] = names[1]


def _calls(f: ts.TsFile, calls: list[Node], funcs: list[Node]) -> list[Call]:
    """Every call with the call that encloses it and whether it runs at import, found by one
    sweep over the (properly nested) byte ranges of calls and functions: linear in the number of
    calls whatever the nesting depth (no walk up the tree per call)."""
    items = [(n.start_byte, -n.end_byte, 0, n) for n in calls] + [(n.start_byte, -n.end_byte, 1, n) for n in funcs]
    items.sort(key=lambda t: (t[0], t[1], -t[2]))
    out: list[Call] = []
    stack: list[tuple[int, Call | None]] = []  # (end byte, the call; None for a function)
    open_calls: list[Call] = []
    funcs_open = 0
    for start, neg_end, kind, node in items:
        while stack and stack[-1][0] <= start:
            _, c = stack.pop()
            if c is None:
                funcs_open -= 1
            else:
                open_calls.pop()
        if kind == 1:
            stack.append((-neg_end, None))
            funcs_open += 1
            continue
        fn = node.child_by_field_name("function")
        args, tagged = call_args(node)
        up = open_calls[-1] if open_calls else None
        up_arg = _arg_index(up, node) if up is not None else -1
        call = Call(f.path, node, dotted(f, fn) if fn is not None else None, args, tagged, up, up_arg, funcs_open == 0)
        out.append(call)
        stack.append((-neg_end, call))
        open_calls.append(call)
    return out


def _arg_index(up: Call, node: Node) -> int:
    """Index of ``up``'s argument holding ``node`` (-1 when it is in the callee)."""
    args = up.args
    lo, hi = 0, len(args)
    while lo < hi:  # arguments are in source order
        mid = (lo + hi) // 2
        if args[mid].end_byte <= node.start_byte:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(args) and args[lo].start_byte <= node.start_byte and node.end_byte <= args[lo].end_byte:
        return lo
    return -1


# -- resolution -------------------------------------------------------------------------------
def resolve(info: FileInfo, name: str, at: Node) -> Decl | None:
    """The innermost declaration of ``name`` visible at ``at`` (None: a global)."""
    best: Decl | None = None
    for d in info.decls.get(name, ()):
        lo, hi = d.scope
        if lo <= at.start_byte and at.end_byte <= hi and (best is None or hi - lo < best.scope[1] - best.scope[0]):
            best = d
    return best


def is_global(info: FileInfo, name: str, at: Node) -> bool:
    return resolve(info, name, at) is None


def follow(infos: dict[str, FileInfo], module_file: ModuleFile, path: str, node: Node,
           depth: int = 4) -> tuple[str, Node]:
    """Follow an identifier to the value it is bound to at module level (this file, or the
    exporting file of an import of the service's own files); ``(path, node)`` itself when it
    cannot be followed."""
    info = infos[path]
    while depth > 0 and node.type == "identifier":
        depth -= 1
        name = info.f.text(node)
        d = resolve(info, name, node)
        if d is None or not d.top:
            break
        if d.kind == "import":
            imp = info.imports.get(name)
            target = module_file(path, imp.module) if imp is not None else None
            if imp is None or target is None:
                break
            tinfo = infos[target]
            local = tinfo.exports.get(imp.name)
            if local is None or local not in tinfo.top_values:
                break
            path, info, node = target, tinfo, tinfo.top_values[local]
            continue
        v = info.top_values.get(name)
        if v is None:
            break
        node = v
    return path, node


def exported(infos: dict[str, FileInfo], module_file: ModuleFile, path: str, name: str) -> tuple[str, str] | None:
    """Follow an import binding of ``path`` to (exporting file, its local name), for imports of
    the service's own files."""
    info = infos[path]
    imp = info.imports.get(name)
    if imp is None:
        return None
    target = module_file(path, imp.module)
    if target is None:
        return None
    local = infos[target].exports.get(imp.name)
    return None if local is None else (target, local)

_VALUE_WRAPPERS = ("parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression")
#: how many bindings, members and spreads a constant is followed through (cycles, hostile chains)
MAX_CONST_HOPS = 12
#: how many entries one :func:`members` or :func:`constant` reads in all, spreads included
#: (spreads of spreads multiply: ``{ ...b, ...b }`` twelve levels deep); past it a spread is not
#: followed (it provides no key and may override any)
MAX_CONST_ENTRIES = 10_000


class _Budget:
    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = MAX_CONST_ENTRIES


def unwrap_value(node: Node) -> Node:
    """The expression inside ``(x)``, ``x as T``, ``x satisfies T``, ``x!`` (``as const`` too)."""
    while node.type in _VALUE_WRAPPERS and node.named_children:
        node = node.named_children[0]
    return node


def is_const(declarator: Node) -> bool:
    """Is this ``variable_declarator`` part of a ``const`` declaration?"""
    decl = declarator.parent
    return (declarator.type == "variable_declarator" and decl is not None and decl.type == "lexical_declaration"
            and bool(decl.children) and decl.children[0].type == "const")


def constant(infos: dict[str, FileInfo], module_file: ModuleFile, path: str, node: Node,
             hops: int = MAX_CONST_HOPS, budget: _Budget | None = None) -> tuple[str, Node] | None:
    """Follow an expression to the value it has for sure: an identifier (or a shorthand
    property ``{ x }``) through ``const`` declarations of any scope and imports of the service's
    own files, a member ``A.b`` / ``A["b"]`` of a constant object (the last key of that name
    wins, as in JavaScript; a spread after it the gate cannot follow leaves it unknown), through
    ``( )``, ``as``, ``as const``, ``satisfies`` and ``!``. Any other expression is its own value.
    None when a name or a member cannot be followed (a parameter, a ``let``, a global, a package
    import, a computed member)."""
    if hops <= 0:
        return None
    budget = budget if budget is not None else _Budget()
    info = infos[path]
    node = unwrap_value(node)
    if node.type in ("identifier", "shorthand_property_identifier"):
        return _const_binding(infos, module_file, path, info.f.text(node), node, hops - 1, budget)
    if node.type in ("member_expression", "subscript_expression"):
        obj = node.child_by_field_name("object")
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            key = info.f.text(prop) if prop is not None and prop.type == "property_identifier" else None
        else:
            idx = node.child_by_field_name("index")
            key = ts.string_value(info.f, idx) if idx is not None else None
        if obj is None or key is None:
            return None
        target = constant(infos, module_file, path, obj, hops - 1, budget)
        if target is None or target[1].type != "object":
            return None
        found: Member | None = None
        for mb in members(infos, module_file, target[0], target[1], hops - 1, budget):
            if mb.key == key:
                found = mb
            elif mb.key is None:
                found = None  # a later spread the gate cannot follow may set it
        if found is None:
            return None
        if found.node.type == "method_definition":
            return found.path, found.node
        return constant(infos, module_file, found.path, value_of_pair(found.node), hops - 1, budget)
    return path, node


def _const_binding(infos: dict[str, FileInfo], module_file: ModuleFile, path: str, name: str, at: Node,
                   hops: int, budget: _Budget) -> tuple[str, Node] | None:
    info = infos[path]
    d = resolve(info, name, at)
    if d is None or hops <= 0:
        return None
    if d.kind == "import":
        ex = exported(infos, module_file, path, name)
        if ex is None:
            return None
        tpath, local = ex
        tinfo = infos[tpath]
        if local == "default" and local not in tinfo.decls and local in tinfo.top_values:
            return constant(infos, module_file, tpath, tinfo.top_values[local], hops - 1, budget)
        return _const_binding(infos, module_file, tpath, local, tinfo.f.root, hops - 1, budget)
    if d.kind in ("function", "class"):
        return path, d.node
    if d.kind != "var" or not is_const(d.node):
        return None
    nm, value = d.node.child_by_field_name("name"), d.node.child_by_field_name("value")
    if nm is None or value is None or nm.type != "identifier":
        return None
    return constant(infos, module_file, path, value, hops - 1, budget)


@dataclass(frozen=True)
class Member:
    """One entry of an object literal as JavaScript builds it: ``key`` and the ``pair``,
    shorthand or method node that sets it, in the file ``path``; ``key`` None for a spread the
    gate cannot follow (``node`` is the ``spread_element``: it may set any key)."""

    key: str | None
    path: str
    node: Node


def members(infos: dict[str, FileInfo], module_file: ModuleFile, path: str, obj: Node,
            hops: int = MAX_CONST_HOPS, budget: _Budget | None = None) -> list[Member]:
    """An object literal's entries in the order JavaScript applies them (a later key overrides
    an earlier one), with each spread of a constant object (:func:`constant`: a ``const`` of
    any scope, or one imported from the service's own files) replaced by that object's entries;
    a spread of anything else (or past :data:`MAX_CONST_ENTRIES`) is a :class:`Member` with
    key None."""
    budget = budget if budget is not None else _Budget()
    info = infos[path]
    f = info.f
    out: list[Member] = []
    obj = unwrap_value(obj)
    if obj.type != "object":
        return out
    for c in obj.named_children:
        budget.left -= 1
        if c.type == "spread_element":
            arg = c.named_children[0] if c.named_children else None
            target = (constant(infos, module_file, path, arg, hops - 1, budget)
                      if arg is not None and hops > 1 and budget.left > 0 else None)
            if target is not None and unwrap_value(target[1]).type == "object" and budget.left > 0:
                out.extend(members(infos, module_file, target[0], target[1], hops - 1, budget))
            else:
                out.append(Member(None, path, c))
            continue
        key = _entry_key(f, c)
        if key is not None:
            out.append(Member(key, path, c))
    return out


def _entry_key(f: ts.TsFile, c: Node) -> str | None:
    """The key an object literal's entry sets (computed keys read as their dotted name)."""
    if c.type == "pair":
        k = c.child_by_field_name("key")
        if k is None:
            return None
        name = ts.property_key(f, k)
        if name is None and k.type == "computed_property_name" and k.named_children:
            name = dotted(f, k.named_children[0])
        return name
    if c.type == "shorthand_property_identifier":
        return f.text(c)
    if c.type == "method_definition":
        n = c.child_by_field_name("name")
        return f.text(n) if n is not None else None
    return None


# -- node helpers -----------------------------------------------------------------------------
NAME_NODE_TYPES = frozenset(
    {"identifier", "property_identifier", "shorthand_property_identifier",
     "shorthand_property_identifier_pattern", "private_property_identifier"}
)


def names_in(f: ts.TsFile, node: Node) -> Iterator[tuple[str, Node]]:
    """Names mentioned in an expression: identifiers, property names, object keys (string keys
    included); string contents are not names."""
    for n in ts.walk(node):
        if n.type in NAME_NODE_TYPES:
            yield f.text(n), n
        elif n.type == "pair":
            k = n.child_by_field_name("key")
            if k is not None and k.type == "string":
                s = ts.string_value(f, k)
                if s is not None:
                    yield s, k
        elif n.type == "subscript_expression":  # patient["email"]
            idx = n.child_by_field_name("index")
            s = ts.string_value(f, idx) if idx is not None else None
            if s is not None and idx is not None:
                yield s, idx
        elif n.type == "computed_property_name" and n.named_children:  # { ["email"]: x }
            s = ts.string_value(f, n.named_children[0])
            if s is not None:
                yield s, n


def object_keys(f: ts.TsFile, node: Node) -> dict[str, Node]:
    """An object literal's keys → their ``pair``, shorthand property or method node (computed
    keys read as their dotted name); empty for anything else. Spreads are not followed (see
    :func:`members`)."""
    out: dict[str, Node] = {}
    if node.type != "object":
        return out
    for c in node.named_children:
        name = _entry_key(f, c)
        if name is not None:
            out[name] = c
    return out


def value_of_pair(node: Node) -> Node:
    """The value of a ``pair`` node; any other node itself."""
    if node.type == "pair":
        v = node.child_by_field_name("value")
        if v is not None:
            return v
    return node


