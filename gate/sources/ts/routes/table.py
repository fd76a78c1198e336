"""The route table of a service, as Hono serves it.

:func:`build` evaluates the service's modules (:mod:`gate.sources.ts.routes.evaluate`) and reads
each app's route list in registration order, as Hono's router does: a route's middleware are
its own arguments before the handler, and every ``use`` registered *before* it on the app (a
sub-router's ``use`` arrives with its routes when it is mounted) whose pattern covers the
route's path (:func:`gate.sources.ts.routes.paths.covers`). ``Route.middleware`` is in the order
Hono runs it: those ``use`` first, then the route's own. The apps are the routers no other
router mounts. A :class:`Route`, its :class:`Middleware` and the :class:`Use` calls are what the
code analysis (:class:`gate.sources.ts.code.CodeModel`) and the route items read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tree_sitter import Node

from gate.model import Finding
from gate.sources.ts import parse as ts
from gate.sources.ts.files import Call, FileInfo
from gate.sources.ts.imports import ModuleFile
from gate.sources.ts.routes.evaluate import Evaluator
from gate.sources.ts.routes.paths import covers
from gate.sources.ts.routes.values import Arr, CallValue, Entry, External, Function, Handler, Lost, Obj, Router, Store

#: files evaluated first when present (an entry point), then every other file in name order
ENTRY_NAMES = ("index", "main", "server", "app", "worker")


@dataclass(frozen=True)
class Middleware:
    """A middleware a route runs: its own argument, or applied by a ``use`` (``via`` says which)."""

    name: str  # the helper's name (last component of the callee, or the identifier)
    args: tuple[Any, ...]  # literal values of its arguments (ts.Unknown when not literal)
    path: str
    line: int
    via: str  # "route" (own argument) or the use pattern that applied it
    callee: tuple[str, Node] | None = None  # (file, callee node) the helper is named by, when written


@dataclass(frozen=True)
class Route:
    """A route as Hono serves it: method, full path, the middleware it runs in order, handler."""

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


@dataclass
class Table:
    routes: list[Route]
    uses: list[Use]
    routers: dict[str, Node]
    roots: list[str]
    problems: list[Finding]


def _order(files: list[str], service_dir: str) -> list[str]:
    src = f"{service_dir}/src/"
    first = [p for n in ENTRY_NAMES for p in files if p.startswith(src) and p[len(src):].rsplit(".", 1)[0] == n]
    return first + sorted(p for p in files if p not in first)


def build(infos: dict[str, FileInfo], module_file: ModuleFile, ctors: frozenset[str], service_dir: str) -> Table:
    files = {p: i.f for p, i in infos.items()}
    ev = Evaluator(files, module_file, ctors, _order(list(infos), service_dir))
    ev.run()
    calls: dict[str, dict[int, Call]] = {}  # per file with a `use`, built when first needed

    def call_of(file: str, node: Node) -> Call | None:
        by_id = calls.get(file)
        if by_id is None:
            by_id = calls[file] = {c.node.id: c for c in infos[file].calls}
        return by_id.get(node.id)

    def middleware(h: Handler, via: str) -> list[Middleware]:
        v = h.value
        f = files[h.file]
        line = ts.line_of(h.node)
        if isinstance(v, Arr):
            return [m for x in v.items for m in middleware(Handler(x, h.file, h.node), via)]
        if isinstance(v, CallValue) and v.name:
            fn = v.node.child_by_field_name("function")
            return [Middleware(v.name, tuple(_py(a) for a in v.args), h.file, line, via,
                               (v.file, fn) if fn is not None else None)]
        if h.node.type == "identifier":
            return [Middleware(f.text(h.node), (), h.file, line, via, (h.file, h.node))]
        if isinstance(v, Function) and v.name:
            return [Middleware(v.name, (), h.file, line, via)]
        if isinstance(v, External):
            callee = (h.file, h.node) if h.node.type in ("identifier", "member_expression") else None
            return [Middleware(v.name.rsplit(".", 1)[-1], (), h.file, line, via, callee)]
        return []

    routes: list[Route] = []
    uses: list[Use] = []
    roots = [s for s in ev.stores if not s.mounted]
    for store in roots:
        before: list[Entry] = []
        for e in store.entries:
            if e.kind == "use":
                before.append(e)
                call = call_of(e.file, e.node)
                if call is not None:
                    uses.append(Use(e.router.key, e.path, call, tuple(h.node for h in e.handlers)))
                continue
            own = [m for h in e.handlers[:-1] for m in middleware(h, "route")]
            applied = [m for u in before if u.method in ("ALL", e.method) and covers(u.path, e.path)
                       for h in u.handlers for m in middleware(h, u.path)]
            handler: Node | None = None
            hfile = e.file
            if e.handlers:
                last = e.handlers[-1]
                if isinstance(last.value, Function):
                    hfile, handler = last.value.file, last.value.node
                else:
                    handler = last.node
            routes.append(Route(e.method, e.path, e.local_path, e.router.key, tuple(applied + own), handler, hfile,
                                e.file, e.line, ts.end_line_of(e.node), e.node))
    routes.sort(key=lambda r: (r.file, r.line, r.path))
    problems = list(ev.problems)
    if not routes and not problems:  # (a lost trail already says why routes are missing)
        problems.extend(_no_routes(infos, ev.stores, ctors))
    return Table(routes, uses, {s.key: s.node for s in ev.stores}, [s.key for s in roots], problems)


def _no_routes(infos: dict[str, FileInfo], stores: list[Store], ctors: frozenset[str]) -> list[Finding]:
    """A Hono app is constructed but no route is served: the routes are registered where the
    gate cannot see them (or nowhere) — never "no routes: skip"."""
    if stores:
        s = stores[0]
        line = ts.line_of(s.node)
        return [Finding(f"a Hono app is built here ({s.key.split('#', 1)[-1]}) but the gate found no route registered "
                        "on it: register routes with app.get/post/.../on/openapi and mount routers with .route(), "
                        "in code the gate can follow from the service's modules, or waive the route items",
                        s.file, line, line)]
    names = ctors | {"OpenAPIHono"}
    for path, info in infos.items():
        for n in info.news:
            c = n.child_by_field_name("constructor")
            if c is not None and info.f.text(c).rsplit(".", 1)[-1] in names:
                line = ts.line_of(n)
                return [Finding(f"new {info.f.text(c)}() is written here but never runs as the gate follows the "
                                "service's modules (inside a function nothing calls?): the gate found no route; "
                                "build the app in code that runs when the service starts, or waive the route items",
                                path, line, line)]
    return []


def _py(v: Any) -> Any:
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if isinstance(v, Obj):
        return {k: _py(x) for k, x in v.items.items()}
    if isinstance(v, Arr):
        return [_py(x) for x in v.items]
    if isinstance(v, Lost):
        return ts.Unknown(v.why)
    if isinstance(v, Router):
        return ts.Unknown("a router")
    return ts.Unknown(type(v).__name__)
