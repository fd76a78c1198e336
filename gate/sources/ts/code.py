"""One analysis of a service's TypeScript code, shared by every check that reads code.

:func:`model` (cached per service with ``ws.derive("code", service_dir, ...)``) parses each
file of the service's ``src/`` once (tests — ``*.test.ts``, ``*.spec.ts``, ``test/`` folders —
and ``src/stubs/`` excluded, as the conventions say), and every file that code imports wherever
it lives, and gives a :class:`CodeModel`:

- ``infos``: per file, what it holds (:mod:`gate.sources.ts.files`): value imports,
  declarations and their scopes, module-level values and exports, and ``calls``: every call with
  the chain of calls that enclose it (innermost first, with the argument that holds it) and
  whether it runs at import time (module top level);
- ``routes``: the Hono route table (:mod:`gate.sources.ts.routes`: method, full path, middleware
  chain as Hono applies it, handler node, file and line), and ``route_problems``: where that
  analysis lost a router's or a path's trail (the route items fail on them);
- ``impostors``/``foreign``: calls of a platform helper's name that do not come from its
  platform module (:mod:`gate.sources.ts.provenance`);
- ``statements``: SQL embedded in the code, parsed as PostgreSQL (:mod:`gate.sources.ts.embedded_sql`);
- ``public_paths``, ``node_sdks`` (``new NodeSDK``), ``sentry_inits``, ``subscribes``,
  ``log_calls``, ``resource_reads`` (``Resource.<X>``), ``comments``, ``uses``.

Imports are resolved by the service's one resolver (:mod:`gate.sources.ts.imports`: relative
specifiers and ``tsconfig.json`` path aliases), which :meth:`CodeModel.value` also follows.

A file with a syntax error gives a finding at tree-sitter's error position (``errors``); what
could still be read from its tree is kept, and the rest of the service is analysed as usual.
The files the service's code imports from outside its ``src/`` files are followed up to
:data:`gate.sources.ts.imports.MAX_REACHED`; past it, the first import not followed is a finding
in ``errors`` too (every code item fails there: files left unread are never judged as passing).
The checks reach the model through :func:`gate.checks._code.code_model`.
"""

from __future__ import annotations

import bisect
import gc
import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from tree_sitter import Node

from gate.model import Finding
from gate.sources.ts import imports as tsimports
from gate.sources.ts import parse as ts
from gate.sources.ts.embedded_sql import EmbeddedStatement, embedded
from gate.sources.ts.files import (
    Call,
    FileInfo,
    Member,
    call_args,
    collect,
    constant,
    dotted,
    exported,
    follow,
    members,
    resolve,
    source_files,
)
from gate.sources.ts.imports import ModuleFile
from gate.sources.ts.provenance import OriginMemo, call_origin, judge_helpers, origin
from gate.sources.ts.routes.table import Route, Use
from gate.sources.ts.routes.table import build as route_table
from gate.workspace import SourceProblem, Workspace

if TYPE_CHECKING:
    from gate.config import Config


@dataclass(frozen=True)
class PublicPaths:
    """The service's exported ``publicPaths`` array: where it is and its literal entries."""

    path: str
    line: int
    entries: tuple[tuple[str, int], ...]  # (value, line); non-literal entries are left out
    #: what the gate cannot read as a fixed list of strings, as (what, line): an entry that is not
    #: a string literal (nor a module-level const holding one), a spread, a value that is not an
    #: array literal, a ``let``/``var`` binding, a call that changes the array (``push``...)
    opaque: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class ResourceRead:
    """A ``Resource.<X>`` read (``Resource`` imported from ``sst``, under any local name or
    through a namespace import; ``Resource["X"]`` and ``const { X } = Resource`` read ``X``
    too). A use of ``Resource`` whose resource name is not written (``Resource[key]``,
    ``const r = Resource``, ``f(Resource)``) is ``opaque``: ``name`` is then its text."""

    name: str  # X in Resource.X
    path: str
    line: int
    opaque: bool = False


@dataclass(frozen=True)
class Comment:
    """A comment of the service's code, with its first line."""

    path: str
    line: int
    text: str


