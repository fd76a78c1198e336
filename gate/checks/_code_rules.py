"""Judgements over the code analysis that items of several check packages share.

- scopes: the scopes ``service.yaml`` declares, and whether every non-public route enforces one
  of them (``auth.require-scope`` and ``conventions.scope-enforcement`` are this one judgement);
- vendor calls: the outbound calls of a vendor SDK (``new Stripe(key)``, ``twilio(...)``) or of
  the HTTP client to a host outside the platform, and whether a call runs inside a helper
  (``breaker``, ``retry``, ``dedupe``) directly or through a named function given to it;
- :func:`reachable_calls`: the calls a handler makes, in it and in the functions it calls.

Anything computed here that more than one check needs is cached with ``ws.derive``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tree_sitter import Node

from gate.checks._code import HTTP_METHODS, at, code_model, helper, is_public, judge_routes, no_routes, plural
from gate.context import Ctx
from gate.model import Finding, Result
from gate.sources.ts import parse as ts
from gate.sources.ts.code import CodeModel
from gate.sources.ts.files import FUNCTION_TYPES, Call, Enclosing, FileInfo, pattern_names, resolve
from gate.sources.ts.provenance import call_origin
from gate.sources.ts.routes.table import Route

PLATFORM_DOMAIN = "platform.loop.health"


# -- scopes -----------------------------------------------------------------------------------
def declared_scopes(ctx: Ctx) -> dict[str, dict[str, Any]]:
    """The scopes ``service.yaml`` declares, by name."""
    out: dict[str, dict[str, Any]] = {}
    for s in ctx.spec_list("scopes"):
        if isinstance(s, dict) and isinstance(s.get("name"), str):
            out[s["name"]] = s
        elif isinstance(s, str):
            out[s] = {"name": s}
    return out


def suggest_scope(ctx: Ctx, route: Route) -> str:
    """A declared scope that fits the route (``…:read`` for GET, else ``…:write``)."""
    scopes = list(declared_scopes(ctx))
    want = "read" if route.method == "GET" else "write"
    for s in scopes:
        if s.endswith(":" + want):
            return s
    return f"{ctx.service.name}:{want}"


def reachable_calls(m: CodeModel, path: str, node: Node, depth: int = 2) -> list[Call]:
    """Calls inside ``node``, and inside the module-level functions of the service it calls by
    name (``createPayment(c)`` defined in this file or imported from another), ``depth`` levels."""
    out: list[Call] = []
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
            if tn.type in FUNCTION_TYPES and (tp, tn.id) not in seen:
                todo.append((tp, tn, d - 1))
    return out


def scope_findings(ctx: Ctx) -> Result:
    """auth.require-scope / conventions.scope-enforcement."""
    m = code_model(ctx)
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
    call: Call
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
    m = code_model(ctx)
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
            rd = resolve(info, root, c.node)
            if rd is not None and (path, rd.node.id) in bound:
                out.append(VendorCall(c, bound[(path, rd.node.id)]))
                continue
            obj, _, meth = c.callee.rpartition(".")
            alias = _http_alias(info, rd.node, http) if rd is not None and rd.kind == "var" else None
            if (alias == "object" and obj == root) or (alias == "pattern" and not obj):
                obj = http
            elif obj == http and rd is not None and rd.kind != "import":
                continue
            if obj == http and meth in (*HTTP_METHODS, "request", "fetch") and c.args:
                host = _host(m, path, c.args[0])
                if host and not (host == PLATFORM_DOMAIN or host.endswith("." + PLATFORM_DOMAIN)):
                    out.append(VendorCall(c, host))
    return out


def _binds_name(f: ts.TsFile, declarator: Node, name: str) -> bool:
    """Does the declarator bind ``name`` — ``const stripe = ...``, or a destructuring
    (``const { charges } = stripe``: a member of a vendor object is the vendor's too)?"""
    n = declarator.child_by_field_name("name")
    if n is None:
        return False
    if n.type == "identifier":
        return f.text(n) == name
    return any(f.text(i) == name for i in pattern_names(n, f))


def _http_alias(info: FileInfo, d: Node | None, http: str) -> str | None:
    """``"object"`` for ``const h = http`` and ``"pattern"`` for ``const { post } = http``
    (the platform's HTTP client imported in this file), else None."""
    if d is None or d.type != "variable_declarator":
        return None
    val, name = d.child_by_field_name("value"), d.child_by_field_name("name")
    while val is not None and val.type in ("parenthesized_expression", "as_expression", "non_null_expression") and val.named_children:
        val = val.named_children[0]
    if val is None or name is None or val.type != "identifier" or info.f.text(val) != http:
        return None
    src = resolve(info, http, val)
    if src is None or src.kind != "import":
        return None
    return "object" if name.type == "identifier" else "pattern" if name.type == "object_pattern" else None


def _vendor_expr(path: str, info: FileInfo, val: Node, bound: dict[tuple[str, int], str]) -> str | None:
    """The vendor client an expression is: ``new Stripe(k)``, ``twilio(sid, t)`` and
    ``await createClient()`` (a vendor binding called: a factory), ``sgMail`` itself, a member
    ``stripe.charges``, ``stripe.withOptions()`` (a method called without ``await``: a
    builder, kept a client to fail closed). What an awaited method call returns
    (``await stripe.charges.create(...)``) is the vendor's data, not a client: None."""
    node = val
    awaited = False
    while node.type in ("await_expression", "parenthesized_expression", "as_expression", "non_null_expression") and node.named_children:
        awaited = awaited or node.type == "await_expression"
        node = node.named_children[0]
    if awaited and node.type == "call_expression":
        fn = node.child_by_field_name("function")
        while fn is not None and fn.type in ("parenthesized_expression", "non_null_expression") and fn.named_children:
            fn = fn.named_children[0]
        if fn is not None and fn.type != "identifier":
            return None
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
    d = resolve(info, info.f.text(node), node)
    return bound.get((path, d.node.id)) if d is not None else None


def _host(m: CodeModel, path: str, arg: Node) -> str | None:
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


def helper_calls(ctx: Ctx, m: CodeModel, key: str) -> list[Call]:
    """The calls of the platform helper ``helpers.<key>`` (``retry``...): by its name
    (``retry(...)``, ``resilience.retry(...)``) unless it is a look-alike, and under any other
    name that leads to it (``import { retry as withRetry }``, ``const r = retry``)."""
    name = helper(ctx, key)
    mods = ctx.config.helper_modules.get(key, ())
    reach = _reaching(m, tuple(mods))
    out: list[Call] = []
    for c in m.calls:
        if c.callee is None or c.tagged or m.is_foreign(c.node):
            continue
        if c.name == name:
            if c.callee == name or "." in c.callee:  # a method of a non-platform object is foreign
                out.append(c)
            continue
        if c.path not in reach:
            continue
        info = m.info(c.path)
        root = c.root
        if root is None or (root not in info.imports and root not in info.top_values):
            continue
        o = call_origin(m.infos, m.module_file, c, m.origins)
        if o is not None and o.module in mods and o.name == name:
            out.append(c)
    return out


def _reaching(m: CodeModel, mods: tuple[str, ...]) -> frozenset[str]:
    """The files where a binding may lead to one of the modules ``mods`` (:func:`origin` follows
    imports only): those that name one of them, and those that import such a file (a barrel,
    re-exports), to any depth. A call in another file cannot be the helper under another name."""
    got = m.reach.get(mods)
    if got is not None:
        return got
    names = [mod.encode("utf-8") for mod in mods]
    found = {p for p, info in m.infos.items() if any(n in info.f.source for n in names)}
    importers: dict[str, set[str]] = {}
    for p, info in m.infos.items():
        for spec in ts.module_specifiers(info.f):
            target = m.module_file(p, spec)
            if target is not None:
                importers.setdefault(target, set()).add(p)
    todo = list(found)
    while todo:
        for p in importers.get(todo.pop(), ()):
            if p not in found:
                found.add(p)
                todo.append(p)
    m.reach[mods] = frozenset(found)
    return m.reach[mods]


def wrapped(m: CodeModel, call: Call, helper_ids: frozenset[int], first_fn_arg: int = 1) -> Enclosing | Call | None:
    """Is ``call`` inside the function given to a call of a platform helper (``helper_ids``:
    the nodes of its calls, :func:`helper_ids` — so an alias or a namespace call counts), in
    its arguments from ``first_fn_arg`` on? Directly (``breaker("x", () => call)``) or through
    a named function of the same file passed to it (``breaker("x", charge)``)."""
    for e in call.enclosing():
        if e.node.id in helper_ids and e.arg >= first_fn_arg:
            return e
    info = m.info(call.path)
    f = info.f
    names: set[str] = set()
    cur = call.node.parent
    while cur is not None:
        if cur.type in FUNCTION_TYPES:
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
        if c.node.id in helper_ids:
            for a in c.args[first_fn_arg:]:
                if a.type == "identifier" and f.text(a) in names:
                    return c
    return None


def helper_ids(ctx: Ctx, key: str) -> frozenset[int]:
    """The call nodes of the platform helper ``helpers.<key>`` under any name
    (:func:`helper_calls`), for :func:`wrapped`."""
    return ctx.ws.derive(f"code.helper-ids.{key}", ctx.service.dir,
                         lambda: frozenset(c.node.id for c in helper_calls(ctx, code_model(ctx), key)))
