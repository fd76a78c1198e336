"""Brand scoping of SQL (``conventions.brand-scoping``): what a statement misses to stay inside
one brand.

Statements are read in pglast's JSON form (:attr:`gate.sources.sql.parse.Statement.kind` and
``fields``): a node of a generic ``Node*`` field is ``{"TypeName": {fields}}``; a field of a
fixed node type (``relation``, ``alias``, ``withClause``) holds its fields directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]


def _walk_json(kind: str, fields: Json) -> Iterable[tuple[str, Json]]:
    """Every typed node under (and including) a statement: (type name, fields). The arms of a
    set operation (``larg``/``rarg`` of ``UNION``/``INTERSECT``/``EXCEPT``) are ``SelectStmt``s
    stored without their type name: they are listed as such."""
    out: list[tuple[str, Json]] = []
    stack: list[Any] = [{kind: fields}]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            if len(v) == 1:
                (k, inner), = v.items()
                if k[:1].isupper() and isinstance(inner, dict):
                    out.append((k, inner))
                    if k == "SelectStmt":
                        stack.extend({"SelectStmt": inner[a]} for a in ("larg", "rarg")
                                     if isinstance(inner.get(a), dict))
                        stack.extend(x for a, x in inner.items() if a not in ("larg", "rarg"))
                        continue
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


def _rangevar(f: Json) -> tuple[str, str]:
    name = str(f.get("relname", ""))
    alias = f.get("alias", {}).get("aliasname") if isinstance(f.get("alias"), dict) else None
    return name, str(alias or name)


#: a condition and the aliases it may constrain (None: every table of the statement)
Qual = tuple[Any, "frozenset[str] | None"]


def _tables(from_items: Any) -> tuple[list[tuple[str, str]], list[Qual]]:
    """(table, alias or table) for each table of a FROM list (joins included), and the JOIN
    conditions, each with the tables it filters: both sides of an inner join, only the nullable
    side of an outer join (``a LEFT JOIN b ON a.brand_id = $1`` keeps every row of ``a``)."""
    tables: list[tuple[str, str]] = []
    quals: list[Qual] = []

    def visit(v: Any) -> list[str]:
        k, f = _unwrap(v)
        if k == "RangeVar":
            tables.append(_rangevar(f))
            return [tables[-1][1]]
        if k == "JoinExpr":
            left, right = visit(f.get("larg")), visit(f.get("rarg"))
            jt = f.get("jointype") or "JOIN_INNER"
            filtered = {"JOIN_LEFT": right, "JOIN_RIGHT": left, "JOIN_FULL": []}.get(str(jt))
            if isinstance(f.get("quals"), dict):
                quals.append((f["quals"], None if filtered is None else frozenset(filtered)))
            return left + right
        return []

    for it in from_items if isinstance(from_items, list) else ():
        visit(it)
    return tables, quals


def _conjuncts(expr: Any) -> list[Json]:
    k, f = _unwrap(expr)
    if k == "BoolExpr" and f.get("boolop") == "AND_EXPR":
        return [c for a in f.get("args") or () for c in _conjuncts(a)]
    return [expr] if k else []


def _brand_col(expr: Any) -> tuple[str, ...] | None:
    """The fields of a ``brand_id`` column reference (``brand_id``, ``t.brand_id``), else None."""
    k, f = _unwrap(expr)
    while k == "TypeCast":
        k, f = _unwrap(f.get("arg"))
    if k != "ColumnRef":
        return None
    parts = tuple(str(_unwrap(x)[1].get("sval", "*")) for x in f.get("fields", ()))
    return parts if parts and parts[-1] == "brand_id" else None


def _outside_sublinks(expr: Any) -> list[tuple[str, Json]]:
    """The typed nodes of an expression, not looking into sub-selects (judged on their own)."""
    out: list[tuple[str, Json]] = []
    stack: list[Any] = [expr]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            k, f = _unwrap(v)
            if k and k[:1].isupper():
                out.append((k, f))
                if k == "SubLink":
                    stack.append(f.get("testexpr"))
                    continue
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return out


def _is_value(expr: Any) -> bool:
    """An expression that names no column of the statement (a parameter, a constant, a
    sub-select): comparing ``brand_id`` with it pins one brand."""
    return not any(k == "ColumnRef" for k, _ in _outside_sublinks(expr))


def constrained(quals: list[Qual], tables: list[tuple[str, str]]) -> set[str]:
    """The aliases whose ``brand_id`` the conditions pin, each an ``AND``-ed term (not under
    ``OR``/``NOT``, not in a sub-select): ``brand_id = <value>``, ``brand_id IN (<values>)``,
    ``brand_id = ANY(<value>)``, ``brand_id IN (SELECT ...)`` (the sub-select is judged on its
    own), or ``a.brand_id = b.brand_id`` with ``b`` pinned (or a table of an outer query). An
    unqualified ``brand_id`` is read as each table's."""
    aliases = [a for _, a in tables]
    pinned: set[str] = set()
    links: list[tuple[str, str, frozenset[str] | None]] = []

    def owners(parts: tuple[str, ...], allowed: frozenset[str] | None) -> list[str]:
        own = aliases if len(parts) == 1 else [a for a in aliases if a == parts[-2]]
        return [a for a in own if allowed is None or a in allowed]

    for cond, allowed in quals:
        for c in _conjuncts(cond):
            k, f = _unwrap(c)
            sides: list[tuple[Any, Any]] = []
            if k == "A_Expr" and [_unwrap(n)[1].get("sval") for n in f.get("name") or ()] == ["="]:
                if f.get("kind") in ("AEXPR_OP", "AEXPR_OP_ANY", "AEXPR_IN"):
                    sides.append((f.get("lexpr"), f.get("rexpr")))
                    if f.get("kind") == "AEXPR_OP":
                        sides.append((f.get("rexpr"), f.get("lexpr")))
            elif k == "SubLink" and f.get("subLinkType") == "ANY_SUBLINK" and \
                    [_unwrap(n)[1].get("sval") for n in f.get("operName") or ()] in ([], ["="]):
                sides.append((f.get("testexpr"), {"SubLink": {}}))
            for col, other in sides:
                parts = _brand_col(col)
                if parts is None:
                    continue
                oparts = _brand_col(other)
                if oparts is not None and len(oparts) > 1 and oparts[-2] not in aliases:
                    pinned.update(owners(parts, allowed))  # a table of an outer query: judged there
                elif oparts is not None:
                    for a in owners(parts, allowed):
                        links.extend((b, a, allowed) for b in owners(oparts, None) if b != a)
                elif _is_value(other):
                    pinned.update(owners(parts, allowed))
    grew = True
    while grew:
        grew = False
        for src, dst, _ in links:
            if src in pinned and dst not in pinned:
                pinned.add(dst)
                grew = True
    return pinned


