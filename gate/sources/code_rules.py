"""Judgements over the code analysis (:mod:`gate.sources.code`) shared by several checks:
scope enforcement, vendor calls and the wrappers around them, request-logging middleware,
brand scoping of embedded SQL, integration-test calls, and the openapi operations of routes.

Each check module stays a thin function of these; anything computed here that more than one
check needs is cached with ``ws.derive``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tree_sitter import Node

from gate.context import Ctx
from gate.model import Finding, Result, failed, skipped, verdict
from gate.sources import code as cm
from gate.sources import openapi as oa
from gate.sources import typescript as ts

PLATFORM_DOMAIN = "platform.loop.health"
LOG_FIELDS = ("request_id", "route", "status", "duration_ms", "client_id", "brand_id")
SERVICE_NAME_KEYS = frozenset(
    {"service.name", "ATTR_SERVICE_NAME", "SemanticResourceAttributes.SERVICE_NAME", "SEMRESATTRS_SERVICE_NAME"}
)


def helper(ctx: Ctx, name: str) -> str:
    return ctx.config.helper(name)


# -- verdict helpers --------------------------------------------------------------------------
def judge(m: cm.CodeModel, findings: list[Finding], ok: str) -> Result:
    """``fail`` with the syntax errors of the service's files first, else ``pass``/``fail``."""
    return verdict([*m.errors, *findings], ok)


def nothing(m: cm.CodeModel, reason: str) -> Result:
    """"Nothing to judge": ``skip`` — unless a file could not be parsed (then nothing can be
    said about it, and the item fails at the syntax error)."""
    if m.errors:
        return failed(*m.errors)
    return skipped(reason)


def judge_routes(m: cm.CodeModel, findings: list[Finding], ok: str) -> Result:
    """:func:`judge` for an item that reads the route table: where the route analysis lost a
    trail (:attr:`gate.sources.code.CodeModel.route_problems`), it fails there too — a route
    table the gate could not complete never passes."""
    return verdict([*m.errors, *m.route_problems, *findings], ok)


def no_routes(m: cm.CodeModel, reason: str) -> Result:
    """:func:`nothing` for an item that reads the route table: never ``skip`` when the route
    analysis lost a trail or a Hono app yields no route."""
    if m.route_problems:
        return failed(*m.errors, *m.route_problems)
    return nothing(m, reason)


def at(route: cm.Route, message: str) -> Finding:
    return Finding(message, route.file, route.line, route.line)


def at_call(call: cm.Call, message: str) -> Finding:
    return Finding(message, call.path, call.line, call.line)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- scopes -----------------------------------------------------------------------------------
def declared_scopes(ctx: Ctx) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for s in ctx.spec_list("scopes"):
        if isinstance(s, dict) and isinstance(s.get("name"), str):
            out[s["name"]] = s
        elif isinstance(s, str):
            out[s] = {"name": s}
    return out


def suggest_scope(ctx: Ctx, route: cm.Route) -> str:
    scopes = list(declared_scopes(ctx))
    want = "read" if route.method == "GET" else "write"
    for s in scopes:
        if s.endswith(":" + want):
            return s
    return f"{ctx.service.name}:{want}"


def public_set(m: cm.CodeModel) -> set[str]:
    return {v for v, _ in m.public_paths.entries} if m.public_paths else set()


def is_public(m: cm.CodeModel, route: cm.Route) -> bool:
    """Is the route listed in ``publicPaths`` (exactly, or by a ``*`` pattern)?"""
    return any(p == route.path or ("*" in p and cm.pattern_matches(p, route.path)) for p in public_set(m))


def reachable_calls(m: cm.CodeModel, path: str, node: Node, depth: int = 2) -> list[cm.Call]:
    """Calls inside ``node``, and inside the module-level functions of the service it calls by
    name (``createPayment(c)`` defined in this file or imported from another), ``depth`` levels."""
    out: list[cm.Call] = []
    seen: set[tuple[str, int]] = set()
    todo = [(path, node, depth)]
    while todo:
        p, n, d = todo.pop()
        if (p, n.id) in seen:
            continue
        seen.add((p, n.id))
        calls = m.calls_within(p, n)
        out.extend(calls)
        if d <= 0:
            continue
        for c in calls:
            if c.callee is None or "." in c.callee or c.tagged:
                continue
            fn = c.node.child_by_field_name("function")
            if fn is None:
                continue
            tp, tn = m.value(c.path, fn)
            if tn.type in cm.FUNCTION_TYPES and (tp, tn.id) not in seen:
                todo.append((tp, tn, d - 1))
    return out