@dataclass
class CodeModel:
    """The analysis of one service's code (see the module's docstring)."""

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
    #: the service's import resolver over the analysed files (:func:`gate.sources.ts.imports.resolver`)
    module_file: ModuleFile
    #: where the route analysis lost a router's or a path's trail, or refused a table past its
    #: bounds: the route-dependent items fail on these (:func:`gate.checks._code.judge_routes`)
    route_problems: list[Finding] = field(default_factory=list)
    #: per helper key (``require_scope``, ``audit``...), the places that call a helper of that
    #: name which does not come from its platform module (:mod:`gate.sources.ts.provenance`)
    impostors: dict[str, list[Finding]] = field(default_factory=dict)
    #: the call nodes (ids) of those look-alike helpers: never credited as the helper
    foreign: set[int] = field(default_factory=set)
    #: the origins of callees already found, shared by the checks (:func:`provenance.call_origin`)
    origins: OriginMemo = field(default_factory=dict, repr=False)
    #: per tuple of modules, the files whose bindings may lead to them (``_code_rules._reaching``)
    reach: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict, repr=False)

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
        file an import of the service's own files names); ``(path, node)`` itself when it
        cannot be followed (:func:`gate.sources.ts.files.follow`)."""
        return follow(self.infos, self.module_file, path, node)

    def constant(self, path: str, node: Node) -> tuple[str, Node] | None:
        """The value an expression has for sure, through ``const`` bindings, imports of the
        service's own files and members of constant objects; None when a name or a member
        cannot be followed (:func:`gate.sources.ts.files.constant`)."""
        return constant(self.infos, self.module_file, path, node)

    def members(self, path: str, obj: Node) -> list[Member]:
        """An object literal's entries in JavaScript's order, spreads of constant objects
        followed, a spread of anything else a :class:`~gate.sources.ts.files.Member` with key
        None (:func:`gate.sources.ts.files.members`)."""
        return members(self.infos, self.module_file, path, obj)

    def exported(self, path: str, binding: str) -> tuple[str, str] | None:
        """Follow an import binding of ``path`` to (exporting file, its local name), for
        imports of the service's own files."""
        return exported(self.infos, self.module_file, path, binding)

    def calls_within(self, path: str, node: Node) -> list[Call]:
        """The calls inside ``node`` (its own range included), in source order."""
        info = self.infos[path]
        if len(info.call_starts) != len(info.calls):
            info.call_starts = [c.node.start_byte for c in info.calls]
        lo = bisect.bisect_left(info.call_starts, node.start_byte)
        hi = bisect.bisect_left(info.call_starts, node.end_byte, lo)
        return [c for c in info.calls[lo:hi] if c.node.end_byte <= node.end_byte]


# -- the analysis -----------------------------------------------------------------------------
def model(ws: Workspace, config: Config, service_dir: str) -> CodeModel:
    """The service's code analysis (computed once per run)."""
    return ws.derive("code", service_dir, lambda: analyse(ws, config, service_dir))


def analyse(ws: Workspace, config: Config, service_dir: str) -> CodeModel:
    """Analyse the service's code (see :func:`paused_gc` for why the collector is paused)."""
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


def _reader(ws: Workspace) -> Callable[[str], str | None]:
    """``ws.text`` without holding ``ws``: the model lives in the workspace's cache, and a strong
    reference back (through its resolver) made the two a cycle that only the garbage collector
    frees — the whole parsed repository, 1.1 s of collection at exit on 100 services."""
    ref = weakref.ref(ws)

    def read(rel: str) -> str | None:
        w = ref()
        return w.text(rel) if w is not None else None

    return read


