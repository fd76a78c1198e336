"""PostgreSQL parsed with pglast (the real Postgres parser), statements located by line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pglast import parse_sql
from pglast.parser import ParseError


@dataclass(frozen=True)
class Statement:
    node: Any  # a pglast.ast node (RawStmt.stmt)
    offset: int  # character offset of the statement's first token
    line: int  # 1-based line of the first keyword (after leading comments)
    end_line: int


@dataclass(frozen=True)
class SqlError:
    message: str
    line: int


@dataclass
class SqlFile:
    path: str
    text: str
    statements: list[Statement]
    error: SqlError | None = None


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _skip_comments(text: str, pos: int) -> int:
    """First position at or after ``pos`` that is not white space or a comment."""
    n = len(text)
    while pos < n:
        if text[pos].isspace():
            pos += 1
        elif text.startswith("--", pos):
            nl = text.find("\n", pos)
            pos = n if nl < 0 else nl + 1
        elif text.startswith("/*", pos):
            end = text.find("*/", pos + 2)
            pos = n if end < 0 else end + 2
        else:
            break
    return pos


def parse(path: str, text: str) -> SqlFile:
    """Parse a file of statements. On a syntax error the file has no statements and ``error``."""
    try:
        raw = parse_sql(text)
    except ParseError as exc:
        offset = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
        return SqlFile(path, text, [], SqlError(f"SQL syntax error: {exc.args[0]}", _line_at(text, offset)))
    stmts = []
    for rs in raw:
        start = _skip_comments(text, rs.stmt_location or 0)
        length = rs.stmt_len or (len(text) - (rs.stmt_location or 0))
        end = (rs.stmt_location or 0) + length
        stmts.append(Statement(rs.stmt, start, _line_at(text, start), _line_at(text, max(start, end - 1))))
    return SqlFile(path, text, stmts)