def scope_findings(ctx: Ctx) -> Result:
    """auth.require-scope / conventions.scope-enforcement."""
    m = cm.code_model(ctx)
    if not m.routes:
        return no_routes(m, "no routes in src/")
    rs = helper(ctx, "require_scope")
    declared = declared_scopes(ctx)
    out: list[Finding] = []
    judged = 0
    for r in m.routes:
        if is_public(m, r):
            continue
        judged += 1
        mids = r.uses(rs)
        if not mids:
            out.append(at(r, f'{r.key} enforces no scope: add {rs}("{suggest_scope(ctx, r)}") to the route '
                             "(or list it in publicPaths if it must be public)"))
            continue
        for mw in mids:
            scope = mw.args[0] if mw.args else None
            if not isinstance(scope, str):
                out.append(at(r, f"{r.key}: {rs}(...) has no literal scope: write the scope as a string, "
                                 f'{rs}("{suggest_scope(ctx, r)}")'))
            elif scope not in declared:
                out.append(at(r, f'{r.key} requires scope "{scope}", which service.yaml does not declare: '
                                 f'add {{name: {scope}}} to scopes'))
    out.extend(m.impostor_findings("require_scope"))
    return judge_routes(m, out, f"{plural(judged, 'non-public route')}, each with {rs}(...) of a declared scope")


# -- vendor calls -----------------------------------------------------------------------------
@dataclass(frozen=True)
class VendorCall:
    call: cm.Call
    vendor: str


def _vendor_of_module(module: str, vendors: Iterable[str]) -> str | None:
    for v in vendors:
        if module == v or module.startswith(v + "/"):
            return v
    return None


def vendor_calls(ctx: Ctx) -> list[VendorCall]:
    """Outbound vendor calls (not module-level set-up), as the conventions define them."""
    return ctx.ws.derive("code.vendor-calls", ctx.service.dir, lambda: _vendor_calls(ctx))


def _vendor_calls(ctx: Ctx) -> list[VendorCall]:
    m = cm.code_model(ctx)
    vendors = list(ctx.config.vendors)
    http = helper(ctx, "http_client")
    # declarations (file, node id) bound to a vendor: imports from a vendor package, objects
    # built from one (const stripe = new Stripe(key)), and imports of such an object from
    # another file of the service
    bound: dict[tuple[str, int], str] = {}
    for path, info in m.infos.items():
        for imp in info.imports.values():
            v = _vendor_of_module(imp.module, vendors)
            if v is not None:
                for d in info.decls.get(imp.binding, ()):
                    if d.kind == "import":
                        bound[(path, d.node.id)] = v
    for _ in range(6):
        changed = False
        for path, info in m.infos.items():
            f = info.f
            for imp in info.imports.values():
                ex = m.exported(path, imp.binding)
                if ex is None:
                    continue
                tinfo = m.info(ex[0])
                src = next((d for d in tinfo.decls.get(ex[1], ()) if d.top), None)
                v = bound.get((ex[0], src.node.id)) if src is not None else None
                if v is None:
                    continue
                for d in info.decls.get(imp.binding, ()):
                    if d.kind == "import" and (path, d.node.id) not in bound:
                        bound[(path, d.node.id)] = v
                        changed = True
            for name, decls in info.decls.items():
                for d in decls:
                    if d.kind != "var" or (path, d.node.id) in bound:
                        continue
                    val = d.node.child_by_field_name("value")
                    v = _vendor_expr(path, info, val, bound) if val is not None else None
                    if v is not None and _binds_name(f, d.node, name):
                        bound[(path, d.node.id)] = v
                        changed = True
        if not changed:
            break
    out: list[VendorCall] = []
    for path, info in m.infos.items():
        for c in info.calls:
            if c.top_level or c.tagged or c.callee is None:
                continue
            root = c.root or ""
            rd = cm.resolve(info, root, c.node)
            if rd is not None and (path, rd.node.id) in bound:
                out.append(VendorCall(c, bound[(path, rd.node.id)]))
                continue
            obj, _, meth = c.callee.rpartition(".")
            if obj == http and meth in (*cm.HTTP_METHODS, "request", "fetch") and c.args:
                if rd is not None and rd.kind != "import":
                    continue
                host = _host(m, path, c.args[0])
                if host and not (host == PLATFORM_DOMAIN or host.endswith("." + PLATFORM_DOMAIN)):
                    out.append(VendorCall(c, host))
    return out