def _analyse(ws: Workspace, config: Config, service_dir: str) -> CodeModel:
    helpers = config.helpers
    ctors = frozenset(helpers.router_constructors)

    files = source_files(ws, service_dir)
    infos: dict[str, FileInfo] = {}
    errors: list[Finding] = []
    aliases = tsimports.aliases(ws, service_dir)
    todo = list(files)
    known = set(files)
    reached = 0  # files added because they are imported (bounded: tsimports.MAX_REACHED)
    seen: dict[str, bool] = {}

    def on_disk(p: str) -> bool:  # asked of the same candidates by three resolvers: once each
        got = seen.get(p)
        if got is None:
            got = seen[p] = ws.exists(p) and not ws.is_dir(p)
        return got

    reach = tsimports.resolver(service_dir, aliases, known, on_disk, ws.text)
    bundled = tsimports.resolver(service_dir, aliases, (), on_disk, ws.text, bundler=True)
    repo_wide = tsimports.resolver(service_dir, aliases, (), on_disk, ws.text, anywhere=True)
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
            infos[rel] = collect(f)
        except RecursionError:
            errors.append(Finding(f"{rel} is nested too deeply to be analysed; simplify it so the file can be judged", rel, 1, 1))
        # a file the service's code imports is its code, wherever it lives (tests, stubs,
        # node_modules, .d.ts) and whatever its language (JavaScript)
        for spec in ts.module_specifiers(f):
            target = reach(rel, spec)
            if target is not None and (other := bundled(rel, spec)) is not None and other != target:
                line = _import_line(f, spec)
                errors.append(Finding(
                    f"{rel}:{line}: '{spec}' names two files: TypeScript reads {target}, esbuild (which SST "
                    f"bundles with) ships {other}; the gate cannot tell which code runs: keep one of them",
                    rel, line, line))
            if target is None and (outside := repo_wide(rel, spec)) is not None:
                line = _import_line(f, spec)
                errors.append(Finding(
                    f"{rel}:{line}: '{spec}' imports {outside}, outside the service's folder: the gate judges a "
                    "service by its own files (and packages by their name), so that code is not judged; move it "
                    "into the service, or into a package under packages/ imported by its name", rel, line, line))
            if target is None or target in known:
                continue
            if reached >= tsimports.MAX_REACHED:
                # the files past the bound are not judged: every code item fails here, once
                if reached == tsimports.MAX_REACHED:
                    reached += 1
                    line = _import_line(f, spec)
                    errors.append(Finding(
                        f"{rel}:{line}: the import of '{spec}' ({target}) was not followed: the service's code imports "
                        f"more than {tsimports.MAX_REACHED:,} files beyond its own src/ files, the most the gate "
                        "follows, so the files past it are not judged; import fewer files (a vendored tree imported "
                        "file by file?) so that all of its code can be judged", rel, line, line))
                continue
            reached += 1
            known.add(target)
            files.append(target)
            todo.append(target)
    module_file = tsimports.resolver(service_dir, aliases, infos, read=_reader(ws))
    all_calls = [c for i in infos.values() for c in i.calls]

    table = route_table(infos, module_file, ctors, service_dir)
    routes, uses_out, roots = table.routes, table.uses, table.roots

    # public paths
    public: PublicPaths | None = None
    for path, info in infos.items():
        local = info.exports.get("publicPaths")
        if local is None or local not in info.top_values:
            continue
        val = _unwrap_public(info, info.top_values[local])
        entries, opaque = _public_entries(info, local, val)
        public = PublicPaths(path, ts.line_of(val), tuple(entries), tuple(opaque))
        break

    # calls of interest
    logger_objs = frozenset(config.loggers)
    subscribe = helpers.subscribe
    sentry: list[Call] = []
    subs: list[Call] = []
    logs: list[Call] = []
    origins: OriginMemo = {}
    for call in all_calls:
        if call.callee is None or call.tagged:
            continue
        cobj, _, meth = call.callee.rpartition(".")
        if (meth == "init" and _is_sentry(infos[call.path], cobj)) or _is_sentry_init(infos[call.path], call.callee) \
                or (meth == "init" and (o := call_origin(infos, module_file, call, origins)) is not None
                    and o.module is not None and o.module.startswith("@sentry/") and o.name == "init"):
            sentry.append(call)
        if call.args and (((call.callee == subscribe or meth == subscribe)
                           and ts.string_value(infos[call.path].f, call.args[0]) is not None)
                          or _imported_subscribe(infos, module_file, call, subscribe, origins)):
            subs.append(call)
        if (cobj and is_logger(cobj, logger_objs)) or _logger_alias_call(infos[call.path], call, logger_objs):
            logs.append(call)
    for call in all_calls:  # logger.child({...}).info(...): a method of what a logger call returns
        if call.callee is None and (shown := _chained_log_call(infos[call.path], call, logger_objs)) is not None:
            logs.append(replace(call, callee=shown))
    logs.sort(key=lambda c: (c.path, c.node.start_byte))

    node_sdks: list[tuple[str, Node]] = []
    reads: list[ResourceRead] = []
    for path, info in infos.items():
        for n in info.news:
            ctor = n.child_by_field_name("constructor")
            if ctor is None:
                continue
            dn = dotted(info.f, ctor) or ""
            if dn.rsplit(".", 1)[-1] == "NodeSDK" or (
                    dn.split(".", 1)[0] in info.imports and origin(infos, module_file, path, ctor).name == "NodeSDK"):
                node_sdks.append((path, n))
        reads.extend(_resource_reads(path, info))

    comments = []
    for path, info in infos.items():
        for n in info.comments:
            comments.append(Comment(path, ts.line_of(n), info.f.text(n)))

    statements, sql_errors = embedded(infos, module_file, helpers, config.helper_modules, origins)
    prov = judge_helpers(infos, all_calls, routes, config, module_file)
    return CodeModel(
        service_dir=service_dir, files=files, infos=infos, errors=errors, routes=prov.routes, uses=uses_out,
        routers=table.routers, roots=roots, calls=all_calls, public_paths=public, node_sdks=node_sdks,
        sentry_inits=sentry, subscribes=subs, log_calls=logs, statements=statements, sql_errors=sql_errors,
        resource_reads=reads, comments=comments, module_file=module_file, route_problems=table.problems,
        impostors=prov.impostors, foreign=prov.foreign, origins=origins,
    )


