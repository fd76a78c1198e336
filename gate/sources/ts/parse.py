"""TypeScript parsed with tree-sitter (TypeScript and TSX grammars), plus small node helpers.

Parsing never executes anything. A file with syntax errors still yields a tree; its first
``ERROR``/``MISSING`` node is reported by :attr:`TsFile.error`.

Import statements are read here, once for the package: :func:`import_names` (the names an
``import`` binds) and :func:`module_specifiers` (the modules a file's imports and re-exports
name). Which file a specifier names is :mod:`gate.sources.ts.imports`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import tree_sitter_typescript as _tst
from tree_sitter import Language, Node, Parser, Tree

_PARSERS: dict[bool, Parser] = {}


def _parser(tsx: bool) -> Parser:
    p = _PARSERS.get(tsx)
    if p is None:
        lang = Language(_tst.language_tsx() if tsx else _tst.language_typescript())
        p = _PARSERS[tsx] = Parser(lang)
    return p


@dataclass(frozen=True)
class SyntaxProblem:
    line: int  # 1-based
    column: int  # 1-based
    message: str


@dataclass
class TsFile:
    path: str
    source: bytes
    tree: Tree

    @property
    def root(self) -> Node:
        return self.tree.root_node

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    @property
    def error(self) -> SyntaxProblem | None:
        if not self.root.has_error:
            return None
        stack = [self.root]
        while stack:
            n = stack.pop()
            if n.is_missing:
                return SyntaxProblem(n.start_point[0] + 1, n.start_point[1] + 1, f"syntax error: missing {n.type}")
            if n.type == "ERROR":
                return SyntaxProblem(n.start_point[0] + 1, n.start_point[1] + 1, "syntax error")
            if n.has_error:
                stack.extend(reversed(n.children))
        return SyntaxProblem(1, 1, "syntax error")


def parse(path: str, source: bytes) -> TsFile:
    return TsFile(path, source, _parser(path.endswith((".tsx", ".jsx"))).parse(source))


def line_of(node: Node) -> int:
    """1-based first line of a node."""
    return node.start_point[0] + 1


def end_line_of(node: Node) -> int:
    return node.end_point[0] + 1


class Unknown:
    """A value that cannot be known without running code; ``why`` says what it is."""

    def __init__(self, why: str) -> None:
        self.why = why

    def __repr__(self) -> str:
        return f"Unknown({self.why!r})"


def string_value(f: TsFile, node: Node) -> str | None:
    """The value of a string literal or a template string without substitutions."""
    if node.type == "string":
        return "".join(f.text(c) if c.type == "string_fragment" else _escape(f.text(c)) for c in node.named_children)
    if node.type == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return None
        return f.text(node)[1:-1]
    return None


def specifier(f: TsFile, sp: Node) -> tuple[str, str] | None:
    """An import or export specifier ``name as alias``: (the name it is bound or exported as,
    the name it refers to); either may be a string (``export { x as "a-b" }``)."""
    name = sp.child_by_field_name("name")
    if name is None:
        return None
    alias = sp.child_by_field_name("alias")
    inner = string_value(f, name) if name.type == "string" else f.text(name)
    outer = inner if alias is None else (string_value(f, alias) if alias.type == "string" else f.text(alias))
    return (outer or f.text(alias if alias is not None else name)), (inner or f.text(name))


@dataclass(frozen=True)
class ImportName:
    """A name an ``import`` statement binds: ``binding`` (the local name), ``name`` (the name
    it has in the module: ``default``, ``*`` for a namespace, else the exported name), ``kind``
    (``default``, ``namespace`` or ``named``), ``node`` (the default identifier, the namespace
    import or the specifier) and ``type_only`` (``import type ...`` or a ``type`` specifier:
    no value)."""

    binding: str
    name: str
    kind: str
    node: Node
    type_only: bool


def import_names(f: TsFile, stmt: Node) -> list[ImportName]:
    """The names an ``import_statement`` binds, in source order (``import "m"`` binds none)."""
    whole = False  # import type { X } from "m"
    out: list[ImportName] = []
    for clause in stmt.children:
        if clause.type == "type":
            whole = True
        if clause.type != "import_clause":
            continue
        for c in clause.named_children:
            if c.type == "identifier":
                out.append(ImportName(f.text(c), "default", "default", c, whole))
            elif c.type == "namespace_import":
                ids = [x for x in c.named_children if x.type == "identifier"]
                if ids:
                    out.append(ImportName(f.text(ids[0]), "*", "namespace", c, whole))
            elif c.type == "named_imports":
                for sp in c.named_children:
                    names = specifier(f, sp) if sp.type == "import_specifier" else None
                    if names is not None:
                        first = sp.child(0)  # import { type X } from "m"
                        typed = whole or (first is not None and first.type == "type")
                        out.append(ImportName(names[0], names[1], "named", sp, typed))
    return out


def module_specifiers(f: TsFile) -> list[str]:
    """The module specifiers a file's top-level imports and re-exports name, in order."""
    out: list[str] = []
    for st in f.root.named_children:
        if st.type in ("import_statement", "export_statement"):
            src = st.child_by_field_name("source")
            if src is not None and src.type == "string":
                out.append(string_value(f, src) or "")
    return out


