"""The values the route evaluator (:mod:`gate.sources.ts.routes.evaluate`) computes with.

Only what decides a route table is modelled: strings (paths), Hono routers (with Hono's own
registration semantics: a shared route list, ``basePath`` views, the current path a path-less
``get(h)`` reuses), functions (factories and ``registerRoutes(app)`` helpers are run), module
namespaces, objects and arrays (so that a router found through one is followed), route
definitions of ``@hono/zod-openapi``'s ``createRoute``, and calls (middleware such as
``requireScope("x")``). Everything else is :class:`Opaque`; a value that *should* be a path or
a router but cannot be known is :class:`Lost`, which carries where and why the trail was lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tree_sitter import Node


class Scope:
    """The variables of a module or a function call, and the scope it is nested in."""

    __slots__ = ("parent", "vars")

    def __init__(self, parent: Scope | None = None) -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent

    def lookup(self, name: str) -> tuple[bool, Any]:
        s: Scope | None = self
        while s is not None:
            if name in s.vars:
                return True, s.vars[name]
            s = s.parent
        return False, None

    def assign(self, name: str, value: Any) -> None:
        s: Scope | None = self
        while s is not None:
            if name in s.vars:
                s.vars[name] = value
                return
            s = s.parent
        self.vars[name] = value


@dataclass(frozen=True)
class Lost:
    """A value the gate cannot follow: ``why`` says what, at ``file:line``."""

    why: str
    file: str
    line: int


@dataclass(frozen=True)
class Opaque:
    """A value that does not matter to routing (a number, a response, an unknown global)."""

    what: str = ""


@dataclass(frozen=True)
class External:
    """A binding imported from a package (``import { Hono } from "hono"``)."""

    module: str
    name: str  # exported name, "default" or "*"


@dataclass(frozen=True)
class CallValue:
    """The result of a call the evaluator does not run: ``requireScope("x")``, ``logger()``.
    ``args`` are the evaluated arguments."""

    callee: str | None  # dotted callee text
    name: str | None  # the last component (the helper's name)
    file: str
    node: Node
    args: tuple[Any, ...]
    origin: External | None = None  # the import the callee comes from, when known


@dataclass(frozen=True)
class Function:
    """A function value with the scope it closes over."""

    file: str
    node: Node
    scope: Scope
    name: str | None = None


@dataclass(frozen=True)
class Handler:
    """A middleware or handler as registered: the value and where its argument is written."""

    value: Any
    file: str
    node: Node


@dataclass
class Entry:
    """One registration in a router's route list, as Hono keeps it: method (``ALL`` for
    ``use``/``all``), full path, its handlers; ``kind`` "use" for middleware."""

    kind: str  # "route" | "use"
    method: str
    path: str
    handlers: tuple[Handler, ...]
    file: str
    node: Node  # the registration call
    line: int  # line of the method name (``.get(``)
    router: Store  # the router it was registered on
    local_path: str


@dataclass
class Store:
    """A Hono app's route list (shared by an app and its ``basePath`` views)."""

    key: str
    file: str
    node: Node
    entries: list[Entry] = field(default_factory=list)
    depth: int = 0  # mount depth: 1 + the deepest router mounted into it
    mounted: bool = False  # copied into another router by route()
    served: bool = False  # exported, served, or returned to code the gate cannot see
    named: bool = False  # key set from the binding that holds it


@dataclass
class Router:
    """A Hono instance: its store, its base path, and the current path of path-less calls."""

    store: Store
    base: str = "/"
    current: str = "/"


@dataclass(frozen=True)
class RouteDef:
    """``createRoute({ method, path, middleware })`` of ``@hono/zod-openapi``."""

    method: Any
    path: Any
    middleware: tuple[Handler, ...]
    file: str
    node: Node


@dataclass
class Obj:
    """An object literal (or a module namespace): key -> value."""

    items: dict[str, Any]
    origin: str = "object"


@dataclass
class Arr:
    items: list[Any]


@dataclass(frozen=True)
class Factory:
    """``createFactory()`` of ``hono/factory``: ``createApp()`` builds a Hono app."""

    file: str
    node: Node