def _import_line(f: ts.TsFile, spec: str) -> int:
    """The line of the first top-level import or re-export of ``spec`` in ``f`` (1 if none)."""
    for st in f.root.named_children:
        src = st.child_by_field_name("source") if st.type in ("import_statement", "export_statement") else None
        if src is not None and ts.string_value(f, src) == spec:
            return ts.line_of(st)
    return 1


def is_logger(obj: str, loggers: frozenset[str]) -> bool:
    """Is ``obj`` (the dotted object of a call) one of the configured loggers? An entry that
    reads the logger from a Hono context (``c.var.logger``) matches whatever the context
    parameter is called (``ctx.var.logger``)."""
    if obj in loggers:
        return True
    head, _, rest = obj.partition(".")
    return bool(rest) and any(e.partition(".")[2] == rest and e.startswith("c.") for e in loggers) and head.isidentifier()


def _imported_subscribe(infos: dict[str, FileInfo], module_file: ModuleFile, call: Call, subscribe: str,
                        origins: OriginMemo) -> bool:
    """Does the callee lead to a package's ``subscribe`` (``import { subscribe as on }``,
    ``const on = events.subscribe``, a barrel), whatever its first argument is? Such a call is
    a subscription even when the gate cannot read its event name."""
    info = infos[call.path]
    root = call.root
    if root is None or (root not in info.imports and root not in info.top_values):
        return False
    o = call_origin(infos, module_file, call, origins)
    return o is not None and o.module is not None and not o.module.startswith(".") and o.name == subscribe


_WRAPPERS = ("parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression")


def _unwrap(node: Node) -> Node:
    while node.type in _WRAPPERS and node.named_children:
        node = node.named_children[0]
    return node


def _logger_value(info: FileInfo, node: Node, loggers: frozenset[str]) -> str | None:
    """``logger`` for a value that is a logger (``logger``, ``c.var.logger``) or made by a call
    of one (``logger.child({...})``); None otherwise."""
    node = _unwrap(node)
    if node.type == "await_expression" and node.named_children:
        node = _unwrap(node.named_children[0])
    if node.type == "call_expression":
        fn = node.child_by_field_name("function")
        d = dotted(info.f, fn) if fn is not None else None
        obj = d.rpartition(".")[0] if d else ""
        return d if obj and is_logger(obj, loggers) else None
    d = dotted(info.f, node)
    return d if d is not None and is_logger(d, loggers) else None


