"""One analysis of a service's TypeScript code, shared by every check that reads code.

``analyse(ctx)`` (cached per service with ``ws.derive("code", service.dir, ...)``) parses each
file of the service's ``src/`` once (tests — ``*.test.ts``, ``*.spec.ts``, ``test/`` folders —
and ``src/stubs/`` excluded, as the conventions say) and gives:

- ``imports``: per file, every value binding and the module it comes from (default, named or
  namespace; ``import type`` and ``type`` specifiers are ignored);
- ``routes``: the Hono route table built by :mod:`gate.sources.routes` (method, full path,
  middleware chain as Hono applies it, handler node, file and line), and ``route_problems``:
  where that analysis lost a router's or a path's trail (the route items fail on them);
- ``calls``: every call with the chain of calls that enclose it (innermost first, with the
  argument that holds it) and whether it runs at import time (module top level);
- ``public_paths``, ``node_sdks`` (``new NodeSDK``), ``sentry_inits``, ``subscribes``,
  ``log_calls``, ``resource_reads`` (``Resource.<X>``), ``comments``, ``uses``;
- ``statements``: SQL in ``sql`` tagged templates and in strings given to
  ``db.query/one/many/none``, interpolations turned into ``$1, $2 ...`` parameters, parsed as
  PostgreSQL, each statement's line mapped back to the TypeScript file.

A file with a syntax error gives a finding at tree-sitter's error position (``errors``); what
could still be read from its tree is kept, and the rest of the service is analysed as usual.

Public helpers for other analyses: :func:`embedded_sql`, :func:`resource_reads`,
:func:`sentry_inits`, :func:`code_model`.
"""

from __future__ import annotations

import bisect
import functools
import gc
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

import tree_sitter_typescript as _tst
from tree_sitter import Language, Node, Query, QueryCursor

from gate.model import Finding
from gate.sources import sql as sqlsrc
from gate.sources import typescript as ts
from gate.sources.routes import imports as route_imports
from gate.sources.routes.table import build as route_table

if TYPE_CHECKING:
    from gate.config import Config, Helpers
    from gate.context import Ctx
    from gate.workspace import Workspace

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
MUTATIONS = frozenset({"POST", "PUT", "PATCH", "DELETE", "ALL"})  # ALL: app.all / mount serve POST too
DB_METHODS = frozenset({"query", "one", "many", "none"})
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


@dataclass(frozen=True)
class Middleware:
    name: str  # the helper's name (last component of the callee, or the identifier)
    args: tuple[Any, ...]  # literal values of its arguments (ts.Unknown when not literal)
    path: str
    line: int
    via: str  # "route" (own argument) or the use pattern that applied it
    callee: tuple[str, Node] | None = None  # (file, callee node) the helper is named by, when written


@dataclass(frozen=True)
class Route:
    method: str  # upper case
    path: str  # full path after mounts
    local_path: str
    router: str  # router key "file#binding"
    middleware: tuple[Middleware, ...]
    handler: Node | None
    handler_file: str  # where the handler node lives (after resolving an identifier)
    file: str
    line: int
    end_line: int
    node: Node

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def uses(self, helper: str) -> list[Middleware]:
        return [m for m in self.middleware if m.name == helper]

    def string_args(self, helper: str) -> list[str]:
        out: list[str] = []
        for m in self.uses(helper):
            if m.args and isinstance(m.args[0], str):
                out.append(m.args[0])
        return out


@dataclass(frozen=True)
class Use:
    """A ``<router>.use(...)`` call: its full pattern and middleware nodes."""

    router: str
    pattern: str  # full pattern (prefix applied)
    call: Call
    middleware: tuple[Node, ...]


@dataclass(frozen=True)
class PublicPaths:
    path: str
    line: int
    entries: tuple[tuple[str, int], ...]  # (value, line); non-literal entries are left out


@dataclass(frozen=True)
class EmbeddedStatement:
    """One SQL statement found in code: file, line of its first keyword, parsed statement."""

    path: str
    line: int
    end_line: int
    statement: sqlsrc.Statement
    text: str  # the whole SQL text it came from (interpolations as $n)


@dataclass(frozen=True)
class ResourceRead:
    name: str  # X in Resource.X
    path: str
    line: int


@dataclass(frozen=True)
class Comment:
    path: str
    line: int
    text: str


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


