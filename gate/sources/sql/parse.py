"""PostgreSQL parsed with pglast (the real Postgres parser), statements located by line.

A file is parsed once. The fast path hands the whole text to the parser (its JSON form: enum
values arrive as their names, e.g. ``"AT_DropColumn"``, never as numbers that change between
PostgreSQL versions). When the file has a syntax error, the text is split into statements with
the PostgreSQL *scanner* (string literals, dollar quoting and comments are respected) and each
statement is parsed on its own: every error is reported at the parser's position and every
other statement is still returned, so one bad statement hides nothing else.
"""

from __future__ import annotations

import gc
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pglast.parser import ParseError, parse_sql_json, scan

#: a parsed node in pglast's JSON form: ``{"fieldname": value, ...}`` (the type name is the
#: key of the enclosing one-entry mapping)
Node = dict[str, Any]


@dataclass(frozen=True)
class Statement:
    kind: str  # the node type, e.g. "CreateStmt", "AlterTableStmt"
    fields: Node  # its fields (pglast JSON form: enum values by name)
    offset: int  # character offset of the statement's first token
    end: int  # character offset just after the statement (before its ``;``)
    line: int  # 1-based line of the first keyword (after leading comments)
    end_line: int
    source: str = field(default="", repr=False, compare=False)  # the text it was parsed from

    @cached_property
    def node(self) -> Any:
        """The statement as a ``pglast.ast`` node (built on first use from its own text)."""
        from pglast import parse_sql

        raw = parse_sql(self.source[self.offset : self.end])
        return raw[0].stmt if raw else None


@dataclass(frozen=True)
class SqlError:
    message: str
    line: int
    offset: int = 0


@dataclass
class SqlFile:
    path: str
    text: str
    statements: list[Statement]
    errors: list[SqlError] = field(default_factory=list)

    @property
    def error(self) -> SqlError | None:
        """The first syntax error, None when the whole file parsed."""
        return self.errors[0] if self.errors else None

    def snippet(self, st: Statement, limit: int = 80) -> str:
        """The statement's text on one line, cut to ``limit`` characters."""
        s = " ".join(self.text[st.offset : st.end].split())
        return s if len(s) <= limit else s[: limit - 1] + "…"


class _Lines:
    """Offset → 1-based line, by bisecting the newline positions (computed once)."""

    def __init__(self, text: str) -> None:
        import bisect

        self._nl = [m.start() for m in re.finditer("\n", text)] if "\n" in text else []
        self._bisect = bisect.bisect_left

    def at(self, offset: int) -> int:
        return self._bisect(self._nl, offset) + 1


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


def _char_offsets(text: str, byte_offsets: list[int]) -> list[int]:
    """Byte offsets into ``text.encode()`` (what the parser's JSON reports) → character offsets."""
    if text.isascii():
        return byte_offsets
    data = text.encode("utf-8")
    out: list[int] = []
    prev_b = prev_c = 0
    for b in byte_offsets:
        if b < prev_b:
            prev_b = prev_c = 0
        prev_c += len(data[prev_b:b].decode("utf-8", errors="ignore"))
        prev_b = b
        out.append(prev_c)
    return out


def _raw_statements(text: str) -> list[tuple[str, Node, int, int]]:
    """Parse ``text`` whole: (kind, node, char start, char end) per statement; ParseError on a
    syntax error."""
    collecting = gc.isenabled()
    gc.disable()  # the decoded tree holds no cycles: no collection passes over it while it grows
    try:
        stmts = json.loads(parse_sql_json(text)).get("stmts", [])
    except RecursionError:
        raise ParseError("statement nested too deeply to analyse", 0) from None
    finally:
        if collecting:
            gc.enable()
    starts_b = [int(s.get("stmt_location", 0)) for s in stmts]
    ends_b = [int(s.get("stmt_location", 0)) + int(s["stmt_len"]) if s.get("stmt_len") else -1 for s in stmts]
    starts = _char_offsets(text, starts_b)
    ends = _char_offsets(text, [e for e in ends_b if e >= 0])
    out: list[tuple[str, Node, int, int]] = []
    k = 0
    for i, s in enumerate(stmts):
        stmt = s.get("stmt") or {}
        kind, node = next(iter(stmt.items())) if stmt else ("", {})
        if ends_b[i] >= 0:
            end = ends[k]
            k += 1
        else:
            end = len(text)
        out.append((kind, node if isinstance(node, dict) else {}, starts[i], end))
    return out


def _pieces(text: str) -> tuple[list[tuple[int, int, bool]], SqlError | None]:
    """Split ``text`` at top-level ``;`` with the scanner: (start, end, has ATOMIC) per piece,
    and the scanner's own error (an unterminated literal) if any; text after it is not split."""
    err: SqlError | None = None
    limit = len(text)
    try:
        tokens = scan(text)
    except ParseError as exc:
        off = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
        err = SqlError(f"SQL syntax error: {exc.args[0]}", 0, off)
        limit = off
        try:
            tokens = scan(text[:off])
        except ParseError:
            tokens = []
    out: list[tuple[int, int, bool]] = []
    start: int | None = None
    atomic = False
    for tok in tokens:
        if tok.name == "ASCII_59":
            if start is not None:
                out.append((start, tok.start, atomic))
            start, atomic = None, False
            continue
        if start is None:
            start = tok.start
        if tok.name == "ATOMIC":
            atomic = True
    if start is not None and err is None:
        out.append((start, limit, atomic))  # the last statement may omit its ``;``
    return out, err


def parse(path: str, text: str) -> SqlFile:
    """Parse a file of statements; syntax errors are collected, the other statements kept."""
    lines = _Lines(text)
    try:
        raw = _raw_statements(text)
        errors: list[SqlError] = []
    except ParseError:
        raw, errors = _recover(text)
    stmts: list[Statement] = []
    for kind, node, start, end in raw:
        start = _skip_comments(text, start)
        stmts.append(Statement(kind, node, start, end, lines.at(start), lines.at(max(start, end - 1)), text))
    errs = [SqlError(e.message, lines.at(e.offset), e.offset) for e in errors]
    return SqlFile(path, text, stmts, errs)


def _recover(text: str) -> tuple[list[tuple[str, Node, int, int]], list[SqlError]]:
    """Statement by statement: each piece parsed alone; a failing piece that holds ``BEGIN
    ATOMIC`` (a function body with its own ``;``) is retried joined with the next pieces."""
    pieces, scan_err = _pieces(text)
    raw: list[tuple[str, Node, int, int]] = []
    errors: list[SqlError] = []
    i = 0
    while i < len(pieces):
        start, end, atomic = pieces[i]
        try:
            found = _raw_statements(text[start:end])
            raw.extend((k, n, start + s, start + e) for k, n, s, e in found)
            i += 1
            continue
        except ParseError as exc:
            first = exc
        joined = False
        if atomic:
            for j in range(i + 1, min(len(pieces), i + 64)):
                stop = pieces[j][1]
                try:
                    found = _raw_statements(text[start:stop])
                except ParseError:
                    continue
                raw.extend((k, n, start + s, start + e) for k, n, s, e in found)
                i = j + 1
                joined = True
                break
        if not joined:
            off = first.args[1] if len(first.args) > 1 and isinstance(first.args[1], int) else 0
            errors.append(SqlError(f"SQL syntax error: {first.args[0]}", 0, start + off))
            i += 1
    if scan_err is not None:
        errors.append(scan_err)
    return raw, errors
