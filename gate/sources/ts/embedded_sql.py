"""SQL embedded in a service's TypeScript code, parsed as PostgreSQL.

:func:`embedded` finds the SQL in ``sql`` tagged templates and in the strings (or templates)
given to ``db.query/one/many/none`` — an identifier argument followed to the module constant it
names — turns interpolations into ``$1, $2 ...`` parameters, parses the text with
:func:`gate.sources.sql.parse.parse`, and maps each statement's first keyword back to its line in the
TypeScript file. SQL that does not parse is a finding at its line (``conventions.brand-scoping``
reports them). The tag and the database object are configurable (``helpers.sql_tag``,
``helpers.db_object``), and found by binding as well as by name
(:func:`gate.sources.ts.provenance.platform_object`, the modules of ``helper_modules.sql_tag``
and ``helper_modules.db_object``): ``import { db as pool, sql as q } from "@platform/db"``,
``database.db.many(...)`` of ``import * as database``, ``const d = db``; a local look-alike
named ``db`` (``const db = makeFake()``) is not the platform's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from tree_sitter import Node

from gate.model import Finding
from gate.sources.ts import parse as ts
from gate.sources.ts.files import FileInfo, constant
from gate.sources.ts.imports import ModuleFile
from gate.sources.ts.provenance import OriginMemo, platform_object

if TYPE_CHECKING:
    from collections.abc import Mapping

    from gate.config import Helpers
    from gate.sources.sql import parse as sqlsrc  # pglast loads when embedded SQL is first parsed

DB_METHODS = frozenset({"query", "one", "many", "none"})


@dataclass(frozen=True)
class EmbeddedStatement:
    """One SQL statement found in code: file, line of its first keyword, parsed statement."""

    path: str
    line: int
    end_line: int
    statement: sqlsrc.Statement
    text: str  # the whole SQL text it came from (interpolations as $n)


def _template_sql(f: ts.TsFile, node: Node) -> tuple[str, list[tuple[int, int, str]]]:
    """SQL text of a template (substitutions → $1, $2 ...) and its pieces (sql offset, TS row,
    fragment text) to map offsets back to TypeScript lines."""
    pieces: list[tuple[int, int, str]] = []
    out: list[str] = []
    pos = node.start_byte + 1
    row = node.start_point[0]
    n = 0
    src = f.source

    def frag(a: int, b: int, r: int) -> None:
        text = src[a:b].decode("utf-8", "replace")
        pieces.append((sum(len(x) for x in out), r, text))
        out.append(text)

    for c in node.named_children:
        if c.type != "template_substitution":
            continue
        frag(pos, c.start_byte, row)
        n += 1
        out.append(f"${n}")
        pos = c.end_byte
        row = c.end_point[0]
    frag(pos, node.end_byte - 1, row)
    return "".join(out), pieces


def _line_in(pieces: list[tuple[int, int, str]], offset: int) -> int:
    best = pieces[0] if pieces else (0, 0, "")
    for p in pieces:
        if p[0] <= offset:
            best = p
        else:
            break
    start, row, text = best
    return row + text.count("\n", 0, max(0, offset - start)) + 1


def embedded(
    infos: dict[str, FileInfo], module_file: ModuleFile, helpers: Helpers,
    modules: Mapping[str, tuple[str, ...]] | None = None, memo: OriginMemo | None = None,
) -> tuple[list[EmbeddedStatement], list[Finding]]:
    """Every SQL statement embedded in the files of ``infos`` (sorted by file and line), and a
    finding for each piece of SQL that does not parse. ``modules``: ``helper_modules`` (the
    modules of ``sql_tag`` and ``db_object``); ``memo``: the model's origins."""
    tag = helpers.sql_tag
    db = helpers.db_object
    mods = modules if modules is not None else {}
    tag_mods, db_mods = tuple(mods.get("sql_tag", ())), tuple(mods.get("db_object", ()))
    origins: OriginMemo = memo if memo is not None else {}

    def is_tag(path: str, fn: Node) -> bool:
        return platform_object(infos, module_file, path, fn, tag, tag_mods, origins)

    stmts: list[EmbeddedStatement] = []
    errors: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    for path, info in infos.items():
        for c in info.calls:
            src_node: Node | None = None
            src_path = path
            fn = c.node.child_by_field_name("function")
            if c.tagged and c.callee is not None and fn is not None and is_tag(path, fn):
                src_node = c.args[0]
            elif not c.tagged and c.callee is not None and c.args and fn is not None and fn.type == "member_expression":
                meth = c.callee.rpartition(".")[2]
                obj_node = fn.child_by_field_name("object")
                if meth in DB_METHODS and obj_node is not None and platform_object(
                        infos, module_file, path, obj_node, db, db_mods, origins):
                    found = constant(infos, module_file, path, c.args[0])
                    if found is None:
                        src_path, val = path, c.args[0]
                    else:
                        src_path, val = found
                    if val.type == "string" or (val.type == "template_string" and (val.parent is None or val.parent.type != "call_expression")):
                        src_node = val
                    elif not _sql_template(val, partial(is_tag, src_path)):
                        line = c.args[0].start_point[0] + 1
                        key = (path, c.args[0].start_byte)
                        if key not in seen:
                            seen.add(key)
                            errors.append(Finding(
                                f"the SQL given to {c.callee}(...) is not a string, a template or a `{tag}` template the "
                                "gate can read before it runs (built at run time, or from a parameter or a `let`): its "
                                f"brand scoping cannot be judged; pass a literal, a `{tag}` template or a `const` "
                                "string", path, line, line))
            if src_node is None or (src_path, src_node.start_byte) in seen:
                continue
            seen.add((src_path, src_node.start_byte))
            f = infos[src_path].f
            if src_node.type == "template_string":
                text, pieces = _template_sql(f, src_node)
            else:
                text = ts.string_value(f, src_node) or ""
                pieces = [(0, src_node.start_point[0], text)]
            from gate.sources.sql import parse as sqlsrc

            parsed = sqlsrc.parse(src_path, text)
            if parsed.error is not None:
                off = _offset_of_line(text, parsed.error.line)
                line = _line_in(pieces, off)
                errors.append(Finding(f"{parsed.error.message} (in SQL embedded in code; interpolations read as $n parameters)", src_path, line, line))
                continue
            for st in parsed.statements:
                line = _line_in(pieces, st.offset)
                end = _line_in(pieces, _offset_of_line(text, st.end_line))
                stmts.append(EmbeddedStatement(src_path, line, max(line, end), st, text))
    stmts.sort(key=lambda s: (s.path, s.line))
    return stmts, errors


def _sql_template(node: Node, is_tag: Callable[[Node], bool]) -> bool:
    """Whether ``node`` is a template tagged with the SQL tag (``is_tag``, judged where it is
    written), or the template of such a call."""
    call = node.parent if node.type == "template_string" else node
    if call is None or call.type != "call_expression":
        return False
    fn = call.child_by_field_name("function")
    args = call.child_by_field_name("arguments")
    return fn is not None and args is not None and args.type == "template_string" and is_tag(fn)


def _offset_of_line(text: str, line: int) -> int:
    pos = 0
    for _ in range(line - 1):
        nl = text.find("\n", pos)
        if nl < 0:
            break
        pos = nl + 1
    return pos