@dataclass
class CodeModel:
    service_dir: str
    files: list[str]  # analysed files (src/, not tests, not stubs)
    infos: dict[str, FileInfo]
    errors: list[Finding]
    routes: list[Route]
    uses: list[Use]
    routers: dict[str, Node]  # router key -> the declarator node
    roots: list[str]  # routers no other router mounts (the apps)
    calls: list[Call]
    public_paths: PublicPaths | None
    node_sdks: list[tuple[str, Node]]  # (file, new_expression)
    sentry_inits: list[Call]
    subscribes: list[Call]
    log_calls: list[Call]
    statements: list[EmbeddedStatement]
    sql_errors: list[Finding]
    resource_reads: list[ResourceRead]
    comments: list[Comment]
    #: where the route analysis lost a router's or a path's trail, or refused a table past its
    #: bounds: the route-dependent items fail on these (:func:`gate.sources.code_rules.route_problems`)
    route_problems: list[Finding] = field(default_factory=list)
    #: per helper key (``require_scope``, ``audit``...), the places that call a helper of that
    #: name which does not come from its platform module (:mod:`gate.sources.provenance`)
    impostors: dict[str, list[Finding]] = field(default_factory=dict)
    #: the call nodes (ids) of those look-alike helpers: never credited as the helper
    foreign: set[int] = field(default_factory=set)

    def impostor_findings(self, *keys: str) -> list[Finding]:
        return [f for k in keys for f in self.impostors.get(k, ())]

    def is_foreign(self, node: Node) -> bool:
        return node.id in self.foreign

    @property
    def has_code(self) -> bool:
        return bool(self.files)

    def info(self, path: str) -> FileInfo:
        return self.infos[path]

    def text(self, path: str, node: Node) -> str:
        return self.infos[path].f.text(node)

    def value(self, path: str, node: Node) -> tuple[str, Node]:
        """Follow an identifier to the module-level value it is bound to (this file, or the
        file a relative import names); ``(path, node)`` itself when it cannot be followed."""
        return _Resolver(self.infos).value(path, node)

    def exported(self, path: str, binding: str) -> tuple[str, str] | None:
        """Follow an import binding of ``path`` to (exporting file, its local name), for
        relative imports of the service's own files."""
        return _Resolver(self.infos).exported(path, binding)

    def calls_within(self, path: str, node: Node) -> list[Call]:
        """The calls inside ``node`` (its own range included), in source order."""
        info = self.infos[path]
        if len(info.call_starts) != len(info.calls):
            info.call_starts = [c.node.start_byte for c in info.calls]
        lo = bisect.bisect_left(info.call_starts, node.start_byte)
        hi = bisect.bisect_left(info.call_starts, node.end_byte, lo)
        return [c for c in info.calls[lo:hi] if c.node.end_byte <= node.end_byte]


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


def _args(node: Node) -> tuple[tuple[Node, ...], bool]:
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
def _collect_file(f: ts.TsFile) -> FileInfo:
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
    if any(c.type == "type" for c in node.children):  # import type { X } from "m"
        return
    line = ts.line_of(node)
    prog = f.root
    scope = (prog.start_byte, prog.end_byte)
    for clause in node.named_children:
        if clause.type != "import_clause":
            continue
        for c in clause.named_children:
            if c.type == "identifier":
                imp = Import(f.text(c), module, "default", "default", f.path, line)
            elif c.type == "namespace_import":
                ids = [x for x in c.named_children if x.type == "identifier"]
                if not ids:
                    continue
                imp = Import(f.text(ids[0]), module, "namespace", "*", f.path, line)
            elif c.type == "named_imports":
                for spec in c.named_children:
                    if spec.type != "import_specifier" or any(x.type == "type" for x in spec.children):
                        continue
                    names = ts.specifier(f, spec)
                    if names is None:
                        continue
                    binding, exported = names
                    imp = Import(binding, module, "named", exported, f.path, line)
                    info.imports[binding] = imp
                    _add_decl(info, Decl(binding, "import", spec, scope, True))
                continue
            else:
                continue
            info.imports[imp.binding] = imp
            _add_decl(info, Decl(imp.binding, "import", c, scope, True))


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
        args, tagged = _args(node)
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