def _binds_name(f: ts.TsFile, declarator: Node, name: str) -> bool:
    n = declarator.child_by_field_name("name")
    return n is not None and n.type == "identifier" and f.text(n) == name


def _vendor_expr(path: str, info: cm.FileInfo, val: Node, bound: dict[tuple[str, int], str]) -> str | None:
    """The vendor an expression is built from: ``new Stripe(k)``, ``twilio(sid, t)``,
    ``sgMail`` itself, ``stripe.withOptions()``..."""
    node = val
    while node.type in ("await_expression", "parenthesized_expression", "as_expression", "non_null_expression") and node.named_children:
        node = node.named_children[0]
    if node.type == "new_expression":
        node = node.child_by_field_name("constructor") or node
    elif node.type == "call_expression":
        node = node.child_by_field_name("function") or node
    while node.type == "member_expression":
        node = node.child_by_field_name("object") or node
        if node.type == "call_expression":
            node = node.child_by_field_name("function") or node
    if node.type != "identifier":
        return None
    d = cm.resolve(info, info.f.text(node), node)
    return bound.get((path, d.node.id)) if d is not None else None


def _host(m: cm.CodeModel, path: str, arg: Node) -> str | None:
    """The host of a URL argument when the code shows it (literal, template, module constant)."""
    vpath, val = m.value(path, arg)
    f = m.info(vpath).f
    if val.type == "string":
        url = ts.string_value(f, val) or ""
    elif val.type == "template_string":
        url = "".join(f.text(c) if c.type == "string_fragment" else ("\x00" if c.type == "template_substitution" else f.text(c))
                      for c in val.named_children)
    else:
        return None
    if "://" not in url:
        return None
    host = urlsplit(url.replace("\x00", "x-x")).hostname or ""
    if "x-x" in host and not host.endswith("." + PLATFORM_DOMAIN):
        return None
    return host or None


def wrapped(m: cm.CodeModel, call: cm.Call, name: str, first_fn_arg: int = 1) -> cm.Enclosing | cm.Call | None:
    """Is ``call`` inside the function given to ``name(...)`` (its arguments from
    ``first_fn_arg`` on)? Directly (``breaker("x", () => call)``) or through a named function of
    the same file passed to it (``breaker("x", charge)``)."""
    for e in call.enclosing():
        if e.name == name and e.arg >= first_fn_arg and not m.is_foreign(e.node):
            return e
    info = m.info(call.path)
    f = info.f
    names: set[str] = set()
    cur = call.node.parent
    while cur is not None:
        if cur.type in cm.FUNCTION_TYPES:
            fname = cur.child_by_field_name("name")
            if fname is not None:
                names.add(f.text(fname))
            elif cur.parent is not None and cur.parent.type == "variable_declarator":
                n = cur.parent.child_by_field_name("name")
                if n is not None:
                    names.add(f.text(n))
        cur = cur.parent
    if not names:
        return None
    for c in info.calls:
        if c.name == name and c.callee == name and not m.is_foreign(c.node):
            for a in c.args[first_fn_arg:]:
                if a.type == "identifier" and f.text(a) in names:
                    return c
    return None


# -- SQL brand scoping ------------------------------------------------------------------------
# Statements are read in pglast's JSON form (gate.sources.sql.Statement.kind/fields): a node of
# a generic ``Node*`` field is ``{"TypeName": {fields}}``; a field of a fixed node type
# (``relation``, ``alias``, ``withClause``) holds its fields directly.
Json = dict[str, Any]


def _walk_json(kind: str, fields: Json) -> Iterable[tuple[str, Json]]:
    """Every typed node under (and including) a statement: (type name, fields)."""
    out: list[tuple[str, Json]] = [(kind, fields)]
    stack: list[Any] = [fields]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            if len(v) == 1:
                (k, inner), = v.items()
                if k[:1].isupper() and isinstance(inner, dict):
                    out.append((k, inner))
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return out


