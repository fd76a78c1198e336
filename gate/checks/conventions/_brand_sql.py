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