class _Resolver:
    def __init__(self, infos: dict[str, FileInfo]) -> None:
        self.infos = infos

    def module_file(self, importer: str, spec: str) -> str | None:
        """The analysed file a relative import names (``./x``, ``./x.js``, ``./x/index``)."""
        if not spec.startswith("."):
            return None
        base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
        stem = base
        for ext in (".js", ".mjs", ".cjs", ".ts", ".tsx"):
            if base.endswith(ext):
                stem = base[: -len(ext)]
                break
        sfx = (*CODE_SUFFIXES, *JS_SUFFIXES, ".d.ts")
        for cand in (base, *(stem + s for s in sfx), *(f"{stem}/index{s}" for s in sfx)):
            if cand in self.infos:
                return cand
        return None

    def value(self, path: str, node: Node, depth: int = 4) -> tuple[str, Node]:
        """Follow an identifier to the value it is bound to at module level (this file, or the
        exporting file of a relative import); the node itself when it cannot be followed."""
        info = self.infos[path]
        while depth > 0 and node.type == "identifier":
            depth -= 1
            name = info.f.text(node)
            d = resolve(info, name, node)
            if d is None or not d.top:
                break
            if d.kind == "import":
                imp = info.imports.get(name)
                target = self.module_file(path, imp.module) if imp is not None else None
                if imp is None or target is None:
                    break
                tinfo = self.infos[target]
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

    def exported(self, path: str, name: str) -> tuple[str, str] | None:
        """Follow an import binding to (file, local name) in the exporting file."""
        info = self.infos[path]
        imp = info.imports.get(name)
        if imp is None:
            return None
        target = self.module_file(path, imp.module)
        if target is None:
            return None
        local = self.infos[target].exports.get(imp.name)
        return None if local is None else (target, local)


# -- routes ------------------------------------------------------------------------------------
def pattern_matches(pattern: str, path: str) -> bool:
    """Hono's matching of a ``use`` pattern against a route template: ``*`` matches any rest
    (a trailing ``/*`` also matches the bare prefix), ``:name`` one segment, anything else the
    exact segment."""
    if pattern in ("*", "/*"):
        return True
    ps = [s for s in pattern.split("/") if s != ""]
    rs = [s for s in path.split("/") if s != ""]
    i = 0
    for j, seg in enumerate(ps):
        if seg == "*":
            if j == len(ps) - 1:
                return True
            if i >= len(rs):
                return False
            i += 1
            continue
        if i >= len(rs):
            return False
        if seg.startswith(":") or seg == rs[i]:
            i += 1
            continue
        return False
    return i == len(rs)


def template_matches(template: str, concrete: str) -> bool:
    """Does a concrete path (``/payments/42``) match a route template (``/payments/:id``)?
    Segments of the concrete path that are ``*`` (an interpolation) match anything."""
    ts_ = [s for s in template.split("/") if s != ""]
    cs = [s for s in concrete.split("/") if s != ""]
    if len(ts_) != len(cs):
        return False
    return all(t.startswith(":") or c == "*" or t == c for t, c in zip(ts_, cs, strict=True))


def same_template(a: str, b: str) -> bool:
    """Two templates with parameters in the same places (``:id`` ≡ ``{id}`` ≡ ``:paymentId``)."""
    return normal_template(a) == normal_template(b)


def normal_template(p: str) -> str:
    segs = []
    for s in p.split("/"):
        if s.startswith(":") or (s.startswith("{") and s.endswith("}")):
            segs.append("{}")
        else:
            segs.append(s)
    out = "/".join(segs)
    return out.rstrip("/") or "/"


def static_value(infos: dict[str, FileInfo], path: str, node: Node, depth: int = 4) -> Any:
    """:func:`gate.sources.typescript.literal` of ``node``, after following identifiers to
    module constants (imports of the service's own files included) and ``CONST.key`` /
    ``CONST["key"]`` into constant object literals: ``requireScope(SCOPES.read)``."""
    res = _Resolver(infos)
    vpath, val = res.value(path, node)
    f = infos[vpath].f
    if depth > 0 and val.type in ("member_expression", "subscript_expression"):
        obj = val.child_by_field_name("object")
        if val.type == "member_expression":
            prop = val.child_by_field_name("property")
            key = f.text(prop) if prop is not None else None
        else:
            idx = val.child_by_field_name("index")
            key = ts.string_value(f, idx) if idx is not None else None
        if obj is not None and key is not None:
            opath, onode = res.value(vpath, obj)
            while onode.type in ("as_expression", "satisfies_expression") and onode.named_children:
                onode = onode.named_children[0]
            if onode.type == "object":
                pair = object_keys(infos[opath].f, onode).get(key)
                if pair is not None and pair.type == "pair":
                    return static_value(infos, opath, value_of_pair(pair), depth - 1)
    return ts.literal(f, val)