def walk(node: Node) -> Iterator[Node]:
    """Every node under ``node`` (itself included), in document order; iterative."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def _escape(seq: str) -> str:
    simple = {"\\n": "\n", "\\t": "\t", "\\'": "'", '\\"': '"', "\\\\": "\\"}
    return simple.get(seq, seq[1:] if seq.startswith("\\") else seq)


def literal(f: TsFile, node: Node) -> Any:
    """Evaluate a literal expression: strings, numbers, booleans, null, arrays, objects.

    Anything else (identifiers, calls, substitutions) becomes :class:`Unknown`.
    """
    t = node.type
    if t in ("string", "template_string"):
        s = string_value(f, node)
        return s if s is not None else Unknown(f.text(node))
    if t == "number":
        txt = f.text(node).replace("_", "")
        try:
            return int(txt, 0)
        except ValueError:
            try:
                return float(txt)
            except ValueError:
                return Unknown(txt)
    if t == "true":
        return True
    if t == "false":
        return False
    if t == "null":
        return None
    if t == "parenthesized_expression" and node.named_children:
        return literal(f, node.named_children[0])
    if t in ("as_expression", "satisfies_expression") and node.named_children:
        return literal(f, node.named_children[0])
    if t == "array":
        return [literal(f, c) for c in node.named_children if c.type != "comment"]
    if t == "object":
        out: dict[str, Any] = {}
        for c in node.named_children:
            if c.type == "pair":
                key = c.child_by_field_name("key")
                val = c.child_by_field_name("value")
                if key is None or val is None:
                    continue
                k = property_key(f, key)
                if k is not None:
                    out[k] = literal(f, val)
            elif c.type == "shorthand_property_identifier":
                out[f.text(c)] = Unknown(f.text(c))
        return out
    return Unknown(f.text(node))


def property_key(f: TsFile, key: Node) -> str | None:
    if key.type in ("property_identifier", "identifier", "number"):
        return f.text(key)
    if key.type == "string":
        return string_value(f, key)
    return None  # computed keys are resolved by callers that know the bindings


# -- static evaluation with bindings ------------------------------------------------------------
#
# :func:`evaluate` extends :func:`literal` with what a configuration file such as an SST
# ``infra.ts`` is written with: ``const`` bindings of the same file, member and subscript access
# (``map[$app.stage]``, ``obj.key``), template strings with substitutions, spreads of known
# objects and arrays, ``??``/``||``/``&&``, equality, ``!`` and ``cond ? a : b``, and globals the
# caller supplies (``{"$app.stage": "prod"}``). Nothing is executed. What cannot be known is an
# :class:`Unknown` whose ``why`` reads after "is" ("computed by a call (scalingFor(...))",
# "imported from ../../infra/scaling (defaults)"); a key absent from a known object is
# :class:`Missing` (JavaScript's ``undefined``), which is a known value, not a guess.


class Opaque(Unknown):
    """An :class:`Unknown` that is a call or a ``new``: ``callee`` is its dotted name
    (``sst.cloudflare.dns``, ``sst.Secret``) and ``node`` the call, so callers can recognise
    the constructors and helpers they know."""

    def __init__(self, why: str, f: TsFile, node: Node, callee: str | None, is_new: bool) -> None:
        super().__init__(why)
        self.file = f
        self.node = node
        self.callee = callee
        self.is_new = is_new

    @property
    def args(self) -> list[Node]:
        a = self.node.child_by_field_name("arguments")
        return [c for c in a.named_children if c.type != "comment"] if a is not None else []

    @property
    def name(self) -> str | None:
        """The first argument when it is a string literal (``X`` of ``new sst.Secret("X")``)."""
        args = self.args
        return string_value(self.file, args[0]) if args else None


class Missing:
    """``undefined``: a key absent from a known object, an index past a known array; ``why``
    says which, ``node`` is the object or array that lacks it (where the key would go)."""

    def __init__(self, why: str, node: Node | None = None) -> None:
        self.why = why
        self.node = node

    def __repr__(self) -> str:
        return f"Missing({self.why!r})"


class Obj(dict[str, Any]):
    """An evaluated object literal. ``at[key]`` is the node that gave ``key`` its value (the
    ``pair`` or shorthand property, possibly inside a spread ``const``); ``node`` is the object
    expression; ``opaque`` holds the spreads that could not be evaluated: a key absent from the
    object may still come from one of them, so looking it up is :class:`Unknown`."""

    def __init__(self, node: Node) -> None:
        super().__init__()
        self.node = node
        self.at: dict[str, Node] = {}
        self.opaque: list[Unknown] = []

    def lookup(self, key: str, label: str = "the object") -> Any:
        """The value of ``key``: a :class:`Missing` when the object surely lacks it, the
        :class:`Unknown` of a spread when it may come from one."""
        if key in self:
            return self[key]
        if self.opaque:
            return Unknown(f"possibly set by {self.opaque[0].why}")
        return Missing(f"{label} has no key {key!r}", self.node)


class Arr(list[Any]):
    """An evaluated array literal; ``at[i]`` is the node of element ``i``; ``opaque`` holds the
    spreads that could not be evaluated (the array may hold more elements)."""

    def __init__(self, node: Node) -> None:
        super().__init__()
        self.node = node
        self.at: list[Node] = []
        self.opaque: list[Unknown] = []


@dataclass(frozen=True)
class Env:
    """What :func:`evaluate` may look up: ``consts`` (name → initializer of a module-level
    ``const`` of the same file), ``imports`` (local name → module it comes from, reported, never
    followed) and ``globals`` (dotted name → value, e.g. ``{"$app.stage": "dev"}``)."""

    consts: dict[str, Node]
    imports: dict[str, str]
    globals: dict[str, Any]
    #: each const is evaluated once per environment (a chain of consts referring to each other
    #: many times stays linear; a const referring to itself is Unknown)
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def with_globals(self, **values: Any) -> Env:
        return Env(self.consts, self.imports, {**self.globals, **values})


def module_env(f: TsFile, globals_: dict[str, Any] | None = None) -> Env:
    """The module-level ``const`` bindings (``export const`` included; ``let``/``var`` are not
    constants and stay unknown) and import bindings of ``f``."""
    consts: dict[str, Node] = {}
    imports: dict[str, str] = {}
    for stmt in f.root.named_children:
        decl = stmt
        if stmt.type == "export_statement":
            d = stmt.child_by_field_name("declaration")
            if d is None:
                continue
            decl = d
        if decl.type == "lexical_declaration" and decl.children and decl.children[0].type == "const":
            for v in decl.named_children:
                if v.type != "variable_declarator":
                    continue
                name = v.child_by_field_name("name")
                value = v.child_by_field_name("value")
                if name is not None and value is not None and name.type == "identifier":
                    consts[f.text(name)] = value
        elif decl.type == "import_statement":
            src = decl.child_by_field_name("source")
            module = string_value(f, src) if src is not None else None
            if module is None:
                continue
            for n in import_names(f, decl):
                imports[n.binding] = module
    return Env(consts, imports, dict(globals_ or {}))


def dotted_name(f: TsFile, node: Node) -> str | None:
    """``a.b.c`` for a chain of identifiers and property names, else None."""
    parts: list[str] = []
    cur = node
    while cur.type == "member_expression":
        obj = cur.child_by_field_name("object")
        prop = cur.child_by_field_name("property")
        if obj is None or prop is None:
            return None
        parts.append(f.text(prop))
        cur = obj
    if cur.type not in ("identifier", "property_identifier", "this"):
        return None
    parts.append(f.text(cur))
    return ".".join(reversed(parts))


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


_MAX_DEPTH = 64
_MAX_OPAQUE = 4  # the unknown parts an object or array remembers (the first ones say why)
_MAX_ENTRIES = 10_000  # spreads never build objects or arrays larger than this


def evaluate(f: TsFile, node: Node, env: Env, _depth: int = 0) -> Any:
    """Evaluate ``node`` statically (see the comment above): Python values for what is known
    (``Obj``/``Arr`` for objects and arrays, with the nodes of their entries), :class:`Missing`
    for ``undefined``, :class:`Unknown`/:class:`Opaque` for the rest, saying why."""
    if _depth > _MAX_DEPTH:
        return Unknown("nested too deeply to evaluate")
    d = _depth + 1
    t = node.type
    if t in ("parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression"):
        inner = [c for c in node.named_children if c.type != "comment"]
        return evaluate(f, inner[0], env, d) if inner else Unknown(_short(f.text(node)))
    if t in ("string", "number", "true", "false", "null"):
        return literal(f, node)
    if t == "undefined":
        return Missing("undefined")
    if t == "template_string":
        parts: list[str] = []
        for c in node.named_children:
            if c.type == "template_substitution":
                inner = [x for x in c.named_children if x.type != "comment"]
                v = evaluate(f, inner[0], env, d) if inner else Unknown("an empty substitution")
                if isinstance(v, (Unknown, Missing)):
                    return v
                parts.append(_to_str(v))
            elif c.type == "escape_sequence":
                parts.append(_escape(f.text(c)))
            else:
                parts.append(f.text(c))
        return "".join(parts)
    if t == "identifier":
        return _identifier(f, f.text(node), env, d)
    if t == "member_expression":
        dn = dotted_name(f, node) if node.end_byte - node.start_byte <= 512 else None
        if dn is not None and dn in env.globals:
            return env.globals[dn]
        obj = node.child_by_field_name("object")
        prop = node.child_by_field_name("property")
        if obj is None or prop is None:
            return Unknown(_short(f.text(node)))
        if dn is not None and dn.startswith("$") and dn.split(".")[0] not in env.consts:
            return Unknown(f"read from {dn}, which is only known at deploy time")
        return _index(f, evaluate(f, obj, env, d), f.text(prop), obj)
    if t == "subscript_expression":
        obj = node.child_by_field_name("object")
        idx = node.child_by_field_name("index")
        if obj is None or idx is None:
            return Unknown(_short(f.text(node)))
        key = evaluate(f, idx, env, d)
        if isinstance(key, (Unknown, Missing)):
            return key
        return _index(f, evaluate(f, obj, env, d), key, obj)
    if t == "object":
        out = Obj(node)
        for c in node.named_children:
            if c.type == "pair":
                k = c.child_by_field_name("key")
                v = c.child_by_field_name("value")
                if k is None or v is None:
                    continue
                pkey: Any = property_key(f, k)
                if pkey is None and k.type == "computed_property_name" and k.named_children:
                    pkey = evaluate(f, k.named_children[0], env, d)
                if isinstance(pkey, (Unknown, Missing)) or pkey is None:
                    out.opaque.append(Unknown(f"a computed key ({_short(f.text(k), 40)})"))
                    continue
                out[_to_str(pkey)] = evaluate(f, v, env, d)
                out.at[_to_str(pkey)] = c
            elif c.type == "shorthand_property_identifier":
                out[f.text(c)] = _identifier(f, f.text(c), env, d)
                out.at[f.text(c)] = c
            elif c.type == "spread_element" and c.named_children:
                sv = evaluate(f, c.named_children[0], env, d)
                if isinstance(sv, Obj) and len(out) + len(sv) > _MAX_ENTRIES:
                    out.opaque.append(Unknown(f"a spread ({_short(f.text(c), 40)}) too large to evaluate"))
                elif isinstance(sv, Obj):
                    out.update(sv)
                    out.at.update(sv.at)
                    _more(out.opaque, sv.opaque)
                elif isinstance(sv, Unknown):
                    # keys set before an unknown spread may be overridden by it
                    spread = Unknown(f"a spread ({_short(f.text(c), 40)}) that is {sv.why}")
                    for k2 in list(out):
                        out[k2] = Unknown(f"possibly overridden by {spread.why}")
                    _more(out.opaque, [spread])
            elif c.type == "method_definition":
                n = c.child_by_field_name("name")
                if n is not None:
                    out[f.text(n)] = Unknown(f"a method ({f.text(n)})")
                    out.at[f.text(n)] = c
        return out
    if t == "array":
        arr = Arr(node)
        for c in node.named_children:
            if c.type == "comment":
                continue
            if c.type == "spread_element" and c.named_children:
                sv = evaluate(f, c.named_children[0], env, d)
                if isinstance(sv, Arr) and len(arr) + len(sv) > _MAX_ENTRIES:
                    arr.opaque.append(Unknown(f"a spread ({_short(f.text(c), 40)}) too large to evaluate"))
                elif isinstance(sv, Arr):
                    arr.extend(sv)
                    arr.at.extend(sv.at)
                    _more(arr.opaque, sv.opaque)
                else:
                    why = sv.why if isinstance(sv, (Unknown, Missing)) else "not an array"
                    arr.opaque.append(Unknown(f"a spread ({_short(f.text(c), 40)}) that is {why}"))
                continue
            arr.append(evaluate(f, c, env, d))
            arr.at.append(c)
        return arr
    if t in ("call_expression", "new_expression"):
        is_new = t == "new_expression"
        fn = node.child_by_field_name("constructor" if is_new else "function")
        callee = dotted_name(f, fn) if fn is not None else None
        label = callee or (_short(f.text(fn), 30) if fn is not None else "?")
        why = f"constructed by new {label}(...)" if is_new else f"computed by a call ({label}(...))"
        return Opaque(why, f, node, callee, is_new)
    if t == "ternary_expression":
        cond = node.child_by_field_name("condition")
        yes = node.child_by_field_name("consequence")
        no = node.child_by_field_name("alternative")
        if cond is None or yes is None or no is None:
            return Unknown(_short(f.text(node)))
        c = evaluate(f, cond, env, d)
        if isinstance(c, Unknown):
            return Unknown(f"chosen by a condition that cannot be evaluated ({_short(f.text(cond), 40)}: {c.why})")
        return evaluate(f, yes if _truthy(c) else no, env, d)
    if t == "binary_expression":
        return _binary(f, node, env, d)
    if t == "unary_expression":
        op = node.child_by_field_name("operator")
        arg = node.child_by_field_name("argument")
        if op is None or arg is None:
            return Unknown(_short(f.text(node)))
        v = evaluate(f, arg, env, d)
        if isinstance(v, Unknown):
            return v
        o = f.text(op)
        if o == "!":
            return not _truthy(v)
        if o == "-" and isinstance(v, (int, float)) and not isinstance(v, bool):
            return -v
        return Unknown(f"an expression that cannot be evaluated statically ({_short(f.text(node))})")
    if t in ("arrow_function", "function_expression", "function"):
        return Unknown("a function")
    return Unknown(f"an expression that cannot be evaluated statically ({_short(f.text(node))})")


_IN_PROGRESS = object()


def _more(opaque: list[Unknown], more: list[Unknown]) -> None:
    opaque.extend(more[: max(0, _MAX_OPAQUE - len(opaque))])


def _identifier(f: TsFile, name: str, env: Env, depth: int) -> Any:
    if name in env.globals:
        return env.globals[name]
    if name == "undefined":
        return Missing("undefined")
    if name in env.consts:
        got = env.memo.get(name)
        if got is _IN_PROGRESS:
            return Unknown(f"read from {name}, which refers to itself")
        if got is not None or name in env.memo:
            return got
        env.memo[name] = _IN_PROGRESS
        value = evaluate(f, env.consts[name], env, depth)
        env.memo[name] = value
        return value
    if name in env.imports:
        return Unknown(f"imported from {env.imports[name]} ({name})")
    return Unknown(f"read from {name}, which is not a module-level const of this file")


def _index(f: TsFile, base: Any, key: Any, obj: Node) -> Any:
    label = _short(f.text(obj), 40)
    if isinstance(base, (Unknown, Missing)):
        return base
    if isinstance(base, Obj):
        return base.lookup(_to_str(key), label)
    if isinstance(base, Arr):
        if isinstance(key, int) and not isinstance(key, bool):
            if 0 <= key < len(base) and not base.opaque:
                return base[key]
            if base.opaque:
                return Unknown(f"possibly set by {base.opaque[0].why}")
            return Missing(f"{label} has no element {key}", base.node)
        if key == "length" and not base.opaque:
            return len(base)
    if isinstance(base, str) and key == "length":
        return len(base)
    return Unknown(f"a property of a non-object ({label}[{key!r}])")


def _to_str(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _truthy(v: Any) -> bool:
    if isinstance(v, Missing) or v is None:
        return False
    if isinstance(v, (Obj, Arr)):
        return True
    return bool(v)


def _binary(f: TsFile, node: Node, env: Env, d: int) -> Any:
    op_node = node.child_by_field_name("operator")
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    if op_node is None or left is None or right is None:
        return Unknown(_short(f.text(node)))
    op = f.text(op_node)
    lv = evaluate(f, left, env, d)
    if op in ("??", "||", "&&"):
        if isinstance(lv, Unknown):
            return lv
        if op == "??":
            return evaluate(f, right, env, d) if isinstance(lv, Missing) or lv is None else lv
        if op == "||":
            return lv if _truthy(lv) else evaluate(f, right, env, d)
        return evaluate(f, right, env, d) if _truthy(lv) else lv
    rv = evaluate(f, right, env, d)
    for v in (lv, rv):
        if isinstance(v, Unknown):
            return v
    prim = (str, int, float, bool, type(None), Missing)
    if op in ("===", "==", "!==", "!=") and isinstance(lv, prim) and isinstance(rv, prim):
        same = (isinstance(lv, Missing) and isinstance(rv, Missing)) or (
            not isinstance(lv, Missing) and not isinstance(rv, Missing) and type(lv) is type(rv) and lv == rv
        )
        return same if op in ("===", "==") else not same
    if op == "+" and isinstance(lv, str | int | float) and isinstance(rv, str | int | float):
        if isinstance(lv, str) or isinstance(rv, str):
            return _to_str(lv) + _to_str(rv)
        return lv + rv
    return Unknown(f"an expression that cannot be evaluated statically ({_short(f.text(node))})")
