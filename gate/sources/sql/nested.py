"""SQL inside SQL: what a statement would make PostgreSQL run besides itself, so it is judged like
top-level SQL.

- ``DO $$ ... $$`` and ``CREATE FUNCTION`` / ``CREATE PROCEDURE`` bodies in PL/pgSQL, through
  pglast's PL/pgSQL parser: every SQL statement of the body (``PLpgSQL_stmt_execsql``), and every
  ``EXECUTE`` (also ``RETURN QUERY EXECUTE``, ``OPEN ... FOR EXECUTE``, ``FOR ... IN EXECUTE``)
  of a constant string (a literal, or literals joined with ``||``), whose text is parsed as SQL;
- ``LANGUAGE sql`` bodies (a string, or ``BEGIN ATOMIC ... END``).

An ``EXECUTE`` of a string built at run time cannot be known statically: it is returned in
``dynamic`` (the data items fail closed on it). A body that does not parse is returned in
``errors``. Nesting (a ``DO`` that ``EXECUTE``\\ s a ``DO``...) is followed to :data:`MAX_DEPTH`
levels and at most :data:`MAX_STATEMENTS` statements per top-level statement (hostile input);
what lies beyond is reported as dynamic.

Lines are the file's: a nested statement is reported at the line it has in the migration (the
line of its ``EXECUTE`` for a string executed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from gate.sources.sql.parse import Node, Statement, parse

MAX_DEPTH = 8
MAX_STATEMENTS = 2_000
#: PL/pgSQL statements whose expression is a string PostgreSQL executes as SQL
_DYNAMIC = {"PLpgSQL_stmt_dynexecute": "query", "PLpgSQL_stmt_dynfors": "query",
            "PLpgSQL_stmt_return_query": "dynquery", "PLpgSQL_stmt_open": "dynquery"}


@dataclass
class Nested:
    statements: list[Statement] = field(default_factory=list)
    #: (line, what is executed) for each EXECUTE of a string not known before run time
    dynamic: list[tuple[int, str]] = field(default_factory=list)
    #: (line, message) for bodies that do not parse
    errors: list[tuple[int, str]] = field(default_factory=list)


def _one(node: Any) -> tuple[str, Node]:
    if isinstance(node, dict) and len(node) == 1:
        k, v = next(iter(node.items()))
        if isinstance(v, dict):
            return k, v
    return "", {}


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, max(0, offset)) + 1


def constant_string(expr: str) -> str | None:
    """The value of a PL/pgSQL expression that is a string constant (``'...'``, ``E'...'``,
    ``$q$...$q$``, several joined with ``||``, a cast of one); None when it is built at run time."""
    from pglast.parser import ParseError, parse_sql_json

    try:
        stmts = json.loads(parse_sql_json(f"SELECT {expr}")).get("stmts", [])
    except (ParseError, RecursionError):
        return None
    if len(stmts) != 1:
        return None
    _, sel = _one(stmts[0].get("stmt"))
    targets = sel.get("targetList") or []
    if len(targets) != 1 or sel.get("fromClause") or sel.get("whereClause"):
        return None
    return _const(_one(targets[0])[1].get("val"))


def _const(node: Any) -> str | None:
    kind, body = _one(node)
    if kind == "A_Const" and isinstance(body.get("sval"), dict):
        return str(body["sval"].get("sval", ""))
    if kind == "TypeCast":
        return _const(body.get("arg"))
    if kind == "A_Expr" and body.get("kind") == "AEXPR_OP" and [
            _one(n)[1].get("sval") for n in body.get("name") or []] == ["||"]:
        left, right = _const(body.get("lexpr")), _const(body.get("rexpr"))
        return left + right if left is not None and right is not None else None
    return None


class _Walker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.out = Nested()

    def full(self) -> bool:
        return len(self.out.statements) >= MAX_STATEMENTS

    def sql(self, text: str, line: int, depth: int, whole_line: bool = False) -> None:
        """Parse ``text`` as SQL run from line ``line`` of the file (``whole_line``: every
        statement is reported at ``line``, as for a string given to EXECUTE)."""
        if self.full():
            return  # reported once, by :func:`nested`
        if depth > MAX_DEPTH:
            self.out.dynamic.append((line, "SQL nested deeper than the gate follows"))
            return
        f = parse(self.path, text)
        for err in f.errors:
            self.out.errors.append((line if whole_line else line + err.line - 1, err.message))
        for st in f.statements:
            first = line if whole_line else line + st.line - 1
            last = line if whole_line else line + st.end_line - 1
            self.add(Statement(st.kind, st.fields, st.offset, st.end, first, last, text), depth)

    def add(self, st: Statement, depth: int) -> None:
        if self.full():
            return
        self.out.statements.append(st)
        self.statement(st, depth)

    def statement(self, st: Statement, depth: int) -> None:
        """The SQL ``st`` holds (a DO block, a function body)."""
        if depth > MAX_DEPTH:
            self.out.dynamic.append((st.line, "SQL nested deeper than the gate follows"))
            return
        if st.kind == "DoStmt":
            opts = {str(_one(o)[1].get("defname")): _one(o)[1].get("arg") for o in st.fields.get("args") or []}
            lang = str(_one(opts.get("language"))[1].get("sval", "plpgsql")).lower()
            body = _one(opts.get("as"))[1].get("sval")
            if isinstance(body, str):
                self.body(st, lang, body, depth)
        elif st.kind == "CreateFunctionStmt":
            opts = {str(_one(o)[1].get("defname")): _one(o)[1].get("arg") for o in st.fields.get("options") or []}
            lang = str(_one(opts.get("language"))[1].get("sval", "sql")).lower()
            if st.fields.get("sql_body") is not None:
                self.atomic(st, st.fields["sql_body"], depth)
                return
            kind, items = _one(opts.get("as"))
            strings = [str(_one(i)[1].get("sval", "")) for i in items.get("items") or []] if kind == "List" else []
            if strings:
                self.body(st, lang, strings[0], depth)

    def atomic(self, st: Statement, sql_body: Any, depth: int) -> None:
        """``BEGIN ATOMIC ... END``: the statements are already parsed (reported at the function)."""
        stack = [sql_body]
        while stack and not self.full():
            cur = stack.pop()
            if isinstance(cur, list):
                stack.extend(reversed(cur))
                continue
            kind, node = _one(cur)
            if kind == "List":
                stack.append(node.get("items") or [])
            elif kind:
                self.add(Statement(kind, node, st.offset, st.end, st.line, st.end_line, st.source), depth + 1)

    def body(self, st: Statement, lang: str, body: str, depth: int) -> None:
        text = st.source[st.offset:st.end]
        at = text.find(body) if body else -1
        base = st.line + (_line_at(text, at) - 1 if at >= 0 else 0)
        if lang == "sql":
            self.sql(body, base, depth + 1)
        elif lang == "plpgsql":
            self.plpgsql(st, text, base, depth + 1)
        elif lang not in ("c", "internal"):
            # another procedural language (plpython, plv8...): its SQL is built by code the gate cannot read
            self.out.dynamic.append((st.line, f"a LANGUAGE {lang} body"))

    def plpgsql(self, st: Statement, text: str, base: int, depth: int) -> None:
        from pglast.parser import ParseError, parse_plpgsql_json

        try:
            tree = json.loads(parse_plpgsql_json(text))
        except (ParseError, RecursionError, ValueError) as exc:
            self.out.errors.append((st.line, f"PL/pgSQL body does not parse: {exc}"))
            return
        stack: list[tuple[Any, int]] = [(tree, base)]
        while stack and not self.full():
            cur, line = stack.pop()
            if isinstance(cur, list):
                stack.extend((x, line) for x in reversed(cur))
                continue
            if not isinstance(cur, dict):
                continue
            for kind, node in cur.items():
                if not isinstance(node, dict):
                    if isinstance(node, list):
                        stack.append((node, line))
                    continue
                here = base + int(node["lineno"]) - 1 if isinstance(node.get("lineno"), int) else line
                if kind == "PLpgSQL_stmt_execsql":
                    query = _one(node.get("sqlstmt"))[1].get("query")
                    if isinstance(query, str):
                        self.sql(query, here, depth, whole_line=True)
                elif kind in _DYNAMIC:
                    expr = _one(node.get(_DYNAMIC[kind]))[1].get("query")
                    if isinstance(expr, str):
                        value = constant_string(expr)
                        if value is None:
                            self.out.dynamic.append((here, f"EXECUTE {' '.join(expr.split())[:80]}"))
                        else:
                            self.sql(value, here, depth, whole_line=True)
                for v in node.values():
                    if isinstance(v, dict | list):
                        stack.append((v, here))


def nested(path: str, st: Statement) -> Nested:
    """Every statement ``st`` makes PostgreSQL run besides itself (recursively), in order."""
    if st.kind not in ("DoStmt", "CreateFunctionStmt"):
        return Nested()
    w = _Walker(path)
    w.statement(st, 0)
    if w.full():  # the walk stopped there: what lies beyond was not read
        w.out.dynamic.append((st.line, f"more than {MAX_STATEMENTS} statements nested in one statement "
                                       "(the most the gate follows)"))
    return w.out