# -- the analysis -----------------------------------------------------------------------------
def code_model(ctx: Ctx) -> CodeModel:
    """The service's code analysis (computed once per run)."""
    return ctx.ws.derive("code", ctx.service.dir, lambda: analyse(ctx.ws, ctx.config, ctx.service.dir))


def analyse(ws: Workspace, config: Config, service_dir: str) -> CodeModel:
    """Analyse the service's code (see :func:`paused_gc` for why the collector is paused)."""
    from gate.workspace import SourceProblem

    with paused_gc():
        try:
            return _analyse(ws, config, service_dir)
        except RecursionError:
            src = f"{service_dir}/src"
            raise SourceProblem(Finding(f"the code under {src} is nested too deeply to be analysed "
                                        "(routers mounted hundreds of levels deep?)", src)) from None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the analysis and the judgements over it allocate
    many small, acyclic objects (freed by reference counting as usual) while a large model is
    alive, and the collector's repeated full passes over that model would make their time grow
    faster than the service. Nested uses are fine; the previous state is restored."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


F = TypeVar("F", bound=Callable[..., Any])


def without_gc(fn: F) -> F:
    """Decorator: run ``fn`` under :func:`paused_gc` (used on the checks that read code)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with paused_gc():
            return fn(*args, **kwargs)

    return cast(F, wrapper)


def _analyse(ws: Workspace, config: Config, service_dir: str) -> CodeModel:
    helpers = config.helpers
    ctors = frozenset(helpers.router_constructors)
    from gate.workspace import SourceProblem

    files = source_files(ws, service_dir)
    infos: dict[str, FileInfo] = {}
    errors: list[Finding] = []
    aliases = route_imports.aliases(ws, service_dir)
    todo = list(files)
    known = set(files)
    reach = route_imports.resolver(route_imports.file_resolver(ws, service_dir, known), aliases)
    while todo:
        rel = todo.pop(0)
        try:
            f = ws.typescript(rel)
        except SourceProblem as exc:  # unreadable (binary, too large, outside the repo)
            errors.append(exc.finding)
            continue
        if f is None:
            continue
        err = f.error
        if err is not None:
            errors.append(Finding(f"{rel}:{err.line}:{err.column}: {err.message}; fix it so the file can be judged", rel, err.line, err.line))
        try:
            infos[rel] = _collect_file(f)
        except RecursionError:
            errors.append(Finding(f"{rel} is nested too deeply to be analysed; simplify it so the file can be judged", rel, 1, 1))
        # a file the service's code imports is its code, wherever it lives (tests, stubs,
        # node_modules, .d.ts) and whatever its language (JavaScript)
        for spec in route_imports.specifiers(f.root, f.text):
            target = reach(rel, spec)
            if target is not None and target not in known and len(known) < len(files) + route_imports.MAX_REACHED:
                known.add(target)
                files.append(target)
                todo.append(target)
    res = _Resolver(infos)
    all_calls = [c for i in infos.values() for c in i.calls]

    table = route_table(infos, route_imports.resolver(res.module_file, route_imports.aliases(ws, service_dir)),
                        ctors, service_dir)
    routes, uses_out, roots = table.routes, table.uses, table.roots

    # public paths
    public: PublicPaths | None = None
    for path, info in infos.items():
        local = info.exports.get("publicPaths")
        if local is None or local not in info.top_values:
            continue
        val = info.top_values[local]
        while val.type in ("as_expression", "satisfies_expression") and val.named_children:
            val = val.named_children[0]
        entries = []
        if val.type == "array":
            for c in val.named_children:
                s = ts.string_value(info.f, c)
                if s is not None:
                    entries.append((s, ts.line_of(c)))
        public = PublicPaths(path, ts.line_of(val), tuple(entries))
        break

    # calls of interest
    logger_objs = frozenset(config.loggers)
    subscribe = helpers.subscribe
    sentry: list[Call] = []
    subs: list[Call] = []
    logs: list[Call] = []
    for call in all_calls:
        if call.callee is None or call.tagged:
            continue
        cobj, _, meth = call.callee.rpartition(".")
        if call.callee.endswith("Sentry.init") or (meth == "init" and _is_sentry(infos[call.path], cobj)):
            sentry.append(call)
        if (call.callee == subscribe or meth == subscribe) and call.args and ts.string_value(infos[call.path].f, call.args[0]) is not None:
            subs.append(call)
        if cobj and is_logger(cobj, logger_objs):
            logs.append(call)

    node_sdks: list[tuple[str, Node]] = []
    reads: list[ResourceRead] = []
    for path, info in infos.items():
        for n in info.news:
            ctor = n.child_by_field_name("constructor")
            if ctor is not None and _last(dotted(info.f, ctor)) == "NodeSDK":
                node_sdks.append((path, n))
        for mobj, mprop, m in info.members:
            if mobj == "Resource":
                d = resolve(info, "Resource", m)
                imp = info.imports.get("Resource")
                if d is not None and d.kind == "import" and imp is not None and imp.module == "sst":
                    reads.append(ResourceRead(mprop, path, ts.line_of(m)))

    comments = []
    for path, info in infos.items():
        for n in info.comments:
            comments.append(Comment(path, ts.line_of(n), info.f.text(n)))

    statements, sql_errors = _embedded(infos, res, helpers)
    model = CodeModel(
        service_dir, files, infos, errors, routes, uses_out, table.routers, roots,
        all_calls, public, node_sdks, sentry, subs, logs, statements, sql_errors, reads, comments, table.problems,
    )
    from gate.sources.provenance import judge_helpers

    judge_helpers(model, config, route_imports.resolver(res.module_file, aliases))
    return model


def is_logger(obj: str, loggers: frozenset[str]) -> bool:
    """Is ``obj`` (the dotted object of a call) one of the configured loggers? An entry that
    reads the logger from a Hono context (``c.var.logger``) matches whatever the context
    parameter is called (``ctx.var.logger``)."""
    if obj in loggers:
        return True
    head, _, rest = obj.partition(".")
    return bool(rest) and any(e.partition(".")[2] == rest and e.startswith("c.") for e in loggers) and head.isidentifier()


def _is_sentry(info: FileInfo, obj: str) -> bool:
    imp = info.imports.get(obj)
    return imp is not None and imp.module.startswith("@sentry/")


# -- embedded SQL -----------------------------------------------------------------------------
def _template_sql(f: ts.TsFile, node: Node) -> tuple[str, list[tuple[int, int, str]]]:
    """SQL text of a template (substitutions → $1, $2 ...) and its pieces (sql offset, TS row,
    fragment text) to map offsets back to TypeScript lines."""
    pieces: list[tuple[int, int, str]] = []
    out: list[str] = []
    pos = node.start_byte + 1
    row = node.start_point[0]
    n = 0
    src = f.source

    def frag(a: int, b: int, r: int) -> None:
        text = src[a:b].decode("utf-8", "replace")
        pieces.append((sum(len(x) for x in out), r, text))
        out.append(text)

    for c in node.named_children:
        if c.type != "template_substitution":
            continue
        frag(pos, c.start_byte, row)
        n += 1
        out.append(f"${n}")
        pos = c.end_byte
        row = c.end_point[0]
    frag(pos, node.end_byte - 1, row)
    return "".join(out), pieces


def _line_in(pieces: list[tuple[int, int, str]], offset: int) -> int:
    best = pieces[0] if pieces else (0, 0, "")
    for p in pieces:
        if p[0] <= offset:
            best = p
        else:
            break
    start, row, text = best
    return row + text.count("\n", 0, max(0, offset - start)) + 1


def _embedded(
    infos: dict[str, FileInfo], res: _Resolver, helpers: Helpers
) -> tuple[list[EmbeddedStatement], list[Finding]]:
    tag = helpers.sql_tag
    db = helpers.db_object
    stmts: list[EmbeddedStatement] = []
    errors: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    for path, info in infos.items():
        for c in info.calls:
            src_node: Node | None = None
            src_path = path
            if c.tagged and c.callee == tag:
                src_node = c.args[0]
            elif not c.tagged and c.callee is not None and c.args:
                obj, _, meth = c.callee.rpartition(".")
                if obj == db and meth in DB_METHODS:
                    src_path, val = res.value(path, c.args[0])
                    if val.type == "string" or (val.type == "template_string" and (val.parent is None or val.parent.type != "call_expression")):
                        src_node = val
            if src_node is None or (src_path, src_node.start_byte) in seen:
                continue
            seen.add((src_path, src_node.start_byte))
            f = infos[src_path].f
            if src_node.type == "template_string":
                text, pieces = _template_sql(f, src_node)
            else:
                text = ts.string_value(f, src_node) or ""
                pieces = [(0, src_node.start_point[0], text)]
            parsed = sqlsrc.parse(src_path, text)
            if parsed.error is not None:
                off = _offset_of_line(text, parsed.error.line)
                line = _line_in(pieces, off)
                errors.append(Finding(f"{parsed.error.message} (in SQL embedded in code; interpolations read as $n parameters)", src_path, line, line))
                continue
            for st in parsed.statements:
                line = _line_in(pieces, st.offset)
                end = _line_in(pieces, _offset_of_line(text, st.end_line))
                stmts.append(EmbeddedStatement(src_path, line, max(line, end), st, text))
    stmts.sort(key=lambda s: (s.path, s.line))
    return stmts, errors


def _offset_of_line(text: str, line: int) -> int:
    pos = 0
    for _ in range(line - 1):
        nl = text.find("\n", pos)
        if nl < 0:
            break
        pos = nl + 1
    return pos


# -- public helpers for other analyses --------------------------------------------------------
def embedded_sql(ctx: Ctx) -> list[EmbeddedStatement]:
    """Every SQL statement embedded in the service's code (``sql`` tagged templates and strings
    given to ``db.query/one/many/none``), parsed with pglast, with the TypeScript file and the
    line of the statement's first keyword. Statements that do not parse are left out (the
    ``conventions.brand-scoping`` item reports them)."""
    return code_model(ctx).statements


def resource_reads(ctx: Ctx) -> list[ResourceRead]:
    """Every ``Resource.<X>`` read in the service's code (``Resource`` imported from ``sst``)."""
    return code_model(ctx).resource_reads