def _colrefs(node: Any) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    if not isinstance(node, dict):
        return out
    for k, f in _walk_json("", node):
        if k == "ColumnRef":
            parts = []
            for x in f.get("fields", ()):
                s = x.get("String", {}).get("sval") if isinstance(x, dict) else None
                parts.append(s if isinstance(s, str) else "*")
            out.append(tuple(parts))
    return out


def _unwrap(v: Any) -> tuple[str, Json]:
    if isinstance(v, dict) and len(v) == 1:
        (k, inner), = v.items()
        if isinstance(inner, dict):
            return k, inner
    return "", {}


def _tables(from_items: Any) -> tuple[list[tuple[str, str]], list[Json]]:
    """(table, alias or table) for each table of a FROM list (joins included), and the JOIN
    conditions."""
    tables: list[tuple[str, str]] = []
    quals: list[Json] = []

    def visit(v: Any) -> None:
        k, f = _unwrap(v)
        if k == "RangeVar":
            name = str(f.get("relname", ""))
            alias = f.get("alias", {}).get("aliasname") if isinstance(f.get("alias"), dict) else None
            tables.append((name, str(alias or name)))
        elif k == "JoinExpr":
            if isinstance(f.get("quals"), dict):
                quals.append(f["quals"])
            visit(f.get("larg"))
            visit(f.get("rarg"))

    for it in from_items if isinstance(from_items, list) else ():
        visit(it)
    return tables, quals


def _constrains(refs: list[tuple[str, ...]], alias: str) -> bool:
    for parts in refs:
        if not parts or parts[-1] != "brand_id":
            continue
        if len(parts) == 1 or parts[-2] == alias:
            return True
    return False


@dataclass(frozen=True)
class BrandProblem:
    table: str
    message: str


def brand_problems(kind: str, fields: Json, exempt: set[str]) -> list[BrandProblem]:
    """What a statement (pglast JSON form) misses: SELECT/UPDATE/DELETE must reference the
    ``brand_id`` of each table they touch in WHERE (or a JOIN condition), INSERT must name
    ``brand_id`` among its columns. Sub-selects and CTE bodies are judged on their own; CTE names
    are not tables."""
    nodes = _walk_json(kind, fields)
    ctes = {str(f.get("ctename")) for k, f in nodes if k == "CommonTableExpr"}
    out: list[BrandProblem] = []

    def skip(table: str) -> bool:
        return table in ctes or table in exempt

    for k, f in nodes:
        if k == "SelectStmt":
            tables, quals = _tables(f.get("fromClause"))
            refs = _colrefs(f.get("whereClause")) + [r for q in quals for r in _colrefs(q)]
            for t, a in tables:
                if not skip(t) and not _constrains(refs, a):
                    out.append(BrandProblem(t, f"SELECT from {t} does not constrain brand_id: add `{a}.brand_id = ${{brandId}}` to WHERE"))
        elif k in ("UpdateStmt", "DeleteStmt"):
            rel: Json = f["relation"] if isinstance(f.get("relation"), dict) else {}
            t = str(rel.get("relname", ""))
            alias = rel.get("alias", {}).get("aliasname") if isinstance(rel.get("alias"), dict) else None
            if not t or skip(t):
                continue
            if not _constrains(_colrefs(f.get("whereClause")), str(alias or t)):
                verb = "UPDATE of" if k == "UpdateStmt" else "DELETE from"
                out.append(BrandProblem(t, f"{verb} {t} does not constrain brand_id: add `brand_id = ${{brandId}}` to WHERE"))
        elif k == "InsertStmt":
            irel: Json = f["relation"] if isinstance(f.get("relation"), dict) else {}
            t = str(irel.get("relname", ""))
            if not t or skip(t):
                continue
            cols = [str(_unwrap(c)[1].get("name")) for c in f.get("cols", ()) if _unwrap(c)[0] == "ResTarget"]
            if "brand_id" not in cols:
                what = "names no columns" if not cols else "does not set brand_id"
                out.append(BrandProblem(t, f"INSERT into {t} {what}: list brand_id among the columns and set it"))
    return out


# -- request logging --------------------------------------------------------------------------
@dataclass(frozen=True)
class RequestLog:
    use: cm.Use
    path: str  # file of the middleware body
    calls: tuple[cm.Call, ...]  # logger calls after `await next()`