def _logger_alias_call(info: FileInfo, call: Call, loggers: frozenset[str]) -> bool:
    """Is this a call through a local alias of a logger — ``const log = logger; log.info(...)``,
    ``const child = logger.child({...}); child.info(...)``, ``const { info } = logger;
    info(...)``?"""
    root = call.root
    if root is None or call.callee is None:
        return False
    d = resolve(info, root, call.node)
    if d is None or d.kind != "var":
        return False
    value = d.node.child_by_field_name("value")
    name = d.node.child_by_field_name("name")
    if value is None or name is None or _logger_value(info, value, loggers) is None:
        return False
    return (name.type == "identifier" and "." in call.callee) or (name.type == "object_pattern" and "." not in call.callee)


def _chained_log_call(info: FileInfo, call: Call, loggers: frozenset[str]) -> str | None:
    fn = call.node.child_by_field_name("function")
    if fn is None or fn.type != "member_expression":
        return None
    obj = fn.child_by_field_name("object")
    prop = fn.child_by_field_name("property")
    if obj is None or prop is None:
        return None
    src = _logger_value(info, obj, loggers) if _unwrap(obj).type == "call_expression" else None
    return None if src is None else f"{src}(...).{info.f.text(prop)}"


def _unwrap_public(info: FileInfo, val: Node) -> Node:
    """``publicPaths``'s value without ``as const``, ``satisfies T``, parentheses and
    ``Object.freeze(...)``."""
    while True:
        if val.type in ("as_expression", "satisfies_expression", "parenthesized_expression") and val.named_children:
            val = val.named_children[0]
        elif val.type == "call_expression" and (fn := val.child_by_field_name("function")) is not None \
                and info.f.text(fn) == "Object.freeze" and (args := call_args(val)[0]):
            val = args[0]
        else:
            return val


_MUTATORS = frozenset({"push", "unshift", "splice", "fill", "copyWithin"})


def _const_binding(value: Node) -> bool:
    decl = value.parent
    lex = decl.parent if decl is not None else None
    return (lex is not None and lex.type == "lexical_declaration" and lex.child_count > 0
            and lex.children[0].type == "const")