def sentry_inits(ctx: Ctx) -> list[Call]:
    """Every ``Sentry.init(...)`` call (``Sentry`` imported from an ``@sentry/*`` package, or
    written ``Sentry.init``); ``call.args[0]`` is the options node, read it with
    :func:`gate.sources.typescript.literal` on ``code_model(ctx).info(call.path).f``."""
    return code_model(ctx).sentry_inits


# -- shared judgements ------------------------------------------------------------------------
def walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


NAME_NODE_TYPES = frozenset(
    {"identifier", "property_identifier", "shorthand_property_identifier",
     "shorthand_property_identifier_pattern", "private_property_identifier"}
)


def names_in(f: ts.TsFile, node: Node) -> Iterator[tuple[str, Node]]:
    """Names mentioned in an expression: identifiers, property names, object keys (string keys
    included); string contents are not names."""
    for n in walk(node):
        if n.type in NAME_NODE_TYPES:
            yield f.text(n), n
        elif n.type == "pair":
            k = n.child_by_field_name("key")
            if k is not None and k.type == "string":
                s = ts.string_value(f, k)
                if s is not None:
                    yield s, k


def normal_name(s: str) -> str:
    return s.replace("_", "").replace("-", "").lower()


def object_keys(f: ts.TsFile, node: Node) -> dict[str, Node]:
    out: dict[str, Node] = {}
    if node.type != "object":
        return out
    for c in node.named_children:
        if c.type == "pair":
            k = c.child_by_field_name("key")
            if k is None:
                continue
            name = ts.property_key(f, k)
            if name is None and k.type == "computed_property_name" and k.named_children:
                name = dotted(f, k.named_children[0])
            if name is not None:
                out[name] = c
        elif c.type == "shorthand_property_identifier":
            out[f.text(c)] = c
        elif c.type == "method_definition":
            n = c.child_by_field_name("name")
            if n is not None:
                out[f.text(n)] = c
    return out


def value_of_pair(node: Node) -> Node:
    if node.type == "pair":
        v = node.child_by_field_name("value")
        if v is not None:
            return v
    return node


#: the markers conventions.no-todo looks for (spelt in two parts so that this source itself holds
#: none of them)
MARKERS = ("TO" + "DO", "FIX" + "ME")
_MARKER = re.compile(r"\b(" + "|".join(MARKERS) + r")\b")


def marker_lines(c: Comment) -> Iterable[int]:
    """Lines of a comment that hold a work-left marker (see :data:`MARKERS`)."""
    for i, line in enumerate(c.text.split("\n")):
        if _MARKER.search(line):
            yield c.line + i