def request_logs(m: cm.CodeModel) -> list[RequestLog]:
    out: list[RequestLog] = []
    log_ids = {c.node.id for c in m.log_calls}
    for u in m.uses:
        for mw in u.middleware:
            path, node = m.value(u.call.path, mw)
            within = m.calls_within(path, node)
            nexts = [c for c in within if c.callee == "next" and c.node.parent is not None
                     and c.node.parent.type == "await_expression"]
            if not nexts:
                continue
            first = min(c.node.start_byte for c in nexts)
            logs = tuple(c for c in within if c.node.id in log_ids and c.node.start_byte > first)
            if logs:
                out.append(RequestLog(u, path, logs))
    return out


# -- integration tests ------------------------------------------------------------------------
@dataclass(frozen=True)
class TestCall:
    method: str
    path: str  # concrete path; interpolations as "*"
    file: str
    line: int


def test_calls(ctx: Ctx) -> tuple[list[TestCall], list[Finding]]:
    return ctx.ws.derive("code.test-calls", ctx.service.dir, lambda: _test_calls(ctx))


def _test_calls(ctx: Ctx) -> tuple[list[TestCall], list[Finding]]:
    base = ctx.path("test", "integration")
    out: list[TestCall] = []
    errors: list[Finding] = []
    for rel in ctx.ws.files(base, cm.CODE_SUFFIXES):
        if not rel.rsplit(".", 1)[0].endswith((".test", ".spec")):
            continue
        f = ctx.ws.typescript(rel)
        if f is None:
            continue
        err = f.error
        if err is not None:
            errors.append(Finding(f"{rel}:{err.line}:{err.column}: {err.message}; fix it so its tests can be read",
                                  rel, err.line, err.line))
        for node in cm.captures(f, "(call_expression) @call").get("call", []):
            fn = node.child_by_field_name("function")
            args, tagged = cm._args(node)
            if fn is None or tagged or fn.type != "member_expression" or not args:
                continue
            prop = fn.child_by_field_name("property")
            obj = fn.child_by_field_name("object")
            if prop is None or obj is None:
                continue
            meth = f.text(prop)
            p = _concrete(f, args[0])
            if p is None:
                continue
            if meth == "request":
                method = "GET"
                if len(args) > 1 and args[1].type == "object":
                    keys = cm.object_keys(f, args[1])
                    if "method" in keys:
                        v = ts.string_value(f, cm.value_of_pair(keys["method"]))
                        if v is None:
                            continue
                        method = v.upper()
                out.append(TestCall(method, p, rel, ts.line_of(node)))
            elif meth in cm.HTTP_METHODS and obj.type == "call_expression":
                ofn = obj.child_by_field_name("function")
                if ofn is not None and f.text(ofn) in ("request", "supertest"):
                    out.append(TestCall(meth.upper(), p, rel, ts.line_of(node)))
    return out, errors


def _concrete(f: ts.TsFile, node: Node) -> str | None:
    if node.type == "string":
        s = ts.string_value(f, node)
    elif node.type == "template_string":
        s = "".join(f.text(c) if c.type == "string_fragment" else ("*" if c.type == "template_substitution" else f.text(c))
                    for c in node.named_children)
    else:
        return None
    if s is None:
        return None
    if "://" in s:
        s = "/" + s.split("://", 1)[1].partition("/")[2]
    s = s.split("?", 1)[0].split("#", 1)[0]
    return s if s.startswith("/") else None


# -- openapi ----------------------------------------------------------------------------------
def spec_operations(ctx: Ctx) -> tuple[str, list[oa.Operation]]:
    path = oa.spec_path(ctx.ws, ctx.service.dir, ctx.manifest)
    return path, oa.operations(ctx.ws, path)


def operation_index(ops: list[oa.Operation]) -> dict[tuple[str, str], oa.Operation]:
    """Operations by (METHOD, normalised template): ``/a/{id}`` and ``/a/:x`` share a key."""
    out: dict[tuple[str, str], oa.Operation] = {}
    for op in ops:
        out.setdefault((op.method.upper(), cm.normal_template(op.path)), op)
    return out


def operation_for(ops: list[oa.Operation] | dict[tuple[str, str], oa.Operation], route: cm.Route) -> oa.Operation | None:
    index = ops if isinstance(ops, dict) else operation_index(ops)
    return index.get((route.method, cm.normal_template(route.path)))