@dataclass(frozen=True)
class BrandProblem:
    table: str
    message: str


def brand_problems(kind: str, fields: Json, exempt: set[str]) -> list[BrandProblem]:
    """What a statement (pglast JSON form) misses: SELECT/UPDATE/DELETE must pin the
    ``brand_id`` of each table they touch (:func:`constrained`: the tables of ``FROM``, ``JOIN``,
    ``UPDATE ... FROM``, ``DELETE ... USING``) in WHERE or a JOIN condition; ``MERGE`` pins its
    target and source in its ``ON``; INSERT (and a ``MERGE``'s ``INSERT``) must name ``brand_id``
    among its columns; ``TRUNCATE`` empties every brand's rows. Sub-selects and CTE bodies are
    judged on their own; CTE names are not tables."""
    nodes = _walk_json(kind, fields)
    ctes = {str(f.get("ctename")) for k, f in nodes if k == "CommonTableExpr"}
    out: list[BrandProblem] = []

    def skip(table: str) -> bool:
        return not table or table in ctes or table in exempt

    def judge(tables: list[tuple[str, str]], quals: list[Qual], what: str, where: str, first: str = "") -> None:
        ok = constrained(quals, tables)
        for i, (t, a) in enumerate(tables):
            verb = first if i == 0 and first else what
            if not skip(t) and a not in ok:
                out.append(BrandProblem(t, f"{verb} {t} does not constrain brand_id: add `{a}.brand_id = "
                                           f"${{brandId}}` to {where}"))

    for k, f in nodes:
        if k == "SelectStmt":
            tables, quals = _tables(f.get("fromClause"))
            judge(tables, [(f.get("whereClause"), None), *quals], "SELECT from", "WHERE")
        elif k in ("UpdateStmt", "DeleteStmt"):
            rel: Json = f["relation"] if isinstance(f.get("relation"), dict) else {}
            more, quals = _tables(f.get("fromClause" if k == "UpdateStmt" else "usingClause"))
            verb = "UPDATE of" if k == "UpdateStmt" else "DELETE from"
            judge([_rangevar(rel), *more], [(f.get("whereClause"), None), *quals],
                  f"{verb} {_rangevar(rel)[0]} {'FROM' if k == 'UpdateStmt' else 'USING'}", "WHERE", verb)
        elif k == "MergeStmt":
            rel = f["relation"] if isinstance(f.get("relation"), dict) else {}
            src, quals = _tables([f.get("sourceRelation")])
            judge([_rangevar(rel), *src], [(f.get("joinCondition"), None), *quals], "MERGE on", "its ON condition")
            for w in f.get("mergeWhenClauses") or ():
                wf = _unwrap(w)[1]
                cols = [str(_unwrap(c)[1].get("name")) for c in wf.get("targetList") or ()]
                if wf.get("commandType") == "CMD_INSERT" and not skip(_rangevar(rel)[0]) and "brand_id" not in cols:
                    out.append(BrandProblem(_rangevar(rel)[0], f"MERGE's INSERT into {_rangevar(rel)[0]} does not "
                                                               "set brand_id: list brand_id among its columns"))
        elif k == "TruncateStmt":
            for r in f.get("relations") or ():
                t = _rangevar(_unwrap(r)[1])[0]
                if not skip(t):
                    out.append(BrandProblem(t, f"TRUNCATE {t} removes the rows of every brand: DELETE FROM {t} "
                                               "WHERE brand_id = ${brandId} instead"))
        elif k == "InsertStmt":
            irel: Json = f["relation"] if isinstance(f.get("relation"), dict) else {}
            t = str(irel.get("relname", ""))
            if skip(t):
                continue
            cols = [str(_unwrap(c)[1].get("name")) for c in f.get("cols", ()) if _unwrap(c)[0] == "ResTarget"]
            if "brand_id" not in cols:
                what = "names no columns" if not cols else "does not set brand_id"
                out.append(BrandProblem(t, f"INSERT into {t} {what}: list brand_id among the columns and set it"))
    return out