def _public_entries(info: FileInfo, local: str, val: Node) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The literal entries of ``publicPaths`` and what of it the gate cannot read (see
    :class:`PublicPaths`). An identifier entry counts when it names a module-level ``const``
    holding a string literal."""
    f = info.f
    entries: list[tuple[str, int]] = []
    opaque: list[tuple[str, int]] = []
    top = info.top_values.get(local)
    if top is not None and not _const_binding(top):
        opaque.append(("publicPaths is not a const (a let/var binding can be reassigned)", ts.line_of(top)))
    if val.type != "array":
        opaque.append((f"publicPaths is {' '.join(f.text(val).split())[:80]}, not an array literal", ts.line_of(val)))
        return entries, opaque
    for c in val.named_children:
        if c.type == "comment":
            continue
        node = c
        if c.type == "identifier" and (bound := info.top_values.get(f.text(c))) is not None and _const_binding(bound):
            node = _unwrap_public(info, bound)
        s = ts.string_value(f, node)
        if s is not None:
            entries.append((s, ts.line_of(c)))
        else:
            opaque.append((f"publicPaths entry {' '.join(f.text(c).split())[:80]} is not a string literal",
                           ts.line_of(c)))
    for call in info.calls:
        if call.callee is not None and call.callee.rpartition(".")[0] == local \
                and call.callee.rpartition(".")[2] in _MUTATORS:
            opaque.append((f"{call.callee}(...) changes publicPaths at run time", ts.line_of(call.node)))
    return entries, opaque


def _is_sentry(info: FileInfo, obj: str) -> bool:
    """``obj`` is a namespace or default import of an ``@sentry/*`` package."""
    imp = info.imports.get(obj)
    return imp is not None and imp.module.startswith("@sentry/") and imp.kind in ("namespace", "default")


def _is_sentry_init(info: FileInfo, callee: str) -> bool:
    """``callee`` is ``init`` imported by name from an ``@sentry/*`` package (``import { init as
    initSentry } from "@sentry/node"``)."""
    imp = info.imports.get(callee)
    return imp is not None and imp.module.startswith("@sentry/") and imp.kind == "named" and imp.name == "init"


# -- comments -------------------------------------------------------------------------------
#: the markers conventions.no-todo looks for (spelt in two parts so that this source itself holds
#: none of them)
MARKERS = ("TO" + "DO", "FIX" + "ME")
_MARKER = re.compile(r"\b(" + "|".join(MARKERS) + r")\b")


def marker_lines(c: Comment) -> Iterable[int]:
    """Lines of a comment that hold a work-left marker (see :data:`MARKERS`)."""
    for i, line in enumerate(c.text.split("\n")):
        if _MARKER.search(line):
            yield c.line + i


def _resource_reads(path: str, info: FileInfo) -> list[ResourceRead]:
    """The reads of SST's ``Resource`` in one file (see :class:`ResourceRead`)."""
    f = info.f
    direct = {b for b, imp in info.imports.items() if imp.module == "sst" and imp.kind == "named"
              and imp.name == "Resource"}
    spaces = {b for b, imp in info.imports.items() if imp.module == "sst" and imp.kind == "namespace"}
    if not direct and not spaces:
        return []
    out: list[ResourceRead] = []
    for n in ts.walk(f.root):
        if n.type == "identifier" and f.text(n) in direct:
            name = f.text(n)
        elif (n.type == "member_expression" and (o := n.child_by_field_name("object")) is not None
              and o.type == "identifier" and f.text(o) in spaces
              and (p := n.child_by_field_name("property")) is not None and f.text(p) == "Resource"):
            name = f.text(o)
        else:
            continue
        d = resolve(info, name, n)
        if d is None or d.kind != "import":
            continue  # a local of the same name shadows the import
        read = _resource_use(f, n)
        if read is None:
            continue
        for key, at, opaque in read:
            out.append(ResourceRead(key, path, ts.line_of(at), opaque))
    return out


def _resource_use(f: ts.TsFile, n: Node) -> list[tuple[str, Node, bool]] | None:
    """What the use ``n`` of ``Resource`` reads: [(name, node, opaque)], or None when it is not a
    read (the import itself, a type position)."""
    parent = n.parent
    if parent is None or parent.type in ("import_specifier", "namespace_import", "import_clause", "type_query",
                                         "nested_type_identifier", "type_annotation"):
        return None
    if parent.type == "member_expression" and parent.child_by_field_name("object") == n:
        prop = parent.child_by_field_name("property")
        if prop is not None and prop.type in ("property_identifier", "private_property_identifier"):
            return [(f.text(prop), parent, False)]
    if parent.type == "subscript_expression" and parent.child_by_field_name("object") == n:
        idx = parent.child_by_field_name("index")
        key = ts.string_value(f, idx) if idx is not None else None
        if key is not None:
            return [(key, parent, False)]
        return [(" ".join(f.text(parent).split()), parent, True)]
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == n:
        pattern = parent.child_by_field_name("name")
        if pattern is not None and pattern.type == "object_pattern":
            got: list[tuple[str, Node, bool]] = []
            for e in pattern.named_children:
                if e.type == "shorthand_property_identifier_pattern":
                    got.append((f.text(e), e, False))
                elif e.type == "object_assignment_pattern":
                    left = e.child_by_field_name("left")
                    if left is not None:
                        got.append((f.text(left), e, False))
                elif e.type == "pair_pattern":
                    k = e.child_by_field_name("key")
                    key = ts.property_key(f, k) if k is not None else None
                    got.append((key, e, False) if key is not None else (" ".join(f.text(e).split()), e, True))
                elif e.type != "comment":
                    got.append((" ".join(f.text(e).split()), e, True))
            return got
    if parent.type in ("parenthesized_expression", "as_expression", "non_null_expression", "satisfies_expression"):
        inner = _resource_use(f, parent)
        return inner
    text = " ".join(f.text(parent).split())
    return [(text if len(text) <= 80 else text[:79] + "…", n, True)]
